"""XLSX/XLSM and CSV/TSV into a Document: sheets as pages, islands as tables, cell-based boxes.

Every workbook is built here with openpyxl; the docling office samples are only read, where present.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from docuforge.document.model import Block, BlockType, Document, Table
from docuforge.errors import DocumentError, ErrorCode
from docuforge.load.cell_format import display
from docuforge.parsing.sheet_tables import read_spreadsheet
from docuforge.render.markdown import to_markdown

BENCH = Path("/work/shared/bench/docling/office")


def saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rows(table: Table) -> list[list[str]]:
    grid = [[""] * table.n_cols for _ in range(table.n_rows)]
    for cell in table.cells:
        grid[cell.row][cell.col] = cell.text
    return grid


def tables(document: Document, page: int = 1) -> list[Block]:
    return [b for b in document.pages[page - 1].blocks if b.type is BlockType.TABLE]


def box(block: Block) -> tuple[float, float, float, float]:
    return block.bbox.left, block.bbox.top, block.bbox.width, block.bbox.height


@pytest.fixture(scope="module")
def workbook() -> bytes:
    book = openpyxl.Workbook()
    sales = book.active
    sales.title = "Sales"
    sales["A1"] = "Q3 Sales"
    # A header merged over two columns (B3:C3) above its sub-headings, then the figures.
    sales["A3"], sales["B3"] = "Region", "Revenue"
    sales.merge_cells("A3:A4")
    sales.merge_cells("B3:C3")
    sales["B4"], sales["C4"] = "Amount", "Share"
    figures = [("North", 1234567.891, 0.255), ("South", 950, 0.5), ("East", 20, 0.245)]
    for r, (region, amount, share) in enumerate(figures, start=5):
        sales.cell(r, 1, region)
        sales.cell(r, 2, amount).number_format = "#,##0.00"
        sales.cell(r, 3, share).number_format = "0.0%"
    sales.row_dimensions[6].hidden = True  # South
    # A second island, separated by the empty column D, with a hidden column F inside it.
    sales["E3"], sales["F3"], sales["G3"] = "Day", "Internal", "Done"
    sales["E4"], sales["F4"], sales["G4"] = dt.datetime(2024, 3, 9), "x", True
    sales["E4"].number_format = "yyyy-mm-dd"
    sales["E5"], sales["F5"], sales["G5"] = dt.datetime(2024, 3, 10), "y", False
    sales["E5"].number_format = "mm/dd/yy"
    sales.column_dimensions["F"].hidden = True
    sales["G4"].fill = PatternFill("solid", fgColor="FFFF0000")
    done = DataValidation(type="list", formula1='"Yes,No"')
    done.add("G4:G5")
    sales.add_data_validation(done)
    notes = sales
    notes["A10"], notes["A11"] = "Figures are unaudited.", "Prepared by finance."
    log = book.create_sheet("Log")
    log.append(["Day", "Count"])
    for day in range(1, 121):
        log.append([f"d{day}", day])
    calc = book.create_sheet("Calc")
    calc["A1"], calc["B1"] = "Item", "Cost"
    calc["A2"], calc["B2"] = "Tea", 3
    calc["A3"], calc["B3"] = "Milk", 2
    calc["A4"], calc["B4"] = "Total", "=SUM(B2:B3)"
    for cell in calc[1]:
        cell.font = Font(bold=True)
    secret = book.create_sheet("Secret")
    secret["A1"], secret["B1"] = "hidden", "value"
    secret.sheet_state = "hidden"
    return saved(book)


def test_sheets_are_pages_with_names_and_cell_boxes(workbook: bytes):
    document = read_spreadsheet(workbook, "xlsx")
    assert document.layout == "cell" and document.format == "xlsx" and document.total_pages == 4
    assert [(p.number, p.original_number, p.name) for p in document.pages] == [
        (1, 1, "Sales"),
        (2, 2, "Log"),
        (3, 3, "Calc"),
        (4, 4, "Secret"),
    ]
    sales = document.pages[0]
    assert (sales.width, sales.height) == (7, 11)  # used range A1:G11
    assert [b.id for b in sales.blocks] == [f"p1-b{i}" for i in range(len(sales.blocks))]
    assert all(b.bbox.page == 1 and b.bbox.original_page == 1 for b in sales.blocks)


def test_title_islands_merges_and_notes(workbook: bytes):
    blocks = read_spreadsheet(workbook, "xlsx").pages[0].blocks
    title = blocks[0]
    assert title.type is BlockType.SECTION_HEADER and title.content == "Q3 Sales"
    assert box(title) == (0, 0, 1, 1)
    main, days = tables(read_spreadsheet(workbook, "xlsx"))
    assert box(main) == (0, 2, 3, 5)  # A3:C7
    assert box(days) == (4, 2, 3, 3)  # E3:G5, a separate island past the empty column D
    grid = main.table.grid()
    region, revenue = grid[0][0], grid[0][1]
    assert (region.text, region.row_span, region.col_span) == ("Region", 2, 1)
    assert (revenue.text, revenue.row_span, revenue.col_span) == ("Revenue", 1, 2)
    # Two header rows (the merged group heading and its sub-headings), all marked as header.
    assert [c.header for c in main.table.cells if c.row < 2] == [True] * 4
    assert not any(c.header for c in main.table.cells if c.row >= 2)
    assert rows(main.table)[2:] == [
        ["North", "1,234,567.89", "25.5%"],
        ["South", "950.00", "50.0%"],
        ["East", "20.00", "24.5%"],
    ]
    cell = next(c for c in main.table.cells if c.text == "South")
    assert cell.bbox is not None and (cell.bbox.left, cell.bbox.top) == (0, 5)
    assert rows(days.table)[1:] == [["2024-03-09", "x", "TRUE"], ["2024-03-10", "y", "FALSE"]]
    note = blocks[-1]
    assert note.type is BlockType.TEXT and note.content == "Figures are unaudited.\nPrepared by finance."


def test_hidden_rows_columns_and_sheets_are_kept_unless_excluded(workbook: bytes):
    kept = read_spreadsheet(workbook, "xlsx")
    assert "Internal" in to_markdown(kept) and "South" in to_markdown(kept) and len(kept.pages) == 4
    hidden = read_spreadsheet(
        workbook, "xlsx", exclude=frozenset({"hidden_rows", "hidden_cols", "hidden_sheets"})
    )
    assert [p.name for p in hidden.pages] == ["Sales", "Log", "Calc"] and hidden.total_pages == 4
    main, days = tables(hidden)
    assert [r[0] for r in rows(main.table)] == ["Region", "", "North", "East"]
    assert box(main) == (0, 2, 3, 5)  # still the sheet's own rows: the hidden row is inside
    east = next(c for c in main.table.cells if c.text == "East")
    assert east.bbox is not None and east.bbox.top == 6
    assert rows(days.table)[0] == ["Day", "Done"]
    done = next(c for c in days.table.cells if c.text == "Done")
    assert done.bbox is not None and done.bbox.left == 6  # column G, past the hidden F


def test_table_split_into_pieces_with_repeated_header(workbook: bytes):
    pieces = tables(read_spreadsheet(workbook, "xlsx"), page=2)
    assert [p.table.n_rows for p in pieces] == [51, 51, 21]
    assert all(rows(p.table)[0] == ["Day", "Count"] and p.table.cells[0].header for p in pieces)
    assert [rows(p.table)[1][0] for p in pieces] == ["d1", "d51", "d101"]
    assert [box(p) for p in pieces] == [(0, 0, 2, 51), (0, 51, 2, 50), (0, 101, 2, 20)]
    whole = tables(read_spreadsheet(workbook, "xlsx", split_tables=False), page=2)
    assert [p.table.n_rows for p in whole] == [121]
    narrow = tables(read_spreadsheet(workbook, "xlsx", split_rows=100, split_cols=1), page=2)
    assert [(p.table.n_rows, p.table.n_cols) for p in narrow] == [(101, 1), (21, 1), (101, 1), (21, 1)]


def test_clustering_modes(workbook: bytes):
    fast = read_spreadsheet(workbook, "xlsx", clustering="fast").pages[0].blocks
    assert all(b.type is BlockType.TABLE for b in fast)
    assert rows(fast[0].table) == [["Q3 Sales"]]  # no title detection in fast mode
    assert len(fast) == 4  # title, two tables, notes
    disabled = read_spreadsheet(workbook, "xlsx", clustering="disabled").pages[0].blocks
    assert len(disabled) == 1 and box(disabled[0]) == (0, 0, 7, 11)
    with pytest.raises(DocumentError) as caught:
        read_spreadsheet(workbook, "xlsx", clustering="smart")
    assert caught.value.code is ErrorCode.INVALID_CONFIG


def test_bold_header_and_formula_fallback_and_include(workbook: bytes):
    calc = tables(read_spreadsheet(workbook, "xlsx"), page=3)[0]
    # openpyxl stores no computed values: the formula text is what there is to show.
    assert rows(calc.table)[3] == ["Total", "=SUM(B2:B3)"]
    assert calc.table.cells[0].header and "formulas" not in calc.extra
    plain = tables(read_spreadsheet(workbook, "xlsx", exclude=frozenset({"styling"})), page=3)[0]
    assert plain.table.cells[0].header  # still text over numbers
    extra = read_spreadsheet(workbook, "xlsx", include=frozenset({"formula", "cell_colors", "dropdowns"}))
    assert tables(extra, page=3)[0].extra["formulas"] == {"B4": "=SUM(B2:B3)"}
    days = tables(extra)[1]
    assert days.extra["cell_colors"] == {"G4": "FFFF0000"}
    assert days.extra["dropdowns"] == {"G4:G5": ["Yes", "No"]}


def test_bold_first_row_of_text_is_a_header_only_with_styling():
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Name", "Team"], ["Ana", "Blue"], ["Bo", "Red"]):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    data = saved(book)
    assert tables(read_spreadsheet(data, "xlsx"))[0].table.cells[0].header
    plain = read_spreadsheet(data, "xlsx", exclude=frozenset({"styling"}))
    assert not any(c.header for c in tables(plain)[0].table.cells)


def test_cached_formula_values_are_shown(tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"] = "Total", "=1+1"
    sheet["A2"], sheet["B2"] = "Ratio", "=1/0"
    data = saved(book)
    # Give the formula cells cached values, as Excel would have saved them.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    xml = xml.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>")
    xml = xml.replace(b'<c r="B2"><f>1/0</f><v></v>', b'<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v>')
    parts["xl/worksheets/sheet1.xml"] = xml
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    document = read_spreadsheet(out.getvalue(), "xlsx", include=frozenset({"formula"}))
    table = tables(document)[0]
    assert rows(table.table) == [["Total", "2"], ["Ratio", "#DIV/0!"]]
    assert table.extra["formulas"] == {"B1": "=1+1", "B2": "=1/0"}


def test_sheet_selection_by_name_and_index(workbook: bytes):
    chosen = read_spreadsheet(workbook, "xlsx", sheets=["Calc", "Sales"])
    assert [(p.number, p.original_number, p.name) for p in chosen.pages] == [(1, 1, "Sales"), (2, 3, "Calc")]
    assert tables(chosen, page=2)[0].bbox.page == 2 and tables(chosen, page=2)[0].bbox.original_page == 3
    by_index = read_spreadsheet(workbook, "xlsx", pages=[1])
    assert [p.name for p in by_index.pages] == ["Log"] and by_index.total_pages == 4
    with pytest.raises(DocumentError) as caught:
        read_spreadsheet(workbook, "xlsx", sheets=["Nope"])
    assert caught.value.code is ErrorCode.INVALID_CONFIG and caught.value.status_code == 400
    assert "'Nope'" in caught.value.message and "'Sales', 'Log', 'Calc', 'Secret'" in caught.value.message
    with pytest.raises(DocumentError) as caught:
        read_spreadsheet(workbook, "xlsx", pages=[9])
    assert caught.value.code is ErrorCode.INVALID_CONFIG


def test_max_cell_count(workbook: bytes):
    filled = sum(
        len([c for c in b.table.cells if c.text]) + 0
        for b in read_spreadsheet(workbook, "xlsx", sheets=["Calc"]).blocks()
    )
    assert filled == 8
    assert read_spreadsheet(workbook, "xlsx", sheets=["Calc"], max_cell_count=8).pages
    with pytest.raises(DocumentError) as caught:
        read_spreadsheet(workbook, "xlsx", sheets=["Calc"], max_cell_count=7)
    assert caught.value.code is ErrorCode.CELL_COUNT_EXCEEDED and caught.value.status_code == 422
    assert "8 non-empty cells" in caught.value.message


def test_displayed_values():
    assert display(0.1 + 0.2) == "0.3"
    assert display(1234.5, "0") == "1235"  # halves away from zero, as Excel
    assert display(-1234.5, "#,##0.00;(#,##0.00)") == "(1,234.50)"
    assert display(-5, "$#,##0") == "-$5"
    assert display(1500000, '#,##0,"K"') == "1,500K"
    assert display(12345, "0.00E+00") == "1.23E+04"
    assert display(0.0625, "0.00%") == "6.25%"
    assert display(42, "#,##0.00 [$€-407]") == "42.00 €"
    assert display(dt.datetime(2024, 1, 2, 13, 30), "yyyy-mm-dd h:mm") == "2024-01-02 13:30:00"
    assert display(dt.timedelta(hours=26, minutes=5), "[h]:mm") == "26:05:00"
    assert display(True) == "TRUE" and display("  two\n lines ") == "two lines"


def test_csv_with_semicolons_and_blank_line_between_tables():
    data = b"Item;Price\nTea;3,50\nCoffee;4,20\n\nNote\nPrices include VAT\n"
    document = read_spreadsheet(data, "csv")
    page = document.pages[0]
    assert document.format == "csv" and document.total_pages == 1 and page.name is None
    table = tables(document)[0]
    assert rows(table.table) == [["Item", "Price"], ["Tea", "3,50"], ["Coffee", "4,20"]]
    assert table.table.cells[0].header and box(table) == (0, 0, 2, 3)
    assert page.blocks[-1].type is BlockType.TEXT and page.blocks[-1].content == "Note\nPrices include VAT"


def test_tsv_and_utf16_csv_and_cp1252():
    tsv = read_spreadsheet(b"name\tnote\nA\tx, y and z\nB\tq\n", "tsv")
    assert rows(tables(tsv)[0].table)[1] == ["A", "x, y and z"]
    utf16 = read_spreadsheet("city,temp\nZürich,21\nKöln,19\n".encode("utf-16"), "csv")
    assert rows(tables(utf16)[0].table)[1:] == [["Zürich", "21"], ["Köln", "19"]]
    cp1252 = read_spreadsheet("name,price\nCafé,3\n".encode("cp1252"), "csv")
    assert rows(tables(cp1252)[0].table)[1][0] == "Café"


def test_csv_limits():
    with pytest.raises(DocumentError) as caught:
        read_spreadsheet(b'a,"' + b"x" * (10 * 1024**2 + 10) + b'"\n', "csv")
    assert caught.value.code is ErrorCode.DOCUMENT_TOO_LARGE
    with pytest.raises(DocumentError) as caught:
        read_spreadsheet(b"\n \n,,\n", "csv")
    assert caught.value.code is ErrorCode.DOCUMENT_EMPTY


def bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (300 * 1024**2))
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"PK\x03\x04 not really a zip", ErrorCode.DOCUMENT_CORRUPT),
        (b"plain text", ErrorCode.DOCUMENT_CORRUPT),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            ErrorCode.DOCUMENT_PASSWORD_PROTECTED,
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ErrorCode.DOCUMENT_CORRUPT),
    ],
)
def test_bad_workbooks(data: bytes, code: ErrorCode):
    with pytest.raises(DocumentError) as caught:
        read_spreadsheet(data, "xlsx")
    assert caught.value.code is code
    if code is ErrorCode.DOCUMENT_PASSWORD_PROTECTED:
        assert caught.value.status_code == 442


def test_zip_bomb_and_empty_workbook(tmp_path: Path):
    with pytest.raises(DocumentError) as caught:
        read_spreadsheet(bomb(), "xlsx")
    assert caught.value.code is ErrorCode.DOCUMENT_TOO_LARGE
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(saved(openpyxl.Workbook()))
    with pytest.raises(DocumentError) as caught:
        read_spreadsheet(empty, "xlsx")
    assert caught.value.code is ErrorCode.DOCUMENT_EMPTY


def test_sparse_sheet_with_far_cell_stays_cheap():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"] = "k", "v", "a", 1
    sheet["XFD1048576"] = "far"
    document = read_spreadsheet(saved(book), "xlsx")
    assert (document.pages[0].width, document.pages[0].height) == (16384, 1048576)
    assert [b.type for b in document.pages[0].blocks] == [BlockType.TABLE, BlockType.TEXT]


@pytest.mark.skipif(not BENCH.is_dir(), reason="the docling office samples are not here")
def test_docling_samples_read_close_to_their_reference():
    from rapidfuzz import fuzz

    for path in sorted([*BENCH.glob("*.xlsx"), *BENCH.glob("*.xlsm")]):
        document = read_spreadsheet(path.read_bytes(), path.suffix[1:])
        reference = Path(f"{path}.md").read_text(encoding="utf-8")
        ours = "\n\n".join(
            f"## {p.name}\n\n" + to_markdown(Document(pages=[p]), "md") for p in document.pages
        )
        score = fuzz.ratio(" ".join(ours.split()), " ".join(reference.split())) / 100
        assert score > 0.7, (path.name, score)
