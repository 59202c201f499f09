"""docuforge pipelines create|list|run against the embedded database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from docuforge.cli import app
from tests.fixtures.forms import acroform_pdf
from tests.fixtures.packets import SECTIONS, packet

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCUFORGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DOCUFORGE_DOCUMENT_OPS__EMBEDDINGS", "false")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["orgs", "create", "acme"]).exit_code == 0
    return tmp_path


def test_create_list_and_run(env: Path) -> None:
    schema = {"type": "object", "properties": {"account_number": {"type": "string"}}}
    steps = {"split": {"split_description": SECTIONS}, "extract": {"schema": schema, "per_split": True}}
    (env / "split.json").write_text(json.dumps(steps))
    (env / "edit.json").write_text(json.dumps({"edit": {"edit_instructions": "vessel: Northwind"}}))
    made = runner.invoke(
        app, ["pipelines", "create", "packets", "--config", str(env / "split.json"), "--org", "acme"]
    )
    assert made.exit_code == 0 and "parse -> split -> extract" in made.output, made.output
    assert (
        runner.invoke(
            app, ["pipelines", "create", "form", "--config", str(env / "edit.json"), "--org", "acme"]
        ).exit_code
        == 0
    )
    dup = runner.invoke(
        app, ["pipelines", "create", "form", "--config", str(env / "edit.json"), "--org", "acme"]
    )
    assert dup.exit_code == 1 and "exists already" in dup.output
    listed = runner.invoke(app, ["pipelines", "list", "--org", "acme"])
    assert "packets" in listed.output and "form" in listed.output
    (env / "packet.pdf").write_bytes(packet(blank=False))
    ran = runner.invoke(app, ["pipelines", "run", "packets", str(env / "packet.pdf"), "--org", "acme"])
    assert ran.exit_code == 0, ran.output
    found = json.loads(ran.stdout)
    assert [s["pages"] for s in found["split"]["splits"]] == [[1, 2], [3, 4, 5], [6, 7]]
    accounts = [(e["partition"], e["value"]["account_number"]) for e in found["extract"] if e["partition"]]
    assert accounts == [("12-345-678", "12-345-678"), ("98-765-432", "98-765-432")]
    (env / "form.pdf").write_bytes(acroform_pdf())
    out = env / "filled.pdf"
    filled = runner.invoke(
        app, ["pipelines", "run", "form", str(env / "form.pdf"), "-o", str(out), "--org", "acme"]
    )
    assert filled.exit_code == 0 and "Vessel name [text]: Northwind" in filled.output
    assert PdfReader(io.BytesIO(out.read_bytes())).get_fields()["vessel_name"].get("/V") == "Northwind"
    missing = runner.invoke(app, ["pipelines", "run", "nope", str(env / "form.pdf"), "--org", "acme"])
    assert missing.exit_code == 1 and "no pipeline 'nope'" in missing.output
