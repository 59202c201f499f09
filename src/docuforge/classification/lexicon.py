"""Words as the offline matchers compare them: lower-cased, stop words dropped, crudely stemmed so
that "arriving", "arrival" and "arrive" meet, and "invoices" meets "invoice"."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_WORD = re.compile(r"[^\W_]+(?:[.\-/][^\W_]+)*")
STOP = frozenset(
    """a an and are as at be been by can contains contain do does for from has have having in into is it its
    of on or our that the their there these this those to was we were what when where which who will with
    your you any all each every document documents page pages usually typically often may must should
    such other some more most one two about like""".split()
)
_SUFFIXES = (
    "ations",
    "ation",
    "ings",
    "ing",
    "ions",
    "ion",
    "ments",
    "ment",
    "ness",
    "ies",
    "ied",
    "als",
    "al",
    "ers",
    "er",
    "ed",
    "es",
    "ly",
    "s",
)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def stem(word: str) -> str:
    """A crude stem: common suffixes off, a final e off, at most 7 letters (numbers kept whole)."""
    if any(ch.isdigit() for ch in word) or len(word) <= 3:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word[:7]


def stems(text: str) -> list[str]:
    """Content words of a text, stemmed, in order (stop words and one-letter words left out)."""
    return [stem(w) for w in words(text) if w not in STOP and len(w) > 1]


def bag(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(stems(text))
    return counts


def coverage(query: Iterable[str], found: Counter[str] | set[str]) -> tuple[float, list[str]]:
    """The share of the query's distinct stems found, and which ones were."""
    distinct = list(dict.fromkeys(query))
    if not distinct:
        return 0.0, []
    hits = [q for q in distinct if q in found]
    return len(hits) / len(distinct), hits
