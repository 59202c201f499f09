"""Documents into passages: runs of blocks on one page, each with the box it covers.

A passage never crosses a page (so it cites one page), keeps a heading with what follows it,
carries its section's heading as context, and is cut near `size` characters. Running headers,
footers and page numbers are left out. Tables become one line per row, `header: value; ...`,
which both BM25 and the embeddings read better than markup, cut between rows when large.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docuforge.document.model import FURNITURE, BBox, Block, BlockType, Cell, Document
from docuforge.index.store import Box, Passage
from docuforge.render.markdown import block_markdown

HEADINGS = frozenset({BlockType.TITLE, BlockType.SECTION_HEADER})


@dataclass
class _Run:
    page: int
    texts: list[str] = field(default_factory=list)
    boxes: list[BBox] = field(default_factory=list)
    heading: str = ""

    def length(self) -> int:
        return sum(len(text) for text in self.texts)


def _union(boxes: list[BBox]) -> Box | None:
    if not boxes:
        return None
    left = min(b.left for b in boxes)
    top = min(b.top for b in boxes)
    right = max(b.right for b in boxes)
    bottom = max(b.bottom for b in boxes)
    return Box(
        left=round(left, 5), top=round(top, 5), width=round(right - left, 5), height=round(bottom - top, 5)
    )


_NUMBER = re.compile(r"^[(\-\u2212]?[$\u20ac\u00a3]?\s?\d[\d,.\s]*%?\)?$")
MAX_HEADER_ROWS = 4


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def _header(grid: list[list[Cell | None]]) -> tuple[list[str], list[str], int]:
    """(title lines, a name per column, where the body starts) of a table's grid.

    A row one cell spans whole is a title, not a column's name. The header is the first row and
    the rows that continue it (see _continues_header), at most MAX_HEADER_ROWS. A column's name
    joins the distinct texts above it, top down, so a spanning group header ("Rentals") names each
    of its sub-columns with their own ("Rentals Handgun").
    """
    titles: list[str] = []
    start = 0
    while (
        start < len(grid) - 1
        and (cell := grid[start][0]) is not None
        and all(other is cell for other in grid[start])
    ):
        if cell.text.strip():
            titles.append(cell.text.strip())
        start += 1
    end = start + 1
    while end < min(len(grid) - 1, start + MAX_HEADER_ROWS) and _continues_header(grid, end):
        end += 1
    names = []
    for column in range(len(grid[0])):
        parts: list[str] = []
        for row in range(start, end):
            cell = grid[row][column]
            text = cell.text.strip() if cell is not None else ""
            if text and text not in parts:
                parts.append(text)
        names.append(" ".join(parts))
    return titles, names, end


def _continues_header(grid: list[list[Cell | None]], row: int) -> bool:
    """Whether a row still belongs to the header: it holds no number past its first column, and
    is marked a header, or follows a row that groups columns (a spanning cell) or names none
    (an empty first cell), as the upper line of a two-line header does."""
    cells = grid[row]
    if any(cell is not None and _is_number(cell.text) for cell in cells[1:]):
        return False
    if all(cell is not None and cell.header for cell in cells):
        return True
    above = grid[row - 1]
    first = above[0]
    spans = any(cell is not None and cell.col_span > 1 for cell in above)
    return spans or first is None or not first.text.strip()


def _table_rows(
    block: Block, inherited: list[str] | None = None, resolve_header: bool = True
) -> tuple[list[str], list[tuple[str, list[BBox]]]]:
    """Each body row as 'header: value; ...' with the boxes of its cells, and the header used.

    A table continued from an earlier page has no header row of its own: it gets the first's.
    Title rows over the table come first, as one line, so its rows are found by its title too.
    """
    assert block.table is not None
    grid = block.table.grid()
    if not grid:
        return inherited or [], []
    titles: list[str] = []
    if inherited is not None and len(inherited) == len(grid[0]):
        header, body = inherited, grid
    elif resolve_header:
        titles, header, start = _header(grid)
        body = grid[start:] if len(grid) > start else grid
    else:
        header = [cell.text.strip() if cell is not None else "" for cell in grid[0]]
        body = grid[1:] if len(grid) > 1 else grid
    rows: list[tuple[str, list[BBox]]] = []
    if titles:
        rows.append((" ".join(titles), [block.bbox]))
    for line in body:
        parts, boxes, seen = [], [], set()
        for name, cell in zip(header, line, strict=False):
            if cell is None or id(cell) in seen or not cell.text.strip():
                continue
            seen.add(id(cell))
            parts.append(
                f"{name}: {cell.text.strip()}" if name and name != cell.text.strip() else cell.text.strip()
            )
            if cell.bbox is not None:
                boxes.append(cell.bbox)
        if parts:
            rows.append(("; ".join(parts), boxes or [block.bbox]))
    return header, rows


def passages(
    document: Document,
    document_id: str,
    filename: str = "",
    document_type: str = "document",
    size: int = 700,
    resolve_headers: bool = True,
) -> list[Passage]:
    """The document's passages, in reading order, ids `<document_id>:<n>`.

    resolve_headers reads a table's title rows and multi-line header (see _header); off, its
    first row names the columns.
    """
    runs: list[_Run] = []
    heading = ""
    headers: dict[str, list[str]] = {}  # table block id -> its header row, for its continuations

    def flush(run: _Run | None) -> None:
        if run is not None and run.texts:
            runs.append(run)

    for page in document.pages:
        run: _Run | None = None
        for block in page.blocks:
            if block.type in FURNITURE or block.extra.get("merged_into"):
                continue
            if block.type in HEADINGS:
                flush(run)
                heading = block.content.strip()
                run = _Run(page.number, [block_markdown(block)], [block.bbox], heading="")
                continue
            if block.type is BlockType.TABLE and block.table is not None:
                inherited = headers.get(block.continued_from) if block.continued_from else None
                headers[block.id], pieces = _table_rows(block, inherited, resolve_headers)
                if block.caption:
                    pieces.insert(0, (block.caption, [block.bbox]))
            else:
                text = block_markdown(block).strip()
                pieces = [(text, [block.bbox])] if text else []
            for text, boxes in pieces:
                # Rows of a table merged across pages keep their own page: cite where they are.
                where = boxes[0].page if boxes else page.number
                full = run is not None and run.length() + len(text) > size and run.length() > size // 3
                if run is None or full or run.page != where:
                    flush(run)
                    run = _Run(where, heading=heading)
                run.texts.append(text)
                run.boxes.extend(boxes)
        flush(run)
    out: list[Passage] = []
    for number, run in enumerate(runs):
        body = "\n".join(run.texts)
        if run.heading and run.heading not in body:
            body = f"{run.heading}\n{body}"
        out.append(
            Passage(
                id=f"{document_id}:{number}",
                document_id=document_id,
                filename=filename,
                document_type=document_type,
                page=run.page,
                bbox=_union(run.boxes) if document.layout == "page" else None,
                text=body,
            )
        )
    return out
