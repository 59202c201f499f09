"""Arrays of objects from tables: each item property matched to a column by header and by content."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docuforge.document.model import Block
from docuforge.extraction.candidates import Segment, Span
from docuforge.extraction.kinds import kind_of, read
from docuforge.extraction.matching import Scorer, field_terms
from docuforge.extraction.schema import Field

# Rows that close a line-item table rather than belong to it.
_SUMMARY = re.compile(
    r"^\W*(sub\s*-?\s*total|total|grand total|tax|vat|gst|balance|amount due|discount|shipping)\b", re.I
)


@dataclass
class Column:
    index: int
    header: str
    field: Field
    score: float


@dataclass
class TableItems:
    items: list[dict[str, tuple[object, Span, float] | None]]
    score: float
    block: Block


def _header_rows(block: Block) -> int:
    table = block.table
    assert table is not None
    flagged = {c.row for c in table.cells if c.header}
    rows = 0
    while rows in flagged:
        rows += 1
    return max(1, rows) if table.n_rows > 1 else 0


def _cell_segment(block: Block, row: int, col: int, order: int) -> Segment | None:
    table = block.table
    assert table is not None
    cell = table.grid()[row][col]
    if cell is None or not cell.text.strip():
        return None
    box = cell.bbox or block.bbox
    return Segment(cell.text, box, _part_of(block, box), block.type, order)


def _part_of(block: Block, box: object) -> str:
    """The block a cell was read in: a table continued on a later page keeps its parts' ids."""
    merged = block.extra.get("merged_tables")
    if not isinstance(merged, list):
        return block.id
    cx = box.left + box.width / 2  # type: ignore[attr-defined]
    cy = box.top + box.height / 2  # type: ignore[attr-defined]
    for part in merged:
        bbox = part.get("bbox") if isinstance(part, dict) else None
        if not isinstance(bbox, dict) or bbox.get("page") != box.page:  # type: ignore[attr-defined]
            continue
        if (
            bbox["left"] <= cx <= bbox["left"] + bbox["width"]
            and bbox["top"] <= cy <= bbox["top"] + bbox["height"]
        ):
            return str(part.get("block_id") or block.id)
    return block.id


def _columns(block: Block, item: Field, scorer: Scorer, date_order: str, min_score: float) -> list[Column]:
    table = block.table
    assert table is not None
    heads = _header_rows(block)
    grid = table.grid()
    headers = [
        " ".join(dict.fromkeys(grid[r][c].text for r in range(heads) if grid[r][c] is not None))
        for c in range(table.n_cols)
    ]
    scored: list[tuple[float, int, Field]] = []
    for prop in item.properties:
        if not prop.leaf:
            continue
        terms = field_terms(prop, [item.name])
        kind = kind_of(prop)
        for c, header in enumerate(headers):
            label = scorer.score(terms, header) if header.strip() else 0.0
            body = [_cell_segment(block, r, c, 0) for r in range(heads, table.n_rows)]
            filled = [s for s in body if s is not None]
            if not filled:
                continue
            typed = sum(read(kind, prop, Span(s, 0, len(s.text)), date_order) is not None for s in filled)
            fit = typed / len(filled)
            if kind in ("text", "organisation", "address", "amount_text") and fit > 0:
                fit = 1.0 if kind != "amount_text" else fit
            score = label * (0.5 + 0.5 * fit)
            if score >= min_score:
                scored.append((score, c, prop))
    # Greedy one-to-one: the strongest header/field pairs first.
    chosen: list[Column] = []
    used_cols: set[int] = set()
    used_props: set[str] = set()
    for score, c, prop in sorted(scored, key=lambda t: -t[0]):
        if c in used_cols or prop.name in used_props:
            continue
        chosen.append(Column(c, headers[c], prop, score))
        used_cols.add(c)
        used_props.add(prop.name)
    return chosen


def _header(block: Block) -> tuple[str, ...]:
    table = block.table
    assert table is not None
    return tuple(c.text.strip().lower() for c in sorted(table.cells, key=lambda c: c.col) if c.row == 0)


def table_items(
    blocks: list[Block], item: Field, scorer: Scorer, date_order: str, min_score: float
) -> TableItems | None:
    """The best table for an array of `item`, its rows read as objects, with the tables that continue it.

    The parser joins a table continued on the next page into one (merged_into); a continuation it
    left apart still repeats the header, and its rows are appended here.
    """
    best = _best_table(blocks, item, scorer, date_order, min_score)
    if best is None:
        return None
    header = _header(best.block)
    after = False
    for block in blocks:
        if block is best.block:
            after = True
            continue
        if after and _header(block) == header and any(header):
            more = _best_table([block], item, scorer, date_order, min_score)
            if more is not None:
                best.items.extend(more.items)
    return best


def _best_table(
    blocks: list[Block], item: Field, scorer: Scorer, date_order: str, min_score: float
) -> TableItems | None:
    best: TableItems | None = None
    for block in blocks:
        table = block.table
        assert table is not None
        columns = _columns(block, item, scorer, date_order, min_score)
        if not columns:
            continue
        coverage = sum(c.score for c in columns) / max(1, sum(1 for p in item.properties if p.leaf))
        heads = _header_rows(block)
        items = []
        for r in range(heads, table.n_rows):
            row_text = " ".join(cell.text for cell in table.grid()[r] if cell is not None)
            if not row_text.strip() or _SUMMARY.match(row_text):
                continue
            obj: dict[str, tuple[object, Span, float] | None] = {}
            for column in columns:
                seg = _cell_segment(block, r, column.index, 0)
                reading = (
                    read(kind_of(column.field), column.field, Span(seg, 0, len(seg.text)), date_order)
                    if seg
                    else None
                )
                obj[column.field.name] = (
                    (reading.value, reading.span, column.score * reading.quality) if reading else None
                )
            if sum(v is not None for v in obj.values()) >= max(1, len(columns) // 2):
                items.append(obj)
        if not items:
            continue
        score = coverage * (1 + 0.01 * min(len(items), 20))
        if best is None or score > best.score:
            best = TableItems(items, score, block)
    return best
