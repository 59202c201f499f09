"""Spreadsheets (XLSX/XLSM with openpyxl, MIT; CSV/TSV with the standard library) as pages of tables.

Each sheet is a page. Boxes are cell-based, as Reducto's contract has them for spreadsheets:
left/top are the 0-based column/row of a block's first cell, width/height the columns/rows it
spans (`Document.layout == "cell"`). Tables within a sheet are its islands of filled cells,
separated by empty rows and columns (`clustering`); a lone line of text above an island is its
title, not a table row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import deque
from pathlib import Path

from docuforge.document.model import BBox, Block, BlockType, Cell, Document, Page, Table
from docuforge.errors import DocumentError, ErrorCode
from docuforge.load.flow import open_zip
from docuforge.load.html import decode

MAX_CELLS = 5_000_000  # filled cells in one file: beyond this a spreadsheet is a database dump
Grid = dict[tuple[int, int], str]  # (row, col), 0-based -> displayed text of a filled cell


def read_spreadsheet(
    source: Path | bytes,
    kind: str,
    *,
    sheets: list[str] | None = None,
    clustering: str = "accurate",
    exclude: frozenset[str] = frozenset(),
    include: frozenset[str] = frozenset(),
    max_cell_count: int | None = None,
    split_tables: bool = True,
    split_rows: int | None = 50,
    split_cols: int | None = None,
) -> Document:
    """The Document of a workbook or a CSV/TSV file (one page per sheet)."""
    if kind in ("csv", "tsv"):
        named = [(None, _csv(source, kind), {}, {})]
        total = 1
    else:
        named, total = _workbook(source, sheets, exclude, include)
    filled = sum(len(grid) for _, grid, _, _ in named)
    if max_cell_count is not None and filled > max_cell_count:
        raise DocumentError(
            f"the spreadsheet has {filled:,} filled cells, more than max_cell_count {max_cell_count:,}",
            code=ErrorCode.CELL_COUNT_EXCEEDED,
            status_code=422,
        )
    if filled == 0:
        raise DocumentError("the spreadsheet has no filled cells", code=ErrorCode.DOCUMENT_EMPTY)
    document = Document(format=kind, total_pages=total, layout="cell")
    for number, (name, grid, merges, extras) in enumerate(named, start=1):
        original = number if name is None else extras.pop("__index__", number)  # type: ignore[arg-type]
        rows = 1 + max((r for r, _ in grid), default=0)
        cols = 1 + max((c for _, c in grid), default=0)
        page = Page(number=number, original_number=original, width=cols, height=rows, name=name)
        for region in _regions(grid, clustering):
            for kind_, top, left, bottom, right in _split_title(grid, region, clustering):
                box = BBox(
                    left=left,
                    top=top,
                    width=right - left + 1,
                    height=bottom - top + 1,
                    page=number,
                    original_page=original,
                )
                block_id = f"p{number}-b{len(page.blocks)}"
                if kind_ is not BlockType.TABLE:
                    text = " ".join(
                        grid[(r, c)] for r, c in sorted(grid) if top <= r <= bottom and left <= c <= right
                    )
                    page.blocks.append(Block(id=block_id, type=kind_, bbox=box, content=text))
                    continue
                for piece_top, piece in _pieces(
                    grid, merges, (top, left, bottom, right), split_tables, split_rows, split_cols
                ):
                    piece_box = box.model_copy(update={"top": piece_top, "height": piece.n_rows})
                    block = Block(
                        id=f"p{number}-b{len(page.blocks)}", type=BlockType.TABLE, bbox=piece_box, table=piece
                    )
                    for name_, values in extras.items():
                        inside = {
                            ref: v for ref, v in values.items() if _within(ref, top, left, bottom, right)
                        }
                        if inside:
                            block.extra[name_] = inside
                    page.blocks.append(block)
        document.pages.append(page)
    return document


def _csv(source: Path | bytes, kind: str) -> Grid:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel_tab if kind == "tsv" else csv.excel
    csv.field_size_limit(10 * 1024**2)
    grid: Grid = {}
    try:
        for r, row in enumerate(csv.reader(io.StringIO(text), dialect)):
            for c, value in enumerate(row):
                if value.strip():
                    grid[(r, c)] = value.strip()
            if len(grid) > MAX_CELLS:
                raise DocumentError(
                    f"the file has more than {MAX_CELLS:,} filled cells",
                    code=ErrorCode.DOCUMENT_TOO_LARGE,
                    status_code=413,
                )
    except csv.Error as error:
        raise DocumentError(
            f"the {kind.upper()} cannot be read: {error}", code=ErrorCode.DOCUMENT_CORRUPT
        ) from None
    return grid


def _workbook(source, sheets, exclude, include):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if isinstance(source, bytes) and source.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(
            "the workbook is encrypted; save it without a password",
            code=ErrorCode.DOCUMENT_PASSWORD_PROTECTED,
            status_code=442,
        )
    open_zip(source).close()  # refuses bombs before openpyxl inflates anything
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        book = openpyxl.load_workbook(stream, data_only=True)
        formulas = (
            openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source)
            if "formula" in include
            else None
        )
    except (InvalidFileException, KeyError, ValueError, OSError, TypeError) as error:
        raise DocumentError(
            f"the workbook cannot be read: {error}", code=ErrorCode.DOCUMENT_CORRUPT
        ) from None
    names = book.sheetnames
    if sheets:
        unknown = [s for s in sheets if s not in names]
        if unknown:
            raise DocumentError(
                f"no sheet named {', '.join(map(repr, unknown))}; "
                f"the sheets are {', '.join(map(repr, names))}",
                code=ErrorCode.INVALID_CONFIG,
                status_code=400,
            )
    chosen = []
    for index, name in enumerate(names, start=1):
        sheet = book[name]
        if sheets and name not in sheets:
            continue
        if "hidden_sheets" in exclude and sheet.sheet_state != "visible":
            continue
        hidden_rows = (
            {r - 1 for r, d in sheet.row_dimensions.items() if d.hidden}
            if "hidden_rows" in exclude
            else set()
        )
        hidden_cols: set[int] = set()
        if "hidden_cols" in exclude:
            from openpyxl.utils import column_index_from_string

            for letter, d in sheet.column_dimensions.items():
                if d.hidden:
                    first = column_index_from_string(letter)
                    hidden_cols.update(range((d.min or first) - 1, (d.max or first)))
        grid: Grid = {}
        extras: dict[str, dict[str, object]] = {"__index__": index}  # type: ignore[dict-item]
        formula_sheet = formulas[name] if formulas is not None else None
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None or (cell.row - 1) in hidden_rows or (cell.column - 1) in hidden_cols:
                    continue
                text = _display(cell)
                if not text:
                    continue
                grid[(cell.row - 1, cell.column - 1)] = text
                if formula_sheet is not None:
                    raw = formula_sheet[cell.coordinate].value
                    if isinstance(raw, str) and raw.startswith("="):
                        extras.setdefault("formulas", {})[cell.coordinate] = raw
                if "cell_colors" in include and cell.fill is not None and cell.fill.fill_type == "solid":
                    color = cell.fill.fgColor.rgb if isinstance(cell.fill.fgColor.rgb, str) else None
                    if color:
                        extras.setdefault("cell_colors", {})[cell.coordinate] = color
            if len(grid) > MAX_CELLS:
                raise DocumentError(
                    f"the workbook has more than {MAX_CELLS:,} filled cells",
                    code=ErrorCode.DOCUMENT_TOO_LARGE,
                    status_code=413,
                )
        if "dropdowns" in include:
            for validation in sheet.data_validations.dataValidation:
                if validation.type == "list" and validation.formula1:
                    options = [o.strip() for o in validation.formula1.strip('"').split(",")]
                    for ref in str(validation.sqref).split():
                        extras.setdefault("dropdowns", {})[ref] = options
        merges = {
            (m.min_row - 1, m.min_col - 1): (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
            for m in sheet.merged_cells.ranges
        }
        chosen.append((name, grid, merges, extras))
    return chosen, len(names)


def _display(cell) -> str:
    """What Excel shows, roughly: dates as ISO dates, percentages, fixed decimals, thousands."""
    value = cell.value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        fmt = cell.number_format or "General"
        if "%" in fmt:
            decimals = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
            return f"{value * 100:.{decimals}f}%"
        if fmt != "General" and "0" in fmt:
            decimals = len(fmt.split(".")[1].split(";")[0].rstrip('_)" ')) if "." in fmt else 0
            decimals = min(decimals, 10)
            return f"{value:,.{decimals}f}" if "," in fmt else f"{value:.{decimals}f}"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return " ".join(str(value).split())


def _regions(grid: Grid, clustering: str) -> list[tuple[int, int, int, int]]:
    """Rectangles (top, left, bottom, right) of the sheet's tables."""
    if clustering == "disabled":
        rows = [r for r, _ in grid]
        cols = [c for _, c in grid]
        return [(min(rows), min(cols), max(rows), max(cols))]
    seen: set[tuple[int, int]] = set()
    boxes: list[list[int]] = []
    for start in sorted(grid):
        if start in seen:
            continue
        seen.add(start)
        queue = deque([start])
        box = [start[0], start[1], start[0], start[1]]
        while queue:
            r, c = queue.popleft()
            box = [min(box[0], r), min(box[1], c), max(box[2], r), max(box[3], c)]
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    near = (r + dr, c + dc)
                    if near in grid and near not in seen:
                        seen.add(near)
                        queue.append(near)
        boxes.append(box)
    merged = True
    while merged:  # islands whose rectangles overlap are one table
        merged = False
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                a, b = boxes[i], boxes[j]
                if a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]:
                    boxes[i] = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
                    del boxes[j]
                    merged = True
                    break
            if merged:
                break
    return sorted((tuple(b) for b in boxes), key=lambda b: (b[0], b[1]))  # type: ignore[misc]


