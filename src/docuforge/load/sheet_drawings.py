"""Charts and pictures placed on a sheet (openpyxl reads both from the workbook's drawings).

Each is anchored to the cells it covers. It becomes a Figure block boxed on those cells, in the
sheet's reading order; a chart's Figure holds its title (or its kind) and is followed by the table
of the data it plots, as a slide's chart is. The series are read from the values the file keeps
with the chart, or, where a program wrote the chart without them, from the cells its references
name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.utils.cell import range_to_tuple

from docuforge.document.model import Table
from docuforge.load.flow import chart_table

Box = tuple[int, int, int, int]  # (top, left, bottom, right): the sheet's own 0-based rows, columns
MAX_POINTS = 10_000  # values one series may give: a reference to a whole column is not data


@dataclass
class Drawing:
    box: Box
    content: str  # the chart's title or kind; a picture's description
    chart: bool
    data: Table | None = None


def drawings(ws: Any, book: Any) -> list[Drawing]:
    """The charts and pictures on a worksheet or chartsheet, top to bottom, left to right."""
    found: list[Drawing] = []
    for chart in getattr(ws, "_charts", []):
        box = _anchored(chart.anchor)
        try:
            title, data = _title(chart), _data(chart, book)
        except (AttributeError, KeyError, ValueError, TypeError, IndexError):
            title, data = "", None  # a chart part openpyxl reads only in part: the figure is all there is
        found.append(Drawing(box, title or f"{_kind(chart)} chart", chart=True, data=data))
    for image in getattr(ws, "_images", []):
        found.append(Drawing(_anchored(image.anchor), "", chart=False))
    return sorted(found, key=lambda d: (d.box[0], d.box[1]))


def _anchored(anchor: Any) -> Box:
    """The cells a drawing covers; one placed by position alone stands at the sheet's first cell."""
    start = getattr(anchor, "_from", None)
    if start is None:
        return (0, 0, 0, 0)
    end = getattr(anchor, "to", None) or start
    return (start.row, start.col, max(start.row, end.row), max(start.col, end.col))


def _kind(chart: Any) -> str:
    """ "line", "column", "pie 3d": the plot's kind as its class and bar direction say."""
    name = type(chart).__name__.removesuffix("Chart").replace("Chart3D", " 3d")
    if name.startswith("Bar") and getattr(chart, "barDir", None) == "col":
        name = "Column" + name[3:]
    return name.replace("3D", " 3d").lower()


def _title(chart: Any) -> str:
    title = getattr(chart, "title", None)
    rich = getattr(getattr(title, "tx", None), "rich", None)
    if rich is None:
        return ""
    words = " ".join(run.t or "" for paragraph in rich.p for run in (paragraph.r or []))
    return " ".join(words.split())


def _data(chart: Any, book: Any) -> Table | None:
    categories: list[str] = []
    series: list[tuple[str, list[object]]] = []
    for index, one in enumerate(chart.series):
        labels = getattr(one, "cat", None) or getattr(one, "xVal", None)
        values = getattr(one, "val", None) or getattr(one, "yVal", None)
        if not categories and labels is not None:
            categories = [str(_number(v)) if v is not None else "" for v in _points(labels, book)]
        name = _points(one.tx, book) if one.tx is not None and one.tx.strRef is not None else []
        fallback = one.tx.v if one.tx is not None and one.tx.v else f"Series {index + 1}"
        series.append((str(name[0]) if name and name[0] is not None else fallback, _points(values, book)))
    return chart_table(categories, [(n, [_number(v) for v in vs]) for n, vs in series])


def _points(source: Any, book: Any) -> list[object]:
    """A data source's values in order: its cache, else the cells its reference names."""
    if source is None:
        return []
    ref = getattr(source, "numRef", None) or getattr(source, "strRef", None)
    if ref is None:
        literal = getattr(source, "numLit", None) or getattr(source, "strLit", None)
        return _cached(literal) if literal is not None else []
    cache = getattr(ref, "numCache", None) or getattr(ref, "strCache", None)
    if cache is not None and cache.pt:
        return _cached(cache)
    if not ref.f:
        return []
    sheet, (min_col, min_row, max_col, max_row) = range_to_tuple(ref.f.replace("$", ""))
    if sheet not in book.sheetnames:
        return []
    max_row = min(max_row, min_row + MAX_POINTS // (max_col - min_col + 1))
    # Read from the cells the file has: iter_rows would create every cell of the range.
    held = book[sheet]._cells
    values = [
        getattr(held.get((row, col)), "value", None)
        for row in range(min_row, max_row + 1)
        for col in range(min_col, max_col + 1)
    ]
    while values and values[-1] is None:  # a reference to a whole column: the data is its top
        values.pop()
    return values


def _cached(cache: Any) -> list[object]:
    count = cache.ptCount or (max((p.idx for p in cache.pt), default=-1) + 1)
    values: list[object] = [None] * min(count, MAX_POINTS)
    for point in cache.pt:
        if 0 <= point.idx < len(values):
            values[point.idx] = point.v
    return values


def _number(value: object) -> object:
    """A cached number as the number it is: caches hold text ("3.0" for 3)."""
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    return int(value) if isinstance(value, float) and value.is_integer() else value
