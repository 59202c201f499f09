"""`docuforge statements`: two years of statements in, the issue's JSON and a formula workbook out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from docuforge.cli import app

runner = CliRunner()


def test_two_years_to_json_and_excel(tmp_path: Path, two_years) -> None:
    latest, earlier, full = two_years
    (tmp_path / "2024.pdf").write_bytes(latest)
    (tmp_path / "2023.pdf").write_bytes(earlier)
    out_json, out_xlsx = tmp_path / "out.json", tmp_path / "out.xlsx"
    result = runner.invoke(
        app,
        [
            "statements",
            str(tmp_path / "2024.pdf"),
            str(tmp_path / "2023.pdf"),
            "--json",
            str(out_json),
            "--xlsx",
            str(out_xlsx),
            "--no-embeddings",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "income_statement, Acme Widgets Inc., USD x1000, periods Year ended December 31, 2024"
        in result.output
    )
    statements = json.loads(out_json.read_text())
    assert len(statements) == 6
    first = statements[0]
    assert set(first) == {"statement_type", "company", "currency", "scale", "periods", "lines", "checks"}
    assert first["statement_type"] == "income_statement" and first["scale"] == 1000
    revenue = first["lines"][0]
    assert revenue["label"] == full["income_statement"].lines[0].label
    assert list(revenue["values"].values()) == full["income_statement"].lines[0].values[:2]
    assert revenue["citation"]["page"] == 1
    workbook = openpyxl.load_workbook(io.BytesIO(out_xlsx.read_bytes()))
    sheet = workbook["Cash flow"]
    assert [sheet.cell(4, c).value for c in (2, 3, 4)] == [
        "FY2024 (USD thousands)",
        "FY2023 (USD thousands)",
        "FY2022 (USD thousands)",
    ]
    assert sheet["E6"].value == "=B6-C6"


def test_a_file_without_statements_says_so(tmp_path: Path) -> None:
    from tests.fixtures.pdfs import Page, Paragraph, make_pdf

    path = tmp_path / "memo.pdf"
    path.write_bytes(make_pdf([Page([Paragraph("A memo about the office move.")])]))
    result = runner.invoke(app, ["statements", str(path)])
    assert result.exit_code == 1
    assert "no financial statement found" in result.output
    missing = runner.invoke(app, ["statements", str(tmp_path / "nope.pdf")])
    assert missing.exit_code == 1 and "no such file" in missing.output
