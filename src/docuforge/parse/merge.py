"""merge_tables: a table that runs on across a page break becomes one table."""

from __future__ import annotations

from docuforge.document.model import FURNITURE, Block, BlockType, Cell, Document


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
