"""Golden files: the Markdown and the block list of generated documents, reviewed as a diff.

Regenerate with `DOCUFORGE_REGEN=1 .venv/bin/pytest tests/render/test_golden.py` after a
deliberate change, and read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.fixtures.pdfs import (
    LOREM,
    Bullets,
    Columns,
    Figure,
    Heading,
    KeyValues,
    Page,
    Paragraph,
    Table,
    make_pdf,
)

import docuforge
from docuforge.document.model import Document

GOLDEN = Path(__file__).parents[1] / "data" / "pdf" / "groundtruth"
SHORT = "A short paragraph that says one thing and ends."
FURNITURE = {"header": "Handbook - internal", "footer": "Version 3", "page_number": True}

DOCUMENTS = {
    "handbook": lambda: make_pdf(
        [
            Page(
                [
                    Heading("Employee Handbook", 22),
                    Paragraph(LOREM),
                    Heading("1. Working hours", 14),
                    Paragraph(SHORT),
                    Bullets(["Core hours are ten to four.", "Fridays end at three."]),
                    Heading("2. Expenses", 14),
                    Table(
                        [
                            ["Item", "Limit", "Receipt"],
                            ["Meal", "25", "yes"],
                            ["Taxi", "40", "yes"],
                            ["Coffee", "5", "no"],
                        ]
                    ),
                    KeyValues([("Owner", "People team"), ("Reviewed", "2026-03-01")]),
                ],
                **FURNITURE,
            ),
            Page([Heading("2.1 Travel", 12), Paragraph(LOREM), Paragraph(SHORT)], **FURNITURE),
        ]
    ),
    "paper": lambda: make_pdf(
        [
            Page(
                [
                    Heading("Reading Order in Practice", 18),
                    Columns(
                        [
                            [Paragraph("Left. " + LOREM), Paragraph("Left again. " + SHORT)],
                            [Paragraph("Right. " + LOREM)],
                        ]
                    ),
                    Figure(caption="Figure 2: Results"),
                    Table(
                        [
                            ["Method", "Precision", "Recall"],
                            ["Ours", "0.91", "0.88"],
                            ["Baseline", "0.80", "0.79"],
                        ],
                        style="booktabs",
                    ),
                ]
            )
        ]
    ),
}


def blocks_listing(document: Document) -> str:
    lines = []
    for block in document.blocks():
        box = block.bbox
        lines.append(
            f"p{box.page} {block.type:<14} {box.left:.3f} {box.top:.3f} {box.width:.3f} {box.height:.3f} "
            f"{block.content[:60]!r}"
        )
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_golden(name: str) -> None:
    document = docuforge.parse(DOCUMENTS[name]())
    outputs = {f"{name}.md": docuforge.to_markdown(document), f"{name}.blocks.txt": blocks_listing(document)}
    for filename, produced in outputs.items():
        path = GOLDEN / filename
        if os.environ.get("DOCUFORGE_REGEN") == "1":
            path.write_text(produced)
        assert path.exists(), f"{path} is missing: run with DOCUFORGE_REGEN=1"
        assert produced == path.read_text(), (
            f"{filename} changed: rerun with DOCUFORGE_REGEN=1 and review the diff"
        )
