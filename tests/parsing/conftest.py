from __future__ import annotations

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

from docuforge.document.model import Block, BlockType, Document

SHORT = "A short paragraph that says one thing and ends."


def blocks(document: Document, kind: BlockType | None = None) -> list[Block]:
    return [b for b in document.blocks() if kind is None or b.type is kind]


@pytest.fixture(scope="session")
def report_pdf() -> bytes:
    """Three pages: headings, a ruled table, a list, key-values, running header/footer/page numbers."""
    furniture = {"header": "ACME Corp - Annual Report", "footer": "Confidential", "page_number": True}
    return make_pdf(
        [
            Page(
                [
                    Heading("Annual Report 2025", 22),
                    Paragraph(LOREM),
                    Heading("1. Revenue by region", 14),
                    Paragraph(SHORT),
                    Table(
                        [
                            ["Region", "Q1", "Q2", "Total"],
                            ["North", "10", "12", "22"],
                            ["South", "7", "9", "16"],
                        ]
                    ),
                    Heading("2. Outlook", 14),
                    Bullets(
                        [
                            "First point about growth.",
                            "Second point, which is long enough to wrap onto another line of text "
                            "in the list.",
                        ]
                    ),
                    KeyValues([("Prepared by", "Finance team"), ("Date", "2026-01-31")]),
                ],
                **furniture,
            ),
            Page([Heading("2.1 Details", 12), Paragraph(LOREM), Paragraph(SHORT)], **furniture),
            Page([Heading("3. Appendix", 14), Paragraph(SHORT)], **furniture),
        ],
        title="Annual Report",
        author="Finance",
    )


@pytest.fixture(scope="session")
def columns_pdf() -> bytes:
    """A full-width title over two columns, a figure below both, then a three-column band."""
    left = [Paragraph("Left one. " + LOREM), Paragraph("Left two. " + SHORT)]
    right = [Paragraph("Right one. " + LOREM), Paragraph("Right two. " + SHORT)]
    return make_pdf(
        [
            Page(
                [
                    Heading("A Paper in Columns", 18),
                    Columns([left, right]),
                    Figure(caption="Figure 1: Bars by month"),
                    Columns(
                        [
                            [Paragraph("Col A. " + SHORT)],
                            [Paragraph("Col B. " + SHORT)],
                            [Paragraph("Col C. " + SHORT)],
                        ]
                    ),
                ]
            )
        ]
    )


__all__ = [
    "LOREM",
    "SHORT",
    "Bullets",
    "Columns",
    "Figure",
    "Heading",
    "KeyValues",
    "Page",
    "Paragraph",
    "Table",
    "blocks",
    "make_pdf",
]
