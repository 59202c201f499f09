"""A Table as html, md, json, jsonbbox or csv, or dynamic: md when small and plain, html otherwise."""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Literal

from docuforge.document.model import Table

TableFormat = Literal["html", "json", "md", "jsonbbox", "dynamic", "csv"]

DYNAMIC_MAX_CELLS = 30
DYNAMIC_MAX_MERGED = 4


def to_html(table: Table) -> str:
    rows: list[str] = []
    by_row: dict[int, list] = {}
    for cell in table.cells:
        by_row.setdefault(cell.row, []).append(cell)
    for r in range(table.n_rows):
        parts = []
        for cell in sorted(by_row.get(r, []), key=lambda c: c.col):
            tag = "th" if cell.header else "td"
            spans = ""
            if cell.row_span > 1:
                spans += f' rowspan="{cell.row_span}"'
            if cell.col_span > 1:
                spans += f' colspan="{cell.col_span}"'
            parts.append(f"<{tag}{spans}>{html.escape(cell.text)}</{tag}>")
        rows.append("<tr>" + "".join(parts) + "</tr>")
    return "<table>" + "".join(rows) + "</table>"


def _expanded(table: Table) -> list[list[str]]:
    """The grid with each cell's text at its top-left position and blanks where it spans."""
    grid = [[""] * table.n_cols for _ in range(table.n_rows)]
    for cell in table.cells:
        if 0 <= cell.row < table.n_rows and 0 <= cell.col < table.n_cols:
            grid[cell.row][cell.col] = cell.text
    return grid


def to_markdown(table: Table) -> str:
    grid = _expanded(table)
    if not grid:
        return ""

    def line(values: list[str]) -> str:
        return "| " + " | ".join(v.replace("|", "\\|").replace("\n", " ") for v in values) + " |"

    out = [line(grid[0]), "|" + "|".join(["---"] * table.n_cols) + "|"]
    out.extend(line(row) for row in grid[1:])
    return "\n".join(out)


def to_rows(table: Table) -> list[list[str]]:
    return _expanded(table)


def to_json(table: Table) -> str:
    return json.dumps(_expanded(table), ensure_ascii=False)


def to_jsonbbox(table: Table) -> str:
    grid: list[list[dict | None]] = [[None] * table.n_cols for _ in range(table.n_rows)]
    for cell in table.cells:
        entry = {"text": cell.text, "bbox": cell.bbox.model_dump() if cell.bbox else None}
        if cell.row_span > 1 or cell.col_span > 1:
            entry |= {"row_span": cell.row_span, "col_span": cell.col_span}
        grid[cell.row][cell.col] = entry
    return json.dumps(grid, ensure_ascii=False)


def to_csv(table: Table) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(_expanded(table))
    return buffer.getvalue().rstrip("\n")


def merged_cells(table: Table) -> int:
    return sum(1 for cell in table.cells if cell.row_span > 1 or cell.col_span > 1)


def render(table: Table, fmt: str) -> str:
    if fmt == "dynamic":
        small = table.n_rows * table.n_cols <= DYNAMIC_MAX_CELLS and merged_cells(table) <= DYNAMIC_MAX_MERGED
        fmt = "md" if small else "html"
    if fmt == "html":
        return to_html(table)
    if fmt == "md":
        return to_markdown(table)
    if fmt == "json":
        return to_json(table)
    if fmt == "jsonbbox":
        return to_jsonbbox(table)
    if fmt == "csv":
        return to_csv(table)
    raise ValueError(f"unknown table format {fmt!r}")
