"""Runs of consecutive rows that look tabular: where text-aligned tables are looked for."""

from __future__ import annotations

from docuforge.parsing.aligned import CAPTION, MIN_ROWS
from docuforge.parsing.lines import Row, Segment
from docuforge.parsing.wrapped import under_cell


def _same_columns(free: list[Segment], above: Row, body: float) -> bool:
    """Whether each of a row's segments lines up, left or right edge, with one of the row above."""
    others = [s for s in above.segments if not s.used]
    if len(others) != len(free):
        return False
    return all(
        min(abs(a.x0 - b.x0), abs(a.x1 - b.x1)) <= body
        for a, b in zip(sorted(free, key=lambda s: s.x0), sorted(others, key=lambda s: s.x0), strict=True)
    )


# At most this many rows of one short segment each (a section label, the wrapped end of a cell)
# may sit inside a run of table rows; a longer stretch is text between two tables.
MAX_LONE_ROWS = 3


def _lone(row: Row, body: float) -> Segment | None:
    """The row's only free segment, if it is short enough to be one cell of a table."""
    free = [s for s in row.segments if not s.used]
    if len(free) != 1 or len(free[0].words) > 6 or CAPTION.match(free[0].text):
        return None
    return free[0]


def _bridged(rows: list[Row], index: int, current: list[Row], body: float) -> int:
    """How many rows of one short segment, from `index` on, lie inside the run `current`: rows
    that a row of table cells follows closely (0 when they end it)."""
    left = min(s.x0 for row in current for s in row.segments if not s.used)
    right = max(s.x1 for row in current for s in row.segments if not s.used)
    last = current[-1]
    count = 0
    while index + count < len(rows) and count <= MAX_LONE_ROWS:
        row = rows[index + count]
        if row.y0 - last.y1 >= 2.2 * body:
            return 0
        if len([s for s in row.segments if not s.used]) >= 2:
            return count
        segment = _lone(row, body)
        # Inside the table's columns and narrower than half of it: a cell, not a line of prose.
        if (
            count == MAX_LONE_ROWS
            or segment is None
            or segment.x0 < left - body
            or segment.x1 > right + body
            or segment.x1 - segment.x0 > 0.5 * (right - left)
        ):
            return 0
        last = row
        count += 1
    return 0


def _wrapped_end(row: Row, last: Row, cells: Row, body: float) -> bool:
    """Whether a row of one segment is a cell of the table row `cells` run onto more lines: as
    close to the line above as the lines of a paragraph, starting where that cell starts and
    ending before the next column ("Webdesign" over a line describing it)."""
    free = [s for s in row.segments if not s.used]
    if len(free) != 1 or CAPTION.match(free[0].text) or row.y0 - last.y1 > 0.6 * body:
        return False
    return under_cell(free[0], sorted((s for s in cells.segments if not s.used), key=lambda s: s.x0), body)


def text_runs(rows: list[Row], body: float) -> list[tuple[list[Row], list[Row]]]:
    """Runs of consecutive rows that look tabular, each with the rows above it.

    A run goes on over a few rows of one short segment when table rows follow them closely:
    section labels inside a table ("Dietary habits") and the wrapped ends of its cells.
    """
    runs: list[tuple[list[Row], list[Row]]] = []
    current: list[Row] = []
    cells = Row(segments=[], y0=0.0, y1=0.0)  # the run's last row of several cells
    start = 0
    skip = 0
    for index, row in enumerate(rows):
        if skip:
            skip -= 1
            continue
        free = [s for s in row.segments if not s.used]
        tabular = len(free) >= 2
        gap = row.y0 - current[-1].y1 if current else 0.0
        # Rows set apart by more than a blank line still continue a table when every cell starts
        # or ends where the one above it does (an invoice's padded rows); three or more cells
        # that line up so are a table's row even further down.
        aligned = bool(current) and _same_columns(free, cells, body)
        near = bool(current) and (
            gap < 2.2 * body or (aligned and (gap < 4 * body or (len(free) >= 3 and gap < 8 * body)))
        )
        if not tabular and current and (bridged := _bridged(rows, index, current, body)):
            current.extend(rows[index : index + bridged])
            skip = bridged - 1
            continue
        if not tabular and current and _wrapped_end(row, current[-1], cells, body):
            # A cell of the last row runs onto lines of its own ("Warm" over "(>22°C)").
            current.append(row)
            continue
        if tabular and (near or not current):
            if not current:
                start = index
            current.append(row)
            cells = row
            continue
        if len(current) >= MIN_ROWS + 1:
            runs.append((current, rows[max(0, start - 3) : start]))
        current = [row] if tabular else []
        cells = row
        start = index
    if len(current) >= MIN_ROWS + 1:
        runs.append((current, rows[max(0, start - 3) : start]))
    return runs
