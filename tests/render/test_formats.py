"""Tables in every format, the document renderers, and Reducto's JSON result."""

from __future__ import annotations

import csv
import io
import json

from reducto.types.shared.parse_response import ResultFullResult
from tests.fixtures.pdfs import LOREM, Columns, Heading, Page, Paragraph, make_pdf
from tests.fixtures.pdfs import Table as TableSpec

import docuforge
from docuforge.document.model import BBox, Cell, Table
from docuforge.parsing.options import ParseOptions
from docuforge.reducto.full_result import to_full_result
from docuforge.reducto.parse.options import ParseOptions as WireOptions
from docuforge.reducto.parse.options import engine_options
from docuforge.render import tables
from docuforge.render.html import to_html
from docuforge.render.text import to_text

BOX = BBox(left=0.1, top=0.1, width=0.1, height=0.05, page=1, original_page=1)


def spanning() -> Table:
    cells = [
        Cell(row=0, col=0, col_span=2, text="Group", header=True, bbox=BOX),
        Cell(row=0, col=2, text="A", header=True, bbox=BOX),
        Cell(row=1, col=0, row_span=2, text="G1", bbox=BOX),
        Cell(row=1, col=1, text="x", bbox=BOX),
        Cell(row=1, col=2, text="1, 2", bbox=BOX),
        Cell(row=2, col=1, text="y|z", bbox=BOX),
        Cell(row=2, col=2, text="3", bbox=BOX),
    ]
    return Table(n_rows=3, n_cols=3, cells=cells)


def test_every_table_format() -> None:
    table = spanning()
    assert tables.to_html(table) == (
        '<table><tr><th colspan="2">Group</th><th>A</th></tr>'
        '<tr><td rowspan="2">G1</td><td>x</td><td>1, 2</td></tr><tr><td>y|z</td><td>3</td></tr></table>'
    )
    assert tables.to_markdown(table).splitlines() == [
        "| Group |  | A |",
        "|---|---|---|",
        "| G1 | x | 1, 2 |",
        "|  | y\\|z | 3 |",
    ]
    assert json.loads(tables.to_json(table)) == [["Group", "", "A"], ["G1", "x", "1, 2"], ["", "y|z", "3"]]
    boxed = json.loads(tables.to_jsonbbox(table))
    assert boxed[0][0]["col_span"] == 2 and boxed[0][0]["bbox"]["page"] == 1 and boxed[0][1] is None
    assert list(csv.reader(io.StringIO(tables.to_csv(table)))) == [
        ["Group", "", "A"],
        ["G1", "x", "1, 2"],
        ["", "y|z", "3"],
    ]


def test_dynamic_picks_markdown_for_small_simple_tables() -> None:
    small = Table(
        n_rows=2, n_cols=2, cells=[Cell(row=r, col=c, text=f"{r}{c}") for r in range(2) for c in range(2)]
    )
    assert tables.render(small, "dynamic").startswith("| 00 |")
    big = Table(
        n_rows=8, n_cols=4, cells=[Cell(row=r, col=c, text=f"{r}{c}") for r in range(8) for c in range(4)]
    )
    assert tables.render(big, "dynamic").startswith("<table>")
    assert tables.render(spanning(), "dynamic").startswith("| Group")  # 1 merged... cells <= 30, merged <= 4


def document(options: ParseOptions | None = None):
    return docuforge.parse(
        make_pdf(
            [
                Page(
                    [
                        Heading("Report", 18),
                        Columns(
                            [[Paragraph("Left column. " + LOREM)], [Paragraph("Right column. " + LOREM)]]
                        ),
                        TableSpec([["Name", "Value"], ["Width", "12"], ["Height", "30"]]),
                    ]
                )
            ]
        ),
        options,
    )


def test_layout_text_keeps_columns_side_by_side() -> None:
    text = to_text(document())
    line = next(row for row in text.splitlines() if "Left column." in row)
    assert "Right column." in line and line.index("Right column.") > 40
    width_row = next(row for row in text.splitlines() if "Width" in row)
    assert width_row.index("12") > width_row.index("Width") + 10


def test_html_document() -> None:
    html = to_html(document())
    assert html.startswith("<!DOCTYPE html>") and "<h1>Report</h1>" in html and "<table>" in html


def test_full_result_matches_the_sdk_model() -> None:
    options = WireOptions.model_validate(
        {
            "settings": {"return_ocr_data": True, "return_citations": True},
            "retrieval": {"chunking": {"chunk_mode": "page"}},
        }
    )
    result = to_full_result(document(engine_options(options)), options)
    parsed = ResultFullResult.model_validate(result)
    assert parsed.type == "full" and len(parsed.chunks) == 1 and parsed.ocr and parsed.ocr.words
    block = parsed.chunks[0].blocks[0]
    assert block.type == "Title" and block.confidence == "high"
    citations = result["chunks"][0]["blocks"][0]["extra"]["word_citations"]
    assert (
        citations[0]["text"] == "Report"
        and citations[0]["char_start"] == 0
        and citations[0]["bbox"]["page"] == 1
    )
    table = next(b for b in result["chunks"][0]["blocks"] if b["type"] == "Table")
    assert table["extra"]["cell_citations"][0] == {
        **table["extra"]["cell_citations"][0],
        "row_idx": 0,
        "col_idx": 0,
    }
    assert json.dumps(result)  # all of it is JSON
