"""Tables on a page: ruled grids first, then booktabs-style and text-aligned ones.

Text-aligned tables are found within the page's columns. Rows are read across the whole page,
so two page columns side by side (a list beside a contact block, a report's key figures beside
its text, two columns of exercises) line up like the columns of one table. Two things part
them: a paragraph on one side running on past the rows of the other (its line stops
mid-sentence where the other side starts a row), or a gutter that runs on above or below the
rows, with text on both sides that is no part of them, while the lines either side of it keep
their own spacing instead of sharing rows. Such rows are parted there and each side is searched
for tables of its own.
"""

from __future__ import annotations

import dataclasses
import itertools

from docuforge.document.geometry import Box, center_in
from docuforge.document.raw import RawPage
from docuforge.parsing.aligned import aligned_table, word_count
from docuforge.parsing.booktabs import between_rules, stacks
from docuforge.parsing.cells import CellRegion, TableRegion
from docuforge.parsing.lines import Row, Segment, right_to_left
from docuforge.parsing.mechanisms import MECHANISMS
from docuforge.parsing.rivers import split_at_rivers
from docuforge.parsing.ruled import Rule, page_rules, ruled_tables
from docuforge.parsing.runs import text_runs
from docuforge.parsing.turned import turned_tables, upright_rows

__all__ = ["CellRegion", "TableRegion", "find_tables"]


def find_tables(
    page: RawPage, rows: list[Row], segments: list[Segment], body: float, turned: bool = True
) -> list[TableRegion]:
    """Every table on the page; their segments are marked used. `turned`: look for tables turned
    a quarter turn among the page's upright text too."""
    if turned:
        rows = upright_rows(page, rows, segments)
    split_at_rivers(rows, segments, body)
    every_rule = page_rules(page)
    tables, loose = ruled_tables(page, every_rule)
    if turned:
        upright = turned_tables(page, lambda p, r, s, b: find_tables(p, r, s, b, turned=False))
        # A turned table's grid, read in the page's frame, is that table on its side.
        tables = [t for t in tables if not any(_overlaps(t.box, u.box) for u in upright)] + upright
    for table in tables:
        _claim(table, segments)
    for stack in stacks(loose, body):
        table = between_rules(stack, rows, body, page.width)
        if table is not None:
            table = _apart_from_paragraph(table, stack, rows, body, page.width)
        if table is not None and not any(_overlaps(table.box, t.box) for t in tables):
            tables.append(table)
            _claim(table, segments)
    drawn = every_rule if MECHANISMS.rule_bounds else []
    for run, above in text_runs(rows, body):
        for table in _within_columns(run, above, rows, body, page.width):
            table = _within_rules(table, run, above, drawn, body, page.width)
            if not any(_overlaps(table.box, t.box) for t in tables):
                tables.append(table)
                _claim(table, segments)
    for table in tables:
        _read_right_to_left(table)
    return tables


def _read_right_to_left(table: TableRegion) -> None:
    """A table of Hebrew or Arabic is read from the right: its first column is the rightmost."""
    if not MECHANISMS.rtl_rows or table.formula:
        return
    words = [w for cell in table.cells for w in cell.words]
    if not words or not right_to_left(words):
        return
    for cell in table.cells:
        cell.col = table.n_cols - cell.col - cell.col_span
    table.cells.sort(key=lambda c: (c.row, c.col))


# Rows on each side of a gutter that sit on one line, for the two sides to be one table's cells:
# a table's cells share their rows; two page columns keep their own line spacing and drift.
IN_STEP = 0.75
# Rows outside the table with text on each side of a gutter, and how far (in the table's
# heights, the table's own included) the gutter runs, for it to be the page's, not the table's.
PAGE_ROWS = 2
PAGE_REACH = 3.0


def _within_columns(
    run: list[Row], above: list[Row], rows: list[Row], body: float, width: float
) -> list[TableRegion]:
    """The tables in a run of aligned rows: one, or, where its columns are two of the page's,
    those found on each side of the gutter between them."""
    table = aligned_table(run, None, body, width, above=above)
    if table is None or table.formula:
        return [table] if table is not None else []
    gutter = next((b for b in _boundaries(table) if _two_columns(run, rows, b, body)), None)
    if gutter is None:
        return [table]
    found = []
    for left in (True, False):
        side = [_side(row, gutter, left) for row in [*above, *run]]
        side = [row for row in side if row.segments]
        for sub_run, sub_above in text_runs(side, body):
            found += _within_columns(sub_run, sub_above, rows, body, width)
    return found


