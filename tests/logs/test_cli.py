"""`docuforge logs ingest` and `docuforge logs query` on this machine's data dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import zstandard
from typer.testing import CliRunner

from docuforge.cli import app
from tests.logs.samples import mixed_jsonl

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCUFORGE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def test_ingest_then_query(env: Path) -> None:
    sample = mixed_jsonl(1000)
    source = env / "app.log.zst"
    source.write_bytes(zstandard.ZstdCompressor().compress(sample.text.encode()))
    result = runner.invoke(app, ["logs", "ingest", str(source), "--format", "auto"])
    assert result.exit_code == 0, result.output
    ident, counts = result.output.strip().split(": ", 1)
    assert counts == f"{sample.records} records, {sample.malformed} malformed lines (jsonl, zstd)"
    assert (env / "data" / "logs" / "local" / ident / "records.parquet").exists()
    errors = runner.invoke(app, ["logs", "query", ident, "--level", "error", "--limit", "1000", "--oldest"])
    assert errors.exit_code == 0, errors.output
    lines = errors.output.strip().splitlines()
    assert len(lines) == sample.levels["error"]
    assert lines[0] == "2026-03-01T08:00:06.000Z ERROR api payment 6 declined by gateway"
    # Relative --since: the sample is in the past, so nothing is within the last hour.
    recent = runner.invoke(app, ["logs", "query", ident, "--since", "1h"])
    assert recent.exit_code == 0 and recent.output == ""
    as_json = runner.invoke(
        app, ["logs", "query", ident, "--field", "service=billing", "--limit", "2", "--json"]
    )
    rows = [json.loads(line) for line in as_json.output.splitlines()]
    assert [row["service"] for row in rows] == ["billing", "billing"]
    summary = json.loads(runner.invoke(app, ["logs", "query", ident, "--summary"]).output)
    assert summary["records"] == sample.records and summary["malformed"] == sample.malformed


def test_refusals(env: Path) -> None:
    source = env / "a.log"
    source.write_text("x\n")
    bad_format = runner.invoke(app, ["logs", "ingest", str(source), "--format", "xml"])
    assert bad_format.exit_code == 1 and "xml" in bad_format.output
    missing = runner.invoke(app, ["logs", "query", "no-such-id"])
    assert missing.exit_code == 1 and "no ingested log" in missing.output


def test_help() -> None:
    for command in (["logs"], ["logs", "ingest"], ["logs", "query"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output
