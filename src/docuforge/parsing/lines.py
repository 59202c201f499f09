"""Words to segments, and segments to rows.

A segment is a run of words on one baseline with no wide gap: a line of a paragraph within its
column, a table cell's line, a label or a value. Words are chained in the order the PDF draws
them (which follows lines, even when the lines are skewed, as in scanned books with a text
layer), and the pieces that still sit side by side on one baseline are joined afterwards.

A row is the set of segments that share a baseline across the page: tables and "label: value"
pairs are read from rows.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field

from docuforge.document.geometry import Box
from docuforge.document.raw import RawWord

# Words of one line may be this many text heights apart (justified text in narrow columns
# stretches its spaces far); a wider gap always separates segments (column gutters, table cells).
LINE_GAP = 1.5
WIDE_GAP = 1.2
# A gap between these is a separation when it stands out against the line's other spaces.
SEGMENT_GAP = 0.75
# OCR words the text detector put in different lines are one segment only this close: the
# detector parts a line where it sees a gap, table cells and column gutters included.
OCR_SPACE = 0.35


@dataclass(slots=True)
class Segment:
    words: list[RawWord]
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    row: int = 0  # index of the row it belongs to
    used: bool = False  # taken by a table or a figure

    @property
    def box(self) -> Box:
        return self.x0, self.y0, self.x1, self.y1

    @property
    def text(self) -> str:
        out = ""
        previous: RawWord | None = None
        rtl = right_to_left(self.words)
        # Arabic and Hebrew lines read from the right: words in logical order are right to left.
        for word in reversed(self.words) if rtl else self.words:
            gap = (previous.x0 - word.x1 if rtl else word.x0 - previous.x1) if previous is not None else 0.0
            if previous is not None and previous.hyphenated and gap < 1.0:
                out = out[:-1] + word.text  # a soft hyphen that did not break the line
            elif previous is not None and gap < 0.08 * (word.y1 - word.y0):
                out += word.text  # no visible gap: one word that the PDF drew in pieces
            else:
                out += (" " if out and spaced(out, word.text) else "") + word.text
            out += "-" if word.hyphenated else ""
            previous = word
        return out

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def ideographic(char: str) -> bool:
    """Chinese characters and Japanese kana: scripts written without spaces between words."""
    return char >= "\u2e80" and (
        char <= "\u2fdf"  # radicals
        or "\u3040" <= char <= "\u30ff"  # kana
        or "\u3400" <= char <= "\u4dbf"
        or "\u4e00" <= char <= "\u9fff"
        or "\uf900" <= char <= "\ufaff"
    )


def full_width(char: str) -> bool:
    """A character set in a square of the type size: Chinese, kana, Hangul, full-width forms."""
    return ideographic(char) or (
        char >= "\u3000"
        and (char <= "\u303f" or "\uac00" <= char <= "\ud7af" or "\uff01" <= char <= "\uff60")
    )


def full_width_share(text: str) -> float:
    """The share of a text's characters (spaces aside) that are full-width."""
    letters = text.replace(" ", "")
    return sum(map(full_width, letters)) / len(letters) if letters else 0.0


# Chinese and Japanese punctuation fills a whole square, its mark in one half of it: after a
# full stop or a comma (before an opening bracket) the line shows half a square of paper.
CLOSING_MARKS = frozenset(
    "\u3001\u3002\u3009\u300b\u300d\u300f\u3011\u3015\uff0c\uff1a\uff1b\uff01\uff1f\uff09"
)
OPENING_MARKS = frozenset("\u3008\u300a\u300c\u300e\u3010\u3014\uff08")


def _unspaced(char: str) -> bool:
    """An ideograph, or the full-width punctuation set with them (U+3001, U+3002, U+FF00 to
    U+FFEF), which holds its own space. Corner brackets (「」) are not: Korean, which spaces its
    words, sets them too."""
    return char >= "\u2e80" and (ideographic(char) or char in "\u3001\u3002" or "\uff00" <= char <= "\uffef")


# The OCR recogniser reads Chinese as well as Latin, and in a formula it takes a lone "=" for
# 二 (two) and a lone "+" for 十 (ten): strokes of the same shape.
OCR_SIGNS = {"\u4e8c": "=", "\u5341": "+"}


def read_signs(texts: list[str]) -> list[str]:
    """The texts (words, or the pieces of a formula), each 二 or 十 standing alone among Latin
    words and figures read as "=" or "+". Among Chinese, or with no Latin letter or figure
    beside it (a chapter's numeral on a line of its own), it stays what it is."""
    if not any(text.strip() in OCR_SIGNS for text in texts):
        return texts
    rest = "".join(text for text in texts if text.strip() not in OCR_SIGNS)
    if any(ideographic(char) for char in rest if char not in OCR_SIGNS) or not any(
        char.isascii() and char.isalnum() for char in rest
    ):
        return texts
    return [OCR_SIGNS.get(text.strip(), text) for text in texts]


