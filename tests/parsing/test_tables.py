"""Tables: ruled grids with merged cells, booktabs, text-aligned, across pages."""

from __future__ import annotations

from tests.parsing.conftest import Heading, Page, Paragraph, blocks, make_pdf
from tests.parsing.conftest import Table as TableSpec

import docuforge
from docuforge.document.model import BBox, Block, BlockType, Cell, Document, Table
from docuforge.document.model import Page as DocumentPage
from docuforge.document.raw import RawWord
from docuforge.parsing.lines import rows_and_segments
from docuforge.parsing.merge import join_column_tables
from docuforge.parsing.options import ParseOptions
from docuforge.render.markdown import to_markdown

ROWS = [
    ["Region", "Q1", "Q2", "Total"],
    ["North", "10", "12", "22"],
    ["South", "7", "9", "16"],
    ["East", "3", "4", "7"],
]


def grid_of(table: Table) -> list[list[str]]:
    cells = [["" for _ in range(table.n_cols)] for _ in range(table.n_rows)]
    for cell in table.cells:
        cells[cell.row][cell.col] = cell.text
    return cells


def only_table(pdf: bytes, options: ParseOptions | None = None) -> Table:
    tables = blocks(docuforge.parse(pdf, options), BlockType.TABLE)
    assert len(tables) == 1, [b.content for b in tables]
    assert tables[0].table is not None
    return tables[0].table


def test_ruled_grid() -> None:
    table = only_table(make_pdf([Page([TableSpec(ROWS, style="grid")])]))
    assert table.ruled and grid_of(table) == ROWS
    assert [c.header for c in table.cells if c.row == 0] == [True] * 4
    assert all(c.bbox is not None and c.bbox.width > 0 for c in table.cells)


def test_merged_cells_become_spans() -> None:
    rows = [["Group", "", "A", "B"], ["G1", "x", "1", "2"], ["", "y", "3", "4"], ["G2", "z", "5", "6"]]
    table = only_table(make_pdf([Page([TableSpec(rows, spans=[(0, 0, 1, 2), (1, 0, 2, 1)])])]))
    spans = {(c.row, c.col): (c.row_span, c.col_span, c.text) for c in table.cells}
    assert spans[(0, 0)] == (1, 2, "Group")
    assert spans[(1, 0)] == (2, 1, "G1")
    assert spans[(2, 1)] == (1, 1, "y") and spans[(3, 3)] == (1, 1, "6")
    assert (0, 1) not in spans and (2, 0) not in spans  # covered by the spans


def test_booktabs_and_unruled_tables() -> None:
    for style in ("booktabs", "plain"):
        table = only_table(make_pdf([Page([Paragraph("Some text before."), TableSpec(ROWS, style=style)])]))
        assert not table.ruled and grid_of(table) == ROWS, style


def test_prose_in_two_columns_is_not_a_table() -> None:
    from tests.parsing.conftest import LOREM, Columns

    document = docuforge.parse(make_pdf([Page([Columns([[Paragraph(LOREM)], [Paragraph(LOREM)]])])]))
    assert blocks(document, BlockType.TABLE) == []


def test_merge_tables_joins_a_table_continued_on_the_next_page() -> None:
    first = [ROWS[0], *[[f"Row {n}", str(n), str(n * 2), str(n * 3)] for n in range(1, 6)]]
    second = [ROWS[0], *[[f"Row {n}", str(n), str(n * 2), str(n * 3)] for n in range(6, 9)]]
    pdf = make_pdf(
        [Page([Heading("Numbers", 14), TableSpec(first)]), Page([TableSpec(second), Paragraph("After.")])]
    )
    separate = blocks(docuforge.parse(pdf), BlockType.TABLE)
    assert [t.table.n_rows for t in separate] == [6, 4]
    merged_document = docuforge.parse(
        pdf, ParseOptions(merge_tables=True)
    )
    tables = blocks(merged_document, BlockType.TABLE)
    assert tables[0].table.n_rows == 9  # the repeated header is dropped
    assert grid_of(tables[0].table)[-1] == ["Row 8", "8", "16", "24"]
    assert tables[1].extra["merged_into"] == tables[0].id
    markdown = docuforge.to_markdown(merged_document, table_format="md")
    assert markdown.count("| Region |") == 1 and "| Row 8 | 8 | 16 | 24 |" in markdown


