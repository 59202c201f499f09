"""Whether a PDF page's text layer can be trusted, or the page must be read from its pixels.

A page needs OCR when it has no text, when pdfium cannot map much of its text to Unicode (fonts
without a ToUnicode map), or when the text it has is not language: a broken font encoding
("Wkh txlfn eurzq ira") or a poor OCR layer a scanner left behind. Language is judged without a
dictionary, by what every alphabetic script's words share: vowels, and no long runs of symbols.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from docuforge.load.pdf import RawPage

GARBLED = 0.25  # share of characters without a Unicode mapping that condemns a text layer
IMPLAUSIBLE = 0.45  # share of implausible words that does
_VOWELS = frozenset("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ")
_LATIN_WORD = re.compile(r"^[A-Za-z\u00c0-\u024f]{4,}$")


def ocr_reason(raw: RawPage) -> str | None:
    """Why this page should be OCRed, or None when its text layer is sound."""
    if not raw.words:
        return "no text layer"
    if raw.garbled >= GARBLED:
        return f"{raw.garbled:.0%} of its characters have no Unicode mapping"
    text = [w.text for w in raw.words]
    chars = sum(len(t) for t in text)
    if chars >= 20:
        odd = sum(1 for t in text for c in t if unicodedata.category(c) in ("Co", "Cn", "Cc", "Cs"))
        if odd / chars >= GARBLED:
            return f"{odd / chars:.0%} of its characters are private-use or control characters"
    latin = [t.strip(".,;:!?()[]\"'") for t in text]
    latin = [t for t in latin if _LATIN_WORD.match(t)]
    if len(latin) >= 12:
        bad = sum(1 for word in latin if _implausible(word))
        if bad / len(latin) >= IMPLAUSIBLE:
            return f"{bad / len(latin):.0%} of its words do not look like words"
    return None


def _implausible(word: str) -> bool:
    lower = word.lower()
    if not any(c in _VOWELS for c in lower):
        return True
    run = longest = 0
    for char in lower:
        run = 0 if char in _VOWELS else run + 1
        longest = max(longest, run)
    if longest >= 5:
        return True
    # Case flipping inside a word ("tHe", "ReSuLt") is what a wrong encoding or a bad OCR layer does.
    flips = sum(1 for a, b in itertools.pairwise(word[1:]) if a.isupper() != b.isupper())
    return flips >= 3
