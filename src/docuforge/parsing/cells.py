"""What both table finders produce: a table region, its cells, and the words in them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docuforge.document.geometry import Box
from docuforge.document.raw import RawWord
from docuforge.parsing.lines import Segment, joined, right_to_left
from docuforge.parsing.mechanisms import MECHANISMS

# A figure as tables print it: "1,875.00", "(45,200)", "-3.5%", "$ 242", "€ 1.200,00".
_AMOUNT = re.compile(r"^[-+(]?[$\u20ac\u00a3\u00a5]?\s?[-+(]?\d[\d,.\s]*%?\)?$")


def is_number(text: str) -> bool:
    return bool(_AMOUNT.match(text.strip()))


@dataclass
class CellRegion:
    row: int
    col: int
    row_span: int
    col_span: int
    box: Box
    words: list[RawWord] = field(default_factory=list)
    header: bool = False
    _text: tuple[int, int, str] | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        # Asked for many times per cell; words are only ever appended to or replaced, so the
        # list's identity and length tell whether the cached text is still right.
        key = (id(self.words), len(self.words))
        if self._text is None or self._text[:2] != key:
            self._text = (*key, text_of(self.words))
        return self._text[2]


@dataclass
class TableRegion:
    box: Box
    n_rows: int
    n_cols: int
    cells: list[CellRegion]
    ruled: bool
    segments: list[Segment] = field(default_factory=list)
    # Lines that align like a table's but are a display of equations: one block of text.
    formula: bool = False


def text_of(words: list[RawWord]) -> str:
    """A cell's words as text, line by line, hyphenated words rejoined."""
    if not words:
        return ""
    lines: list[list[RawWord]] = []
    for word in sorted(words, key=lambda w: ((w.y0 + w.y1) / 2, w.x0)):
        if lines and abs((word.y0 + word.y1) / 2 - (lines[-1][0].y0 + lines[-1][0].y1) / 2) < 0.5 * (
            word.y1 - word.y0
        ):
            lines[-1].append(word)
        else:
            lines.append([word])
    out: list[str] = []
    # Hebrew and Arabic are read from the right: a cell's words in logical order right to left.
    rtl = MECHANISMS.rtl_rows and right_to_left(words)
    for line in lines:
        line.sort(key=lambda w: -w.x1 if rtl else w.x0)
        text = joined([w.text + ("-" if w.hyphenated else "") for w in line])
        if out and out[-1].endswith("-") and MECHANISMS.cell_hyphens:
            # A table's cells are set ragged, not hyphenated: a hyphen that ends a cell's line is
            # the text's own ("COVID-" over "19", "long-" over "term"), kept, with no space after.
            out[-1] = out[-1] + text
        elif out and out[-1].endswith("-") and line[0].text[:1].islower():
            out[-1] = out[-1][:-1] + text
        else:
            out.append(text)
    return joined(out)
