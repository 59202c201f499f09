"""Both Chroma modes, for real: the embedded persistent client and a `chroma run` server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.fixtures.chroma import chroma_server

from docuforge.index.chroma import ChromaStore
from docuforge.index.retrieval import Embedder, default_embedder


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(tmp_path_factory.mktemp("chroma-server") / "db") as url:
        yield url


@pytest.fixture(params=["embedded", "server"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ChromaStore:
    if request.param == "embedded":
        return ChromaStore(path=tmp_path / "chroma")
    return ChromaStore(url=request.getfixturevalue("chroma_url"))


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return default_embedder()
