"""The BM25 index: tokens, ranking, and the filter mask."""

from __future__ import annotations

import numpy as np

from docuforge.index.bm25 import Bm25, tokens


def test_tokens_drop_stopwords_and_thousands_separators() -> None:
    assert tokens("What is the contract value? EUR 1,250,000.00") == [
        "contract",
        "value",
        "eur",
        "1250000.00",
    ]


def test_rare_terms_rank_their_passage_first() -> None:
    texts = [
        "the supplier shall deliver the goods",
        "a penalty of 2% per week of delay applies to the supplier",
        "the goods are delivered to the buyer",
    ]
    index = Bm25(texts)
    assert index.top("penalty for delay", 3)[0][0] == 1
    assert index.top("nothing matches zebra", 3) == []
    masked = index.top("supplier goods", 3, mask=np.array([False, True, True]))
    assert {i for i, _ in masked} == {1, 2}
