"""merge_tables: a table that runs on across a page break becomes one table."""

from __future__ import annotations

from docuforge.document.model import FURNITURE, BBox, Block, BlockType, Cell, Document, Page


def _edge_tables(document: Document) -> list[tuple[Block | None, Block | None]]:
    """(last table of a page if nothing follows it, first table of the next page if nothing precedes it)."""
    pairs = []
    for page, following in zip(document.pages, document.pages[1:], strict=False):
        content = [b for b in page.blocks if b.type not in FURNITURE and not b.caption_of]
        nxt = [b for b in following.blocks if b.type not in FURNITURE and not b.caption_of]
        last = content[-1] if content and content[-1].type is BlockType.TABLE else None
        first = nxt[0] if nxt and nxt[0].type is BlockType.TABLE else None
        pairs.append((last, first))
    return pairs


def merge_tables(document: Document) -> None:
    for last, first in _edge_tables(document):
        if last is None or first is None or last.table is None or first.table is None:
            continue
        upper, lower = last.table, first.table
        if upper.n_cols != lower.n_cols:
            continue
        offset = upper.n_rows
        header = [c.text for c in upper.cells if c.row == 0]
        repeated = [c.text for c in lower.cells if c.row == 0] == header and any(header)
        for cell in lower.cells:
            if repeated and cell.row == 0:
                continue  # the header printed again on the new page
            upper.cells.append(
                Cell(
                    row=cell.row + offset - (1 if repeated else 0),
                    col=cell.col,
                    row_span=cell.row_span,
                    col_span=cell.col_span,
                    text=cell.text,
                    bbox=cell.bbox,
                    header=False,
                )
            )
        upper.n_rows = offset + lower.n_rows - (1 if repeated else 0)
        merged = last.extra.setdefault("merged_tables", [])
        assert isinstance(merged, list)
        merged.append({"bbox": first.bbox.model_dump(), "block_id": first.id})
        first.continued_from = last.id
        first.extra["merged_into"] = last.id


def join_column_tables(page: Page) -> None:
    """A table that breaks at the foot of one column and runs on at the head of the next is one
    table: the continuation's rows join the first part, and the continuation block is marked as
    merged into it (kept for its box, left out of content), as merge_tables does across pages."""
    blocks = [b for b in page.blocks if b.type not in FURNITURE]
    for first in blocks:
        if first.table is None or first.extra.get("merged_into"):
            continue
        for second in blocks:
            if second is first or second.table is None or second.extra.get("merged_into"):
                continue
            if _continues(first, second, blocks):
                _append_rows(first, second)
                break
        else:
            _append_fragments(first, page.blocks)


def _continues(first: Block, second: Block, blocks: list[Block]) -> bool:
    a, b = first.bbox, second.bbox
    if a.right > b.left or first.table is None or second.table is None:
        return False  # the continuation sits in a column to the right
    if first.table.n_cols != second.table.n_cols or abs(a.width - b.width) > 0.05:
        return False

    def beside(block: Block, box: BBox) -> bool:
        return min(block.bbox.right, box.right) - max(block.bbox.left, box.left) > 0.01

    # Nothing under the first part in its column, nothing over the continuation in its own
    # (a title across both columns may be above it: it is over the first part too).
    if any(beside(o, a) and o.bbox.top >= a.bottom - 0.005 and o is not second for o in blocks):
        return False
    above = [o for o in blocks if o is not first and beside(o, b) and o.bbox.bottom <= b.top + 0.005]
    return all(beside(o, a) for o in above)


def _append_rows(first: Block, second: Block) -> None:
    upper, lower = first.table, second.table
    assert upper is not None and lower is not None
    header = [c.text for c in upper.cells if c.row == 0]
    repeated = [c.text for c in lower.cells if c.row == 0] == header and any(header)
    offset = upper.n_rows - (1 if repeated else 0)
    for cell in lower.cells:
        if repeated and cell.row == 0:
            continue
        upper.cells.append(cell.model_copy(update={"row": cell.row + offset, "header": False}))
    upper.n_rows = offset + lower.n_rows
    merged = first.extra.setdefault("merged_tables", [])
    assert isinstance(merged, list)
    merged.append({"bbox": second.bbox.model_dump(), "block_id": second.id})
    second.continued_from = first.id
    second.extra["merged_into"] = first.id


