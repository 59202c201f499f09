"""Spreadsheets (XLSX/XLSM with openpyxl, MIT; CSV/TSV with the standard library) as pages of tables.

Each sheet is a page. Boxes are cell-based, as Reducto's contract has them for spreadsheets:
left/top are the 0-based column/row of a block's first cell, width/height the columns/rows it
spans (`Document.layout == "cell"`). This module reads cells as Excel displays them; how a sheet's
cells become tables, titles and notes is the parse stage `parse/sheet_tables.py`.

Workbooks are loaded with `read_only=False`: read-only mode is a little quicker but has no merged
cells, hidden rows and columns, or data validations, all of which we use.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

from docuforge.document.model import Document, DocumentProperties
from docuforge.errors import DocumentError, ErrorCode
from docuforge.load.cell_format import display
from docuforge.load.flow import open_zip
from docuforge.load.sheet import Sheet, Workbook, visible_index, visible_span
from docuforge.load.sheet_drawings import drawings

MAX_CELLS = 5_000_000  # cells in one file: beyond this a spreadsheet is a database dump
MAX_FIELD = 10 * 1024**2  # bytes in one CSV field
SNIFF_BYTES = 64 * 1024
SNIFF_LINES = 200
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream of a password-protected xlsx
# A formula cell with no cached value (a workbook never opened by Excel): <c ...><f>..</f><v/></c>.
_UNCACHED = re.compile(
    rb"<(?:\w+:)?c\b[^>]*>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*"
    rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_NUMBER = re.compile(r"^[-+(]?[$€£¥]?\s?\d[\d,. ]*(?:[eE][-+]?\d+)?%?\)?$")


def read_workbook(
    source: Path | bytes,
    kind: str,
    *,
    sheets: list[str] | None = None,
    pages: list[int] | None = None,
    exclude: frozenset[str] = frozenset(),
    include: frozenset[str] = frozenset(),
    max_cell_count: int | None = None,
) -> Workbook:
    """The chosen sheets of a workbook, or a CSV/TSV file as one sheet.

    `sheets` (names) and `pages` (0-based sheet indexes) choose sheets; given both, either chooses.
    """
    document = Document(format=kind, layout="cell")
    if kind in ("csv", "tsv"):
        if pages and any(p != 0 for p in pages):
            raise DocumentError(
                f"a {kind.upper()} file has one page", code=ErrorCode.INVALID_CONFIG, status_code=400
            )
        chosen: list[tuple[int, str | None, Sheet]] = [(1, None, _text_sheet(source, kind))]
        document.total_pages = 1
    elif kind in ("xlsx", "xlsm"):
        chosen, document.total_pages, document.properties = _workbook(source, sheets, pages, exclude, include)
    else:
        raise DocumentError(
            f"not a spreadsheet format: {kind!r}", code=ErrorCode.DOCUMENT_UNSUPPORTED, status_code=415
        )
    filled = sum(len(sheet.grid) for _, _, sheet in chosen)
    if max_cell_count is not None and filled > max_cell_count:
        raise DocumentError(
            f"the spreadsheet has {filled:,} non-empty cells, more than max_cell_count {max_cell_count:,}",
            code=ErrorCode.CELL_COUNT_EXCEEDED,
            status_code=422,
        )
    if filled == 0:
        raise DocumentError("the spreadsheet has no non-empty cells", code=ErrorCode.DOCUMENT_EMPTY)
    return Workbook(document, chosen)


# --- CSV / TSV ----------------------------------------------------------------------------------


def _text_sheet(source: Path | bytes, kind: str) -> Sheet:
    """A CSV/TSV file as one sheet: blank lines and empty columns separate its tables."""
    text = decode_text(source if isinstance(source, bytes) else Path(source).read_bytes())
    sample = text[:SNIFF_BYTES]
    if len(text) > SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only: a cut line would count as a ragged row
    delimiter = _delimiter(sample, kind)
    # Raising the limit is process-wide; a higher ceiling harms no other reader.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD + 1))
    sheet = Sheet()
    seen = 0
    try:
        for r, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
            seen += len(row)
            if seen > MAX_CELLS:
                raise DocumentError(
                    f"the file has more than {MAX_CELLS:,} cells",
                    code=ErrorCode.DOCUMENT_TOO_LARGE,
                    status_code=413,
                )
            for c, raw in enumerate(row):
                if len(raw) > MAX_FIELD:
                    raise _field_too_large()
                value = " ".join(raw.split())
                if value:
                    sheet.grid[(r, c)] = value
                    if _NUMBER.match(value):
                        sheet.numbers.add((r, c))
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise _field_too_large() from None
        raise DocumentError(
            f"the {kind.upper()} cannot be read: {error}", code=ErrorCode.DOCUMENT_CORRUPT
        ) from None
    _measure(sheet)
    return sheet


def _delimiter(sample: str, kind: str) -> str:
    """The separator that splits the most lines into the same number (2+) of fields.

    csv.Sniffer is fooled by decimal commas ("Tea;3,50") and by lines of prose among the rows;
    counting consistent rows is not. Ties go to the kind's own separator.
    """
    preferred = "\t,;|" if kind == "tsv" else ",;\t|"
    lines = [line for line in sample.splitlines()[:SNIFF_LINES] if line.strip()]
    best, best_score = preferred[0], 0
    for candidate in preferred:
        try:
            widths = [len(fields) for fields in csv.reader(lines, delimiter=candidate)]
        except csv.Error:
            continue
        counts = Counter(w for w in widths if w > 1)
        score = counts.most_common(1)[0][1] if counts else 0
        if score > best_score:
            best, best_score = candidate, score
    return best


def _field_too_large() -> DocumentError:
    return DocumentError(
        f"a field is larger than {MAX_FIELD // 1024**2} MB",
        code=ErrorCode.DOCUMENT_TOO_LARGE,
        status_code=413,
    )


def decode_text(data: bytes) -> str:
    """Bytes of a text file: a BOM if there is one, else UTF-8, else UTF-16 by its zero bytes, else cp1252."""
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = data[:4096]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4:  # ASCII text in UTF-16 without a BOM
        return data.decode("utf-16-le", errors="replace")
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4:
        return data.decode("utf-16-be", errors="replace")
    return data.decode("cp1252", errors="replace")


def _measure(sheet: Sheet) -> None:
    """Page size: rows and columns up to the last filled cell, in the sheet's own indexes."""
    if sheet.grid:
        sheet.height = sheet.row(max(r for r, _ in sheet.grid)) + 1
        sheet.width = sheet.col(max(c for _, c in sheet.grid)) + 1