def _within_rules(
    table: TableRegion, run: list[Row], above: list[Row], drawn: list[Rule], body: float, width: float
) -> TableRegion:
    """A text-aligned table found again within the rules drawn across part of it: a rule under
    its header, or a frame around it, bounds the table; text beside them (a column of labels
    outside) or above the frame (a title) is no part of it."""
    x0, y0, x1, y1 = table.box
    long = [r for r in drawn if r.end - r.start >= 5 * body]
    across = [
        r for r in long if r.horizontal and y0 - body <= r.at <= y1 + body and r.start < x1 and r.end > x0
    ]
    if not across:
        return table
    left, right = min(r.start for r in across), max(r.end for r in across)
    # The rules reach about as far as the table's text, or further: they bound nothing.
    if left <= x0 + body and right >= x1 - body:
        left, right = min(left, x0), max(right, x1)
    sides = [r for r in long if not r.horizontal and (abs(r.at - left) <= body or abs(r.at - right) <= body)]
    top = min((r.start for r in sides), default=-1e9)
    bottom = max((r.end for r in sides), default=1e9)
    if left <= x0 + 1 and right >= x1 - 1 and top <= y0 + 1 and bottom >= y1 - 1:
        return table

    def inside(rows: list[Row]) -> list[Row]:
        kept = [
            _row(
                [
                    s
                    for s in row.segments
                    if left - body <= s.x0
                    and s.x1 <= right + body
                    and top - 1 <= (s.y0 + s.y1) / 2 <= bottom + 1
                ]
            )
            for row in rows
        ]
        return [row for row in kept if row.segments]

    found = aligned_table(inside(run), None, body, width, above=inside(above))
    return found if found is not None and not found.formula else table


def _apart_from_paragraph(
    table: TableRegion, stack: list[Rule], rows: list[Row], body: float, width: float
) -> TableRegion | None:
    """A table between rules found again without the paragraph that runs on beside its rows
    (rating standards ruled across the page, their explanation set in the left column)."""
    inside = [_row([s for s in row.segments if center_in(table.box, s.box)]) for row in rows]
    inside = [row for row in inside if row.segments]
    for boundary in _boundaries(table):
        for left in (True, False):
            if _runs_past(inside, boundary, left):
                other = [_side(row, boundary, not left) for row in rows]
                # The rules the table took, cut back to the side it stands on.
                kept = [
                    dataclasses.replace(rule, start=boundary)
                    if left
                    else dataclasses.replace(rule, end=boundary)
                    for rule in stack
                    if table.box[1] - 1 <= rule.at <= table.box[3] + 1
                ]
                return between_rules(kept, [row for row in other if row.segments], body, width)
    return table


def _boundaries(table: TableRegion) -> list[float]:
    """Where the table's columns part, left to right."""
    return sorted({cell.box[0] for cell in table.cells if cell.col > 0})


def _parted(segments: list[Segment], boundary: float) -> tuple[list[Segment], list[Segment]]:
    """The segments wholly left of `boundary` and those wholly right of it; one across it is on
    neither side."""
    return [s for s in segments if s.x1 <= boundary], [s for s in segments if s.x0 >= boundary]


def _row(segments: list[Segment]) -> Row:
    if not segments:
        return Row()
    return Row(segments=segments, y0=min(s.y0 for s in segments), y1=max(s.y1 for s in segments))


def _side(row: Row, gutter: float, left: bool) -> Row:
    """The part of a row on one side of a gutter."""
    return _row(_parted(row.segments, gutter)[0 if left else 1])


def _two_columns(run: list[Row], rows: list[Row], boundary: float, body: float) -> bool:
    """Whether the run's rows, at `boundary`, are two columns of the page side by side rather
    than the columns of one table: a paragraph on one side runs on past the rows of the other,
    or the lines either side are out of step and the whitespace between them is the page's,
    open well above or below the run with text on both sides there."""
    if _runs_past(run, boundary, left=True) or _runs_past(run, boundary, left=False):
        return True
    if _in_step(run, boundary, body) >= IN_STEP:
        return False
    lefts, rights = _parted([s for row in run for s in row.segments if not s.used], boundary)
    low = max((s.x1 for s in lefts), default=boundary)
    high = min((s.x0 for s in rights), default=boundary)
    # The run's rows may be a page column's part of the page's rows: found by their segments.
    row_of = {id(s): index for index, row in enumerate(rows) for s in row.segments}
    first, last = row_of.get(id(run[0].segments[0])), row_of.get(id(run[-1].segments[0]))
    if first is None or last is None:
        return False
    top, bottom = run[0].y0, run[-1].y1
    left = right = 0
    for step, start in ((-1, first - 1), (1, last + 1)):
        reach = _open(rows, start, step, low, high, body)
        for row in reach:
            left += any(s.x1 <= low for s in row.segments)
            right += any(s.x0 >= high for s in row.segments)
        if reach:
            top, bottom = (reach[-1].y0, bottom) if step < 0 else (top, reach[-1].y1)
    height = max(run[-1].y1 - run[0].y0, body)
    return left >= PAGE_ROWS and right >= PAGE_ROWS and bottom - top >= PAGE_REACH * height