_NOT_CELLS = (BlockType.TABLE, BlockType.FIGURE)
ALIGN = 0.015  # of the page width: how far a cell's edge may sit from its column's
SHORT = 40  # characters: a cell, not a line of prose


def _append_fragments(first: Block, everything: list[Block]) -> None:
    """Rows continued at the head of the next column that were too few to be read as a table
    of their own (one or two rows: each cell a loose line) join the table they continue.

    They qualify when the table ends its column, they are the first thing in the next one, and
    each lines up, left or right edge, with one of the table's columns moved over by the gutter.
    """
    table = first.table
    assert table is not None
    a = first.bbox
    others = [b for b in everything if b is not first and not b.extra.get("merged_into")]
    if any(
        _beside(o.bbox, a) and o.bbox.top >= a.bottom - 0.005 and not o.caption_of and o.type not in FURNITURE
        for o in others
    ):
        return  # something follows the table in its own column: it does not run on
    lefts: dict[int, float] = {}
    rights: dict[int, float] = {}
    for cell in table.cells:
        if cell.bbox is not None and cell.col_span == 1 and cell.text:
            lefts[cell.col] = min(lefts.get(cell.col, 1.0), cell.bbox.left)
            rights[cell.col] = max(rights.get(cell.col, 0.0), cell.bbox.right)
    if 0 not in lefts or len(lefts) < 2:
        return
    column = sorted(
        (
            o
            for o in others
            if o.bbox.left >= a.right - 0.005 and o.type not in (BlockType.TABLE, BlockType.FIGURE)
        ),
        key=lambda o: (o.bbox.top, o.bbox.left),
    )
    if not column:
        return
    shift = column[0].bbox.left - lefts[0]
    rows: list[list[tuple[int, Block]]] = []
    height = max(0.004, min(o.bbox.height for o in column))
    for block in column:
        col = _column_of(block.bbox, shift, lefts, rights)
        if col is None or len(block.content) > SHORT or "\n" in block.content.strip():
            break
        if rows and abs(block.bbox.top - rows[-1][0][1].bbox.top) < 0.6 * height:
            if any(c == col for c, _ in rows[-1]):
                break
            rows[-1].append((col, block))
        elif not rows or block.bbox.top - rows[-1][0][1].bbox.top < 2.5 * height:
            rows.append([(col, block)])
        else:
            break
    cells = [pair for row in rows for pair in row]
    if len(cells) < 2 or len({c for c, _ in cells}) < 2:
        return
    # Nothing of the next column may sit above the rows: they must be where it starts.
    top = min(b.bbox.top for _, b in cells)
    taken = {id(b) for _, b in cells}
    right = max(b.bbox.right for _, b in cells)
    if any(
        o.bbox.bottom <= top + 0.002 and o.bbox.left >= a.right - 0.005 and o.bbox.left < right
        for o in others
        if id(o) not in taken and not o.caption_of
    ):
        return
    offset = table.n_rows
    for r, row in enumerate(rows):
        for col, block in row:
            table.cells.append(Cell(row=offset + r, col=col, text=block.content, bbox=block.bbox))
            block.continued_from = first.id
            block.extra["merged_into"] = first.id
        for col in set(range(table.n_cols)) - {c for c, _ in row}:
            table.cells.append(Cell(row=offset + r, col=col))
    table.n_rows = offset + len(rows)
    merged = first.extra.setdefault("merged_tables", [])
    assert isinstance(merged, list)
    merged.extend({"bbox": b.bbox.model_dump(), "block_id": b.id} for _, b in cells)


def _beside(box: BBox, other: BBox) -> bool:
    return min(box.right, other.right) - max(box.left, other.left) > 0.01


def _column_of(box: BBox, shift: float, lefts: dict[int, float], rights: dict[int, float]) -> int | None:
    """The table column a loose cell lines up with, its left or its right edge (numbers)."""
    best, best_gap = None, ALIGN
    for col, left in lefts.items():
        gap = min(abs(box.left - shift - left), abs(box.right - shift - rights[col]))
        if gap < best_gap:
            best, best_gap = col, gap
    return best
