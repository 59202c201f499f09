"""Layout-preserving plain text: each line where it sits on the page, in monospace.

Columns stay side by side and table cells stay under their headings, which is what a language
model needs to read a page the way a person sees it.
"""

from __future__ import annotations

import statistics

from docuforge.document.model import Block, Document, Line, Page


def page_text(page: Page, width_chars: int = 0) -> str:
    lines = [line for block in page.blocks for line in block.lines]
    for block in page.blocks:
        if block.table is not None:
            lines = [line for line in lines if line not in block.lines]
            lines.extend(_cell_lines(block))
    if not lines:
        return ""
    char_widths = [
        line.bbox.width / len(line.text) for line in lines if len(line.text) >= 3 and line.bbox.width > 0
    ]
    char_width = statistics.median(char_widths) if char_widths else 0.01
    heights = [line.bbox.height for line in lines if line.bbox.height > 0]
    line_height = statistics.median(heights) if heights else 0.015
    columns = width_chars or max(40, min(300, round(1 / char_width)))
    rows: dict[int, list[tuple[int, str]]] = {}
    for line in lines:
        row = round(line.bbox.top / line_height)
        column = round(line.bbox.left / char_width)
        rows.setdefault(row, []).append((column, line.text))
    out: list[str] = []
    previous = None
    for row in sorted(rows):
        if previous is not None and row - previous > 1:
            out.append("")  # keep one blank line for any vertical gap
        previous = row
        text = ""
        for column, piece in sorted(rows[row]):
            if len(text) < column:
                text += " " * (column - len(text))
            elif text:
                text += " "
            text += piece
        out.append(text.rstrip()[: max(columns * 2, 400)])
    return "\n".join(out)


def _cell_lines(block: Block) -> list[Line]:
    """A table's cells as positioned lines, so columns line up under their headings."""
    assert block.table is not None
    return [Line(text=cell.text, bbox=cell.bbox) for cell in block.table.cells if cell.text and cell.bbox]


def to_text(document: Document) -> str:
    pages = [page_text(page) for page in document.pages]
    return "\n\f\n".join(pages) + "\n"
