"""OCR engines behind one small registry: RapidOCR (the default), its fast variant, and Tesseract.

An engine turns an upright RGB image into lines of words with pixel boxes and confidences.
Everything else about scanned pages (orientation, skew, rules, layout) is the same for all.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from docuforge.parsing.ocr.options import OcrOptions

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


class Detector(Protocol):
    """Finds a page's text lines without reading them: how orientation sees a page."""

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Quadrilaterals (4 x 2, pixels, clockwise from the line's start) of an RGB image's lines."""
        ...

    def move(self, forward: np.ndarray, before: tuple[int, ...], after: tuple[int, ...]) -> None:
        """The next image read is the last one detected (of size `before`) moved by the 2 x 3
        matrix `forward` onto a canvas of size `after`: its lines may be moved with it."""
        ...


class Recogniser(Protocol):
    """Reads line images already cut out: how orientation tells which way up a line reads."""

    def recognize(self, crops: list[np.ndarray], quick: bool = False) -> list[tuple[str, float]]:
        """Each RGB line image's text and confidence; `quick`: enough to tell which way up it reads."""
        ...


class Orienter(Detector, Recogniser, Protocol):
    """An engine that both finds lines and reads them: what settles a page's orientation."""


_page_worker = threading.local()


def engine(options: OcrOptions | None = None) -> OcrEngine:
    """The engine these options name, built once per process for each distinct set of options
    (model loading costs a second), on all the process's cores; or, in a page worker's thread,
    that thread's own, on one core."""
    key = _key(options)
    own: dict[OcrOptions, OcrEngine] | None = getattr(_page_worker, "engines", None)
    if own is None:
        return _shared(key)
    if key not in own:
        own[key] = _build(key, threads=1)
    return own[key]


def orienter(options: OcrOptions | None = None) -> Orienter:
    """The engine that settles orientation for these options: RapidOCR's, whichever engine reads
    the page (the fast engine's own for rapidocr-fast, the default's otherwise); the same object
    as `engine(options)` where that is RapidOCR's."""
    from docuforge.parsing.ocr.options import OcrOptions
    from docuforge.parsing.ocr.rapid import RapidEngine

    options = options or OcrOptions()
    fast = options.engine == OcrEngineName.rapidocr_fast
    rapid = engine(dataclasses.replace(options, engine="rapidocr-fast" if fast else "rapidocr"))
    if not isinstance(rapid, RapidEngine):  # a RapidOCR name always builds a RapidEngine
        raise TypeError(f"the {options.engine} orientation engine is not RapidOCR's")
    return rapid


def page_worker() -> None:
    """Make the calling thread a page worker, which reads pages with engines of its own.

    An engine keeps state from one call to the next (RapidOCR its switches and the lines it last
    found), so two threads never share one. Several pages read at once, each on one core, keep
    the cores busier than one page read on several: ONNX Runtime shares a small batch of lines
    poorly between threads.
    """
    _page_worker.engines = {}


def _key(options: OcrOptions | None) -> OcrOptions:
    """The options that make an engine: how many pages are read at once is the caller's affair,
    and Tesseract's languages are no concern of RapidOCR's."""
    from docuforge.parsing.ocr.options import OcrOptions

    default = OcrOptions()
    options = options or default
    if options.engine == OcrEngineName.tesseract:
        return OcrOptions(
            engine="tesseract", tesseract_lang=options.tesseract_lang, tessdata=options.tessdata
        )
    return dataclasses.replace(
        options, page_workers=None, tesseract_lang=default.tesseract_lang, tessdata=default.tessdata
    )


@functools.cache
def _shared(options: OcrOptions) -> OcrEngine:
    return _build(options, threads=None)


def _build(options: OcrOptions, threads: int | None) -> OcrEngine:
    if options.engine == OcrEngineName.tesseract:
        from docuforge.parsing.ocr.tesseract import TesseractEngine

        return TesseractEngine(options)
    from docuforge.parsing.ocr.rapid import RapidEngine

    return RapidEngine(options, threads=threads)