def _split_title(grid: Grid, region, clustering: str):
    """A title line over a table, and single-column islands of text, are not tables ("accurate")."""
    top, left, bottom, right = region
    if clustering != "accurate":
        return [(BlockType.TABLE, top, left, bottom, right)]
    out = []
    first_row = [c for c in range(left, right + 1) if (top, c) in grid]
    if len(first_row) == 1 and bottom > top and right > left and not _number(grid[(top, first_row[0])]):
        out.append((BlockType.SECTION_HEADER, top, left, top, right))
        top += 1
    if top == bottom and left == right:
        # A lone line of text with a table starting just below it is that table's title.
        below = any((r, c) in grid for r in (top + 2, top + 3) for c in range(left, left + 6))
        kind = BlockType.SECTION_HEADER if below and not _number(grid[(top, left)]) else BlockType.TEXT
        out.append((kind, top, left, bottom, right))
    elif left == right and not any(
        _number(grid[(r, left)]) for r in range(top, bottom + 1) if (r, left) in grid
    ):
        out.append((BlockType.TEXT, top, left, bottom, right))
    else:
        out.append((BlockType.TABLE, top, left, bottom, right))
    return out


def _pieces(grid, merges, region, split: bool, split_rows: int | None, split_cols: int | None):
    """The region's Table, or pieces of it of at most split_rows data rows, each with the header."""
    top, left, bottom, right = region
    header = _has_header(grid, region)
    body_start = top + 1 if header else top
    step = split_rows if split and split_rows and split_rows > 0 else bottom - body_start + 1
    col_step = split_cols if split and split_cols and split_cols > 0 else right - left + 1
    for c0 in range(left, right + 1, max(1, col_step)):
        c1 = min(right, c0 + col_step - 1)
        for r0 in range(body_start, bottom + 1, max(1, step)):
            r1 = min(bottom, r0 + step - 1)
            rows = ([top] if header else []) + list(range(r0, r1 + 1))
            yield (top if header and r0 == body_start else r0), _table(grid, merges, rows, c0, c1, header)
        if body_start > bottom:  # a header and nothing under it
            yield top, _table(grid, merges, [top], c0, c1, header)


