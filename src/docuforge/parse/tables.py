"""Tables on a page: ruled grids first, then booktabs-style and text-aligned ones."""

from __future__ import annotations

from docuforge.document.geometry import Box, center_in
from docuforge.load.pdf import RawPage
from docuforge.parse.aligned import aligned_table, between_rules, stacks, text_runs
from docuforge.parse.cells import CellRegion, TableRegion
from docuforge.parse.lines import Row, Segment
from docuforge.parse.ruled import ruled_tables

__all__ = ["CellRegion", "TableRegion", "find_tables"]


def find_tables(page: RawPage, rows: list[Row], segments: list[Segment], body: float) -> list[TableRegion]:
    """Every table on the page; their segments are marked used."""
    tables, loose = ruled_tables(page)
    for table in tables:
        _claim(table, segments)
    for stack in stacks(loose, body):
        table = between_rules(stack, rows, body, page.width)
        if table is not None and not any(_overlaps(table.box, t.box) for t in tables):
            tables.append(table)
            _claim(table, segments)
    for run, above in text_runs(rows, body):
        table = aligned_table(run, None, body, page.width, above=above)
        if table is not None and not any(_overlaps(table.box, t.box) for t in tables):
            tables.append(table)
            _claim(table, segments)
    return tables


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