# --- XLSX / XLSM --------------------------------------------------------------------------------


def _workbook(
    source: Path | bytes,
    sheets: list[str] | None,
    pages: list[int] | None,
    exclude: frozenset[str],
    include: frozenset[str],
) -> tuple[list[tuple[int, str | None, Sheet]], int, DocumentProperties]:
    """(sheet index 1-based, name, Sheet) of each chosen sheet, the number of sheets, and properties."""
    _refuse_ole(source)
    with open_zip(source) as archive:  # refuses bombs and non-ZIPs before openpyxl inflates anything
        uncached = any(
            _UNCACHED.search(archive.read(info))
            for info in archive.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        )
    book = _load(source, data_only=True)
    # Formulas are read from a second load: for include=formula, and to show a formula that has
    # no cached value (the workbook was written by a program, never recalculated by Excel).
    formulas = _load(source, data_only=False) if "formula" in include or uncached else None
    names = list(book.sheetnames)
    wanted = _choose(names, sheets, pages)
    chosen: list[tuple[int, str | None, Sheet]] = []
    total = 0
    for index in wanted:
        ws = book[names[index]]
        if "hidden_sheets" in exclude and ws.sheet_state != "visible":
            continue
        if not hasattr(ws, "merged_cells"):  # a chartsheet: a page with no cells, its chart
            chosen.append((index + 1, names[index], Sheet(drawings=drawings(ws, book))))
            continue
        sheet = _sheet(ws, formulas[names[index]] if formulas is not None else None, exclude, include)
        sheet.drawings = drawings(ws, book)
        total += len(sheet.grid)
        if total > MAX_CELLS:
            raise DocumentError(
                f"the workbook has more than {MAX_CELLS:,} non-empty cells",
                code=ErrorCode.DOCUMENT_TOO_LARGE,
                status_code=413,
            )
        chosen.append((index + 1, names[index], sheet))
    return chosen, len(names), _properties(book)


