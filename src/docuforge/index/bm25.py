"""A small BM25 (Okapi) index over passages, kept in memory and rebuilt when its collection changes.

Our own ~80 lines rather than a package: it needs exactly one thing, scoring a query against a
few hundred thousand short passages with a filter mask, which an inverted index of numpy arrays
does in milliseconds; `bm25s` and `rank-bm25` bring their own tokenizers and stemmers, and the
first a scipy dependency, for nothing we use.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"[^\W_]+(?:[.,'\u2019][^\W_]+)*", re.UNICODE)
# Words so common that they only add noise to a lexical ranking of questions.
STOPWORDS = frozenset(
    """a an and are as at be by can de did do does for from had has have how i if in into is it its
    of on or our that the their there these this those to was we were what when where which who
    whom whose why will with would you your""".split()
)


def tokens(text: str) -> list[str]:
    """Lower-cased words; numbers lose their thousands separators so 1,250,000 matches 1250000."""
    out: list[str] = []
    for match in _WORD.finditer(text.lower()):
        word = match.group(0)
        if any(ch.isdigit() for ch in word):
            word = re.sub(r"(?<=\d)[,\u2019'](?=\d{3})", "", word)
        word = word.strip(".,'\u2019")
        if word and word not in STOPWORDS:
            out.append(word)
            if "." in word and not word.replace(".", "").isdigit():
                out.extend(part for part in word.split(".") if part and part not in STOPWORDS)
    return out


class Bm25:
    """BM25 over a fixed list of texts: `scores(query)` gives one score per text."""

    def __init__(self, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.size = len(texts)
        lengths = np.zeros(self.size, dtype=np.float32)
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for index, text in enumerate(texts):
            counts = Counter(tokens(text))
            lengths[index] = sum(counts.values())
            for term, count in counts.items():
                docs, tfs = postings.setdefault(term, ([], []))
                docs.append(index)
                tfs.append(count)
        average = float(lengths.mean()) if self.size else 1.0
        self._norm = k1 * (1 - b + b * lengths / max(average, 1e-6))
        self._postings = {
            term: (np.asarray(docs, dtype=np.int32), np.asarray(tfs, dtype=np.float32))
            for term, (docs, tfs) in postings.items()
        }

    def idf(self, term: str) -> float:
        found = self._postings.get(term)
        frequency = len(found[0]) if found else 0
        return math.log(1 + (self.size - frequency + 0.5) / (frequency + 0.5))

    def scores(self, query: str) -> np.ndarray:
        total = np.zeros(self.size, dtype=np.float32)
        for term in set(tokens(query)):
            found = self._postings.get(term)
            if found is None:
                continue
            docs, tfs = found
            total[docs] += self.idf(term) * tfs * (self.k1 + 1) / (tfs + self._norm[docs])
        return total

    def top(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The k best (index, score) with a positive score, among those the mask admits."""
        scores = self.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        candidates = np.flatnonzero(scores > 0)
        if candidates.size == 0:
            return []
        if candidates.size > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        ordered = candidates[np.argsort(-scores[candidates], kind="stable")]
        return [(int(i), float(scores[i])) for i in ordered]
