"""A table cell's text wrapped onto more lines: kept in its row, not read as rows of its own."""

from __future__ import annotations

import itertools
import math

from docuforge.parsing.cells import CellRegion, is_number
from docuforge.parsing.lines import Segment, make_segment
from docuforge.parsing.mechanisms import MECHANISMS


def _continues(above: list[CellRegion | None], cells: list[CellRegion | None]) -> bool:
    """Whether a row's cells could be the wrapped ends of the row above's: each under a cell with
    text, and at most half as many (a row of cells that leaves one column empty is a row)."""
    filled = [c for c in cells if c is not None]
    return (
        bool(filled)
        and 2 * len({id(c) for c in filled}) <= len({id(c) for c in above if c is not None})
        and all(above[c.col] is not None for c in filled)
    )


def _figure_columns(grid: list[list[CellRegion | None]]) -> set[int]:
    """The columns that hold a figure in most of the table's rows of several cells."""
    rows = [row for row in grid if len({id(c) for c in row if c is not None}) >= 2]
    if len(rows) < 2:
        return set()
    counts: dict[int, int] = {}
    for row in rows:
        for cell in {id(c): c for c in row if c is not None}.values():
            if is_number(cell.text):
                counts[cell.col] = counts.get(cell.col, 0) + 1
    return {col for col, n in counts.items() if n >= 0.6 * len(rows)}


def _lacks_figures(row: list[CellRegion | None], figures: set[int]) -> bool:
    """Whether a row has none of the figures its table's rows have, nor any figure at all."""
    return all(row[c] is None for c in figures) and not any(c is not None and is_number(c.text) for c in row)


def merge_wrapped(
    grid: list[list[CellRegion | None]],
    bands: list[tuple[float, float]],
    body: float,
    continuations: bool = True,
) -> None:
    """A row tight against the row above whose cells all sit under cells with text is their
    wrapped ends ("< 200" over "mg/day"); a row with text in the first column only, tight against
    a full row, continues that row."""
    # Only lines closer than the table's rows usually are: where rows are set as tight as the
    # lines of a paragraph (most born-digital tables), a row of fewer cells is still a row. A
    # table of a few rows shows no usual spacing.
    gaps = sorted(b[0] - a[1] for a, b in itertools.pairwise(bands))
    tight = min(0.6 * body, 0.6 * gaps[len(gaps) // 2]) if len(gaps) >= 4 else -math.inf
    figures = _figure_columns(grid) if MECHANISMS.wrapped_cells else set()
    r = 1
    while continuations and r < len(grid):
        gap = bands[r][0] - bands[r - 1][1]
        # Where rows are set as tight as a cell's wrapped lines (most of the table's lines being
        # such lines), a line without the figures that every row of the table has is no row:
        # it carries on the cells above it.
        wrapped = bool(figures) and gap <= max(tight, 0.6 * body) and _lacks_figures(grid[r], figures)
        if (gap <= tight or wrapped) and _continues(grid[r - 1], grid[r]):
            for cell in {id(c): c for c in grid[r] if c is not None}.values():
                target = grid[r - 1][cell.col]
                assert target is not None
                target.words.extend(cell.words)
            bands[r - 1] = (bands[r - 1][0], max(bands[r - 1][1], bands[r][1]))
            del grid[r], bands[r]
            continue
        r += 1
    r = 0
    while r < len(grid):
        cells = grid[r]
        only_label = cells[0] is not None and all(c is None or c is cells[0] for c in cells[1:])
        if not only_label or len(grid) < 3:
            r += 1
            continue
        above = (
            r - 1
            if r > 0 and any(c is not None and c is not grid[r - 1][0] for c in grid[r - 1][1:])
            else None
        )
        below = (
            r + 1
            if r + 1 < len(grid) and any(c is not None and c is not grid[r + 1][0] for c in grid[r + 1][1:])
            else None
        )
        gap_above = bands[r][0] - bands[above][1] if above is not None else float("inf")
        gap_below = bands[below][0] - bands[r][1] if below is not None else float("inf")
        target = above if gap_above <= gap_below else below
        if target is None or min(gap_above, gap_below) > 0.6 * body:
            r += 1
            continue
        label = cells[0]
        assert label is not None
        if grid[target][0] is None:
            grid[target][0] = label
        else:
            grid[target][0].words.extend(label.words)
        bands[target] = (min(bands[target][0], bands[r][0]), max(bands[target][1], bands[r][1]))
        del grid[r], bands[r]


def join_overlapping(rows: list[list[Segment]]) -> list[list[Segment]]:
    """A line of one segment that overlaps a row of cells from above or below is part of it: a
    label set on two or three lines, centred beside its row of figures."""
    out: list[list[Segment]] = []
    for row in rows:
        if out and (len(row) == 1 or len(out[-1]) == 1):
            last = out[-1]
            top, bottom = min(s.y0 for s in row), max(s.y1 for s in row)
            shared = min(bottom, max(s.y1 for s in last)) - max(top, min(s.y0 for s in last))
            height = min(bottom - top, max(s.y1 for s in last) - min(s.y0 for s in last))
            if shared > 0.3 * height:
                out[-1] = stacked(last + row)
                continue
        out.append(row)
    return out


def wrapped_lines(rows: list[list[Segment]], body: float) -> frozenset[int]:
    """The ids of lines that carry on a cell of the last row of several cells: one segment, tight
    under the line above, starting where that cell starts and ending before the next cell does.
    Such a line is no row of its own and may reach under the next column's gutter: it neither
    counts as a row nor closes a gutter. A line that runs on across the columns is prose."""
    found: set[int] = set()
    cells: list[Segment] = []
    for above, row in itertools.pairwise(rows):
        if len(above) >= 2:
            cells = sorted(above, key=lambda s: s.x0)
        if len(row) != 1 or not cells or row[0].y0 - max(s.y1 for s in above) > 0.6 * body:
            continue
        if under_cell(row[0], cells, body):
            found.add(id(row[0]))
    return frozenset(found)


def under_cell(line: Segment, cells: list[Segment], body: float) -> bool:
    """Whether a line starts where one of a row's cells (left to right) starts and ends before
    the next cell does: more of that cell's text, not a line across the columns."""
    for cell, following in zip(cells, [*cells[1:], None], strict=True):
        if abs(line.x0 - cell.x0) <= body:
            return following is None or line.x1 < following.x0 + 0.5 * body
    return False


def stacked(segments: list[Segment]) -> list[Segment]:
    """Segments of several lines, those standing over each other joined top to bottom: the lines
    of one cell become one segment, left to right."""
    columns: list[list[Segment]] = []
    for segment in sorted(segments, key=lambda s: s.x0):
        if columns and segment.x0 < max(s.x1 for s in columns[-1]):
            columns[-1].append(segment)
        else:
            columns.append([segment])
    out = []
    for column in columns:
        if len(column) == 1:
            out.append(column[0])
            continue
        merged = make_segment([w for s in sorted(column, key=lambda s: s.y0) for w in s.words])
        merged.row = column[0].row
        out.append(merged)
    return out
