"""`docuforge workspaces`: create, add a tender ZIP, ask, run a question file, export it."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from tests.workspaces.tender import QUESTIONS, tender_zip
from typer.testing import CliRunner

from docuforge.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCUFORGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DOCUFORGE_JOBS__PROCESS_WORKERS", "1")
    monkeypatch.setenv("DOCUFORGE_JOBS__POLL_INTERVAL", "0.2")
    return tmp_path


@pytest.mark.parametrize("command", ["create", "add", "ask", "run-questions", "export", "list"])
def test_workspace_commands_explain_themselves(command: str) -> None:
    result = runner.invoke(app, ["workspaces", command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_the_tender_from_the_command_line(env: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["orgs", "create", "default"]).exit_code == 0
    made = runner.invoke(app, ["workspaces", "create", "tender"])
    assert made.exit_code == 0, made.output
    workspace_id = made.stdout.strip()
    (env / "tender.zip").write_bytes(tender_zip())
    added = runner.invoke(app, ["workspaces", "add", "tender", str(env / "tender.zip")])
    assert added.exit_code == 0, added.output
    assert added.stdout.count(" ready ") == 4, added.output
    again = runner.invoke(app, ["workspaces", "add", workspace_id, str(env / "tender.zip")])
    assert again.stdout.count("already there") == 4, again.output

    asked = runner.invoke(app, ["workspaces", "ask", "tender", "Who is the contracting authority?", "--json"])
    assert asked.exit_code == 0, asked.output
    answer = json.loads(asked.stdout)
    assert "City of Ghent" in answer["answer"] and answer["citations"][0]["filename"] == "tender/notice.pdf"

    (env / "questions.json").write_text(json.dumps(QUESTIONS))
    ran = runner.invoke(
        app,
        ["workspaces", "run-questions", "tender", str(env / "questions.json"), "-o", str(env / "out.csv")],
    )
    assert ran.exit_code == 0, ran.output
    rows = list(csv.DictReader(io.StringIO((env / "out.csv").read_text())))
    assert len(rows) == len(QUESTIONS) and all(" p." in row["sources"] for row in rows)
    found = re.search(r"^job ([0-9a-f-]{36}): completed", ran.stderr, re.M)
    assert found, ran.stderr
    job_id = found.group(1)
    exported = runner.invoke(app, ["workspaces", "export", "tender", job_id, "--format", "json"])
    assert exported.exit_code == 0 and len(json.loads(exported.stdout)["results"]) == len(QUESTIONS)
    missing = runner.invoke(app, ["workspaces", "ask", "nothing-by-this-name", "x?"])
    assert missing.exit_code == 1 and "no single workspace" in missing.output