def test_rows_of_one_text_run_have_no_columns() -> None:
    """A ruled box holding single lines of text (us-005 of ICDAR 2013) once crashed the aligner."""
    from docuforge.document.raw import RawWord
    from docuforge.parsing.aligned import columns_of
    from docuforge.parsing.lines import make_segment

    rows = [
        [make_segment([RawWord(f"line{n}", 10, 20 * n, 80, 20 * n + 10, 10, False, False, 0, 5)])]
        for n in range(4)
    ]
    assert columns_of(rows, body=10) is None


def test_ruled_bands_of_rows_split_into_rows_even_with_empty_entries() -> None:
    """Statistical tables rule every few rows (NICS draws bands of five): each text line is a row,
    and an empty entry stays in its own row instead of pulling the next value up."""
    rows = [
        ["State", "Permit", "Handgun"],
        ["Georgia", "14,111", "16,635"],
        ["Guam", "", "100"],
        ["Hawaii", "1,248", "0"],
        ["Idaho", "1,944", "3,609"],
        ["Illinois", "87,190", ""],
        ["Indiana", "81,935", "25,519"],
    ]
    table = only_table(make_pdf([Page([TableSpec(rows, rule_every=3)])]))
    assert grid_of(table) == rows


def _table_block(block_id: str, left: float, top: float, rows: list[list[str]]) -> Block:
    cells = [Cell(row=r, col=c, text=text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    return Block(
        id=block_id,
        type=BlockType.TABLE,
        bbox=BBox(left=left, top=top, width=0.4, height=0.03 * len(rows), page=1, original_page=1),
        table=Table(n_rows=len(rows), n_cols=len(rows[0]), cells=cells),
    )


def test_a_table_broken_across_columns_is_joined() -> None:
    title = Block(
        id="p1-b0",
        type=BlockType.TITLE,
        content="Report",
        bbox=BBox(left=0.1, top=0.05, width=0.8, height=0.03, page=1, original_page=1),
    )
    text_left = Block(
        id="p1-b1",
        type=BlockType.TEXT,
        content="Left column text.",
        bbox=BBox(left=0.1, top=0.1, width=0.4, height=0.6, page=1, original_page=1),
    )
    first = _table_block("p1-b2", 0.1, 0.8, [["Item", "Qty"], ["Alpha", "1"]])
    second = _table_block("p1-b3", 0.55, 0.1, [["Beta", "2"], ["Gamma", "3"]])
    text_right = Block(
        id="p1-b4",
        type=BlockType.TEXT,
        content="Right column text.",
        bbox=BBox(left=0.55, top=0.2, width=0.4, height=0.5, page=1, original_page=1),
    )
    page = DocumentPage(number=1, original_number=1, width=612, height=792)
    page.blocks = [title, text_left, first, second, text_right]
    join_column_tables(page)
    assert [[c.text for c in first.table.cells if c.row == r] for r in range(first.table.n_rows)] == [
        ["Item", "Qty"],
        ["Alpha", "1"],
        ["Beta", "2"],
        ["Gamma", "3"],
    ]
    assert second.extra["merged_into"] == "p1-b2" and second.continued_from == "p1-b2"
    assert "Beta" in to_markdown(Document(pages=[page])).split("Left column text.")[1]
    # A table with text under it in its column does not run on into the next column.
    lone = _table_block("p1-b2", 0.1, 0.4, [["Item", "Qty"], ["Alpha", "1"]])
    other = _table_block("p1-b3", 0.55, 0.1, [["Beta", "2"]])
    below = text_left.model_copy(update={"bbox": text_left.bbox.model_copy(update={"top": 0.6})})
    page.blocks = [title, lone, below, other]
    join_column_tables(page)
    assert lone.table.n_rows == 2 and "merged_into" not in other.extra


def _box(left: float, top: float, width: float) -> BBox:
    return BBox(left=left, top=top, width=width, height=0.015, page=1, original_page=1)


def _loose(block_id: str, text: str, left: float, top: float, width: float) -> Block:
    return Block(id=block_id, type=BlockType.TEXT, content=text, bbox=_box(left, top, width))


def test_rows_continued_as_loose_lines_at_the_head_of_the_next_column_join_the_table() -> None:
    """One or two rows carried over are too few to read as a table: each cell is a loose line."""
    text_left = _loose("p1-b0", "Left column text.", 0.1, 0.1, 0.4)
    text_left.bbox = text_left.bbox.model_copy(update={"height": 0.6})
    cells = [
        Cell(row=r, col=c, text=text, bbox=_box(x, 0.8 + 0.02 * r, w))
        for r, row in enumerate([["Item", "Qty"], ["Alpha", "10"]])
        for c, (text, x, w) in enumerate(zip(row, (0.1, 0.4), (0.12, 0.05), strict=True))
    ]
    first = Block(
        id="p1-b1",
        type=BlockType.TABLE,
        bbox=BBox(left=0.1, top=0.8, width=0.35, height=0.04, page=1, original_page=1),
        table=Table(n_rows=2, n_cols=2, cells=cells),
    )
    # The same columns moved 0.45 to the right; the figure flush right like the one above.
    carried = [
        _loose("p1-b2", "Beta", 0.55, 0.1, 0.06),
        _loose("p1-b3", "7", 0.89, 0.1, 0.01),
        _loose("p1-b4", "Gamma", 0.55, 0.12, 0.08),
        _loose("p1-b5", "12", 0.88, 0.12, 0.02),
    ]
    text_right = _loose("p1-b6", "Right column text that follows the table rows.", 0.55, 0.16, 0.4)
    page = DocumentPage(number=1, original_number=1, width=612, height=792)
    page.blocks = [text_left, first, *carried, text_right]
    join_column_tables(page)
    assert grid_of(first.table) == [["Item", "Qty"], ["Alpha", "10"], ["Beta", "7"], ["Gamma", "12"]]
    assert all(block.extra["merged_into"] == "p1-b1" for block in carried)
    assert "merged_into" not in text_right.extra
    markdown = to_markdown(Document(pages=[page]))
    assert markdown.count("Gamma") == 1 and markdown.index("Gamma") < markdown.index("Right column text")
    # Lines that do not sit under the table's columns are not its rows.
    for block in carried:
        block.extra.clear()
    first.table.n_rows, first.table.cells = 2, cells
    carried[0].bbox = carried[0].bbox.model_copy(update={"left": 0.62})
    join_column_tables(page)
    assert first.table.n_rows == 2 and not carried[0].extra.get("merged_into")


def test_ocr_lines_the_detector_parted_stay_apart_on_one_baseline() -> None:
    def words(runs: tuple[int, int]) -> list[RawWord]:
        return [
            RawWord("Region", 100, 10, 140, 24, 10, False, run=runs[0]),
            RawWord("Quantity", 149, 10, 200, 24, 10, False, run=runs[1]),  # 9 pt apart
        ]

    assert [s.text for s in rows_and_segments(words((3, 4)))[1]] == ["Region", "Quantity"]
    assert [s.text for s in rows_and_segments(words((3, 3)))[1]] == ["Region Quantity"]
    assert [s.text for s in rows_and_segments(words((-1, -1)))[1]] == ["Region Quantity"]


def test_text_in_a_tables_box_that_no_cell_took_is_not_swallowed() -> None:
    from docuforge.parsing.cells import CellRegion, TableRegion
    from docuforge.parsing.tables import _claim

    _, segments = rows_and_segments(
        [
            RawWord("Discount", 100, 10, 150, 20, 10, False),
            RawWord("0.00", 300, 10, 330, 20, 10, False),
            RawWord("Thank", 150, 40, 185, 50, 10, False),  # a footer the table's box reaches over
            RawWord("you", 190, 40, 210, 50, 10, False),
        ]
    )
    discount, amount, footer = sorted(segments, key=lambda s: (s.y0, s.x0))
    cells = [
        CellRegion(0, 0, 1, 1, (100, 10, 200, 20), words=list(discount.words)),
        CellRegion(0, 1, 1, 1, (200, 10, 330, 20), words=list(amount.words)),
    ]
    table = TableRegion(box=(100, 5, 330, 55), n_rows=1, n_cols=2, cells=cells, ruled=False)
    table.segments = [discount, amount, footer]
    _claim(table, segments)
    assert discount.used and amount.used
    assert not footer.used and footer not in table.segments


def _drawn_pdf(draw, font: str = "Helvetica", size: float = 9) -> bytes:  # type: ignore[no-untyped-def]
    """A one-page letter PDF drawn by `draw(canvas)`, in Helvetica 9 unless told (DejaVuSans has
    the signs of mathematics): tables set by hand."""
    import io

    from reportlab.lib.pagesizes import letter
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    if font == "DejaVuSans":
        pdfmetrics.registerFont(TTFont(font, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter)
    canvas.setFont(font, size)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_section_labels_and_wrapped_cells_stay_inside_a_borderless_table() -> None:
    """A risk table (docling's SDG tables): section labels alone on a row, and cells whose text
    wraps onto a second line set tighter than the rows, once cut the table into scraps."""
    x = [72, 200, 290, 360]
    lines = [  # (gap before, cells); a cell of None leaves its column empty
        (0, ["Factor", "Level", "Ratio", "Interval"]),
        (20, ["Diet", None, None, None]),
        (20, ["Caffeine", "None", "1.00", "-"]),
        (20, [None, "Under 200", "1.12", "(0.98, 1.28)"]),
        (10, [None, "mg/day", None, None]),
        (20, [None, "Over 400", "1.68", "(1.40, 2.01)"]),
        (10, [None, "mg/day", None, None]),
        (20, ["Sugar", "Low", "1.00", "-"]),
        (20, [None, "High", "1.42", "(1.21, 1.66)"]),
        (20, ["Activity", None, None, None]),
        (20, ["Exercise", "Sedentary", "1.55", "(1.32, 1.82)"]),
        (20, [None, "Light (1-2", "1.20", "(1.05, 1.37)"]),
        (10, [None, "hrs)", None, None]),
    ]

    def draw(canvas) -> None:  # type: ignore[no-untyped-def]
        canvas.drawString(72, 720, "The table below gives the odds ratios by factor.")
        y = 690.0
        for gap, cells in lines:
            y -= gap
            for left, text in zip(x, cells, strict=True):
                if text:
                    canvas.drawString(left, y, text)
        canvas.drawString(72, y - 40, "Ratios are adjusted for age and sex.")

    grid = grid_of(only_table(_drawn_pdf(draw)))
    assert grid == [
        ["Factor", "Level", "Ratio", "Interval"],
        ["Diet", "", "", ""],
        ["Caffeine", "None", "1.00", "-"],
        ["", "Under 200 mg/day", "1.12", "(0.98, 1.28)"],
        ["", "Over 400 mg/day", "1.68", "(1.40, 2.01)"],
        ["Sugar", "Low", "1.00", "-"],
        ["", "High", "1.42", "(1.21, 1.66)"],
        ["Activity", "", "", ""],
        ["Exercise", "Sedentary", "1.55", "(1.32, 1.82)"],
        ["", "Light (1-2 hrs)", "1.20", "(1.05, 1.37)"],
    ]


def test_rows_parted_by_rules_keep_a_label_set_on_several_lines_beside_its_figures() -> None:
    """A financial table with a rule under every row and labels centred on two or three lines
    beside one line of figures: each space between two rules is one row."""
    labels = [
        ["Revenues"],
        ["Adjusted", "EBITDA"],
        ["Depreciation", "and", "amortization"],
        ["Capital", "spend"],
    ]
    figures = [["1,245", "892", "3,234"], ["450", "310", "1,074"], ["89", "45", "183"], ["120", "45", "199"]]

    def draw(canvas) -> None:  # type: ignore[no-untyped-def]
        canvas.drawString(72, 720, "Segment results for the year, in thousands.")
        top = 690.0
        canvas.line(72, top, 420, top)
        canvas.drawString(72, top - 14, "Segment")
        for left, head in zip((220, 290, 360), ("Cloud", "Data", "Total"), strict=True):
            canvas.drawString(left, top - 14, head)
        top -= 22
        canvas.line(72, top, 420, top)
        for label, row in zip(labels, figures, strict=True):
            height = 12 * len(label) + 10
            middle = top - height / 2
            for n, line in enumerate(label):  # the label's lines centred on the row
                canvas.drawString(72, middle + 6 * (len(label) - 1) - 12 * n - 3, line)
            for left, figure in zip((220, 290, 360), row, strict=True):
                canvas.drawString(left, middle - 3, figure)
            top -= height
            canvas.line(72, top, 420, top)

    grid = grid_of(only_table(_drawn_pdf(draw)))
    assert grid == [
        ["Segment", "Cloud", "Data", "Total"],
        ["Revenues", "1,245", "892", "3,234"],
        ["Adjusted EBITDA", "450", "310", "1,074"],
        ["Depreciation and amortization", "89", "45", "183"],
        ["Capital spend", "120", "45", "199"],
    ]


def test_an_invoices_item_lines_keep_their_descriptions_and_padding() -> None:
    """Invoice items far apart, each with a line describing it under its name (a Dutch invoice of
    the SDG set found no table at all)."""
    items = [
        ("Webdesign", "Full design of the new corporate website with wireframes.", "1", "850.00"),
        ("Front-end", "Implementation of the design in HTML5, CSS3 and JavaScript.", "1", "1,200.00"),
        ("Hosting", "Installation and configuration of the content system.", "2", "450.00"),
    ]

    def draw(canvas) -> None:  # type: ignore[no-untyped-def]
        canvas.drawString(72, 700, "DESCRIPTION")
        canvas.drawString(360, 700, "QTY")
        canvas.drawRightString(500, 700, "PRICE")
        y = 670.0
        for name, description, quantity, price in items:
            canvas.drawString(72, y, name)
            canvas.drawString(360, y, quantity)
            canvas.drawRightString(500, y, price)
            canvas.drawString(72, y - 11, description)
            y -= 60

    grid = grid_of(only_table(_drawn_pdf(draw)))
    assert grid == [
        ["DESCRIPTION", "QTY", "PRICE"],
        *[[f"{name} {description}", quantity, price] for name, description, quantity, price in items],
    ]


def test_a_paragraph_run_on_across_the_columns_is_no_cell() -> None:
    """Lines under a row that run on past the next column are prose (a glossary entry's
    definition, us-003 of ICDAR 2013), not the wrapped end of a cell."""

    def draw(canvas) -> None:  # type: ignore[no-untyped-def]
        y = 700.0
        for term, code in (("Age at degree", "AGEATBA"), ("Salary in 2003", "B3CRSAL")):
            canvas.drawString(72, y, term)
            canvas.drawString(400, y, code)
            canvas.drawString(
                72, y - 11, "Indicates the respondent's age or salary at the time, in the categories"
            )
            canvas.drawString(72, y - 22, "used throughout this report and its appendix tables.")
            y -= 50

    document = docuforge.parse(_drawn_pdf(draw))
    assert not blocks(document, BlockType.TABLE)
    definitions = [
        b.content for b in blocks(document, BlockType.TEXT) if "Indicates the respondent" in b.content
    ]
    assert len(definitions) == 2 and all(d.endswith("appendix tables.") for d in definitions)


def test_a_list_number_starts_its_sentence_but_a_numbered_rows_cells_stay_apart() -> None:
    def row(y: float, texts: list[tuple[str, float, float]], runs: list[int] | None = None) -> list[RawWord]:
        runs = runs or [1] * len(texts)
        return [
            RawWord(t, x0, y, x1, y + 11, 10.8, False, run=r)
            for (t, x0, x1), r in zip(texts, runs, strict=True)
        ]

    # An OCR'd list: "1." boxed tight, the item's text 10.8 pt off (a PDF's font boxes leave 9).
    item = row(10, [("1.", 90.7, 98.3), ("Undo/Redo:", 109.1, 168.5), ("Introduced", 171.5, 222.0)])
    item += row(10, [("in", 225.0, 233.0), ("1980s", 236.0, 262.0)])
    assert [s.text for s in rows_and_segments(item)[1]] == ["1. Undo/Redo: Introduced in 1980s"]
    # A table's numbered row, each cell a line of its own to the detector: the number and the
    # short cell beside it stay two cells.
    cells = row(40, [("1.", 90.7, 98.3), ("Oslo", 109.1, 130.0), ("12", 200.0, 210.0)], [2, 3, 4])
    assert [s.text for s in rows_and_segments(cells)[1]] == ["1.", "Oslo", "12"]


def test_the_totals_under_an_invoices_last_rule_are_its_last_rows() -> None:
    """Invoices set Subtotal, Tax and Total under the table's last rule, each label right-aligned
    beside its figure (the SDG invoice lost its "Total: 25000" row to a Key Value block). The
    note under them is no total and stays text."""
    items = [
        ("1", "Consultation hours", "12,000.00"),
        ("2", "Software licence", "8,500.00"),
        ("3", "Support", "4,500.00"),
    ]
    totals = [("Subtotal:", "25,000.00"), ("Tax (10%):", "2,500.00"), ("Total:", "27,500.00")]

    def draw(canvas) -> None:  # type: ignore[no-untyped-def]
        canvas.drawString(72, 720, "Invoice 2026-114 for services rendered in October.")
        canvas.drawString(72, 690, "No")
        canvas.drawString(110, 690, "Description")
        canvas.drawRightString(520, 690, "Amount")
        y = 680.0
        canvas.line(72, y, 520, y)
        for number, description, amount in items:
            y -= 24
            for left, text in ((72, number), (110, description)):
                canvas.drawString(left, y + 8, text)
            canvas.drawRightString(520, y + 8, amount)
            canvas.line(72, y, 520, y)
        for label, amount in totals:
            y -= 22
            canvas.drawRightString(440, y + 8, label)
            canvas.drawRightString(520, y + 8, amount)
        canvas.drawString(72, y - 40, "Payment is due within 30 days of the invoice date.")

    pdf = _drawn_pdf(draw)
    grid = grid_of(only_table(pdf))
    assert grid == [
        ["No", "Description", "Amount"],
        *[list(item) for item in items],
        *[["", label, amount] for label, amount in totals],
    ]
    text = [b.content for b in blocks(docuforge.parse(pdf), BlockType.TEXT)]
    assert any("Payment is due within 30 days" in t for t in text), text


def test_a_display_of_equations_is_one_block_of_text_but_a_table_of_means_and_deviations_a_table() -> None:
    """A derivation set in steps lines up like a table: the left-hand side and each step's
    relation in one column, the right-hand sides in another. It was read as a table of scraps
    (Evans's solutions, OmniDocBench). A table of "68.3 ± 1.4" figures is still a table."""
    steps = [
        ("B[φ(u), v] =", "∑ aⁱʲ (φ(u))ₓ vₓ dx"),
        ("=", "∑ aⁱʲ φ′(u) uₓ vₓ dx, as φ′(u) is bounded"),
        ("=", "∑ aⁱʲ uₓ (φ′(u) v)ₓ − ∑ aⁱʲ φ″(u) uₓ uₓ v dx"),
        ("≤", "0 − ∫ φ″(u) v |Du|² dx ≤ 0, by convexity of φ."),
    ]
    recoveries = [
        ("Compound", "Soxtec", "Soxhlet", "PLE"),
        ("NAP", "68.3 ± 19.7", "65.6 ± 1.4", "60.0 ± 8.2"),
        ("ACY", "61.5 ± 5.6", "79.6 ± 0.77", "66.4 ± 5.2"),
        ("ANT", "88.2 ± 11.1", "91.8 ± 1.1", "87.9 ± 7.6"),
        ("FLT", "63.2 ± 11.7", "86.3 ± 2.7", "86.4 ± 9.2"),
    ]

    def draw(canvas) -> None:  # type: ignore[no-untyped-def]
        canvas.drawString(72, 720, "By Exercise 5.17, φ(u) lies in the space. Then, for all v ≥ 0,")
        y = 690.0
        for left, right in steps:
            canvas.drawString(160 - canvas.stringWidth(left, "DejaVuSans", 10), y, left)
            canvas.drawString(170, y, right)
            y -= 24
        canvas.drawString(200, y - 4, "≤ 0 on {x ∈ U : u > 0} ⊆ U")
        y -= 30
        canvas.drawString(72, y - 10, "The recoveries of the three extractions are these.")
        y -= 40
        for row in recoveries:
            for left, text in zip((72, 200, 290, 380), row, strict=True):
                canvas.drawString(left, y, text)
            y -= 16

    blocks = list(docuforge.parse(_drawn_pdf(draw, font="DejaVuSans", size=10)).blocks())
    tables = [b for b in blocks if b.type == BlockType.TABLE]
    assert len(tables) == 1, [b.content for b in blocks]
    assert grid_of(tables[0].table)[1] == list(recoveries[1])
    display = [b for b in blocks if "B[φ(u), v] =" in b.content]
    assert len(display) == 1 and display[0].type == BlockType.TEXT
    # Each step a line of its own, in order, its relation leading.
    lines = display[0].content.split("\n")
    assert [line.split()[0] for line in lines] == ["B[φ(u),", "=", "=", "≤"], lines
    assert lines[2].endswith("v dx") and lines[3].endswith("convexity of φ.")
    assert not any(b.type == BlockType.SECTION_HEADER for b in blocks)
    # A formula's colon ("the set of x : u > 0") parts no key from its value.
    assert not any(b.type == BlockType.KEY_VALUE for b in blocks), [(b.type, b.content) for b in blocks]


def test_strokes_of_big_letters_make_no_ruled_table_but_rules_between_words_do() -> None:
    """On a scan, the long straight bars of large type (a headline's 合, a slogan's F) are found
    as rules, and a few of them meet in a grid with a letter in each cell. A table's rules run
    between its words, never through the middle of one."""
    from docuforge.document.raw import RawPage
    from docuforge.parsing.ruled import ruled_tables

    def page(words: list[RawWord]) -> RawPage:
        return RawPage(
            index=0,
            width=600,
            height=800,
            rotation=0,
            words=words,
            # Two bars across the line (its top stroke and its middle one) and three down it.
            hrules=[(380, 88, 440, 88.5), (380, 100, 440, 100.5), (380, 112, 440, 112.5)],
            vrules=[(380, 88, 380.5, 112.5), (398, 88, 398.5, 112.5), (440, 88, 440.5, 112.5)],
        )

    # Two characters of a 24-point headline, the bars those of their own strokes.
    headline = [RawWord("游", 386, 88, 410, 112, 24, True), RawWord("得", 410, 88, 434, 112, 24, True)]
    assert ruled_tables(page(headline))[0] == []
    # The same grid with small words in its cells, clear of the rules: a table.
    cells = [
        RawWord("a1", 384, 90, 394, 97, 6, False),
        RawWord("b1", 402, 90, 412, 97, 6, False),
        RawWord("a2", 384, 103, 394, 110, 6, False),
        RawWord("b2", 402, 103, 412, 110, 6, False),
    ]
    tables = ruled_tables(page(cells))[0]
    assert len(tables) == 1 and sorted(c.text for c in tables[0].cells if c.words) == ["a1", "a2", "b1", "b2"]


def _two_columns_page(
    left: list[list[str]], left_pitch: float, right: list[list[str]], right_pitch: float
) -> bytes:
    """A page of two columns of prose with, between their paragraphs, short lines side by side,
    each column at its own spacing: a flyer's list of services beside its contact lines. A row
    of several cells sets them 90 points apart."""
    prose = [
        "The partners of the firm have worked together",
        "for twenty years on cases of every kind, and",
        "they bring to each client the same care and",
        "attention that made their name in the city.",
    ]

    def draw(canvas) -> None:  # type: ignore[no-untyped-def]
        for top in (720.0, 520.0):
            for column in (72, 330):
                for index, line in enumerate(prose):
                    canvas.drawString(column, top - 12 * index, line)
        for column, lines, pitch in ((72, left, left_pitch), (330, right, right_pitch)):
            for index, cells in enumerate(lines):
                for offset, cell in enumerate(cells):
                    canvas.drawString(column + 90 * offset, 650 - pitch * index, cell)

    return _drawn_pdf(draw)


SERVICES = [
    ["Copyright law"],
    ["Family law"],
    ["Business law"],
    ["Litigation"],
    ["Finance law"],
    ["Criminal law"],
]


def test_a_table_in_one_page_column_is_found_apart_from_the_column_beside_it() -> None:
    """Rows read across the page line a list up beside a table in the next page column like
    three columns of one table (a brochure of docling-eval's CVAT set, a two-column exercise
    book of OmniDocBench); the gutter between them runs on through the page's text and the
    list's lines drift from the table's rows, so the table is the right column's alone."""
    fees = [["Hours", "Fee"], ["1", "$200"], ["2", "$380"], ["5", "$900"], ["10", "$1,700"]]
    table = only_table(_two_columns_page(SERVICES, 14.0, fees, 12.0))
    assert grid_of(table) == fees


def test_a_paragraph_beside_a_table_runs_on_past_its_rows() -> None:
    """A report's paragraph set beside a table of ratings, their lines at one spacing: the
    paragraph stops mid-sentence where each rating starts its row, so it is no column of the
    table (the rating standards of an OmniDocBench research report)."""
    paragraph = [
        "Ratings compare the share price over the twelve",
        "months after the report with the market index,",
        "which for shares listed in Shanghai or Shenzhen",
        "is the composite index of the three hundred",
        "largest companies and for those listed abroad",
        "the main index of the market where they trade.",
    ]
    ratings = [
        ["Rating", "Meaning"],
        ["Buy", "Above 15%"],
        ["Hold", "5% to 15%"],
        ["Neutral", "-5% to 5%"],
        ["Sell", "Below -5%"],
    ]

    def draw(canvas) -> None:  # type: ignore[no-untyped-def]
        for index, line in enumerate(paragraph):
            canvas.drawString(72, 650 - 12 * index, line)
        for index, (rating, meaning) in enumerate(ratings):
            canvas.drawString(330, 650 - 12 * index, rating)
            canvas.drawString(420, 650 - 12 * index, meaning)

    pdf = _drawn_pdf(draw)
    assert grid_of(only_table(pdf)) == ratings
    document = docuforge.parse(pdf)
    text = [b.content for b in blocks(document, BlockType.TEXT)]
    assert any(t.startswith("Ratings compare") and t.endswith("where they trade.") for t in text)


def test_chinese_labels_read_a_character_at_a_time_are_cells_and_long_lines_prose() -> None:
    """OCR reads Chinese a character at a time: a label of eight characters is eight words to
    it, and a report's table of key figures was once taken for prose. Words are counted at two
    characters each; lines of thirty characters beside short labels are still prose."""
    from docuforge.parsing.aligned import aligned_table

    def line(y: float, x: float, text: str, run: int) -> list[RawWord]:
        return [
            RawWord(c, x + 9 * i, y, x + 9 * (i + 1), y + 9, 9, False, run=run) for i, c in enumerate(text)
        ]

    figures = [
        ("总股本(百万股)", "2,741"),
        ("流通A股(百万股)", "2,643"),
        ("总市值(亿元)", "196"),
        ("每股净资产(元)", "8.32"),
    ]
    words = []
    for index, (label, value) in enumerate(figures):
        words += line(100 + 14 * index, 60, label, 2 * index) + line(
            100 + 14 * index, 200, value, 2 * index + 1
        )
    rows, _ = rows_and_segments(words)
    table = aligned_table(rows, None, 9, 560)
    assert table is not None and (table.n_rows, table.n_cols) == (4, 2)

    prose = "常熟银行发布2023年半年报上半年公司实现营业收入同比增长归母净利润"
    words = []
    for index, (label, _) in enumerate(figures):
        words += line(100 + 14 * index, 60, label[:4], 2 * index) + line(
            100 + 14 * index, 200, prose, 2 * index + 1
        )
    rows, _ = rows_and_segments(words)
    assert aligned_table(rows, None, 9, 560) is None


def test_a_disclaimer_between_the_head_rule_and_a_ruled_table_is_no_row_of_it() -> None:
    """A research report's last page (OmniDocBench): a rule under the running head, the analysts'
    disclaimer, then rating standards ruled across the page, their explanation set in the left
    column beside the ratings. The disclaimer is no row and the explanation no column."""
    disclaimer = [
        "The analysts named in this report hold the licences their regulator requires and state",
        "that its views are their own, reached by careful research and independent judgement,",
        "and that no part of their pay depends on the ratings or views given in this report.",
    ]
    explanation = [
        "Ratings compare the share price over the twelve",
        "months after the report with the market index,",
        "which for shares listed in Shanghai or Shenzhen",
        "is the composite index of the three hundred",
        "largest companies and for those listed abroad",
    ]
    ratings = [["Rating", "Meaning"], ["Buy", "Above 15%"], ["Hold", "5% to 15%"], ["Neutral", "-5% to 5%"]]
    ratings += [["Sell", "Below -5%"], ["Overweight", "Above 5%"], ["Equal", "-5% to 5%"]]
    ratings += [["Underweight", "Below -5%"], ["Unrated", "No view"]]

    def draw(canvas) -> None:  # type: ignore[no-untyped-def]
        for y in (730, 640, 620, 490):
            canvas.line(72, y, 540, y)
        for index, line in enumerate(disclaimer):
            canvas.drawString(72, 710 - 12 * index, line)
        canvas.drawString(330, 627, ratings[0][0])
        canvas.drawString(420, 627, ratings[0][1])
        for index, line in enumerate(explanation):
            canvas.drawString(72, 608 - 12 * index, line)
        for index, (rating, meaning) in enumerate(ratings[1:]):
            canvas.drawString(330, 608 - 14 * index, rating)
            canvas.drawString(420, 608 - 14 * index, meaning)

    pdf = _drawn_pdf(draw)
    assert grid_of(only_table(pdf)) == ratings
    text = " ".join(b.content for b in blocks(docuforge.parse(pdf), BlockType.TEXT))
    assert "independent judgement" in text and "months after the report" in text
