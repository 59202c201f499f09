"""What the index keeps and returns, and the small protocol a vector engine implements.

A passage is the unit of retrieval: a run of text on one page of one document (or one record
of a JSON or CSV file), with the box it covers, so every hit can be cited. Engines store the
passage, its embedding and its metadata; filters work on document, document type and page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from pydantic import BaseModel, Field


class Box(BaseModel):
    """Where the passage is on its page, normalized to [0, 1], origin top-left."""

    left: float
    top: float
    width: float
    height: float


class Passage(BaseModel):
    id: str = Field(description="Unique within the collection: <document_id>:<ordinal>.")
    document_id: str
    filename: str = ""
    document_type: str = Field("document", description="document, json or csv (or a caller's own label).")
    page: int = Field(1, ge=1, description="1-based page the passage is on (1 for records).")
    bbox: Box | None = Field(None, description="The passage's box on its page; none for records.")
    row: int | None = Field(None, description="For a record: its 1-based position in the file.")
    text: str


class Hit(Passage):
    score: float = Field(description="Fused relevance in [0, 1]: 1 is first in both rankings.")
    dense_score: float | None = Field(None, description="Cosine similarity of the embeddings, if ranked.")
    lexical_score: float | None = Field(None, description="BM25 score, if ranked.")


class Filters(BaseModel):
    """Restrict a search; empty lists and None mean no restriction."""

    document_ids: list[str] | None = Field(None, description="Only these documents.")
    document_types: list[str] | None = Field(None, description="Only documents of these types.")
    pages: list[int] | None = Field(None, description="Only these pages.")

    def empty(self) -> bool:
        return not (self.document_ids or self.document_types or self.pages)

    def admits(self, passage: Passage) -> bool:
        return (
            (not self.document_ids or passage.document_id in self.document_ids)
            and (not self.document_types or passage.document_type in self.document_types)
            and (not self.pages or passage.page in self.pages)
        )


class VectorStore(Protocol):
    """A vector engine holding one collection of passages per workspace."""

    def add(self, collection: str, passages: Sequence[Passage], embeddings: np.ndarray) -> None:
        """Add (or replace, by id) passages with their embeddings, rows L2-normalised."""
        ...

    def delete(self, collection: str, filters: Filters) -> None:
        """Remove the passages the filters admit (all of them when the filters are empty)."""
        ...

    def query(
        self, collection: str, embedding: np.ndarray, k: int, filters: Filters
    ) -> list[tuple[Passage, float]]:
        """The k nearest passages the filters admit, with their cosine similarity."""
        ...

    def passages(self, collection: str) -> tuple[str, list[Passage]]:
        """Every passage, with a version tag that changes whenever the collection does."""
        ...

    def version(self, collection: str) -> str:
        """The collection's version tag, cheaply (lexical indexes are rebuilt when it changes)."""
        ...

    def drop(self, collection: str) -> None:
        """Forget the collection entirely."""
        ...
