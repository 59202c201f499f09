"""A text-aligned table's header rows, resolved against the columns its body shows.

The body's columns are the truth: its figures line up, its header need not. Over them:
- a header set on two or three lines ("Net" over "income") is one header row: lines set tight,
  each piece of one lined up (left, right or centre) with a piece of the other in its column;
- a group header (a period or a category over three to six sub-columns) spans the columns
  beneath it: centred over them, each column goes to the group header nearest its middle;
  set flush left, each runs from its own column to the next one's;
- a header line read as one run of text over several columns ("Unit  Unit price  VAT %") is
  parted at its wide gaps, and each piece goes to the column it lines up with.
"""

from __future__ import annotations

import re

from docuforge.document.raw import RawWord
from docuforge.parsing.cells import CellRegion, is_number
from docuforge.parsing.mechanisms import MECHANISMS

Grid = list[list[CellRegion | None]]
YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
# How many rows at the top of a table may be its header.
MAX_HEAD = 5
# Edges this close (text heights) are lined up.
ALIGNED = 0.3
# Two lines of one header cell are set this close (text heights) or closer.
TIGHT = 0.5
# A gap in a header line this wide (text heights) parts two headers.
HEAD_GAP = 0.4


def _cells(row: list[CellRegion | None]) -> list[CellRegion]:
    return list({id(c): c for c in row if c is not None and c.words}.values())


def _extent(words: list[RawWord]) -> tuple[float, float]:
    return min(w.x0 for w in words), max(w.x1 for w in words)


def _figure(text: str) -> bool:
    """A value of the body: a number, but not a year, which heads columns as often."""
    return is_number(text) and not YEAR.match(text.strip())


def _head_count(grid: Grid) -> int:
    """Leading rows with no figure outside the first column, while figures fill the body."""
    count = 0
    while count < min(MAX_HEAD, len(grid) - 2) and not any(
        _figure(c.text) for c in _cells(grid[count]) if c.col > 0
    ):
        count += 1
    following = _cells(grid[count])
    return count if any(_figure(c.text) for c in following if c.col > 0) else 0


def _columns(grid: Grid, head: int, n_cols: int) -> list[tuple[float, float] | None]:
    """Each column's extent in the body: the first and last x its words reach."""
    extents: list[tuple[float, float] | None] = []
    for c in range(n_cols):
        words = [
            w
            for row in grid[head:]
            for cell in _cells(row)
            if cell.col == c and cell.col_span == 1
            for w in cell.words
        ]
        extents.append(_extent(words) if words else None)
    return extents


def _pieces(words: list[RawWord], body: float) -> list[list[RawWord]]:
    """A header line's words in runs, parted at gaps wider than a word space."""
    ordered = sorted(words, key=lambda w: w.x0)
    pieces = [[ordered[0]]]
    for word in ordered[1:]:
        if word.x0 - pieces[-1][-1].x1 > HEAD_GAP * body:
            pieces.append([])
        pieces[-1].append(word)
    return pieces


def _lined_up(a: tuple[float, float], b: tuple[float, float], tol: float) -> bool:
    return abs(a[0] - b[0]) <= tol or abs(a[1] - b[1]) <= tol or abs(a[0] + a[1] - b[0] - b[1]) <= 2 * tol


def _column_of(piece: tuple[float, float], columns: list[tuple[float, float] | None], tol: float) -> int:
    """The column a header piece heads: the one it lines up with, else the one it overlaps most,
    else the nearest."""
    known = [(c, e) for c, e in enumerate(columns) if e is not None]
    for c, extent in known:
        if _lined_up(piece, extent, tol):
            return c
    overlap = max(known, key=lambda ce: min(piece[1], ce[1][1]) - max(piece[0], ce[1][0]))
    if min(piece[1], overlap[1][1]) - max(piece[0], overlap[1][0]) > 0:
        return overlap[0]
    middle = (piece[0] + piece[1]) / 2
    return min(known, key=lambda ce: abs((ce[1][0] + ce[1][1]) / 2 - middle))[0]


