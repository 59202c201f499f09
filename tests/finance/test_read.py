"""Statements generated with known contents, parsed and read back."""

from __future__ import annotations

import random

import pytest

import docuforge
from docuforge.finance import detect, parse_options, read_statements
from docuforge.finance.model import StatementType
from tests.fixtures.statements import Style, build, make_pdf


def _read(items, cover=None):
    return read_statements(docuforge.parse(make_pdf(items, cover=cover), parse_options()))


STYLES = {
    "unruled, indented, leaders and notes": Style(layout="plain", leaders=True, notes=True, bold=False),
    "ruled grid, bold, no indentation": Style(layout="ruled", indent=False, bold=True, signed_expenses=True),
    "accounting rules, European numbers": Style(
        layout="accounting", separators="eu", negative="trailing", currency_marks=True, font="Times-Roman"
    ),
    "spaces between digit groups, minus signs": Style(separators="space", negative="minus", font="Courier"),
}


@pytest.mark.parametrize("style_name", list(STYLES))
@pytest.mark.parametrize("kind", ["income_statement", "balance_sheet", "cash_flow"])
def test_every_line_value_and_level_is_read(kind: str, style_name: str) -> None:
    style = STYLES[style_name]
    truth = build(
        kind, random.Random(f"{kind}{style_name}"), n_periods=3, scale=1000, currency="EUR", style=style
    )
    [statement] = _read([(truth, style)])
    assert statement.statement_type == kind
    assert statement.scale == 1000
    assert statement.currency == "EUR"
    assert [p.year for p in statement.period_details] == [2024, 2023, 2022]
    assert len(statement.lines) == len(truth.lines)
    for got, want in zip(statement.lines, truth.lines, strict=True):
        assert got.label == want.label.rstrip(":")
        assert got.level == want.level, got.label
        assert got.is_total == want.is_total, got.label
        assert got.note == want.note
        values = list(got.values.values())
        if all(v is None for v in want.values):
            assert all(v is None for v in values)
        else:
            assert values == want.values, got.label
    assert statement.checks and all(check.ok for check in statement.checks)


def test_values_cite_their_cells() -> None:
    style = Style()
    truth = build("income_statement", random.Random(3), n_periods=2, style=style)
    [statement] = _read([(truth, style)])
    revenue = statement.lines[0]
    assert revenue.citation is not None and revenue.citation.page == 1
    first, second = (revenue.citation.values[p] for p in statement.periods)
    assert first.bbox[0] < second.bbox[0]  # the newer year is printed left of the older one
    assert abs(first.bbox[1] - revenue.citation.bbox[1]) < 0.01  # on the label's row
    assert 0 < first.bbox[2] < 0.2


def test_a_misread_number_fails_its_total_and_names_the_lines() -> None:
    style = Style()
    truth = build("balance_sheet", random.Random(8), n_periods=2, style=style)
    cash = next(line for line in truth.lines if line.key == "cash")
    cash.values[0] += 100  # printed wrong: the total no longer adds up
    [statement] = _read([(truth, style)])
    failed = [c for c in statement.checks if not c.ok]
    assert [c.line for c in failed] == ["Total current assets"]
    assert failed[0].period == statement.periods[0]
    assert cash.label in failed[0].lines
    assert statement.confidence < 1.0


def test_several_statements_in_one_pdf_are_found_with_their_pages() -> None:
    style = Style()
    rng = random.Random(11)
    items = [(build(k, rng, style=style), style) for k in ("balance_sheet", "income_statement", "cash_flow")]
    pdf = make_pdf(
        items, cover="Annual report 2024\nChair's letter: revenue grew and the balance sheet is strong."
    )
    document = docuforge.parse(pdf, parse_options())
    found = detect(document)
    assert [(d.statement_type, d.pages) for d in found] == [
        (StatementType.BALANCE_SHEET, [2]),
        (StatementType.INCOME_STATEMENT, [3]),
        (StatementType.CASH_FLOW, [4]),
    ]
    assert all(d.confidence >= 0.9 and d.evidence for d in found)
    assert any(e.startswith("title:") for e in found[0].evidence)


def test_a_page_of_prose_or_an_unrelated_table_is_no_statement() -> None:
    from tests.fixtures.pdfs import Page, Paragraph, Table
    from tests.fixtures.pdfs import make_pdf as make_plain_pdf

    rows = [["Name", "Room", "Seats"]] + [[f"Person {i}", f"R{i}", str(10 + i)] for i in range(8)]
    pdf = make_plain_pdf(
        [Page([Paragraph("Minutes of the meeting. The committee discussed the schedule."), Table(rows)])]
    )
    document = docuforge.parse(pdf, parse_options())
    assert detect(document) == []
    assert read_statements(document) == []


def test_quarters_and_five_periods() -> None:
    style = Style(indent=False, bold=True)
    truth = build(
        "income_statement", random.Random(2), n_periods=5, period_style="quarters", scale=1, style=style
    )
    [statement] = _read([(truth, style)])
    assert [p.key for p in statement.period_details] == ["2024Q4", "2024Q3", "2024Q2", "2024Q1", "2023Q4"]
    assert statement.scale == 1
    assert [list(line.values.values()) for line in statement.lines] == [line.values for line in truth.lines]


def test_changes_in_equity_columns_are_its_components() -> None:
    style = Style(layout="ruled")
    truth = build("equity", random.Random(4), style=style)
    [statement] = _read([(truth, style)])
    assert statement.statement_type == "equity"
    assert statement.periods == ["Share capital", "Retained earnings", "Other reserves", "Total equity"]
    assert [list(line.values.values()) for line in statement.lines] == [line.values for line in truth.lines]
    assert [line.is_total for line in statement.lines] == [line.is_total for line in truth.lines]
    kinds = {c.kind for c in statement.checks}
    assert kinds == {"sum", "across"} and all(c.ok for c in statement.checks)


@pytest.mark.slow
def test_a_scanned_statement_is_read_through_ocr() -> None:
    import io as _io

    import pypdfium2

    style = Style(layout="plain", bold=False, size=10)
    truth = build(
        "income_statement", random.Random(21), n_periods=2, scale=1_000_000, currency="GBP", style=style
    )
    page = pypdfium2.PdfDocument(make_pdf([(truth, style)]))[0]
    buffer = _io.BytesIO()
    page.render(scale=200 / 72).to_pil().convert("L").save(buffer, format="PNG")
    [statement] = read_statements(docuforge.parse(buffer.getvalue(), parse_options(), extension="png"))
    assert statement.statement_type == "income_statement"
    assert (statement.scale, statement.currency) == (1_000_000, "GBP")
    assert [line.label for line in statement.lines] == [line.label.rstrip(":") for line in truth.lines]
    assert [list(line.values.values()) for line in statement.lines] == [line.values for line in truth.lines]
    assert [line.level for line in statement.lines] == [line.level for line in truth.lines]
    assert all(check.ok for check in statement.checks)
