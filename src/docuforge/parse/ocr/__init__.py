"""OCR engines behind one small registry: RapidOCR (the default), its fast variant, and Tesseract.

An engine turns an upright RGB image into lines of words with pixel boxes and confidences.
Everything else about scanned pages (orientation, skew, rules, layout) is the same for all.
"""

from __future__ import annotations

import enum
import functools
import threading
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

PixelBox = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels, origin top-left


class OcrEngineName(enum.StrEnum):
    rapidocr = "rapidocr"
    rapidocr_fast = "rapidocr-fast"  # the tiny recogniser alone: faster on receipts and forms, weaker there
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


_page_worker = threading.local()


def engine(name: OcrEngineName | str = OcrEngineName.rapidocr) -> OcrEngine:
    """The engine of that name, built once per process (model loading costs a second), on all
    the process's cores; or, in a page worker's thread, that thread's own, on one core."""
    name = OcrEngineName(name)
    own: dict[OcrEngineName, OcrEngine] | None = getattr(_page_worker, "engines", None)
    if own is None:
        return _shared(name)
    if name not in own:
        own[name] = _build(name, threads=1)
    return own[name]


def page_worker() -> None:
    """Make the calling thread a page worker, which reads pages with engines of its own.

    An engine keeps state from one call to the next (RapidOCR its switches and the lines it last
    found), so two threads never share one. Several pages read at once, each on one core, keep
    the cores busier than one page read on several: ONNX Runtime shares a small batch of lines
    poorly between threads.
    """
    _page_worker.engines = {}


@functools.cache
def _shared(name: OcrEngineName) -> OcrEngine:
    return _build(name, threads=None)


def _build(name: OcrEngineName, threads: int | None) -> OcrEngine:
    if name is OcrEngineName.tesseract:
        from docuforge.parse.ocr.tesseract import TesseractEngine

        return TesseractEngine()
    from docuforge.parse.ocr.rapid import RapidEngine

    return RapidEngine(fast=name is OcrEngineName.rapidocr_fast, threads=threads)
