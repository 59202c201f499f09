"""The process's retriever, built from Settings: Chroma embedded on the data dir, or its server."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

from docuforge.config import Settings
from docuforge.index.chroma import ChromaStore
from docuforge.index.embeddings import limit_threads
from docuforge.index.retrieval import RetrievalOptions, Retriever

_retrievers: dict[tuple[str | None, Path | None], Retriever] = {}
_lock = threading.Lock()


def retriever(settings: Settings) -> Retriever:
    """One per vector location and process: its BM25 cache is worth keeping between requests."""
    config = settings.workspaces
    path = None if config.vector_url else (config.vector_path or settings.data_dir / "chroma").resolve()
    key = (config.vector_url, path)
    with _lock:
        found = _retrievers.get(key)
        if found is None:
            # The API process embeds every question: capped like the pool processes (jobs.processes).
            limit_threads(settings.embeddings.threads)
            found = _retrievers[key] = Retriever(ChromaStore(path=path, url=config.vector_url))
        return found


def collection(workspace_id: uuid.UUID) -> str:
    return f"ws-{workspace_id.hex}"


def retrieval_options(stored: dict | None, settings: Settings, top_k: int | None = None) -> RetrievalOptions:
    """The workspace's retrieval settings over the service defaults, top_k as the request asks."""
    values = {"top_k": settings.workspaces.top_k, **(stored or {})}
    if top_k is not None:
        values["top_k"] = top_k
    return RetrievalOptions.model_validate(values)