def spaced(left: str, right: str) -> bool:
    """Whether a space parts two words set one after the other: not where either side is Chinese
    or Japanese, which put no spaces between words ("比2007年增加。")."""
    return not (left and right and (_unspaced(left[-1]) or _unspaced(right[0])))


def joined(texts: list[str]) -> str:
    """Words or lines one after the other, a space between two where `spaced` wants one."""
    out = ""
    for text in texts:
        out += (" " if out and spaced(out, text) else "") + text
    return out


def right_to_left(words: list[RawWord]) -> bool:
    """Whether most letters of these words belong to a right-to-left script (Hebrew, Arabic...)."""
    if not any(max(w.text) >= "\u0590" for w in words if w.text):
        return False  # the common case, answered without looking at every letter
    letters = [c for w in words for c in w.text if c.isalpha()]
    rtl = sum(1 for c in letters if "\u0590" <= c <= "\u08ff" or "\ufb1d" <= c <= "\ufeff")
    return rtl > len(letters) / 2


@dataclass(slots=True)
class Row:
    segments: list[Segment] = field(default_factory=list)
    y0: float = 0.0
    y1: float = 0.0


def make_segment(words: list[RawWord]) -> Segment:
    bold_chars = sum(len(w.text) for w in words if w.bold)
    total = sum(len(w.text) for w in words) or 1
    return Segment(
        words=words,
        x0=min(w.x0 for w in words),
        y0=min(w.y0 for w in words),
        x1=max(w.x1 for w in words),
        y1=max(w.y1 for w in words),
        size=statistics.median(w.size for w in words),
        bold=bold_chars / total > 0.6,
    )


def _same_baseline(a: RawWord | Segment, b: RawWord | Segment, share: float) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap >= share * min(a.y1 - a.y0, b.y1 - b.y0)


def _follows(last: RawWord, word: RawWord, gap: float, height: float) -> bool:
    """Whether `word` continues the line of `last`, `gap` after it."""
    if not -0.3 * height <= gap <= LINE_GAP * height:
        return False
    return last.run == word.run or min(last.run, word.run) < 0 or gap <= OCR_SPACE * height


def _runs(words: list[RawWord]) -> list[list[RawWord]]:
    """Words chained in drawing order while each one follows the last on its line."""
    runs: list[list[RawWord]] = []
    for word in words:
        if runs:
            last = runs[-1][-1]
            height = max(1.0, min(word.y1 - word.y0, last.y1 - last.y0))
            if _same_baseline(last, word, 0.5) and _follows(last, word, word.x0 - last.x1, height):
                runs[-1].append(word)
                continue
        runs.append([word])
    return runs


def _join_neighbours(segments: list[Segment]) -> list[Segment]:
    """Join pieces drawn apart that sit next to each other on one baseline."""
    joined: list[Segment] = []
    for row in _rows(segments):
        current: Segment | None = None
        for segment in row.segments:  # left to right
            if current is not None:
                height = max(1.0, min(current.height, segment.height))
                if _same_baseline(current, segment, 0.6) and _follows(
                    current.words[-1], segment.words[0], segment.x0 - current.x1, height
                ):
                    current = make_segment(current.words + segment.words)
                    continue
                joined.append(current)
            current = segment
        if current is not None:
            joined.append(current)
    return joined


# Marks that start a list item.
BULLETS = frozenset(
    "\u2022\u25e6\u25aa\u25ab\u25cf\u25cb\u25a0\u25a1\u2023\u2043\u2219\u00b7-\u2013\u2014*\u27a2\u2192\u2713\u2714\uf0b7\uf0a7"
)


# A list item's number or letter: "1.", "b)", "(iv)".
_ENUMERATOR = re.compile(r"^\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,6})[.)]$")


def _attach_bullets(segments: list[Segment]) -> list[Segment]:
    """A bullet drawn apart from its text starts that text's segment.

    So does a list item's number, when the text beside it is a sentence rather than a table's
    cell and stands no further off than list items are indented: OCR boxes the number tight, so
    the indent looks wider than a PDF's font boxes make it.
    """
    bullets = [
        s
        for s in segments
        if len(s.words) == 1 and (s.words[0].text in BULLETS or _ENUMERATOR.match(s.words[0].text))
    ]
    if not bullets:
        return segments
    taken: set[int] = set()
    for bullet in bullets:
        best = None
        numbered = bullet.words[0].text not in BULLETS
        for other in segments:
            if other is bullet or id(other) in taken or not _same_baseline(bullet, other, 0.4):
                continue
            if numbered and len(other.words) < 4:
                continue  # a number beside a table's short cell is a cell of its own
            gap = other.x0 - bullet.x1
            reach = 1.5 * other.height if numbered else 4 * max(bullet.height, other.height)
            if 0 <= gap < reach and (best is None or other.x0 < best.x0):
                best = other
        if best is not None:
            best.words.insert(0, bullet.words[0])
            best.x0, best.y0, best.y1 = bullet.x0, min(best.y0, bullet.y0), max(best.y1, bullet.y1)
            taken.add(id(bullet))
    return [s for s in segments if id(s) not in taken]


