"""docuforge extract: JSON, cited JSON, CSV rows from arrays, and clear failures."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from docuforge.cli import app
from tests.extraction.conftest import INVOICE_SCHEMA, ITEMS

runner = CliRunner()


def _files(tmp_path: Path, invoice_pdf: Path) -> tuple[str, str]:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(INVOICE_SCHEMA))
    return str(invoice_pdf), str(schema)


def test_json_and_citations(tmp_path: Path, invoice_pdf: Path) -> None:
    pdf, schema = _files(tmp_path, invoice_pdf)
    plain = runner.invoke(app, ["extract", pdf, "--schema", schema, "--no-dense"])
    assert plain.exit_code == 0, plain.output
    value = json.loads(plain.stdout)
    assert value["invoiceNumber"] == "INV-2024-0117" and len(value["line_items"]) == len(ITEMS)
    out = tmp_path / "cited.json"
    cited = runner.invoke(app, ["extract", pdf, "-s", schema, "--citations", "-o", str(out), "--no-dense"])
    assert cited.exit_code == 0 and "14 fields, 2 pages" in cited.output
    total = json.loads(out.read_text())["total"]
    assert total["value"] == 12960.0 and total["citations"][0]["page"] == 2


def test_csv_rows_from_the_line_items(tmp_path: Path, invoice_pdf: Path) -> None:
    pdf, schema = _files(tmp_path, invoice_pdf)
    result = runner.invoke(app, ["extract", pdf, "-s", schema, "--to", "csv", "--no-dense"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(ITEMS)
    assert rows[1]["line_items.description"] == "Gasket set" and rows[1]["invoiceNumber"] == "INV-2024-0117"
    assert rows[0]["bill_to.name"] == "Globex Corporation"


def test_clear_failures(tmp_path: Path, invoice_pdf: Path) -> None:
    pdf, _ = _files(tmp_path, invoice_pdf)
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "object", "properties": {"x": {"type": 3}}}')
    result = runner.invoke(app, ["extract", pdf, "-s", str(bad)])
    assert result.exit_code == 1 and "INVALID_SCHEMA" in result.output
    missing = runner.invoke(app, ["extract", str(tmp_path / "nope.pdf"), "-s", str(bad)])
    assert missing.exit_code == 1 and "no such file" in missing.output
