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