def _merge_lines(grid: Grid, bands: list[tuple[float, float]], head: int, body: float) -> int:
    """Join the header's lines that are lines of the same cells; returns the header's rows."""
    tol = ALIGNED * body
    r = 0
    while r + 1 < head:
        upper, lower = _cells(grid[r]), _cells(grid[r + 1])
        tight = bands[r + 1][0] - bands[r][1] <= TIGHT * body
        sparse, full = (upper, lower) if len(upper) <= len(lower) else (lower, upper)
        stacked = tight and all(
            any(_lined_up(_extent(s.words), _extent(f.words), tol) for f in full) for s in sparse
        )
        if not stacked:
            r += 1
            continue
        n_cols = len(grid[r])
        merged: list[CellRegion | None] = [None] * n_cols
        for cell in [*full, *sparse]:
            target = next(
                (m for m in _cells(merged) if _lined_up(_extent(m.words), _extent(cell.words), tol)), None
            )
            if target is not None and target is not cell:
                target.words = [*target.words, *cell.words]
                continue
            fresh = CellRegion(0, cell.col, 1, cell.col_span, cell.box, list(cell.words))
            for c in range(cell.col, cell.col + cell.col_span):
                merged[c] = fresh if merged[c] is None else merged[c]
        grid[r] = merged
        bands[r] = (bands[r][0], bands[r + 1][1])
        del grid[r + 1], bands[r + 1]
        head -= 1
    return head


def _group(
    row: list[CellRegion | None],
    below: list[CellRegion | None],
    columns: list[tuple[float, float] | None],
    body: float,
    labels: bool,
) -> list[CellRegion | None] | None:
    """A header row's cells laid over the body's columns, group headers spanning theirs; None
    where the row is no row of group headers."""
    tol = ALIGNED * body
    n_cols = len(row)
    words = [w for cell in _cells(row) for w in cell.words]
    if not words or all(e is None for e in columns):
        return None
    pieces = _pieces(words, body)
    placed = sorted(((_column_of(_extent(p), columns, tol), p) for p in pieces), key=lambda cp: cp[0])
    # Pieces that fell on one column are one header.
    heads: list[tuple[int, list[RawWord]]] = []
    for col, piece in placed:
        if heads and heads[-1][0] == col:
            heads[-1][1].extend(piece)
        else:
            heads.append((col, list(piece)))
    under = {c for c in range(n_cols) if below[c] is not None}
    stub = heads[0][0] == 0 and len(heads) > 1
    groups = heads[1:] if stub else heads
    # The first column holds the rows' labels: no group over the figures takes it.
    free = [c for c in range(1 if stub or labels else 0, n_cols) if columns[c] is not None]
    spans: dict[int, tuple[int, int]] = {}
    if groups and len(groups) < len([c for c in free if c in under]):
        flush = all(
            columns[col] is not None and abs(_extent(p)[0] - columns[col][0]) <= tol for col, p in groups
        )
        owner: dict[int, int] = {}
        for c in free:
            extent = columns[c]
            assert extent is not None
            middle = (extent[0] + extent[1]) / 2
            if flush:
                k = max((k for k, (col, _) in enumerate(groups) if col <= c), default=None)
            else:
                k = min(
                    range(len(groups)),
                    key=lambda k: abs((_extent(groups[k][1])[0] + _extent(groups[k][1])[1]) / 2 - middle),
                )
            if k is not None:
                owner[c] = k
        for k in range(len(groups)):
            mine = [c for c, o in owner.items() if o == k]
            if not mine:
                continue
            first, last = min(mine), max(mine)
            # A group header spans the columns it stands over: beyond its text, only as far as
            # its neighbours leave to it, and never a column apart from its own run.
            if len(mine) == last - first + 1:
                spans[k] = (first, last)
    out: list[CellRegion | None] = [None] * n_cols
    for k, (col, piece) in enumerate(heads if not stub else [heads[0], *groups]):
        index = k - 1 if stub else k
        first, last = spans.get(index, (col, col)) if not (stub and k == 0) else (col, col)
        first, last = min(first, col), max(last, col)
        if any(out[c] is not None for c in range(first, last + 1)):
            first = last = col
            if out[col] is not None:
                target = out[col]
                assert target is not None
                target.words.extend(piece)
                continue
        cell = CellRegion(0, first, 1, last - first + 1, (0, 0, 0, 0), piece)
        for c in range(first, last + 1):
            out[c] = cell
    return out


def resolve_headers(grid: Grid, bands: list[tuple[float, float]], body: float) -> None:
    """The header rows of a text-aligned table's grid (in place): lines of one header row
    joined, group headers spanning their columns, run-together headers parted."""
    if not MECHANISMS.header_spans or len(grid) < 3:
        return
    head = _head_count(grid)
    if head == 0:
        return
    head = _merge_lines(grid, bands, head, body)
    n_cols = len(grid[0])
    columns = _columns(grid, head, n_cols)
    firsts = [c.text for row in grid[head:] for c in _cells(row) if c.col == 0]
    labels = bool(firsts) and sum(not is_number(t) for t in firsts) > len(firsts) / 2
    for r in range(head - 1, -1, -1):
        resolved = _group(grid[r], grid[r + 1], columns, body, labels)
        if resolved is not None:
            grid[r] = resolved
