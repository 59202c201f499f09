"""docuforge classify, split and fill: results on stdout or in a file, clear failures."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from docuforge.cli import app
from tests.fixtures.pdfs import Heading, KeyValues, Page, Paragraph, make_pdf

runner = CliRunner()
INVOICE = make_pdf(
    [Page([Heading("Invoice", 20), KeyValues([("Invoice number", "42")]), Paragraph("Amount due: $10.00")])]
)


def test_classify(tmp_path: Path) -> None:
    (tmp_path / "doc.pdf").write_bytes(INVOICE)
    (tmp_path / "cats.json").write_text(
        json.dumps({"invoice": ["invoice number", "amount due"], "paper": ["abstract", "references"]})
    )
    result = runner.invoke(
        app, ["classify", str(tmp_path / "doc.pdf"), "--categories", str(tmp_path / "cats.json")]
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["category"] == "invoice" and found["confidence"] > 0.5
    (tmp_path / "bad.json").write_text("[1, 2]")
    bad = runner.invoke(
        app, ["classify", str(tmp_path / "doc.pdf"), "--categories", str(tmp_path / "bad.json")]
    )
    assert bad.exit_code == 1 and "categories must be" in bad.output


def test_split(tmp_path: Path) -> None:
    from tests.fixtures.packets import SECTIONS, packet

    (tmp_path / "packet.pdf").write_bytes(packet(blank=False))
    (tmp_path / "sections.json").write_text(json.dumps(SECTIONS))
    out = tmp_path / "split.json"
    args = [
        "split",
        str(tmp_path / "packet.pdf"),
        "--sections",
        str(tmp_path / "sections.json"),
        "-o",
        str(out),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    found = json.loads(out.read_text())
    assert [s["pages"] for s in found["splits"]] == [[1, 2], [3, 4, 5], [6, 7]]
    assert [e["start_page"] for e in found["toc"]] == [1, 3, 5, 6]
    (tmp_path / "bad.json").write_text('[{"description": "no name"}]')
    bad = runner.invoke(
        app, ["split", str(tmp_path / "packet.pdf"), "--sections", str(tmp_path / "bad.json")]
    )
    assert bad.exit_code == 1 and "sections must be" in bad.output


def test_fill(tmp_path: Path) -> None:
    import io

    from pypdf import PdfReader

    from tests.fixtures.forms import acroform_pdf

    (tmp_path / "form.pdf").write_bytes(acroform_pdf())
    out = tmp_path / "out.pdf"
    result = runner.invoke(
        app,
        [
            "fill",
            str(tmp_path / "form.pdf"),
            "--instructions",
            "vessel: Northwind, the weather is fine",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "Vessel name [text]: Northwind" in result.stdout and "not used: the weather is fine" in result.output
    )
    assert PdfReader(io.BytesIO(out.read_bytes())).get_fields()["vessel_name"].get("/V") == "Northwind"
    empty = runner.invoke(app, ["fill", str(tmp_path / "form.pdf")])
    assert empty.exit_code == 1 and "nothing to fill" in empty.output
