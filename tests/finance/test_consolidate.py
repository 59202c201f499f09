from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest

import docuforge
from docuforge.finance import parse_options, read_statements
from docuforge.finance.consolidate import ConsolidationOptions, consolidate
from docuforge.finance.excel import HEADER_ROW, to_xlsx
from docuforge.finance.export import consolidation_csv, statements_json


@pytest.fixture(scope="module")
def statements(two_years):
    latest, earlier, _ = two_years
    return [
        *read_statements(docuforge.parse(latest, parse_options())),
        *read_statements(docuforge.parse(earlier, parse_options())),
    ]


@pytest.fixture(scope="module")
def result(statements):
    # the meaning-matching path is the alignment test's; the rest checks what comes after it
    return consolidate(statements, ConsolidationOptions(embeddings=False))


@pytest.mark.parametrize(
    "embeddings", [pytest.param(True, marks=pytest.mark.slow), False], ids=["embeddings", "lexical"]
)
def test_accounts_align_across_years_worded_differently(statements, two_years, embeddings: bool) -> None:
    _, _, full = two_years
    result = consolidate(statements, ConsolidationOptions(embeddings=embeddings))
    assert [s.statement_type for s in result.statements] == ["balance_sheet", "cash_flow", "income_statement"]
    for consolidated in result.statements:
        truth = full[consolidated.statement_type.value]
        assert consolidated.periods == ["FY2024", "FY2023", "FY2022"]
        matched = 0
        for want in truth.lines:
            rows = [r for r in consolidated.lines if r.label == want.label.rstrip(":")]
            assert len(rows) == 1, want.label
            got = [rows[0].values[p] for p in consolidated.periods]
            matched += got == want.values
        # a renamed account may stay on a row of its own ("Other reserves" is no "Accumulated other
        # comprehensive loss" by its words or its meaning); lexical matching leaves a few more
        assert matched >= len(truth.lines) - (1 if embeddings else 3), consolidated.statement_type
        assert all(c.ok for c in consolidated.checks)


def test_variances_and_trends(result) -> None:
    income = next(s for s in result.statements if s.statement_type == "income_statement")
    net = next(line for line in income.lines if line.label == "Net income")
    now, before = net.values["FY2024"], net.values["FY2023"]
    variance = net.variances[0]
    assert (variance.current, variance.prior) == ("FY2024", "FY2023")
    assert variance.absolute == pytest.approx(now - before)
    assert variance.percent == pytest.approx((now - before) / abs(before), abs=1e-6)
    assert net.trend in ("increasing", "decreasing", "mixed")


def _evaluate(sheet, formula: str) -> float:
    """The +/- cell-reference formulas the workbook writes, evaluated."""
    total = 0.0
    for sign, ref in re.findall(r"([+-]?)([A-Z]+\d+)", formula.lstrip("=")):
        value = sheet[ref].value
        value = _evaluate(sheet, value) if isinstance(value, str) else (value or 0.0)
        total += -value if sign == "-" else value
    return total


def test_excel_totals_and_variances_are_formulas(result) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(result)))
    assert workbook.sheetnames == ["Balance sheet", "Cash flow", "Income statement"]
    sheet = workbook["Income statement"]
    assert sheet.freeze_panes == f"B{HEADER_ROW + 1}"
    header = [c.value for c in sheet[HEADER_ROW]]
    assert header[1] == "FY2024 (USD thousands)"
    assert "\u0394 FY2024 vs FY2023" in header
    income = next(s for s in result.statements if s.statement_type == "income_statement")
    formulas = 0
    for i, line in enumerate(income.lines):
        row = HEADER_ROW + 1 + i
        label = sheet.cell(row, 1)
        assert label.value == line.label
        assert label.alignment.indent == line.level * 2
        assert bool(label.font.bold) == (line.is_total or all(v is None for v in line.values.values()))
        if line.values["FY2024"] is None:
            continue
        delta = sheet.cell(row, 5).value
        assert delta == f"=B{row}-C{row}"
        value = sheet.cell(row, 2).value
        if line.is_total:
            assert isinstance(value, str) and value.startswith("="), line.label
            formulas += 1
            assert _evaluate(sheet, value) == pytest.approx(line.values["FY2024"])
        else:
            assert value == line.values["FY2024"]
        assert sheet.cell(row, 2).number_format.startswith("#,##0")
    assert formulas >= 5
    assert sheet.column_dimensions["A"].width > 20


def test_csv_and_json_exports(result, statements) -> None:
    rows = list(csv.reader(io.StringIO(consolidation_csv(result))))
    assert rows[0][:7] == ["statement_type", "label", "level", "is_total", "FY2024", "FY2023", "FY2022"]
    assert any(r[1] == "Net income" and r[0] == "income_statement" for r in rows)
    shaped = json.loads(statements_json(statements))
    assert set(shaped[0]) == {"statement_type", "company", "currency", "scale", "periods", "lines", "checks"}
    line = shaped[0]["lines"][2]
    assert set(line) == {"label", "level", "values", "is_total", "note", "citation"}
