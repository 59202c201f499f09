"""docuforge parse: formats, pages, output files, and clear failures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from docuforge.cli import app
from tests.fixtures.pdfs import LOREM, Heading, Page, Paragraph, Table, make_pdf

runner = CliRunner()
PDF = make_pdf(
    [
        Page([Heading("First", 16), Paragraph(LOREM), Table([["A", "B"], ["1", "2"], ["3", "4"]])]),
        Page([Heading("Second", 16), Table([["C", "D"], ["5", "6"], ["7", "8"]])]),
    ]
)


def write(tmp_path: Path) -> Path:
    path = tmp_path / "doc.pdf"
    path.write_bytes(PDF)
    return path


def test_markdown_by_default(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(write(tmp_path))])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("## First") and "| 1 | 2 |" in result.stdout


def test_formats_and_pages(tmp_path: Path) -> None:
    path = write(tmp_path)
    page_two = runner.invoke(app, ["parse", str(path), "--pages", "2"])
    assert "Second" in page_two.stdout and "First" not in page_two.stdout
    reducto = json.loads(
        runner.invoke(app, ["parse", str(path), "--to", "json", "--chunk-mode", "page"]).stdout
    )
    assert reducto["type"] == "full" and len(reducto["chunks"]) == 2
    html = runner.invoke(app, ["parse", str(path), "--to", "html"]).stdout
    assert "<h2>First</h2>" in html
    text = runner.invoke(app, ["parse", str(path), "--to", "text"]).stdout
    assert "\f" in text and "First" in text
    document = json.loads(runner.invoke(app, ["parse", str(path), "--to", "document"]).stdout)
    assert len(document["pages"]) == 2
    csv_out = runner.invoke(app, ["parse", str(path), "--to", "csv"]).stdout
    assert csv_out == "A,B\n1,2\n3,4\n\nC,D\n5,6\n7,8\n"


def test_output_files(tmp_path: Path) -> None:
    path = write(tmp_path)
    out = tmp_path / "out.md"
    assert runner.invoke(app, ["parse", str(path), "-o", str(out)]).exit_code == 0
    assert out.read_text().startswith("## First")
    tables = tmp_path / "tables.csv"
    assert runner.invoke(app, ["parse", str(path), "--to", "csv", "-o", str(tables)]).exit_code == 0
    assert (tmp_path / "tables_1.csv").read_text() == "A,B\n1,2\n3,4\n" and (
        tmp_path / "tables_2.csv"
    ).exists()


def test_bad_input_is_one_clear_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 nonsense")
    result = runner.invoke(app, ["parse", str(broken)])
    assert result.exit_code == 1 and "DOCUMENT_CORRUPT" in result.output and "Traceback" not in result.output
    missing = runner.invoke(app, ["parse", str(tmp_path / "nope.pdf")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    bad_option = runner.invoke(app, ["parse", str(write(tmp_path)), "--chunk-mode", "sideways"])
    assert bad_option.exit_code == 1


def test_the_ocr_settings_and_the_engine_option_reach_the_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The OCR settings of the environment (runtime, page workers) and the engine named on the
    command line are handed to the engine together, as typed options."""
    from docuforge.parsing import pipeline

    given: list[Any] = []
    parse = pipeline.parse

    def watched(source: Any, options: Any = None, **kwargs: Any) -> Any:
        given.append(options.ocr)
        return parse(source, options, **kwargs)

    monkeypatch.setattr(pipeline, "parse", watched)
    monkeypatch.setenv("DOCUFORGE_OCR__RUNTIME", "onnxruntime")
    monkeypatch.setenv("DOCUFORGE_OCR__PAGE_WORKERS", "1")
    result = runner.invoke(app, ["parse", str(write(tmp_path)), "--ocr-engine", "rapidocr-fast"])
    assert result.exit_code == 0, result.output
    [ocr] = given
    assert (ocr.engine, ocr.runtime, ocr.page_workers) == ("rapidocr-fast", "onnxruntime", 1)
    unknown = runner.invoke(app, ["parse", str(write(tmp_path)), "--ocr-engine", "abacus"])
    assert unknown.exit_code == 1 and "unknown OCR engine" in unknown.output
