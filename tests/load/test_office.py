"""Office files and text formats parse natively into the same Document: structure, spans, boxes.

Every input is written here with python-docx, python-pptx, openpyxl or as plain strings.
"""

from __future__ import annotations

import io
import shutil
import zipfile

import docx
import openpyxl
import pptx
import pytest
from pptx.chart.data import ChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches, Pt
from tests.fixtures.services import skip_unless_ci

import docuforge
from docuforge.document.model import BlockType, Document
from docuforge.errors import DocuforgeError, ErrorCode
from docuforge.parsing.options import ParseOptions, SpreadsheetOptions
from docuforge.render.markdown import to_markdown


def of(document: Document, kind: BlockType) -> list:
    return [b for b in document.blocks() if b.type is kind]


def saved(thing) -> bytes:
    out = io.BytesIO()
    thing.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def report_docx() -> bytes:
    word = docx.Document()
    word.core_properties.title = "Harbor report"
    word.core_properties.author = "Port Authority"
    word.add_paragraph("Harbor Report", style="Title")
    word.add_heading("Traffic", level=1)
    word.add_paragraph("Cargo rose this year.")
    word.add_heading("Containers", level=2)
    word.add_paragraph("First point", style="List Bullet")
    word.add_paragraph("Second point", style="List Bullet")
    word.add_paragraph("Step one", style="List Number")
    word.add_paragraph("Step two", style="List Number")
    grid = word.add_table(rows=3, cols=3)
    for r, row in enumerate([["Region", "Q1", "Q2"], ["North", "10", "12"], ["South", "7", "9"]]):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    grid.cell(0, 1).merge(grid.cell(0, 2)).text = "Quarters"
    grid.cell(1, 0).merge(grid.cell(2, 0)).text = "Both"
    word.sections[0].header.is_linked_to_previous = False
    word.sections[0].header.paragraphs[0].text = "Port Authority - internal"
    return saved(word)


@pytest.fixture
def without_libreoffice(monkeypatch):
    from docuforge.load import libreoffice

    monkeypatch.setattr(libreoffice, "binary", lambda: None)


needs_libreoffice = skip_unless_ci(
    shutil.which("soffice") is None,
    "LibreOffice (soffice) is not installed; make install-test installs it",
)


def test_docx_headings_lists_and_merged_cells(report_docx, without_libreoffice):
    document = docuforge.parse(report_docx, extension="docx")
    assert document.format == "docx" and document.layout == "flow"
    title = of(document, BlockType.TITLE)
    assert [b.content for b in title] == ["Harbor Report"]
    headers = [(b.content, b.level) for b in of(document, BlockType.SECTION_HEADER)]
    assert headers == [("Traffic", 2), ("Containers", 3)]
    items = [b.content for b in of(document, BlockType.LIST_ITEM)]
    assert items == ["- First point", "- Second point", "1. Step one", "2. Step two"]
    table = of(document, BlockType.TABLE)[0].table
    assert (table.n_rows, table.n_cols) == (3, 3)
    spans = {(c.row, c.col): (c.row_span, c.col_span, c.text) for c in table.cells}
    assert spans[(0, 1)] == (1, 2, "Quarters")
    assert spans[(1, 0)] == (2, 1, "Both")
    assert [b.content for b in of(document, BlockType.HEADER)] == ["Port Authority - internal"]
    assert document.properties.title == "Harbor report" and document.properties.author == "Port Authority"
    tops = [b.bbox.top for b in document.blocks()]
    assert tops == sorted(tops) and all(0 <= t < 1 for t in tops)  # flow boxes: in order, on page 1
    markdown = to_markdown(document)
    assert "# Harbor Report" in markdown and "## Traffic" in markdown and "### Containers" in markdown


