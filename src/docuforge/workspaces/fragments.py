"""How much of what a right answer should say an answer says: its expected fragments, found
in the answer and its cited passages, exactly or nearly (OCR slips, spacing, thousands marks)."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

THRESHOLD = 90.0  # partial_ratio at or above which a fragment counts as found


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"(?<=\d)[,\u2019' ](?=\d{3}\b)", "", text)  # 1,250,000 and 1 250 000 read as 1250000
    return re.sub(r"\s+", " ", text).strip()


def found(fragment: str, haystack: str, threshold: float = THRESHOLD) -> bool:
    needle = normalize(fragment)
    if not needle:
        return True
    if needle in haystack:
        return True
    # Short fragments (a year, "No") must match exactly: fuzzily they match almost anything.
    return len(needle) >= 5 and fuzz.partial_ratio(needle, haystack) >= threshold


def fragment_confidence(
    fragments: list[str], answer: str, sources: list[str]
) -> tuple[float | None, list[str]]:
    """(share of fragments found, the ones found); None when no fragments were expected."""
    if not fragments:
        return None, []
    haystack = normalize("\n".join([answer, *sources]))
    hits = [fragment for fragment in fragments if found(fragment, haystack)]
    return round(len(hits) / len(fragments), 4), hits
