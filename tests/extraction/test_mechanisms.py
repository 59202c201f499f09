"""The offline engine's switchable mechanisms, each on a small document whose layout is known exactly.

Every test checks the mechanism's answer and that turning its switch off changes it: a switch an
ablation reports must do something.
"""

from __future__ import annotations

import pytest

from docuforge.document.model import BBox, Block, BlockType, Cell, Document, Line, Page, Table
from docuforge.extraction import ExtractOptions, extract
from docuforge.extraction.candidates import read_layout

Row = tuple[str, float, float, float]  # text, left, top, right (line height 0.02)


def _box(left: float, top: float, right: float, height: float = 0.02) -> BBox:
    return BBox(left=left, top=top, width=right - left, height=height, page=1, original_page=1)


def document(blocks: list[list[Row]], tables: list[list[list[str]]] = ()) -> Document:
    out = []
    for index, rows in enumerate(blocks):
        lines = [Line(text=t, bbox=_box(left, top, right)) for t, left, top, right in rows]
        left = min(r[1] for r in rows)
        top = min(r[2] for r in rows)
        box = _box(left, top, max(r[3] for r in rows), max(r[2] for r in rows) + 0.02 - top)
        out.append(
            Block(
                id=f"p1-b{index}",
                type=BlockType.TEXT,
                bbox=box,
                content="\n".join(r[0] for r in rows),
                lines=lines,
            )
        )
    for offset, grid in enumerate(tables):
        cells = [
            Cell(row=r, col=c, text=text, bbox=_box(0.1 + 0.25 * c, 0.6 + 0.03 * r, 0.3 + 0.25 * c))
            for r, row in enumerate(grid)
            for c, text in enumerate(row)
        ]
        table = Table(n_rows=len(grid), n_cols=len(grid[0]), cells=cells)
        out.append(
            Block(
                id=f"p1-b{len(blocks) + offset}",
                type=BlockType.TABLE,
                bbox=_box(0.1, 0.6, 0.9, 0.03 * len(grid)),
                table=table,
            )
        )
    return Document(pages=[Page(number=1, original_number=1, width=300, height=800, blocks=out)])


RECEIPT = document(
    [
        [
            ("NORTHWIND HARBOUR SEAFOOD", 0.2, 0.05, 0.8),
            ("TRADING LTD", 0.3, 0.072, 0.7),
            ("Company Reg #0456789-K", 0.3, 0.094, 0.7),
            ("Apartment 4, Marlin House", 0.25, 0.116, 0.75),
            ("12 Quay Street, Dublin 2", 0.25, 0.138, 0.75),
            ("01-555 0199 / 0198", 0.3, 0.160, 0.7),
        ],
        [("TAX INVOICE", 0.35, 0.2, 0.65), ("Date: 14/02/2024", 0.1, 0.23, 0.5)],
        [
            ("Chowder 2 x 9.00", 0.1, 0.30, 0.6),
            ("18.00", 0.75, 0.30, 0.9),
            ("Oysters 1 x 22.00", 0.1, 0.33, 0.6),
            ("22.00", 0.75, 0.33, 0.9),
        ],
        [
            ("Total", 0.1, 0.40, 0.3),
            ("40.00", 0.75, 0.40, 0.9),
            ("Service Tax 6%", 0.1, 0.43, 0.4),
            ("2.40", 0.75, 0.43, 0.9),
            ("Total Incl. Tax", 0.1, 0.46, 0.4),
            ("42.40", 0.75, 0.46, 0.9),
            ("Card", 0.1, 0.49, 0.3),
            ("42.40", 0.75, 0.49, 0.9),
        ],
    ]
)
RECEIPT_SCHEMA = {
    "type": "object",
    "properties": {
        "company": {"type": "string", "description": "Name of the business that issued the receipt"},
        "address": {"type": "string", "description": "Address of the business"},
        "date": {"type": "string", "format": "date"},
        "total": {"type": "number", "description": "Total amount paid"},
    },
}


def _value(**switches: bool) -> dict:
    return extract(RECEIPT, RECEIPT_SCHEMA, ExtractOptions(**switches)).value


def test_the_grand_total_is_the_amount_the_payment_repeats() -> None:
    assert _value()["total"] == pytest.approx(42.40)
    # By label words alone, the bare "Total" line (before tax) wins.
    assert _value(total_evidence=False)["total"] == pytest.approx(40.00)


def test_an_issuers_name_set_over_two_lines() -> None:
    assert _value()["company"] == "NORTHWIND HARBOUR SEAFOOD TRADING LTD"
    assert _value(name_lines=False)["company"] != "NORTHWIND HARBOUR SEAFOOD TRADING LTD"


def test_an_address_block_from_its_first_line_to_the_phone() -> None:
    assert _value()["address"] == "Apartment 4, Marlin House 12 Quay Street, Dublin 2"
    assert _value(address_block=False)["address"] != _value()["address"]