def test_pptx_slides_are_pages_with_real_boxes_and_notes():
    deck = pptx.Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[1])
    first.shapes.title.text = "Fleet Overview"
    first.placeholders[1].text_frame.text = "Twelve new vessels"
    first.notes_slide.notes_text_frame.text = "Mention the delivery dates."
    second = deck.slides.add_slide(deck.slide_layouts[5])
    second.shapes.title.text = "Tonnage"
    frame = second.shapes.add_table(3, 2, Inches(1), Inches(2), Inches(4), Inches(1.5))
    for r, row in enumerate([["Year", "Tons"], ["2024", "1,200"], ["2025", "1,450"]]):
        for c, text in enumerate(row):
            frame.table.cell(r, c).text = text
    box = second.shapes.add_textbox(Inches(6), Inches(5), Inches(2), Inches(1))
    box.text_frame.text = "Source: port log"
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    data = ChartData()
    data.categories = ["2024", "2025"]
    data.add_series("Tons", (1200, 1450))
    second.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(5), Inches(2), Inches(3), Inches(2), data)
    document = docuforge.parse(saved(deck), extension="pptx")
    assert document.format == "pptx" and document.layout == "page" and len(document.pages) == 2
    chart = next(b for b in of(document, BlockType.FIGURE) if b.extra.get("is_chart"))
    assert chart.content == "column clustered chart"
    plotted = next(b.table for b in of(document, BlockType.TABLE) if b.extra.get("chart_data"))
    assert [[c.text for c in plotted.cells if c.row == r] for r in range(3)] == [
        ["", "Tons"],
        ["2024", "1200"],
        ["2025", "1450"],
    ]
    assert document.pages[0].name == "Fleet Overview" and document.pages[1].name == "Tonnage"
    kinds = [b.type for b in document.pages[0].blocks]
    assert kinds == [BlockType.TITLE, BlockType.LIST_ITEM, BlockType.COMMENT]
    assert document.pages[0].blocks[-1].content == "Mention the delivery dates."
    table = of(document, BlockType.TABLE)[0]
    assert [[c.text for c in table.table.cells if c.row == r] for r in range(3)][2] == ["2025", "1,450"]
    width, height = deck.slide_width, deck.slide_height
    assert table.bbox.left == pytest.approx(Inches(1) / width, abs=1e-3)
    assert table.bbox.top == pytest.approx(Inches(2) / height, abs=1e-3)
    note = next(b for b in document.pages[1].blocks if b.content == "Source: port log")
    assert note.bbox.left == pytest.approx(Inches(6) / width, abs=1e-3) and note.bbox.page == 2
    only_second = docuforge.parse(
        saved(deck), ParseOptions(page_range=[2]), extension="pptx"
    )
    assert [p.original_number for p in only_second.pages] == [2]


def test_a_slides_shapes_are_read_in_columns_left_to_right_the_title_first():
    """Text boxes set side by side at nearly the same height were read by their tops, so a
    right-hand box a hair higher came first; a column of two boxes is read down before the box
    beside it, as on a PDF page."""
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])

    def text_box(left: float, top: float, width: float, height: float, lines: list[str]) -> None:
        frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
        frame.text = lines[0]
        for line in lines[1:]:
            frame.add_paragraph().text = line

    text_box(6.5, 1.95, 2.5, 2, ["Right column", "third box"])  # a little higher than the others
    text_box(0.5, 4.5, 2.5, 1.5, ["Left column", "second box"])
    text_box(0.5, 2.0, 2.5, 2, ["Left column", "first box"])
    text_box(3.5, 2.0, 2.5, 4, ["Middle column", "tall box"])
    slide.shapes.title.text = "Three columns"  # added last, read first
    document = docuforge.parse(saved(deck), extension="pptx")
    assert [b.content for b in document.pages[0].blocks] == [
        "Three columns",
        "Left column",
        "first box",
        "Left column",
        "second box",
        "Middle column",
        "tall box",
        "Right column",
        "third box",
    ]
    assert [b.id for b in document.pages[0].blocks] == [f"p1-b{i}" for i in range(9)]


