"""Arrays of objects from tables: each item property matched to a column by header and by content.

A column whose header is empty joins the named column before it: right-aligned amounts are often
read as a column of their own beside their header's. A table continued on a later page is one
table (the parser's merged_into), or a later table with the same header, whose rows are appended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docuforge.document.model import BBox, Block, Cell
from docuforge.extraction.candidates import Segment, Span
from docuforge.extraction.kinds import kind_of, read
from docuforge.extraction.matching import Scorer, field_terms
from docuforge.extraction.schema import Field

# Rows that close a line-item table rather than belong to it.
_SUMMARY = re.compile(
    r"^\W*(sub\s*-?\s*total|total|grand total|tax|vat|gst|balance|amount due|discount|shipping|net amount)\b",
    re.I,
)


@dataclass
class Grid:
    """A table read once: header rows, column groups under each header, and the cells by position."""

    block: Block
    heads: int
    headers: list[str]
    groups: list[list[int]]
    cells: list[list[Cell | None]]

    def text(self, row: int, group: int) -> Cell | None:
        for col in self.groups[group]:
            cell = self.cells[row][col]
            if cell is not None and cell.text.strip():
                return cell
        return None

    def segment(self, row: int, group: int) -> Segment | None:
        cell = self.text(row, group)
        if cell is None:
            return None
        box = cell.bbox or self.block.bbox
        return Segment(cell.text, box, _part_of(self.block, box), self.block.type, 0)


def _part_of(block: Block, box: BBox) -> str:
    """The block a cell was read in: a table continued on a later page keeps its parts' ids."""
    merged = block.extra.get("merged_tables")
    if not isinstance(merged, list):
        return block.id
    cx, cy = box.left + box.width / 2, box.top + box.height / 2
    for part in merged:
        bbox = part.get("bbox") if isinstance(part, dict) else None
        if not isinstance(bbox, dict) or bbox.get("page") != box.page:
            continue
        if (
            bbox["left"] <= cx <= bbox["left"] + bbox["width"]
            and bbox["top"] <= cy <= bbox["top"] + bbox["height"]
        ):
            return str(part.get("block_id") or block.id)
    return block.id


def _parts(words: list[str], columns: int, item: Field, scorer: Scorer, min_score: float) -> list[str] | None:
    """The header's words cut into one label per column, every part naming a field of the item:
    one word each when they are as many, else (two columns) the cut whose parts name fields best."""
    if len(words) == columns:
        cuts = [words]
    elif columns == 2 and len(words) <= 6:
        cuts = [[" ".join(words[:cut]), " ".join(words[cut:])] for cut in range(1, len(words))]
    else:
        return None
    terms = [field_terms(p, [item.name]) for p in item.properties if p.leaf]
    best: tuple[float, list[str]] | None = None
    for parts in cuts:
        scores = [max((scorer.score(t, part) for t in terms), default=0.0) for part in parts]
        if min(scores) >= min_score and (best is None or sum(scores) > best[0]):
            best = (sum(scores), parts)
    return best[1] if best else None


def _split_merged(grid: Grid, item: Field, scorer: Scorer, min_score: float) -> Grid:
    """A header cell standing over several columns of values, the next header cell empty
    ("Qty Unit Price" over the quantities and the prices), gives each column its part."""
    rows = range(grid.heads, len(grid.cells))
    groups: list[list[int]] = []
    headers: list[str] = []
    for group, header in zip(grid.groups, grid.headers, strict=True):
        filled = [
            any(grid.cells[r][c] is not None and grid.cells[r][c].text.strip() for r in rows)  # type: ignore[union-attr]
            for c in group
        ]
        parts = (
            _parts(header.split(), len(group), item, scorer, min_score)
            if len(group) > 1 and all(filled)
            else None
        )
        if parts:
            groups += [[c] for c in group]
            headers += parts
        else:
            groups.append(group)
            headers.append(header)
    return Grid(grid.block, grid.heads, headers, groups, grid.cells)


