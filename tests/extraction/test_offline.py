"""The offline engine on a generated two-page invoice whose contents are known exactly."""

from __future__ import annotations

import pytest

import docuforge
from docuforge.document.model import Document
from docuforge.errors import ErrorCode
from docuforge.extraction import ExtractOptions, SchemaError, extract
from tests.extraction.conftest import INVOICE_SCHEMA, ITEMS


@pytest.fixture(scope="module")
def result(invoice: Document):
    return extract(invoice, INVOICE_SCHEMA, ExtractOptions(dense=False))


def test_header_fields_are_typed(result) -> None:
    value = result.value
    assert value["invoiceNumber"] == "INV-2024-0117"
    assert value["invoice_date"] == "2024-03-05"
    assert value["due_date"] == "2024-04-04"
    assert value["purchase_order"] == "PO-88213"
    assert value["paid"] is False
    assert value["total"] == pytest.approx(12960.0)
    assert value["tax"] == pytest.approx(960.0)
    assert value["vendor"] == "ACME Industrial Supplies Ltd"


def test_nested_object_from_its_section(result) -> None:
    assert result.value["bill_to"] == {
        "name": "Globex Corporation",
        "address": "77 Elm Street, Shelbyville 50231",
    }


def test_line_items_across_pages(result) -> None:
    items = result.value["line_items"]
    assert len(items) == len(ITEMS)
    assert items[1] == {"description": "Gasket set", "quantity": 10, "unit_price": 1200.0, "amount": 12000.0}
    assert items[2]["amount"] == -75.0  # parentheses are a negative amount
    assert items[-1]["description"] == "Spare part 30"


def test_every_leaf_is_cited_where_its_text_is(result, invoice: Document) -> None:
    blocks = {b.id: b for b in invoice.blocks()}
    assert result.leaves
    for leaf in result.leaves:
        assert leaf.citations, leaf.path
        citation = leaf.citations[0]
        assert 0 < citation.confidence <= 1
        block = blocks[citation.block_ids[0]]
        assert block.bbox.page == citation.page
        # The box sits inside its block's box, and the cited text is in the block.
        box = citation.bbox
        assert block.bbox.left - 0.01 <= box.left and box.right <= block.bbox.right + 0.01
        assert block.bbox.top - 0.01 <= box.top and box.bottom <= block.bbox.bottom + 0.01
        assert (
            citation.text.lower()
            in (block.content + "".join(c.text for c in (block.table.cells if block.table else []))).lower()
        )
    last = next(leaf for leaf in result.leaves if leaf.path == ["line_items", len(ITEMS) - 1, "description"])
    assert last.citations[0].page == 2


def test_cited_tree_mirrors_the_value(result) -> None:
    cited = result.cited()
    assert cited["total"]["value"] == result.value["total"]
    assert cited["total"]["citations"][0]["text"] == "12,960.00"
    assert cited["line_items"][0]["quantity"]["value"] == 4
    assert result.num_fields == 14 and result.num_pages == 2


def test_unknown_fields_stay_empty_and_lower_confidence(invoice: Document) -> None:
    schema = {
        "type": "object",
        "properties": {"iban": {"type": "string", "description": "International bank account number"}},
        "required": ["iban"],
    }
    result = extract(invoice, schema, ExtractOptions(dense=False))
    assert result.value == {"iban": None}
    assert result.confidence == "low" and result.confidence_reason


def test_library_export_and_bad_schema(invoice: Document) -> None:
    assert docuforge.extract is extract
    with pytest.raises(SchemaError) as raised:
        extract(invoice, {"type": "object", "properties": {"x": {"type": "frobnicate"}}})
    assert raised.value.code is ErrorCode.INVALID_SCHEMA and raised.value.status_code == 400
