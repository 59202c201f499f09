"""Hybrid retrieval: dense (our MiniLM embeddings in the vector engine) and lexical (BM25),
fused by reciprocal rank, with the same filters on both sides.

The BM25 side is built in memory from the collection's own passages and rebuilt whenever the
collection's version tag changes, so any process (API, worker) sees what any other indexed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from docuforge.index.bm25 import Bm25
from docuforge.index.store import Filters, Hit, Passage, VectorStore

Embedder = Callable[[Sequence[str]], np.ndarray]


class RetrievalOptions(BaseModel):
    top_k: int = Field(5, ge=1, le=100, description="Passages returned.")
    mode: Literal["hybrid", "dense", "lexical"] = Field(
        "hybrid", description="hybrid (dense and BM25 fused by reciprocal rank), dense or lexical."
    )
    candidates: int = Field(50, ge=1, le=1000, description="Passages each ranking contributes to the fusion.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant: higher flattens the ranks.")
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense ranking in the fusion.")
    lexical_weight: float = Field(1.0, ge=0, description="Weight of the BM25 ranking in the fusion.")


def default_embedder() -> Embedder:
    """The bundled all-MiniLM-L6-v2, run in numpy (docuforge.index.embeddings)."""
    from docuforge.index.embeddings import embed

    return embed


@dataclass
class _Lexical:
    version: str
    passages: list[Passage]
    bm25: Bm25
    document_ids: np.ndarray
    document_types: np.ndarray
    pages: np.ndarray

    def mask(self, filters: Filters) -> np.ndarray | None:
        if filters.empty():
            return None
        keep = np.ones(len(self.passages), dtype=bool)
        if filters.document_ids:
            keep &= np.isin(self.document_ids, list(filters.document_ids))
        if filters.document_types:
            keep &= np.isin(self.document_types, list(filters.document_types))
        if filters.pages:
            keep &= np.isin(self.pages, list(filters.pages))
        return keep


class Retriever:
    """Adds passages to a vector store and searches them, one collection per workspace."""

    def __init__(self, store: VectorStore, embedder: Embedder | None = None, cached: int = 16) -> None:
        self.store = store
        self._embedder = embedder
        self._lexical: OrderedDict[str, _Lexical] = OrderedDict()
        self._cached = cached
        self._lock = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = default_embedder()
        return self._embedder

    def add(self, collection: str, passages: Sequence[Passage], embeddings: np.ndarray | None = None) -> None:
        """Store passages; they are embedded here unless their embeddings are given."""
        if not passages:
            return
        if embeddings is None:
            embeddings = self.embedder([p.text for p in passages])
        self.store.add(collection, passages, embeddings)

    def remove(self, collection: str, filters: Filters) -> None:
        self.store.delete(collection, filters)

    def drop(self, collection: str) -> None:
        self.store.drop(collection)
        with self._lock:
            self._lexical.pop(collection, None)

    def lexical(self, collection: str) -> _Lexical:
        version = self.store.version(collection)
        with self._lock:
            cached = self._lexical.get(collection)
            if cached is not None and cached.version == version:
                self._lexical.move_to_end(collection)
                return cached
        version, passages = self.store.passages(collection)
        built = _Lexical(
            version=version,
            passages=passages,
            bm25=Bm25([f"{p.filename} {p.text}" for p in passages]),
            document_ids=np.asarray([p.document_id for p in passages], dtype=object),
            document_types=np.asarray([p.document_type for p in passages], dtype=object),
            pages=np.asarray([p.page for p in passages], dtype=np.int64),
        )
        with self._lock:
            self._lexical[collection] = built
            while len(self._lexical) > self._cached:
                self._lexical.popitem(last=False)
        return built

    def search(
        self,
        collection: str,
        query: str,
        options: RetrievalOptions | None = None,
        filters: Filters | None = None,
    ) -> list[Hit]:
        """The best passages for the query, fused from both rankings, best first."""
        options = options or RetrievalOptions()
        filters = filters or Filters()
        fused: dict[str, float] = {}
        found: dict[str, Passage] = {}
        dense: dict[str, float] = {}
        lexical: dict[str, float] = {}
        weights = 0.0
        if options.mode in ("hybrid", "dense") and options.dense_weight > 0:
            weights += options.dense_weight
            vector = self.embedder([query])[0]
            for rank, (passage, similarity) in enumerate(
                self.store.query(collection, vector, options.candidates, filters)
            ):
                found[passage.id] = passage
                dense[passage.id] = similarity
                fused[passage.id] = fused.get(passage.id, 0.0) + options.dense_weight / (
                    options.rrf_k + rank + 1
                )
        if options.mode in ("hybrid", "lexical") and options.lexical_weight > 0:
            weights += options.lexical_weight
            index = self.lexical(collection)
            for rank, (position, score) in enumerate(
                index.bm25.top(query, options.candidates, index.mask(filters))
            ):
                passage = index.passages[position]
                found.setdefault(passage.id, passage)
                lexical[passage.id] = score
                fused[passage.id] = fused.get(passage.id, 0.0) + options.lexical_weight / (
                    options.rrf_k + rank + 1
                )
        best = weights / (options.rrf_k + 1) or 1.0
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[: options.top_k]
        return [
            Hit(
                **found[ident].model_dump(),
                score=round(score / best, 6),
                dense_score=dense.get(ident),
                lexical_score=lexical.get(ident),
            )
            for ident, score in ranked
        ]