SENTENCE_END = tuple(".!?;:\u3002\uff01\uff1f\uff1b\uff1a")


def _runs_past(run: list[Row], boundary: float, left: bool) -> bool:
    """Whether the lines on one side of `boundary` are a paragraph running on past the rows of
    the other side: mostly long runs of words, and where the other side starts a row, the line
    above on this side stops mid-sentence and this side's line goes on with it (a glossary's
    definition ends before its next term; a table's long row labels start anew)."""
    lines = []
    for row in run:
        lefts, rights = _parted([s for s in row.segments if not s.used], boundary)
        mine, other = (lefts, rights) if left else (rights, lefts)
        lines.append((mine, bool(other)))
    mine_all = [s for mine, _ in lines for s in mine]
    if len(mine_all) < 3 or sum(word_count(s) > 5 for s in mine_all) < 0.6 * len(mine_all):
        return False
    starts = mid = 0
    for (above, _), (mine, other) in itertools.pairwise(lines):
        if other and mine and above:
            starts += 1
            # Stopped mid-sentence, and going on in lower case (a table's row labels, however
            # long, start with a capital).
            stopped = not max(above, key=lambda s: s.x1).text.rstrip().endswith(SENTENCE_END)
            mid += stopped and not min(mine, key=lambda s: s.x0).text[:1].isupper()
    return mid >= 2 and 2 * mid >= starts


def _open(rows: list[Row], index: int, step: int, low: float, high: float, body: float) -> list[Row]:
    """The rows from `index` on, going `step`, that leave the strip from `low` to `high` open:
    a line reaching into it narrows it, from the side it stands on; one across it, or a strip
    narrower than a line's height, closes it."""
    passed = []
    while 0 <= index < len(rows):
        row = rows[index]
        for s in row.segments:
            if s.x1 <= low or s.x0 >= high:
                continue
            if s.x0 < low and s.x1 > high:
                return passed
            if s.x0 + s.x1 < low + high:
                low = s.x1
            else:
                high = s.x0
        if high - low < body:
            return passed
        passed.append(row)
        index += step
    return passed


def _in_step(run: list[Row], boundary: float, body: float) -> float:
    """The share of the run's rows with text both sides of `boundary` whose two lines, nearest
    it, sit on one line (their middles within 0.3 of the body text's height)."""
    both = level = 0
    for row in run:
        left, right = _parted([s for s in row.segments if not s.used], boundary)
        if not left or not right:
            continue
        a, b = max(left, key=lambda s: s.x1), min(right, key=lambda s: s.x0)
        both += 1
        level += abs(a.y0 + a.y1 - b.y0 - b.y1) <= 0.6 * body
    return level / both if both else 1.0


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _claim(table: TableRegion, segments: list[Segment]) -> None:
    """Mark the segments the table holds as used; its own segments go to the table's block.

    A segment inside the table's box whose words went into none of its cells (a label a row's
    columns did not take, a line under the table that its box reaches) stays free, to become a
    block of its own: the table must not swallow text.
    """
    if table.formula:  # its lines are its text, whole: no cell leaves a line out
        for segment in table.segments:
            segment.used = True
        return
    held = {id(s) for s in table.segments}  # by identity: comparing segments field by field is slow
    placed = {id(w) for cell in table.cells for w in cell.words}
    cell_text = "".join(cell.text for cell in table.cells).replace(" ", "")
    for segment in segments:
        if segment.used or not center_in(table.box, segment.box):
            continue
        if not any(id(w) in placed for w in segment.words) and segment.text.replace(" ", "") not in cell_text:
            if id(segment) in held:
                table.segments.remove(segment)
                held.discard(id(segment))
            continue
        segment.used = True
        if id(segment) not in held:
            table.segments.append(segment)
            held.add(id(segment))
