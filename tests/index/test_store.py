"""The Chroma store in both modes: our own vectors in, filtered nearest passages out."""

from __future__ import annotations

import numpy as np
import pytest

from docuforge.index.chroma import ChromaStore
from docuforge.index.store import Box, Filters, Passage


def _unit(*values: float) -> np.ndarray:
    vector = np.zeros(384, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


PASSAGES = [
    Passage(
        id="d1:0",
        document_id="d1",
        filename="a.pdf",
        page=1,
        text="alpha",
        bbox=Box(left=0.1, top=0.2, width=0.3, height=0.1),
    ),
    Passage(
        id="d1:1",
        document_id="d1",
        filename="a.pdf",
        page=2,
        text="beta",
        bbox=Box(left=0.1, top=0.5, width=0.3, height=0.1),
    ),
    Passage(id="d2:0", document_id="d2", filename="b.csv", document_type="csv", row=3, text="gamma"),
]
VECTORS = np.stack([_unit(1, 0, 0), _unit(0.9, 0.1, 0), _unit(0, 0, 1)])


def test_nearest_passages_carry_what_a_citation_needs(store: ChromaStore) -> None:
    store.add("ws-near", PASSAGES, VECTORS)
    found = store.query("ws-near", _unit(1, 0, 0), 2, Filters())
    assert [p.id for p, _ in found] == ["d1:0", "d1:1"]
    first, similarity = found[0]
    assert similarity == pytest.approx(1.0, abs=1e-4)
    assert (first.filename, first.page, first.bbox) == ("a.pdf", 1, PASSAGES[0].bbox)
    record = store.query("ws-near", _unit(0, 0, 1), 1, Filters())[0][0]
    assert (record.document_type, record.row, record.bbox) == ("csv", 3, None)


def test_filters_by_document_type_and_page(store: ChromaStore) -> None:
    store.add("ws-filter", PASSAGES, VECTORS)
    query = _unit(1, 0, 0)
    assert [p.id for p, _ in store.query("ws-filter", query, 5, Filters(pages=[2]))] == ["d1:1"]
    assert [p.id for p, _ in store.query("ws-filter", query, 5, Filters(document_ids=["d2"]))] == ["d2:0"]
    assert [p.id for p, _ in store.query("ws-filter", query, 5, Filters(document_types=["csv"]))] == ["d2:0"]
    both = Filters(document_ids=["d1"], pages=[1])
    assert [p.id for p, _ in store.query("ws-filter", query, 5, both)] == ["d1:0"]


def test_delete_by_filter_and_version_tag(store: ChromaStore) -> None:
    store.add("ws-delete", PASSAGES, VECTORS)
    before = store.version("ws-delete")
    store.delete("ws-delete", Filters(document_ids=["d1"]))
    assert store.version("ws-delete") != before
    version, remaining = store.passages("ws-delete")
    assert version == store.version("ws-delete")
    assert [p.id for p in remaining] == ["d2:0"]
    store.drop("ws-delete")
    assert store.count("ws-delete") == 0


def test_chroma_never_computes_an_embedding(store: ChromaStore) -> None:
    store.add("ws-refuse", PASSAGES[:1], VECTORS[:1])
    collection = store._collection("ws-refuse")
    with pytest.raises(Exception, match="must not compute"):
        collection.query(query_texts=["alpha"], n_results=1)