def test_xlsx_sheets_tables_titles_merges_hidden_and_splits():
    book = openpyxl.Workbook()
    sales = book.active
    sales.title = "Sales"
    sales["A1"] = "Quarterly sales"
    sales.append([])
    rows = [["Region", "Units", "Share"], ["North", 1200, 0.25], ["South", 950, 0.5]]
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=1):
            sales.cell(r, c, value)
    for r in (4, 5):
        sales.cell(r, 3).number_format = "0.0%"
    sales["F3"], sales["G3"] = "Note", "By"
    sales["F4"], sales["G4"] = "audited", "Kim"
    sales["F5"] = "signed off by the board"
    sales.merge_cells("F5:G5")
    sales.row_dimensions[5].hidden = True
    big = book.create_sheet("Log")
    big.append(["Day", "Count"])
    for day in range(1, 121):
        big.append([f"d{day}", day])
    hidden = book.create_sheet("Secret")
    hidden["A1"] = "hidden value"
    hidden.sheet_state = "hidden"
    data = saved(book)
    document = docuforge.parse(data, extension="xlsx")
    assert document.layout == "cell" and [p.name for p in document.pages] == ["Sales", "Log", "Secret"]
    first = document.pages[0].blocks
    assert first[0].type is BlockType.SECTION_HEADER and first[0].content == "Quarterly sales"
    tables = [b for b in first if b.type is BlockType.TABLE]
    assert len(tables) == 2  # two islands, split by an empty column
    main = tables[0].table
    assert [c.text for c in main.cells if c.row == 1] == ["North", "1200", "25.0%"]
    assert tables[0].bbox.left == 0 and tables[0].bbox.top == 2 and tables[0].bbox.width == 3
    merged = [c for c in tables[1].table.cells if c.row == 2]
    assert [(c.text, c.col_span) for c in merged] == [("signed off by the board", 2)]
    pieces = [b.table for b in document.pages[1].blocks if b.table is not None]
    assert [t.n_rows for t in pieces] == [51, 51, 21]  # 50 rows each, the header repeated
    assert all(t.cells[0].text == "Day" and t.cells[0].header for t in pieces)
    options = ParseOptions(
        page_range=["Sales"],
        spreadsheet=SpreadsheetOptions(
            exclude=frozenset({"hidden_rows", "hidden_sheets"}), split_tables=False
        ),
    )
    chosen = docuforge.parse(data, options, extension="xlsx")
    assert [p.name for p in chosen.pages] == ["Sales"]
    assert "South" not in to_markdown(chosen)
    with pytest.raises(DocuforgeError) as caught:
        docuforge.parse(
            data, ParseOptions(spreadsheet=SpreadsheetOptions(max_cell_count=10)), extension="xlsx"
        )
    assert caught.value.code is ErrorCode.CELL_COUNT_EXCEEDED and caught.value.status_code == 422
    with pytest.raises(DocuforgeError) as caught:
        docuforge.parse(
            data, ParseOptions(page_range=["Nope"]), extension="xlsx"
        )
    assert caught.value.code is ErrorCode.INVALID_CONFIG and "'Sales'" in caught.value.message


