"""A sheet as the loader reads it: its filled cells, styling, merges and hidden rows and columns.

Positions are *visible* coordinates (rows and columns excluded as hidden are taken out, so a
hidden row inside a table does not cut it in two); `Sheet.row` and `Sheet.col` map them back to
the sheet's own 0-based indexes. Finding tables in it is the parse stage `parse/sheet_tables.py`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docuforge.document.model import Document

if TYPE_CHECKING:  # openpyxl is imported only when a spreadsheet is read
    from docuforge.load.sheet_drawings import Drawing

Pos = tuple[int, int]  # (row, col), 0-based, visible coordinates
Rect = tuple[int, int, int, int]  # (top, left, bottom, right), inclusive, visible coordinates


@dataclass
class Sheet:
    """A sheet's filled cells and what the layout needs to know about them."""

    grid: dict[Pos, str] = field(default_factory=dict)  # displayed text of each filled cell
    numbers: set[Pos] = field(default_factory=set)  # cells holding numbers or dates
    bold: set[Pos] = field(default_factory=set)
    merges: dict[Pos, tuple[int, int]] = field(default_factory=dict)  # anchor -> (rows, cols)
    hidden_rows: list[int] = field(default_factory=list)  # sheet rows left out, sorted
    hidden_cols: list[int] = field(default_factory=list)
    cell_extras: dict[str, dict[Pos, object]] = field(default_factory=dict)  # formulas, cell_colors
    dropdowns: list[tuple[Rect, list[str]]] = field(default_factory=list)
    drawings: list[Drawing] = field(default_factory=list)  # charts and pictures over the cells
    width: int = 0  # columns up to the last used one, in the sheet's own indexes
    height: int = 0

    def row(self, visible: int) -> int:
        """The sheet's own index of a visible row."""
        return _original(visible, self.hidden_rows)

    def col(self, visible: int) -> int:
        return _original(visible, self.hidden_cols)


def _original(visible: int, hidden: list[int]) -> int:
    """The index that is the visible-th one not hidden: binary search, as hidden may be long."""
    if not hidden or visible < hidden[0]:
        return visible
    low, high = visible, visible + len(hidden)
    while low < high:  # smallest index whose count of shown indexes up to it exceeds visible
        middle = (low + high) // 2
        if middle + 1 - bisect_right(hidden, middle) > visible:
            high = middle
        else:
            low = middle + 1
    return low


def visible_index(index: int, hidden: list[int]) -> int | None:
    """Where a sheet row/column lands once hidden ones are taken out (None: it is hidden)."""
    at = bisect_left(hidden, index)
    if at < len(hidden) and hidden[at] == index:
        return None
    return index - at


def visible_span(first: int, last: int, hidden: list[int]) -> int:
    """How many of the sheet rows/columns first..last (inclusive) are still there."""
    return (last - first + 1) - (bisect_right(hidden, last) - bisect_left(hidden, first))


@dataclass
class Workbook:
    """A spreadsheet as read: the Document's shell (format, sheet count, properties) and the chosen
    sheets, each (1-based index in the workbook, name, Sheet), in workbook order."""

    document: Document
    sheets: list[tuple[int, str | None, Sheet]]
