"""The engine's intermediate model: a page's words, rules and pictures before layout.

Loaders (a PDF's text layer) and OCR produce RawPages; the parse stages turn them into the
Document's pages and blocks. Coordinates are points, origin top-left, in the page's reading frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from docuforge.document.geometry import Box


@dataclass(slots=True)
class RawWord:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    hyphenated: bool = False  # ends in a soft hyphen: joins the next line's first word
    start: int = -1  # index of its first character on the page
    length: int = 0  # characters it spans on the page (accents folded into letters included)
    confidence: float = 1.0  # below 1 only for words read by OCR
    run: int = -1  # OCR only: the detected text line it was read in (-1: from a text layer)

    @property
    def box(self) -> Box:
        return self.x0, self.y0, self.x1, self.y1


@dataclass
class RawPage:
    """A page's content in its reading frame: the page turned so that most text runs left to right.

    For an ordinary page that is the page as displayed. For a page whose text runs sideways
    (a landscape table on a portrait page) layout happens upright, and `to_display` maps the
    boxes it finds back to the page as delivered.
    """

    index: int  # 0-based in the source
    width: float  # of the reading frame
    height: float
    rotation: int  # the page's /Rotate
    display_width: float = 0.0
    display_height: float = 0.0
    to_display: Callable[[Box], Box] = field(default=lambda box: box, repr=False)
    words: list[RawWord] = field(default_factory=list)
    hrules: list[Box] = field(default_factory=list)
    vrules: list[Box] = field(default_factory=list)
    rects: list[Box] = field(default_factory=list)
    images: list[Box] = field(default_factory=list)
    drawings: int = 0  # path objects: many small ones usually mean a chart
    garbled: float = 0.0  # share of characters pdfium could not map to Unicode