def test_xlsx_charts_and_pictures_are_figures_where_they_stand_with_the_data_they_plot():
    """A chart over a sheet was lost: it is a Figure where it is anchored, its title as content,
    followed by the table of its series (read from the cells its references name: openpyxl writes
    no cached values). A picture is a Figure too, a chartsheet a page of its chart, and a chart
    whose reference names a whole column keeps its Figure without a table of a million rows."""
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.drawing.image import Image as SheetImage
    from PIL import Image

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales"
    for row in [["Quarter", "North", "South"], ["Q1", 10, 7], ["Q2", 12, 9], ["Q3", 15, 8]]:
        sheet.append(row)
    sheet["A20"] = "Figures are unaudited."
    bars = BarChart()
    bars.type = "col"
    bars.title = "Sales by quarter"
    bars.add_data(Reference(sheet, min_col=2, min_row=1, max_col=3, max_row=4), titles_from_data=True)
    bars.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=4))
    sheet.add_chart(bars, "E2")
    whole = LineChart()
    whole.add_data(Reference(sheet, range_string="Sales!B1:B900000"), titles_from_data=True)
    sheet.add_chart(whole, "E30")
    logo = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(logo, format="PNG")
    sheet.add_image(SheetImage(logo), "A25")
    charts = book.create_chartsheet("Chart")
    trend = LineChart()
    trend.add_data(Reference(sheet, min_col=3, min_row=1, max_row=4), titles_from_data=True)
    charts.add_chart(trend)
    out = io.BytesIO()
    book.save(out)

    document = docuforge.parse(out.getvalue(), extension="xlsx")
    first = document.pages[0].blocks
    assert [(b.type, b.content, b.extra.get("chart_data", False)) for b in first] == [
        (BlockType.TABLE, "", False),
        (BlockType.FIGURE, "Sales by quarter", False),
        (BlockType.TABLE, "", True),
        (BlockType.TEXT, "Figures are unaudited.", False),
        (BlockType.FIGURE, "", False),
        (BlockType.FIGURE, "line chart", False),
        (BlockType.TABLE, "", True),
    ]
    assert [b.id for b in first] == [f"p1-b{i}" for i in range(7)]
    assert (first[1].bbox.top, first[1].bbox.left) == (1, 4) and first[1].extra["is_chart"]
    assert [[c.text for c in first[2].table.cells if c.row == r] for r in range(4)] == [
        ["", "North", "South"],
        ["Q1", "10", "7"],
        ["Q2", "12", "9"],
        ["Q3", "15", "8"],
    ]
    assert (first[4].bbox.top, first[4].bbox.left) == (24, 0) and "is_chart" not in first[4].extra
    assert first[5].bbox.top == 29 and first[6].table.n_rows == 4  # the header and three values
    chartsheet = document.pages[1]
    assert chartsheet.name == "Chart" and [b.type for b in chartsheet.blocks] == [
        BlockType.FIGURE,
        BlockType.TABLE,
    ]
    assert [c.text for c in chartsheet.blocks[1].table.cells if c.col == 1] == ["South", "7", "9", "8"]


def test_a_workbook_stored_under_a_name_without_its_extension_is_read(tmp_path):
    """Uploads are stored under their ids: openpyxl refused such a path ("does not support
    file format"), so every XLSX parsed through the API failed as DOCUMENT_CORRUPT."""
    book = openpyxl.Workbook()
    for row in [["Region", "Units"], ["North", 1200], ["South", 950]]:
        book.active.append(row)
    stored = tmp_path / "7f3c1e0a-upload"
    book.save(stored)
    document = docuforge.parse(stored)
    assert document.format == "xlsx"
    assert [
        [c.text for c in of(document, BlockType.TABLE)[0].table.cells if c.row == r] for r in range(3)
    ] == [
        ["Region", "Units"],
        ["North", "1200"],
        ["South", "950"],
    ]


def test_csv_tsv_html_markdown_and_text():
    csv_doc = docuforge.parse("name;amount\nTea;3,50\nCoffee;4,20\n".encode("utf-16"), extension="csv")
    table = of(csv_doc, BlockType.TABLE)[0].table
    assert [[c.text for c in table.cells if c.row == r] for r in range(3)] == [
        ["name", "amount"],
        ["Tea", "3,50"],
        ["Coffee", "4,20"],
    ]
    tsv = docuforge.parse(b"a\tb\n1\t2\n", extension="tsv")
    assert of(tsv, BlockType.TABLE)[0].table.n_cols == 2
    html = (
        b"<html><head><meta charset='windows-1252'><title>Fees</title><script>alert(1)</script></head>"
        b"<body><h1>Fees</h1><p>Paid in <b>caf\xe9s</b> only.</p><ul><li>One<ul><li>Inner</li></ul></li></ul>"
        b"<table><tr><th rowspan='2'>Kind</th><th colspan='2'>Cost</th></tr>"
        b"<tr><td>Low</td><td>High</td></tr></table></body></html>"
    )
    page = docuforge.parse(html, extension="html")
    assert page.properties.title == "Fees"
    assert "Paid in cafés only." in [b.content for b in page.blocks()]
    assert "alert" not in to_markdown(page)
    assert [(b.content, b.extra["list_level"]) for b in of(page, BlockType.LIST_ITEM)] == [
        ("- One", 0),
        ("- Inner", 1),
    ]
    cells = {
        (c.row, c.col): (c.row_span, c.col_span, c.header) for c in of(page, BlockType.TABLE)[0].table.cells
    }
    assert cells[(0, 0)] == (2, 1, True) and cells[(0, 1)] == (1, 2, True) and cells[(1, 1)] == (1, 1, False)
    markdown = docuforge.parse(
        b"# Guide\n\nIntro text.\n\n## Setup\n\n1. Install\n2. Run\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        extension="md",
    )
    assert [b.type for b in markdown.blocks()] == [
        BlockType.TITLE, BlockType.TEXT, BlockType.SECTION_HEADER, BlockType.LIST_ITEM, BlockType.LIST_ITEM,
        BlockType.TABLE,
    ]  # fmt: skip
    assert [b.content for b in of(markdown, BlockType.LIST_ITEM)] == ["1. Install", "2. Run"]
    text = docuforge.parse("Première ligne\nsuite\n\n- un point\n".encode("cp1252"), extension="txt")
    assert [b.content for b in text.blocks()] == ["Première ligne\nsuite", "- un point"]


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (300 * 1024**2))
    return out.getvalue()


