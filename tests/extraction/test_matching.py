"""Label-to-field matching: words, case splitting, synonyms; and by meaning with the shared embeddings."""

from __future__ import annotations

import pytest

from docuforge.extraction.matching import Scorer, field_terms, lexical, load_embedder, words
from docuforge.extraction.schema import Field


def test_names_split_and_synonyms_count() -> None:
    assert words("invoiceNumber") == ("invoice", "number")
    assert words("unit_price-EUR") == ("unit", "price", "eur")
    quantity = field_terms(Field(name="quantity", type="integer"))
    assert lexical(quantity, "Qty") > 0.8
    total = field_terms(Field(name="total", type="number", description="Total amount paid, after rounding"))
    assert lexical(total, "TOTAL ROUNDED") > lexical(total, "TOTAL") > lexical(total, "Total 0% supplies")
    assert lexical(field_terms(Field(name="vendor", type="string")), "Bill To") == 0.0


@pytest.mark.slow
def test_meaning_finds_a_label_that_shares_no_word() -> None:
    embed = load_embedder()
    assert embed is not None, "docuforge.index.embeddings is part of the package"
    field = field_terms(Field(name="employer", type="string", description="Company the person works for"))
    scorer = Scorer(embed)
    assert lexical(field, "Name of organisation") == 0.0
    assert scorer.score(field, "Name of organisation") > scorer.score(field, "Date of birth")
