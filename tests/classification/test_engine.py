"""The offline classifier on documents made to order: text, title and layout each decide a case."""

from __future__ import annotations

import pytest

import docuforge
from docuforge.classification import Category, ClassifyOptions, classify
from tests.fixtures.pdfs import LOREM, Heading, KeyValues, Page, Paragraph, Table, make_pdf

CATEGORIES = [
    Category(name="invoice", criteria=["bill with invoice number", "amount due and payment terms"]),
    Category(name="application form", criteria=["fields to fill in", "applicant name and signature"]),
    Category(name="financial report", criteria=["tables of numbers", "revenue and balance sheet"]),
]


@pytest.fixture(scope="module")
def documents() -> dict[str, docuforge.Document]:
    invoice = make_pdf(
        [
            Page(
                [
                    Heading("Invoice", 20),
                    KeyValues([("Invoice number", "INV-0042"), ("Payment terms", "30 days")]),
                    Paragraph("Amount due: $1,240.00. Please pay by bank transfer."),
                ]
            )
        ]
    )
    form = make_pdf(
        [
            Page(
                [
                    Heading("Membership Application", 18),
                    Paragraph("Please fill in every field in block letters."),
                    KeyValues([(label, "__________") for label in ("Name", "Address", "Phone", "Email")]),
                    KeyValues([("Signature of applicant", "__________"), ("Date", "__________")]),
                ]
            )
        ]
    )
    rows = [["Item", "2025", "2026"]] + [[f"Line {i}", str(100 + i), str(200 + i)] for i in range(8)]
    report = make_pdf([Page([Heading("Annual results", 18), Paragraph(LOREM), Table(rows), Table(rows[:5])])])
    return {
        name: docuforge.parse(data)
        for name, data in (("invoice", invoice), ("form", form), ("report", report))
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [("invoice", "invoice"), ("form", "application form"), ("report", "financial report")],
)
def test_each_document_finds_its_category(documents, name: str, expected: str) -> None:
    found = classify(documents[name], CATEGORIES, ClassifyOptions(embeddings=False))
    assert found.category == expected, found.scores
    assert found.confidence == max(s.confidence for s in found.scores) and found.confidence > 0.4
    assert abs(sum(s.confidence for s in found.scores) - 1) < 1e-3
    assert found.evidence and found.pages == [1]


def test_layout_signals_are_switchable(documents) -> None:
    bare = [Category(name="alpha", criteria=["tables of numbers"]), Category(name="beta", criteria=["prose"])]
    on = classify(documents["report"], bare, ClassifyOptions(embeddings=False))
    off = classify(documents["report"], bare, ClassifyOptions(embeddings=False, layout_signals=False))
    assert on.category == "alpha"
    assert on.scores[0].score > off.scores[0].score
    assert any(line.startswith("tables:") for line in on.evidence)


def test_metadata_and_accurate_mode(documents) -> None:
    cats = [Category(name="claims", criteria=["insurance claim"]), Category(name="other", criteria=["misc"])]
    plain = classify(documents["invoice"], cats, ClassifyOptions(embeddings=False))
    told = classify(
        documents["invoice"], cats, ClassifyOptions(embeddings=False, metadata="an insurance claim bundle")
    )
    assert told.scores[0].score > plain.scores[0].score and told.category == "claims"
    accurate = classify(documents["form"], CATEGORIES, ClassifyOptions(embeddings=False, accurate=True))
    assert accurate.category == "application form"


def test_no_categories_is_an_error(documents) -> None:
    with pytest.raises(ValueError, match="at least one"):
        classify(documents["invoice"], [])