def _refuse_ole(source: Path | bytes) -> None:
    """An OLE file named .xlsx is either a password-protected workbook or a legacy .xls."""
    if isinstance(source, bytes):
        data = source
    else:
        with Path(source).open("rb") as handle:
            data = handle.read(len(OLE_MAGIC))
            if data == OLE_MAGIC:
                data += handle.read()
    if not data.startswith(OLE_MAGIC):
        return
    if ENCRYPTED_PACKAGE in data:
        raise DocumentError(
            "the workbook is password-protected; save it without a password",
            code=ErrorCode.DOCUMENT_PASSWORD_PROTECTED,
            status_code=442,
        )
    raise DocumentError(
        "the file is a legacy Excel (.xls) or other OLE file, not an XLSX workbook",
        code=ErrorCode.DOCUMENT_CORRUPT,
    )


def _load(source: Path | bytes, *, data_only: bool) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    # Bytes, never a path: openpyxl refuses a path whose name does not end in .xlsx, and an
    # uploaded file is stored under its id.
    stream = io.BytesIO(source if isinstance(source, bytes) else Path(source).read_bytes())
    try:
        return openpyxl.load_workbook(stream, read_only=False, data_only=data_only, keep_links=False)
    # openpyxl reports a broken part as whatever its parsers raise; XML errors are SyntaxErrors.
    except (
        InvalidFileException,
        KeyError,
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        SyntaxError,
    ) as error:
        raise DocumentError(
            f"the workbook cannot be read: {error}", code=ErrorCode.DOCUMENT_CORRUPT
        ) from None


def _choose(names: list[str], sheets: list[str] | None, pages: list[int] | None) -> list[int]:
    """0-based indexes of the chosen sheets, in workbook order."""
    if not sheets and not pages:
        return list(range(len(names)))
    listed = ", ".join(map(repr, names))
    unknown = [name for name in sheets or [] if name not in names]
    if unknown:
        raise DocumentError(
            f"no sheet named {', '.join(map(repr, unknown))}; the sheets are {listed}",
            code=ErrorCode.INVALID_CONFIG,
            status_code=400,
        )
    outside = [p for p in pages or [] if not 0 <= p < len(names)]
    if outside:
        raise DocumentError(
            f"the workbook has {len(names)} sheets ({listed}); "
            f"pages {', '.join(str(p + 1) for p in outside)} are not among them",
            code=ErrorCode.INVALID_CONFIG,
            status_code=400,
        )
    return sorted({names.index(name) for name in sheets or []} | set(pages or []))


def _sheet(ws: Any, formula_ws: Any, exclude: frozenset[str], include: frozenset[str]) -> Sheet:
    from openpyxl.cell.cell import MergedCell

    sheet = Sheet()
    if "hidden_rows" in exclude:
        sheet.hidden_rows = sorted(r - 1 for r, d in ws.row_dimensions.items() if d.hidden)
    if "hidden_cols" in exclude:
        hidden: set[int] = set()
        for d in ws.column_dimensions.values():
            if d.hidden and d.min:  # one dimension may stand for a range of columns (min..max)
                hidden.update(range(d.min - 1, (d.max or d.min)))
        sheet.hidden_cols = sorted(hidden)
    formula_cells = _formulas(formula_ws) if formula_ws is not None else {}
    styled = "styling" not in exclude
    colors: dict[tuple[int, int], object] = {}
    # ws._cells holds only the cells the file has; iter_rows() would create every cell of the used
    # range, which is fatal for a sheet with one stray formatted cell at XFD1048576.
    for (row, column), cell in list(ws._cells.items()):
        if isinstance(cell, MergedCell):
            continue
        r = visible_index(row - 1, sheet.hidden_rows)
        c = visible_index(column - 1, sheet.hidden_cols)
        if r is None or c is None:
            continue
        if "cell_colors" in include:
            color = _fill(cell)
            if color:
                colors[(r, c)] = color
        value = cell.value
        formula = formula_cells.get((row, column))
        if value is None and formula is None:
            continue
        text = display(value, cell.number_format) if value is not None else formula
        if not text:
            continue
        sheet.grid[(r, c)] = text
        if isinstance(value, int | float | dt.date | dt.time | dt.timedelta) and not isinstance(value, bool):
            sheet.numbers.add((r, c))
        if styled and cell.has_style and cell.font is not None and cell.font.b:
            sheet.bold.add((r, c))
        if "formula" in include and formula is not None:
            sheet.cell_extras.setdefault("formulas", {})[(r, c)] = formula
    if colors:
        sheet.cell_extras["cell_colors"] = colors
    for merged in ws.merged_cells.ranges:
        r = visible_index(merged.min_row - 1, sheet.hidden_rows)
        c = visible_index(merged.min_col - 1, sheet.hidden_cols)
        if r is None or c is None or (r, c) not in sheet.grid:
            continue  # a merge whose value is hidden, or that holds nothing, adds nothing
        down = visible_span(merged.min_row - 1, merged.max_row - 1, sheet.hidden_rows)
        across = visible_span(merged.min_col - 1, merged.max_col - 1, sheet.hidden_cols)
        if down > 1 or across > 1:
            sheet.merges[(r, c)] = (down, across)
    if "dropdowns" in include:
        _dropdowns(ws, sheet)
    _measure(sheet)
    return sheet


