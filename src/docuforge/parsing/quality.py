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

from docuforge.document.raw import RawPage, RawWord

PICTURED = 0.5  # share of the page pictures cover, past which their text may be the page's text
SPARSE = 200  # characters: a text layer shorter than this over such pictures is not the whole page
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


def text_beside_pictures(raw: RawPage) -> bool:
    """Pictures cover most of the page and the text layer holds only a few words.

    Only for pages read in their displayed frame: the OCR words are set beside the text layer's
    words, so both must be in the same coordinates.
    """
    if not raw.images or raw.rotation or raw.width != raw.display_width:
        return False
    if sum(len(w.text) for w in raw.words) >= SPARSE:
        return False
    return _covered(raw.images, raw.width, raw.height) >= PICTURED


def add_picture_text(raw: RawPage, scanned: RawPage) -> bool:
    """Add the OCR words that no text-layer word already covers; True if any was added."""
    if scanned.rotation:
        return False  # the pictures' text runs sideways: its frame is not the page's
    kept: list[RawWord] = [w for w in scanned.words if not any(_overlap(w, t) for t in raw.words)]
    raw.words.extend(kept)
    return bool(kept)


def _overlap(a: RawWord, b: RawWord) -> bool:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    if width <= 0 or height <= 0:
        return False
    smaller = min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0)) or 1.0
    return width * height > 0.3 * smaller


def _covered(boxes: list, width: float, height: float) -> float:
    """Share of the page the boxes cover together (on a coarse grid: overlaps count once)."""
    step = 40
    cells = 0
    for gx in range(step):
        for gy in range(step):
            x, y = (gx + 0.5) * width / step, (gy + 0.5) * height / step
            if any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes):
                cells += 1
    return cells / (step * step)
