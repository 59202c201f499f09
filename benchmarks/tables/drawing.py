"""Drawing a table with reportlab: cells set on lines of runs (superscripts among them), columns
left to right or right to left, rule styles from none to a full grid."""

from __future__ import annotations

import dataclasses
import io
import random
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_FONTS = {
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
    "DejaVuSerif": "DejaVuSerif.ttf",
    "DejaVuSerif-Bold": "DejaVuSerif-Bold.ttf",
    "DejaVuSansCondensed": "DejaVuSansCondensed.ttf",
    "DejaVuSansCondensed-Bold": "DejaVuSansCondensed-Bold.ttf",
    "DejaVuSansMono": "DejaVuSansMono.ttf",
    "DejaVuSansMono-Bold": "DejaVuSansMono-Bold.ttf",
}
# (regular, bold) pairs; the Base-14 faces have no Hebrew or Arabic glyphs.
LATIN_FACES = [
    ("Helvetica", "Helvetica-Bold"),
    ("Times-Roman", "Times-Bold"),
    ("DejaVuSans", "DejaVuSans-Bold"),
    ("DejaVuSerif", "DejaVuSerif-Bold"),
    ("DejaVuSansCondensed", "DejaVuSansCondensed-Bold"),
    ("DejaVuSansMono", "DejaVuSansMono-Bold"),
]
RTL_FACES = [("DejaVuSans", "DejaVuSans-Bold"), ("DejaVuSansCondensed", "DejaVuSansCondensed-Bold")]
_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    for name, file in _FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(DEJAVU / file)))
    _registered = True


@dataclasses.dataclass
class DCell:
    """A drawn cell: the lines it is set in (each a list of (text, superscript) runs)."""

    text: str  # the ground-truth text
    lines: list[list[tuple[str, bool]]]
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    align: str = "left"  # left, right, center
    bold: bool = False


@dataclasses.dataclass
class Layout:
    cells: list[DCell]
    n_rows: int
    n_cols: int
    header_rows: int
    font: str
    bold: str
    size: float
    rules: str  # none, header, frame, booktabs, grid
    rtl: bool = False
    col_gap: float = 14.0
    row_gap: float = 4.0
    valign_header: str = "bottom"
    widths: list[float] | None = None  # fixed column widths (logical order), else from the text


def plain(text: str, bold: bool = False) -> list[list[tuple[str, bool]]]:
    return [[(text, False)]]


def _line_width(line: list[tuple[str, bool]], font: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(t, font, size * (0.6 if sup else 1)) for t, sup in line)


# How superscripts are set: (size, rise) against the text's size; set by the family drawing.
SUPERSCRIPT = {"size": 0.6, "rise": 0.4}
# Right-to-left cells drawn word by word, or each as one string in visual order.
RTL_WHOLE = {"on": False}


def _visual(text: str) -> str:
    """A right-to-left text in the order its glyphs stand on the page, left to right."""
    return " ".join(w if _ltr_token(w) else w[::-1] for w in reversed(text.split(" ")))


def _draw_line(
    c: rl_canvas.Canvas, line: list[tuple[str, bool]], x: float, y: float, font: str, size: float, rtl: bool
) -> None:
    """One line of runs from x (its left end), on baseline y. Right-to-left text goes word by
    word from the right, each word's letters drawn in visual order."""
    for text, sup in line:
        s = size * SUPERSCRIPT["size"] if sup else size
        dy = size * SUPERSCRIPT["rise"] if sup else 0
        if rtl and RTL_WHOLE["on"]:
            c.setFont(font, s)
            c.drawString(x, y + dy, _visual(text))
            x += pdfmetrics.stringWidth(text, font, s)
            continue
        if rtl:
            words = text.split(" ")
            total = pdfmetrics.stringWidth(text, font, s)
            right = x + total
            space = pdfmetrics.stringWidth(" ", font, s)
            for word in words:
                w = pdfmetrics.stringWidth(word, font, s)
                visual = word if _ltr_token(word) else word[::-1]
                c.setFont(font, s)
                c.drawString(right - w, y + dy, visual)
                right -= w + space
            x += total
            continue
        c.setFont(font, s)
        c.drawString(x, y + dy, text)
        x += pdfmetrics.stringWidth(text, font, s)


def _ltr_token(word: str) -> bool:
    return all(not ("\u0590" <= ch <= "\u06ff") for ch in word)