def _formulas(ws: Any) -> dict[tuple[int, int], str]:
    """(row, col), 1-based -> the formula of each formula cell, as typed (=SUM(B1:B2))."""
    out = {}
    for position, cell in ws._cells.items():
        value = cell.value
        if isinstance(value, str) and value.startswith("="):
            out[position] = value
        elif getattr(value, "text", None):  # an array formula
            out[position] = str(value.text)
    return out


def _fill(cell: Any) -> str | None:
    """The ARGB colour of a solidly filled cell (theme colours as theme:<n>)."""
    if not cell.has_style or cell.fill is None or cell.fill.fill_type != "solid":
        return None
    color = cell.fill.fgColor
    if color.type == "rgb" and isinstance(color.rgb, str):
        return color.rgb
    if color.type == "indexed":
        from openpyxl.styles.colors import COLOR_INDEX

        return COLOR_INDEX[color.indexed] if 0 <= color.indexed < len(COLOR_INDEX) else None
    if color.type == "theme":
        return f"theme:{color.theme}"
    return None


def _dropdowns(ws: Any, sheet: Sheet) -> None:
    """List validations: their options, from the list typed in or from the cells it points at."""
    for validation in ws.data_validations.dataValidation:
        if validation.type != "list" or not validation.formula1:
            continue
        options = _options(ws, validation.formula1.strip())
        if not options:
            continue
        for ref in validation.sqref.ranges:
            top = visible_index(ref.min_row - 1, sheet.hidden_rows)
            left = visible_index(ref.min_col - 1, sheet.hidden_cols)
            if top is None or left is None:
                continue
            down = visible_span(ref.min_row - 1, ref.max_row - 1, sheet.hidden_rows)
            across = visible_span(ref.min_col - 1, ref.max_col - 1, sheet.hidden_cols)
            sheet.dropdowns.append(((top, left, top + down - 1, left + across - 1), options))


def _options(ws: Any, formula: str) -> list[str]:
    from openpyxl.utils.cell import range_boundaries

    if formula.startswith('"'):
        return [part.strip() for part in formula.strip('"').split(",") if part.strip()]
    target, ref = ws, formula.lstrip("=")
    if "!" in ref:
        name, ref = ref.rsplit("!", 1)
        name = name.strip("'").replace("''", "'")
        if name not in ws.parent.sheetnames:
            return []
        target = ws.parent[name]
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    except (ValueError, TypeError):
        return []  # a defined name or an expression: not resolved
    if min_col is None or min_row is None or (max_row - min_row + 1) * (max_col - min_col + 1) > 10_000:
        return []
    cells = target._cells  # read without creating the cells, as target[ref] would
    values = (cells.get((r, c)) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1))
    return [
        display(cell.value, cell.number_format)
        for cell in values
        if cell is not None and cell.value is not None
    ]


def _properties(book: Any) -> DocumentProperties:
    props = book.properties

    def when(value: object) -> str | None:
        return value.isoformat() if isinstance(value, dt.datetime) else None

    return DocumentProperties(
        author=props.creator,
        created_at=when(props.created),
        keywords=props.keywords,
        last_modified_by=props.lastModifiedBy,
        modified_at=when(props.modified),
        subject=props.subject,
        title=props.title,
    )


# --- Displayed values ---------------------------------------------------------------------------