def read_grid(block: Block) -> Grid:
    table = block.table
    assert table is not None
    cells = table.grid()
    flagged = {c.row for c in table.cells if c.header}
    heads = 0
    while heads in flagged:
        heads += 1
    heads = max(1, heads) if table.n_rows > 1 else 0
    names = [
        " ".join(dict.fromkeys(cells[r][c].text for r in range(heads) if cells[r][c] is not None)).strip()  # type: ignore[union-attr]
        for c in range(table.n_cols)
    ]
    groups: list[list[int]] = []
    headers: list[str] = []
    for col, name in enumerate(names):
        if name or not groups:
            groups.append([col])
            headers.append(name)
        else:
            groups[-1].append(col)
    return Grid(block, heads, headers, groups, cells)


@dataclass
class Column:
    group: int
    header: str
    field: Field
    score: float


@dataclass
class TableItems:
    items: list[dict[str, tuple[object, Span, float] | None]]
    score: float
    block: Block


def _columns(grid: Grid, item: Field, scorer: Scorer, date_order: str, min_score: float) -> list[Column]:
    scored: list[tuple[float, int, Field]] = []
    rows = range(grid.heads, len(grid.cells))
    for prop in item.properties:
        if not prop.leaf:
            continue
        terms = field_terms(prop, [item.name])
        kind = kind_of(prop)
        for g, header in enumerate(grid.headers):
            label = scorer.score(terms, header) if header else 0.0
            if label < min_score:
                continue
            filled = [s for s in (grid.segment(r, g) for r in rows) if s is not None]
            if not filled:
                continue
            typed = sum(read(kind, prop, Span(s, 0, len(s.text)), date_order) is not None for s in filled)
            fit = typed / len(filled)
            score = label * (0.5 + 0.5 * fit)
            if score >= min_score:
                scored.append((score, g, prop))
    # One column per field and one field per column, the strongest pairs first.
    chosen: list[Column] = []
    used_groups: set[int] = set()
    used_props: set[str] = set()
    for score, g, prop in sorted(scored, key=lambda t: -t[0]):
        if g in used_groups or prop.name in used_props:
            continue
        chosen.append(Column(g, grid.headers[g], prop, score))
        used_groups.add(g)
        used_props.add(prop.name)
    return chosen


def _items(grid: Grid, item: Field, scorer: Scorer, date_order: str, min_score: float) -> TableItems | None:
    columns = _columns(grid, item, scorer, date_order, min_score)
    if not columns:
        return None
    coverage = sum(c.score for c in columns) / max(1, sum(1 for p in item.properties if p.leaf))
    items = []
    for r in range(grid.heads, len(grid.cells)):
        row_text = " ".join(dict.fromkeys(c.text for c in grid.cells[r] if c is not None)).strip()
        if not row_text or _SUMMARY.match(row_text):
            continue
        obj: dict[str, tuple[object, Span, float] | None] = {}
        for column in columns:
            seg = grid.segment(r, column.group)
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
        return None
    return TableItems(items, coverage * (1 + 0.01 * min(len(items), 20)), grid.block)


def table_items(
    blocks: list[Block],
    item: Field,
    scorer: Scorer,
    date_order: str,
    min_score: float,
    split_headers: bool = False,
) -> TableItems | None:
    """The best table for an array of `item`, its rows read as objects, with the tables that continue it.

    `split_headers`: a header cell over several columns is split among them (see _split_merged).
    """
    grids = [read_grid(b) for b in blocks]
    if split_headers:
        grids = [_split_merged(g, item, scorer, min_score) for g in grids]
    best: TableItems | None = None
    best_grid: Grid | None = None
    for grid in grids:
        found = _items(grid, item, scorer, date_order, min_score)
        if found is not None and (best is None or found.score > best.score):
            best, best_grid = found, grid
    if best is None or best_grid is None:
        return None
    after = False
    for grid in grids:
        if grid is best_grid:
            after = True
            continue
        if (
            after
            and any(grid.headers)
            and [h.lower() for h in grid.headers] == [h.lower() for h in best_grid.headers]
        ):
            more = _items(grid, item, scorer, date_order, min_score)
            if more is not None:
                best.items.extend(more.items)
    return best