def test_every_value_of_the_receipt_is_cited() -> None:
    result = extract(RECEIPT, RECEIPT_SCHEMA, ExtractOptions())
    by_path = {tuple(leaf.path): leaf for leaf in result.leaves}
    company = by_path[("company",)]
    assert [c.text for c in company.citations] == ["NORTHWIND HARBOUR SEAFOOD", "TRADING LTD"]
    total = by_path[("total",)]
    assert total.citations[0].text == "42.40"


CONTACTS = document(
    [[("Dec 10 '98", 0.1, 0.05, 0.3), ("17:46", 0.4, 0.05, 0.5)]],
    tables=[
        [
            ["Recipient", "Company", "Phone No"],
            ["Mr. A. Quinn", "Quinn & Daughters", "(212) 555-0100"],
            ["Ms. B. Ortiz", "Ortiz Holdings Inc", "(312) 555-0101"],
            ["Dr. C. Park", "Park Analytics", "(415) 555-0102"],
        ]
    ],
)


def _links(**switches: bool) -> set[tuple[str, str]]:
    layout = read_layout(CONTACTS, **switches)
    return {(p.label, p.value.text) for p in layout.pairs if p.value is not None and p.source != "prefix"}


def test_a_header_row_answers_for_every_cell_of_its_column() -> None:
    links = _links()
    assert {
        ("Phone No", "(212) 555-0100"),
        ("Phone No", "(312) 555-0101"),
        ("Phone No", "(415) 555-0102"),
    } <= links
    assert ("Company", "Park Analytics") in links
    # The cells under a header are values: a name is not the label of the company beside it.
    assert ("Mr. A. Quinn", "Quinn & Daughters") not in links
    off = _links(columns=False)
    assert ("Phone No", "(415) 555-0102") not in off
    assert ("Mr. A. Quinn", "Quinn & Daughters") in off


def test_a_date_is_no_label() -> None:
    assert ("Dec 10 '98", "17:46") not in _links()
    assert ("Dec 10 '98", "17:46") in _links(dates=False)


def test_a_single_field_reads_the_first_row_under_a_header() -> None:
    schema = {"type": "object", "properties": {"phone": {"type": "string", "description": "Phone number"}}}
    assert extract(CONTACTS, schema).value["phone"] == "(212) 555-0100"


BOOKING = document(
    [[("Booking:", 0.1, 0.1, 0.3), ("XK-22Q", 0.4, 0.1, 0.6), ("Guest: Ann Lee", 0.1, 0.13, 0.6)]]
)
BOOKING_SCHEMA = {
    "type": "object",
    "properties": {
        "locator": {"type": "string", "description": "The booking reference"},
        "guest": {"type": "string"},
    },
}


def test_the_deep_pass_fills_what_the_first_left_empty() -> None:
    first = extract(BOOKING, BOOKING_SCHEMA, ExtractOptions())
    assert first.value == {"locator": None, "guest": "Ann Lee"}
    deep = extract(BOOKING, BOOKING_SCHEMA, ExtractOptions(deep=True))
    assert deep.value == {"locator": "XK-22Q", "guest": "Ann Lee"}
    leaf = next(leaf for leaf in deep.leaves if leaf.path == ["locator"])
    assert leaf.citations and leaf.citations[0].text == "XK-22Q"


ORDER = document(
    [[("Order 7781", 0.1, 0.1, 0.4)]],
    tables=[
        [
            ["Description", "Qty Unit Price", "", "Amount"],
            ["Hex bolt", "4", "2.50", "10.00"],
            ["Washer", "10", "0.30", "3.00"],
            ["Bracket", "2", "7.25", "14.50"],
        ]
    ],
)
ORDER_SCHEMA = {
    "type": "object",
    "properties": {
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "description": {"type": "string"},
                    "quantity": {"type": "integer"},
                    "unit_price": {"type": "number"},
                    "amount": {"type": "number"},
                },
            },
        }
    },
}


def test_a_header_cell_over_two_columns_is_split_between_them() -> None:
    items = extract(ORDER, ORDER_SCHEMA).value["items"]
    assert [(i["quantity"], i["unit_price"]) for i in items] == [(4, 2.5), (10, 0.3), (2, 7.25)]
    merged = extract(ORDER, ORDER_SCHEMA, ExtractOptions(split_headers=False)).value["items"]
    assert [i["unit_price"] for i in merged] != [2.5, 0.3, 7.25]


@pytest.mark.parametrize(("line", "expected"), [("Total Payable:- 51.88", 51.88), ("Total (51.88)", -51.88)])
def test_a_dash_after_the_colon_is_a_leader_and_parentheses_a_credit(line: str, expected: float) -> None:
    doc = document([[("Acme Stores Ltd", 0.1, 0.05, 0.5), (line, 0.1, 0.5, 0.6)]])
    schema = {"type": "object", "properties": {"total": {"type": "number", "description": "Total amount"}}}
    assert extract(doc, schema).value["total"] == pytest.approx(expected)
