"""The bundled MiniLM run in numpy: unit rows, meaning over spelling, padding without effect."""

from __future__ import annotations

import numpy as np

from docuforge.index.embeddings import DIMENSIONS, _erf, embed, similarity


def test_rows_are_unit_vectors_of_the_model_width() -> None:
    vectors = embed(["Invoice number", "Total amount due", ""])
    assert vectors.shape == (3, DIMENSIONS)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_paraphrases_are_closer_than_unrelated_text() -> None:
    scores = similarity(
        ["total amount payable"],
        ["Amount due", "Grand total", "Date of birth", "The ship left the harbour at dawn"],
    )[0]
    assert min(scores[0], scores[1]) > max(scores[2], scores[3])


def test_a_text_embeds_the_same_alone_and_padded_in_a_batch() -> None:
    # Padding must get no attention: a short text beside a long one keeps its own vector.
    alone = embed(["Net income"])[0]
    batched = embed(["Net income", "a much longer sentence about the statement of cash flows " * 8])[0]
    assert float(alone @ batched) > 0.9999


def test_the_erf_approximation_matches_the_function() -> None:
    import math

    x = np.linspace(-4, 4, 81, dtype=np.float64)
    expected = np.array([math.erf(v) for v in x])
    np.testing.assert_allclose(_erf(x), expected, atol=2e-7)
