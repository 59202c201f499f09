"""`docuforge logs ingest` and `docuforge logs query` on this machine's data dir."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
import zstandard
from typer.testing import CliRunner

from docuforge.cli import app
from tests.fixtures.processes import bootstrap_key, docuforge_server
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


@pytest.mark.slow
def test_query_through_a_server(env: Path) -> None:
    """`logs query JOB --server URL --api-key KEY` prints a server's log job as the local query
    prints the same file ingested here: same lines, pages followed past the API's 1000."""
    sample = mixed_jsonl(2500)
    source = env / "app.log"
    source.write_text(sample.text)
    ident = runner.invoke(app, ["logs", "ingest", str(source)]).output.strip().split(": ", 1)[0]
    (env / "server").mkdir()
    with docuforge_server({"DOCUFORGE_LOG__LEVEL": "WARNING"}, env / "server") as base:
        key = bootstrap_key(env / "server" / "server.log")
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as client:
            upload = client.post("/upload", files={"file": ("app.log", sample.text.encode())})
            assert upload.status_code == 200, upload.text
            body = {"file_id": upload.json()["file_id"], "log_format": "jsonl"}
            submitted = client.post("/logs", json=body)
            assert submitted.status_code == 202, submitted.text
            job = submitted.json()["job_id"]
            deadline = time.monotonic() + 90
            while (status := client.get(f"/jobs/{job}").json()["status"]) != "COMPLETED":
                assert status != "FAILED" and time.monotonic() < deadline, status
                time.sleep(0.1)
        remote = ["--server", base, "--api-key", key]
        for args in (
            ["--level", "error", "--limit", "1000", "--oldest"],
            ["--limit", "2200", "--oldest"],  # three pages of the API
            ["--limit", "1200"],
            ["--grep", "DECLINED", "--field", "service=api", "--limit", "3"],
            ["--since", "2026-03-01T08:05:00Z", "--until", "2026-03-01T08:06:00Z", "--level", "warn,error"],
        ):
            there = runner.invoke(app, ["logs", "query", job, *remote, *args])
            here = runner.invoke(app, ["logs", "query", ident, *args])
            assert there.exit_code == 0, there.output
            assert there.output == here.output and there.output, args
        pages = runner.invoke(app, ["logs", "query", job, *remote, "--limit", "2200"])
        assert len(pages.output.splitlines()) == 2200
        summary = json.loads(runner.invoke(app, ["logs", "query", job, *remote, "--summary"]).output)
        assert summary["records"] == sample.records and summary["job_ids"] == [job]
        missing = runner.invoke(app, ["logs", "query", "00000000-0000-0000-0000-000000000000", *remote])
        assert missing.exit_code == 1 and "404" in missing.output
        refused = runner.invoke(app, ["logs", "query", job, "--server", base, "--api-key", "df_wrong"])
        assert refused.exit_code == 1 and "401" in refused.output
    unreachable = runner.invoke(app, ["logs", "query", job, "--server", base, "--api-key", key])
    assert unreachable.exit_code == 1 and "cannot reach" in unreachable.output
