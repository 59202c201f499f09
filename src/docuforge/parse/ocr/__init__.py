"""OCR engines behind one small registry: RapidOCR (the default), its fast variant, and Tesseract.

An engine turns an upright RGB image into lines of words with pixel boxes and confidences.
Everything else about scanned pages (orientation, skew, rules, layout) is the same for all.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

PixelBox = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels, origin top-left


class OcrEngineName(enum.StrEnum):
    rapidocr = "rapidocr"
    rapidocr_fast = "rapidocr-fast"  # a smaller recogniser: about 3x faster, weaker on receipts and forms
    tesseract = "tesseract"


@dataclass(slots=True)
class OcrWord:
    text: str
    box: PixelBox
    confidence: float


@dataclass(slots=True)
class OcrLine:
    text: str
    box: PixelBox
    confidence: float
    words: list[OcrWord] = field(default_factory=list)


class OcrEngine(Protocol):
    name: OcrEngineName
    # The margin its line boxes have above and below the letters, as a share of their height.
    padding: float

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """The text lines of an upright RGB image, each with its words."""
        ...


@functools.cache
def engine(name: OcrEngineName | str = OcrEngineName.rapidocr) -> OcrEngine:
    """The engine of that name, built once per process (model loading costs a second)."""
    name = OcrEngineName(name)
    if name is OcrEngineName.tesseract:
        from docuforge.parse.ocr.tesseract import TesseractEngine

        return TesseractEngine()
    from docuforge.parse.ocr.rapid import RapidEngine

    return RapidEngine(fast=name is OcrEngineName.rapidocr_fast)
