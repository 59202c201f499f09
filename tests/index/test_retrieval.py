"""Hybrid retrieval over both Chroma modes: fused rankings, filters, a lexical side that follows
the collection as it changes."""

from __future__ import annotations

from docuforge.index.chroma import ChromaStore
from docuforge.index.retrieval import Embedder, RetrievalOptions, Retriever
from docuforge.index.store import Box, Filters, Passage

TEXTS = [
    ("t1", "tender.pdf", 1, "The contract value is EUR 1,250,000 excluding VAT."),
    ("t1", "tender.pdf", 2, "A penalty of 0.5% per day of delay applies, capped at 10% of the price."),
    ("t1", "tender.pdf", 3, "Bids must be submitted before 15 March 2027 at noon."),
    ("t2", "buyer.pdf", 1, "The contracting authority is the City of Ghent, Belgium."),
    ("t3", "lots.csv", 1, "lot: 2; description: road maintenance; budget: 300000"),
]


def _passages() -> list[Passage]:
    out = []
    for number, (document, filename, page, text) in enumerate(TEXTS):
        out.append(
            Passage(
                id=f"{document}:{number}",
                document_id=document,
                filename=filename,
                document_type="csv" if filename.endswith(".csv") else "document",
                page=page,
                bbox=None
                if filename.endswith(".csv")
                else Box(left=0.1, top=0.1 * page, width=0.8, height=0.05),
                row=1 if filename.endswith(".csv") else None,
                text=text,
            )
        )
    return out


def test_hybrid_search_finds_the_cited_passage(store: ChromaStore, embedder: Embedder) -> None:
    retriever = Retriever(store, embedder)
    retriever.add("ws-hybrid", _passages())
    hits = retriever.search("ws-hybrid", "Is there a penalty for late delivery?")
    assert hits[0].text.startswith("A penalty") and hits[0].page == 2 and hits[0].bbox is not None
    assert hits[0].document_id == "t1" and hits[0].filename == "tender.pdf"
    assert 0 < hits[0].score <= 1 and hits[0].dense_score is not None and hits[0].lexical_score is not None
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for mode in ("dense", "lexical"):
        only = retriever.search("ws-hybrid", "penalty per day of delay", RetrievalOptions(mode=mode))
        assert only[0].page == 2


def test_filters_apply_to_both_rankings(store: ChromaStore, embedder: Embedder) -> None:
    retriever = Retriever(store, embedder)
    retriever.add("ws-filters", _passages())
    hits = retriever.search("ws-filters", "budget of the lot", filters=Filters(document_types=["csv"]))
    assert [h.document_id for h in hits] == ["t3"] and hits[0].row == 1
    hits = retriever.search("ws-filters", "contract", filters=Filters(document_ids=["t1"], pages=[3]))
    assert {(h.document_id, h.page) for h in hits} == {("t1", 3)}


def test_the_lexical_index_follows_additions_and_removals(store: ChromaStore, embedder: Embedder) -> None:
    retriever = Retriever(store, embedder)
    retriever.add("ws-follow", _passages()[:2])
    assert retriever.search("ws-follow", "Ghent", RetrievalOptions(mode="lexical")) == []
    retriever.add("ws-follow", _passages()[3:4])
    assert retriever.search("ws-follow", "Ghent", RetrievalOptions(mode="lexical"))[0].document_id == "t2"
    # A second retriever (another process, in effect) sees the same collection.
    other = Retriever(store, embedder)
    retriever.remove("ws-follow", Filters(document_ids=["t2"]))
    assert other.search("ws-follow", "Ghent", RetrievalOptions(mode="lexical")) == []
    assert retriever.search("ws-follow", "Ghent", RetrievalOptions(mode="lexical")) == []
