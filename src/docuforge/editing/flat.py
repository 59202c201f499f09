"""Forms without fields: the blanks a parsed page shows, and the values drawn into them.

A blank is a label followed by a rule of underscores or dots ("Name: ______"), a label ending in a
colon with nothing after it on its row, a table cell with a label and an empty cell to its right, or
a box glyph (☐) before its label. The values are drawn in a content stream appended to the page.
"""

from __future__ import annotations

import itertools
import re

from pypdf import PdfWriter

from docuforge.document.model import BBox, BlockType, Document, Page
from docuforge.editing import drawing
from docuforge.editing.acroform import fit_size
from docuforge.editing.model import FillOptions, Widget

_RULE = re.compile(r"_{3,}|\.{5,}|…{2,}")
_BOXES = "\u2610\u25a1\u274f\u2751\u25a2"  # ballot box, white square and their kin
_BOX = re.compile(f"[{_BOXES}]")
_SKIP = (BlockType.HEADER, BlockType.FOOTER, BlockType.PAGE_NUMBER, BlockType.FIGURE, BlockType.TABLE)


def _span(box: BBox, text: str, start: int, end: int) -> BBox:
    """The part of a line's box that characters start..end take, by their share of the line."""
    length = max(1, len(text))
    left = box.left + box.width * start / length
    return BBox(
        left=left,
        top=box.top,
        width=box.width * (end - start) / length,
        height=box.height,
        page=box.page,
        original_page=box.original_page,
    )


def _row_end(page: Page, line_box: BBox) -> float:
    """Where the space right of a line ends: the next text on its row, or the right margin."""
    middle = line_box.top + line_box.height / 2
    ends = [
        line.bbox.left
        for block in page.blocks
        for line in block.lines
        if line.bbox.left > line_box.right + 0.005 and line.bbox.top <= middle <= line.bbox.bottom
    ]
    return min([*ends, 0.94])


def _lines(page: Page):
    for block in page.blocks:
        if block.type in _SKIP:
            continue
        if block.lines:
            yield from ((line.text, line.bbox) for line in block.lines)
        elif block.content and "\n" not in block.content:
            yield block.content, block.bbox


def detect(document: Document) -> list[Widget]:
    """The blanks of every page, each with the label people read beside it."""
    found: list[Widget] = []
    for page in document.pages:
        for text, box in _lines(page):
            boxes = list(_BOX.finditer(text))
            for index, mark in enumerate(boxes):
                stop = boxes[index + 1].start() if index + 1 < len(boxes) else len(text)
                label = text[mark.end() : stop].strip(" :") or text[: mark.start()].strip(" :")
                if label:
                    found.append(
                        Widget(
                            description=label,
                            type="checkbox",
                            bbox=_span(box, text, mark.start(), mark.end()),
                        )
                    )
            if boxes:
                continue
            rules = list(_RULE.finditer(text))
            for index, rule in enumerate(rules):
                begin = rules[index - 1].end() if index else 0
                label = text[begin : rule.start()].strip(" :")
                if label:
                    found.append(
                        Widget(
                            description=label, type="text", bbox=_span(box, text, rule.start(), rule.end())
                        )
                    )
            if rules:
                continue
            if text.rstrip().endswith(":") and len(text) < 60:
                end = _row_end(page, box)
                if end - box.right > 0.08:
                    found.append(
                        Widget(
                            description=text.strip().rstrip(":").strip(),
                            type="text",
                            bbox=BBox(
                                left=box.right + 0.01,
                                top=box.top,
                                width=end - box.right - 0.02,
                                height=box.height,
                                page=box.page,
                                original_page=box.original_page,
                            ),
                        )
                    )
        for block in page.blocks:
            if block.table is None:
                continue
            grid = block.table.grid()
            for row in grid:
                for left, right in itertools.pairwise(row):
                    if (
                        left is not None
                        and right is not None
                        and left is not right
                        and left.text.strip()
                        and not right.text.strip()
                        and right.bbox is not None
                    ):
                        found.append(
                            Widget(description=left.text.strip().rstrip(":"), type="text", bbox=right.bbox)
                        )
    return found


def draw(
    writer: PdfWriter, widgets: list[Widget], options: FillOptions, color: tuple[float, float, float] | None
) -> list[Widget]:
    """Draw each value in its blank; returns the widgets whose text did not fit."""
    overflowed = []
    for widget in widgets:
        if not widget.fill or widget.value is None or widget.bbox.page > len(writer.pages):
            continue
        page = writer.pages[widget.bbox.page - 1]
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        x = float(box.left) + widget.bbox.left * width
        top = float(box.top) - widget.bbox.top * height
        w, h = widget.bbox.width * width, widget.bbox.height * height
        drawing.ensure_font(writer, page, options.font)
        if widget.type == "checkbox":
            if widget.value.lower() in ("off", "no", "false", ""):
                continue
            size = max(6.0, min(h, w) * 0.9)
            operators = drawing.text_operators(
                "X", x + (w - size * 0.6) / 2, top - h + (h - size * 0.7) / 2, size, color
            )
        else:
            size, fits = fit_size(widget.value, w, h * 1.4, widget.font_size or options.font_size)
            if not fits:
                overflowed.append(widget)
            widget.font_size = size
            operators = drawing.text_operators(widget.value, x + 2, top - h + max(1.0, h * 0.2), size, color)
        drawing.append_content(writer, page, operators)
    return overflowed