def standing(segment: Segment) -> bool:
    """A line of text set down the page (vertical Chinese or Japanese): far taller than wide."""
    if segment.y1 - segment.y0 < 2 * (segment.x1 - segment.x0):
        return False
    text = segment.text
    return len(text) >= 2 and full_width_share(text) >= 0.5


def _rows(segments: list[Segment]) -> list[Row]:
    """Segments grouped by shared baseline; each segment learns its row index.

    A line set down the page shares no baseline: it is a row of its own, which would otherwise
    stretch over, and swallow, every row beside it.
    """
    ordered = sorted(segments, key=lambda s: (s.y0 + s.y1) / 2)
    upright = [s for s in ordered if standing(s)]
    apart = {id(s) for s in upright}
    rows: list[Row] = []
    for segment in ordered:
        if id(segment) in apart:
            continue
        if rows:
            row = rows[-1]
            core = min(segment.height, statistics.median(s.height for s in row.segments))
            if min(row.y1, segment.y1) - max(row.y0, segment.y0) >= 0.5 * core:
                row.segments.append(segment)
                row.y0, row.y1 = min(row.y0, segment.y0), max(row.y1, segment.y1)
                continue
        rows.append(Row(segments=[segment], y0=segment.y0, y1=segment.y1))
    for segment in upright:
        middle = (segment.y0 + segment.y1) / 2
        at = next((i for i, row in enumerate(rows) if (row.y0 + row.y1) / 2 > middle), len(rows))
        rows.insert(at, Row(segments=[segment], y0=segment.y0, y1=segment.y1))
    for index, row in enumerate(rows):
        row.segments.sort(key=lambda s: s.x0)
        for segment in row.segments:
            segment.row = index
    return rows


def rows_of(segments: list[Segment]) -> list[Row]:
    """Segments grouped by shared baseline, each learning its row index (see `_rows`)."""
    return _rows(segments)


def _gap(left: RawWord, right: RawWord) -> float:
    """The paper between two words, less the half square a Chinese punctuation mark leaves."""
    gap = right.x0 - left.x1
    # Quotation marks are full squares only among Chinese characters.
    closing = left.text[-1:] in CLOSING_MARKS or (
        left.text[-1:] in "\u201d\u2019" and ideographic(right.text[:1])
    )
    opening = right.text[:1] in OPENING_MARKS or (
        right.text[:1] in "\u201c\u2018" and ideographic(left.text[-1:])
    )
    if closing or opening:
        gap -= 0.5 * min(left.y1 - left.y0, right.y1 - right.y0)
    return gap


def _split_wide(segment: Segment) -> list[Segment]:
    """Split a line where a gap is wide for any text, or wide against the line's own spaces."""
    words = sorted(segment.words, key=lambda w: w.x0)
    if len(words) < 2:
        return [segment]
    gaps = [_gap(a, b) for a, b in itertools.pairwise(words)]
    typical = statistics.median(gaps)
    pieces: list[list[RawWord]] = [[words[0]]]
    for word, gap in zip(words[1:], gaps, strict=True):
        height = max(1.0, min(word.y1 - word.y0, pieces[-1][-1].y1 - pieces[-1][-1].y0))
        if gap > WIDE_GAP * height or (gap > SEGMENT_GAP * height and gap > 2 * typical):
            pieces.append([])
        pieces[-1].append(word)
    return [segment] if len(pieces) == 1 else [make_segment(piece) for piece in pieces]


def rows_and_segments(words: list[RawWord]) -> tuple[list[Row], list[Segment]]:
    if not words:
        return [], []
    segments = [make_segment(run) for run in _runs(words)]
    segments = [piece for segment in _join_neighbours(segments) for piece in _split_wide(segment)]
    segments = _attach_bullets(segments)
    for segment in segments:
        segment.words.sort(key=lambda w: w.x0)
    rows = _rows(segments)
    return rows, [s for row in rows for s in row.segments]


def body_size(segments: list[Segment]) -> float:
    """The text height most characters have: the body text of the page or document."""
    weights: dict[float, int] = {}
    for segment in segments:
        key = round(segment.size * 2) / 2
        weights[key] = weights.get(key, 0) + sum(len(w.text) for w in segment.words)
    return max(weights, key=lambda k: weights[k]) if weights else 10.0