def test_bad_office_files_get_clear_errors():
    cases = {
        "docx": (b"PK\x03\x04 not really a zip", ErrorCode.DOCUMENT_CORRUPT),
        "xlsx": (b"PK\x03\x04 not really a zip", ErrorCode.DOCUMENT_CORRUPT),
        "pptx": (_bomb(), ErrorCode.DOCUMENT_TOO_LARGE),
        "html": (b"   ", ErrorCode.DOCUMENT_EMPTY),
        "txt": (b"\x00\x01\x02binary", ErrorCode.DOCUMENT_CORRUPT),
        "csv": (b"\n\n", ErrorCode.DOCUMENT_EMPTY),
    }
    for kind, (data, code) in cases.items():
        with pytest.raises(DocuforgeError) as caught:
            docuforge.parse(data, extension=kind)
        assert caught.value.code is code, kind
    bomb_docx = _bomb()
    with pytest.raises(DocuforgeError) as caught:
        docuforge.parse(bomb_docx, extension="docx")
    assert caught.value.code is ErrorCode.DOCUMENT_TOO_LARGE


@needs_libreoffice
def test_with_libreoffice_docx_blocks_get_page_boxes(report_docx, tmp_path):
    pdf = tmp_path / "converted.pdf"
    document = docuforge.parse(report_docx, extension="docx", converted_pdf=pdf)
    assert document.layout == "page" and pdf.read_bytes().startswith(b"%PDF")
    title = of(document, BlockType.TITLE)[0]
    table = of(document, BlockType.TABLE)[0]
    assert title.bbox.page == 1 and 0 < title.bbox.width < 1 and title.bbox.height > 0
    assert title.bbox.top < table.bbox.top  # the title is drawn above the table on the page
    assert all(b.bbox.height > 0 for b in document.blocks())  # every block was found on the page
    assert of(document, BlockType.LIST_ITEM)[0].content == "- First point"  # the structure is kept


@needs_libreoffice
def test_legacy_doc_and_xls_are_converted(report_docx, tmp_path):
    from docuforge.load import libreoffice

    source = tmp_path / "report.docx"
    source.write_bytes(report_docx)
    legacy = libreoffice.convert(source, "doc", tmp_path)
    document = docuforge.parse(legacy)
    assert document.format == "doc"
    assert [b.content for b in of(document, BlockType.TITLE)] == ["Harbor Report"]
    book = openpyxl.Workbook()
    book.active.append(["Item", "Cost"])
    book.active.append(["Tea", 3])
    (tmp_path / "costs.xlsx").write_bytes(saved(book))
    xls = libreoffice.convert(tmp_path / "costs.xlsx", "xls", tmp_path)
    sheet = docuforge.parse(xls)
    assert sheet.format == "xls"
    assert [c.text for c in of(sheet, BlockType.TABLE)[0].table.cells] == ["Item", "Cost", "Tea", "3"]


def test_legacy_formats_need_libreoffice(without_libreoffice):
    with pytest.raises(DocuforgeError) as caught:
        docuforge.parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, extension="doc")
    assert caught.value.code is ErrorCode.DOCUMENT_UNSUPPORTED
    assert "LibreOffice" in caught.value.message
