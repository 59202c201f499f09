"""The bundled sentence embeddings, when the package that carries them is there.

`docuforge.index.embeddings.embed` (all-MiniLM-L6-v2 in numpy) is optional for the offline engines:
without it they match words only, and every caller can switch it off.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Sequence
from functools import cache

import numpy as np


@cache
def available() -> bool:
    try:
        return importlib.util.find_spec("docuforge.index.embeddings") is not None
    except ImportError:  # no docuforge.index package at all
        return False


def similarities(queries: Sequence[str], texts: Sequence[str]) -> np.ndarray | None:
    """Cosine similarity of each query to each text (queries x texts), or None without embeddings."""
    if not queries or not texts or not available():
        return None
    # Looked up by name: the module is optional (it arrives with the retrieval package).
    embed = importlib.import_module("docuforge.index.embeddings").embed
    vectors = embed([*queries, *texts])
    return vectors[: len(queries)] @ vectors[len(queries) :].T
