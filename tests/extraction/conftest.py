"""Documents with known contents for the extraction tests, parsed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from docuforge.document.model import Document
from docuforge.parsing.options import ParseOptions
from docuforge.parsing.pipeline import parse
from tests.fixtures.pdfs import Heading, KeyValues, Page, Paragraph, Table, make_pdf

ITEMS = [
    ["Widget, large", "4", "12.50", "50.00"],
    ["Gasket set", "10", "1,200.00", "12,000.00"],
    ["Service call", "1", "(75.00)", "(75.00)"],
] + [[f"Spare part {n}", str(n), "2.00", f"{2 * n:.2f}"] for n in range(1, 31)]


def invoice_pages() -> list[Page]:
    header = ["Description", "Qty", "Unit Price", "Amount"]
    first = Page(
        [
            Heading("ACME Industrial Supplies Ltd", size=18),
            Paragraph("12 Harbour Road, Springfield 40412"),
            KeyValues(
                [
                    ("Invoice No", "INV-2024-0117"),
                    ("Invoice Date", "March 5, 2024"),
                    ("Due Date", "04/04/2024"),
                    ("PO Number", "PO-88213"),
                    ("Paid", "No"),
                ]
            ),
            Heading("Bill To", size=12),
            Paragraph("Globex Corporation"),
            Paragraph("77 Elm Street, Shelbyville 50231"),
            Table([header, *ITEMS[:18]], style="grid"),
        ]
    )
    second = Page(
        [
            Table([header, *ITEMS[18:]], style="grid"),
            KeyValues([("Subtotal", "$12,000.00"), ("Tax (8%)", "$960.00"), ("Total Due", "$12,960.00")]),
        ]
    )
    return [first, second]


@pytest.fixture(scope="session")
def invoice_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("extraction") / "invoice.pdf"
    path.write_bytes(make_pdf(invoice_pages()))
    return path


@pytest.fixture(scope="session")
def invoice(invoice_pdf: Path) -> Document:
    return parse(invoice_pdf, ParseOptions(word_boxes=True))


INVOICE_SCHEMA = {
    "type": "object",
    "properties": {
        "invoiceNumber": {"type": "string", "description": "The invoice's number"},
        "invoice_date": {"type": "string", "format": "date"},
        "due_date": {"type": "string", "format": "date", "description": "When payment is due"},
        "purchase_order": {"type": "string", "description": "Purchase order reference"},
        "paid": {"type": "boolean", "description": "Whether the invoice is paid"},
        "vendor": {"type": "string", "description": "Company that issued the invoice"},
        "bill_to": {
            "type": "object",
            "description": "The customer billed",
            "properties": {"name": {"type": "string"}, "address": {"type": "string"}},
        },
        "total": {"type": "number", "description": "Total amount due"},
        "tax": {"type": "number"},
        "line_items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "description": {"type": "string"},
                    "quantity": {"type": "integer"},
                    "unit_price": {"type": "number"},
                    "amount": {"type": "number", "description": "Line total"},
                },
            },
        },
    },
    "required": ["invoiceNumber", "total"],
}
