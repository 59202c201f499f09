"""Chroma as the vector engine: its persistent client on a local directory (embedded, one
process) or its HTTP client to a `chroma run` server that many API processes and workers share.

Chroma never embeds anything here: every call passes our own vectors, and the collection's
embedding function refuses, so Chroma can never reach for its default model (a download).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from docuforge.index.store import Box, Filters, Passage

_VERSION = "docuforge_version"


class _RefuseToEmbed:
    """Chroma's embedding-function interface, refusing: the vectors always come from us."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Any) -> Any:
        raise RuntimeError("docuforge passes its own embeddings; Chroma must not compute any")

    @staticmethod
    def name() -> str:
        return "docuforge-own-embeddings"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> _RefuseToEmbed:
        return _RefuseToEmbed()

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]

    def embed_query(self, input: Any) -> Any:
        return self(input)


def _where(filters: Filters) -> dict[str, Any] | None:
    conditions: list[dict[str, Any]] = []
    if filters.document_ids:
        conditions.append({"document_id": {"$in": list(filters.document_ids)}})
    if filters.document_types:
        conditions.append({"document_type": {"$in": list(filters.document_types)}})
    if filters.pages:
        conditions.append({"page": {"$in": [int(page) for page in filters.pages]}})
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def _metadata(passage: Passage) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "document_id": passage.document_id,
        "filename": passage.filename,
        "document_type": passage.document_type,
        "page": passage.page,
    }
    if passage.bbox is not None:
        meta |= passage.bbox.model_dump()
    if passage.row is not None:
        meta["row"] = passage.row
    return meta


def _passage(ident: str, text: str | None, meta: dict[str, Any] | None) -> Passage:
    meta = meta or {}
    box = (
        Box(left=meta["left"], top=meta["top"], width=meta["width"], height=meta["height"])
        if "left" in meta
        else None
    )
    return Passage(
        id=ident,
        document_id=str(meta.get("document_id", "")),
        filename=str(meta.get("filename", "")),
        document_type=str(meta.get("document_type", "document")),
        page=int(meta.get("page", 1)),
        bbox=box,
        row=int(meta["row"]) if "row" in meta else None,
        text=text or "",
    )


class ChromaStore:
    """A VectorStore on Chroma: `path` for the embedded engine, `url` for a Chroma server."""

    def __init__(self, *, path: Path | None = None, url: str | None = None) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if url:
            parts = urlsplit(url)
            self.client = chromadb.HttpClient(
                host=parts.hostname or "127.0.0.1",
                port=parts.port or (443 if parts.scheme == "https" else 8000),
                ssl=parts.scheme == "https",
                settings=chroma_settings,
            )
        elif path is not None:
            path.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        else:
            raise ValueError("ChromaStore needs a directory (embedded) or a server URL")
        self._function = _RefuseToEmbed()
        self._lock = threading.Lock()

    def _collection(self, name: str) -> Any:
        # get first: get_or_create would rewrite the metadata (our version tag) of one that exists.
        try:
            return self.client.get_collection(name, embedding_function=self._function)  # type: ignore[arg-type]
        except Exception as error:  # chromadb's NotFoundError differs between its clients
            if "does not exist" not in str(error).lower() and "not found" not in str(error).lower():
                raise
        with self._lock:
            return self.client.get_or_create_collection(
                name,
                embedding_function=self._function,  # type: ignore[arg-type]
                configuration={"hnsw": {"space": "cosine"}},
                metadata={_VERSION: uuid.uuid4().hex},
            )

    def _bump(self, collection: Any) -> None:
        collection.modify(metadata={_VERSION: uuid.uuid4().hex})

    def add(self, collection: str, passages: Sequence[Passage], embeddings: np.ndarray) -> None:
        if not passages:
            return
        if len(passages) != len(embeddings):
            raise ValueError("one embedding per passage")
        target = self._collection(collection)
        batch = max(1, min(1000, self.client.get_max_batch_size()))
        for start in range(0, len(passages), batch):
            part = passages[start : start + batch]
            target.upsert(
                ids=[p.id for p in part],
                embeddings=np.asarray(embeddings[start : start + batch], dtype=np.float32),
                documents=[p.text for p in part],
                metadatas=[_metadata(p) for p in part],
            )
        self._bump(target)

    def delete(self, collection: str, filters: Filters) -> None:
        target = self._collection(collection)
        where = _where(filters)
        if where is None:
            ids = target.get(include=[])["ids"]
            if ids:
                target.delete(ids=ids)
        else:
            target.delete(where=where)
        self._bump(target)

    def query(
        self, collection: str, embedding: np.ndarray, k: int, filters: Filters
    ) -> list[tuple[Passage, float]]:
        target = self._collection(collection)
        count = target.count()
        if count == 0 or k <= 0:
            return []
        found = target.query(
            query_embeddings=np.asarray(embedding, dtype=np.float32).reshape(1, -1),
            n_results=min(k, count),
            where=_where(filters),
            include=["documents", "metadatas", "distances"],
        )
        ids = found["ids"][0]
        documents = (found.get("documents") or [[]])[0]
        metadatas = (found.get("metadatas") or [[]])[0]
        distances = (found.get("distances") or [[]])[0]
        return [
            (_passage(ident, text, dict(meta or {})), 1.0 - float(distance))
            for ident, text, meta, distance in zip(ids, documents, metadatas, distances, strict=True)
        ]

    def passages(self, collection: str) -> tuple[str, list[Passage]]:
        target = self._collection(collection)
        version = str((target.metadata or {}).get(_VERSION, ""))
        found = target.get(include=["documents", "metadatas"])
        return version, [
            _passage(ident, text, dict(meta or {}))
            for ident, text, meta in zip(
                found["ids"], found.get("documents") or [], found.get("metadatas") or [], strict=True
            )
        ]

    def version(self, collection: str) -> str:
        return str((self._collection(collection).metadata or {}).get(_VERSION, ""))

    def count(self, collection: str) -> int:
        return int(self._collection(collection).count())

    def drop(self, collection: str) -> None:
        try:
            self.client.delete_collection(collection)
        except Exception as error:  # chromadb raises its own NotFoundError types per client
            if "does not exist" not in str(error).lower() and "not found" not in str(error).lower():
                raise