def draw_layout(
    c: rl_canvas.Canvas, layout: Layout, left: float, top: float
) -> tuple[float, float, float, float]:
    """Draw the table with its top-left corner at (left, top) in page space (y up); returns its
    box (x0, y0, x1, y1) in page space."""
    size, lead = layout.size, layout.size * 1.25
    n_cols = layout.n_cols

    def width_of(cell: DCell) -> float:
        return max(_line_width(line, layout.bold if cell.bold else layout.font, size) for line in cell.lines)

    widths = list(layout.widths) if layout.widths else [0.0] * n_cols
    if not layout.widths:
        for cell in layout.cells:
            if cell.col_span == 1:
                widths[cell.col] = max(widths[cell.col], width_of(cell))
        for cell in layout.cells:
            if cell.col_span > 1:
                need = (
                    width_of(cell)
                    - sum(widths[cell.col : cell.col + cell.col_span])
                    - layout.col_gap * (cell.col_span - 1)
                )
                if need > 0:
                    for k in range(cell.col, cell.col + cell.col_span):
                        widths[k] += need / cell.col_span
    heights = [0.0] * layout.n_rows
    for cell in layout.cells:
        if cell.row_span == 1:
            heights[cell.row] = max(heights[cell.row], len(cell.lines) * lead)
    heights = [max(h, lead) for h in heights]
    pad = layout.col_gap / 2
    # x of each logical column's left edge; right to left for RTL.
    total = sum(widths) + layout.col_gap * n_cols
    xs: list[float] = []
    x = left
    order = range(n_cols - 1, -1, -1) if layout.rtl else range(n_cols)
    lefts = [0.0] * n_cols
    for col in order:
        lefts[col] = x
        x += widths[col] + layout.col_gap
    xs = lefts
    ys = [top]
    for h in heights:
        ys.append(ys[-1] - h - layout.row_gap)
    for cell in layout.cells:
        font = layout.bold if cell.bold else layout.font
        cols = range(cell.col, cell.col + cell.col_span)
        x0 = min(xs[k] for k in cols) + pad
        x1 = max(xs[k] + widths[k] for k in cols) + pad
        y_top = ys[cell.row] - layout.row_gap / 2
        y_bottom = ys[cell.row + cell.row_span] + layout.row_gap / 2
        block = len(cell.lines) * lead
        space = y_top - y_bottom
        if cell.row < layout.header_rows and layout.valign_header == "bottom":
            start = y_bottom + block
        else:
            start = y_top
        for index, line in enumerate(cell.lines):
            baseline = start - index * lead - size
            w = _line_width(line, font, size)
            align = cell.align
            if align == "left" and layout.rtl:
                align = "right"
            if align == "right":
                lx = x1 - w
            elif align == "center":
                lx = (x0 + x1 - w) / 2
            else:
                lx = x0
            _draw_line(c, line, lx, baseline, font, size, layout.rtl)
        del space
    x0, x1, y0, y1 = left, left + total, ys[-1], top
    c.setLineWidth(0.6)
    if layout.rules in ("frame", "grid"):
        c.rect(x0, y0, x1 - x0, y1 - y0)
    if layout.rules in ("header", "booktabs", "grid"):
        c.line(x0, ys[layout.header_rows], x1, ys[layout.header_rows])
    if layout.rules == "booktabs":
        c.setLineWidth(1.0)
        c.line(x0, y1, x1, y1)
        c.line(x0, y0, x1, y0)
    if layout.rules == "grid":
        for y in ys[1:-1]:
            c.line(x0, y, x1, y)
        for col in range(n_cols):
            edge = xs[col] if not layout.rtl else xs[col] + widths[col] + layout.col_gap
            if x0 < edge < x1 - 1:
                c.line(edge, y0, edge, y1)
    return x0, y0, x1, y1


def grid_of(layout: Layout) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    grid = [["" for _ in range(layout.n_cols)] for _ in range(layout.n_rows)]
    spans = []
    for cell in layout.cells:
        grid[cell.row][cell.col] = cell.text
        if cell.row_span > 1 or cell.col_span > 1:
            spans.append((cell.row, cell.col, cell.row_span, cell.col_span))
    return grid, spans


def make_pdf(
    draw: Callable[[rl_canvas.Canvas], None], size: tuple[float, float] = A4, rotate: int = 0
) -> bytes:
    register()
    out = io.BytesIO()
    c = rl_canvas.Canvas(out, pagesize=size, invariant=1)
    if rotate:
        c.setPageRotation(rotate)
    draw(c)
    c.showPage()
    c.save()
    return out.getvalue()


def face(rng: random.Random, rtl: bool = False) -> tuple[str, str, float]:
    font, bold = rng.choice(RTL_FACES if rtl else LATIN_FACES)
    return font, bold, rng.choice([7.5, 8.0, 9.0, 10.0])


def paragraph(
    c: rl_canvas.Canvas, text: str, x: float, y: float, font: str, size: float, width: float
) -> float:
    """Text wrapped to `width` from baseline y down; returns the y under it."""
    words, line = text.split(), ""
    for word in words:
        trial = f"{line} {word}".strip()
        if pdfmetrics.stringWidth(trial, font, size) > width and line:
            c.setFont(font, size)
            c.drawString(x, y, line)
            y -= size * 1.3
            line = word
        else:
            line = trial
    if line:
        c.setFont(font, size)
        c.drawString(x, y, line)
        y -= size * 1.3
    return y


INTRO = (
    "The figures below are taken from the annual survey. They cover all reporting units and are "
    "rounded, so totals may differ from the sum of their parts."
)


def page_with(layout: Layout, rng: random.Random, title: str | None = None, size=A4) -> Callable:
    def draw(c: rl_canvas.Canvas) -> None:
        width, height = size
        y = height - 72
        if rng.random() < 0.6:
            y = paragraph(c, INTRO, 60, y, layout.font, 10, width - 120) - 14
        if title:
            c.setFont(layout.bold, layout.size + 1)
            c.drawString(60, y, title)
            y -= layout.size * 2.2
        draw_layout(c, layout, 60 + rng.choice([0, 20, 40]), y)

    return draw


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if pdfmetrics.stringWidth(trial, font, size) > width and line:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines
