"""The offline splitter on a packet with known boundaries."""

from __future__ import annotations

import pytest

import docuforge
from docuforge.splitting import Section, SplitOptions, split
from tests.fixtures.packets import SECTIONS, TRUTH, packet

SECTION_MODELS = [Section.model_validate(s) for s in SECTIONS]


@pytest.fixture(scope="module")
def document() -> docuforge.Document:
    return docuforge.parse(packet())


def test_pages_land_in_their_sections(document) -> None:
    result = split(document, SECTION_MODELS, SplitOptions(embeddings=False))
    found = {s.name: s.pages for s in result.splits}
    for name in ("Invoice", "Bank statement", "Lease agreement"):
        assert found[name] == [p for p, truth in TRUTH.items() if truth == name], found
    assert all(s.confidence > 0.5 for s in result.splits)
    assert result.boundaries == [1, 3, 5, 7]
    titles = [(e.title, e.section, e.start_page, e.end_page) for e in result.toc]
    assert titles == [
        ("Invoice", "Invoice", 1, 2),
        ("Bank Statement", "Bank statement", 3, 4),
        ("Bank Statement", "Bank statement", 5, 5),
        ("Residential Lease Agreement", "Lease agreement", 7, 8),
    ]


def test_partitions_by_account_number(document) -> None:
    statements = next(
        s for s in split(document, SECTION_MODELS, SplitOptions(embeddings=False)).splits if s.partitions
    )
    assert [(p.name, p.pages) for p in statements.partitions] == [("12-345-678", [3, 4]), ("98-765-432", [5])]
    strict = split(document, SECTION_MODELS, SplitOptions(embeddings=False, auto_partition=False))
    statements = next(s for s in strict.splits if s.partitions)
    assert [(p.name, p.pages) for p in statements.partitions] == [("12-345-678", [3]), ("98-765-432", [5])]


def test_evidence_names_the_signals(document) -> None:
    result = split(document, SECTION_MODELS, SplitOptions(embeddings=False))
    lease = next(s for s in result.splits if s.name == "Lease agreement")
    first = lease.evidence[0]
    assert first.page_number == 7 and first.confidence == "high"
    assert "follows a blank separator page" in first.evidence and "lease" in first.evidence.lower()
    bare = split(document, SECTION_MODELS, SplitOptions(embeddings=False, page_signals=False))
    assert "follows a blank" not in bare.splits[2].evidence[0].evidence


def test_rules_quote_where_sections_start(document) -> None:
    one = [Section(name="Everything", description="any page")]
    plain = split(document, one, SplitOptions(embeddings=False, page_signals=False))
    assert plain.boundaries == [1]
    ruled = split(
        document,
        one,
        SplitOptions(embeddings=False, page_signals=False, rules='A document starts at "Statement period"'),
    )
    assert ruled.boundaries == [1, 3, 5]


def test_no_sections_is_an_error(document) -> None:
    with pytest.raises(ValueError, match="at least one"):
        split(document, [])