def _table(grid, merges, rows: list[int], c0: int, c1: int, header: bool) -> Table:
    index = {r: k for k, r in enumerate(rows)}
    covered: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    for r in rows:
        for c in range(c0, c1 + 1):
            if (r, c) in covered:
                continue
            down, across = merges.get((r, c), (1, 1))
            down = sum(1 for rr in range(r, r + down) if rr in index)
            across = min(across, c1 - c + 1)
            for rr in range(r, r + down):
                for cc in range(c, c + across):
                    covered.add((rr, cc))
            cells.append(
                Cell(
                    row=index[r],
                    col=c - c0,
                    row_span=max(1, down),
                    col_span=max(1, across),
                    text=grid.get((r, c), ""),
                    header=header and index[r] == 0,
                )
            )
    return Table(n_rows=len(rows), n_cols=c1 - c0 + 1, cells=cells)


def _has_header(grid: Grid, region) -> bool:
    """A first row of text over rows that hold numbers is a header row."""
    top, left, bottom, right = region
    first = [grid.get((top, c), "") for c in range(left, right + 1)]
    if bottom == top or not any(first) or any(_number(v) for v in first if v):
        return False
    return any(
        _number(grid.get((r, c), ""))
        for r in range(top + 1, min(bottom, top + 5) + 1)
        for c in range(left, right + 1)
    ) or all(first)


def _number(text: str) -> bool:
    cleaned = text.replace(",", "").replace("%", "").replace("$", "").replace("€", "").strip()
    try:
        float(cleaned)
    except ValueError:
        return False
    return True


def _within(ref: str, top: int, left: int, bottom: int, right: int) -> bool:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    try:
        letters, row = coordinate_from_string(ref.split(":")[0])
    except ValueError:
        return False
    return top <= row - 1 <= bottom and left <= column_index_from_string(letters) - 1 <= right
