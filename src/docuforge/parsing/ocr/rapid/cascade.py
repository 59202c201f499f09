"""The default engine's recogniser: a tiny model reads every line, a small one what it doubts."""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from docuforge.parsing.ocr.rapid.adapter import LineWords, Recognise, Recognised
from docuforge.parsing.ocr.rapid.batching import AlikeBatches, Sureness
from docuforge.parsing.ocr.rapid.words import runs


class Cascade:
    """The default engine's recogniser: PP-OCRv6's tiny recogniser reads the lines of a page
    first, and the small one reads again what the tiny one doubts: the doubted words of a line
    with a word either side (`doubted_windows`), or the whole line where most of it is doubted;
    where the tiny one doubts much of a page (a fax, a receipt, a form), the small one reads the
    whole page again.

    The tiny recogniser costs a fifth of the small one and reads clean printed text as well
    (benchmarks/ocr), but it misreads noisy lines, sometimes with confidence: a line is doubted
    when its confidence is below QUICK_SURE, one of its characters below QUICK_LEAST, or a letter
    in a case its neighbours deny (odd_case), and a page when more than DOUBTFUL_PAGE of its
    text (by width) is. Short lines (a table cell, an amount, a label), padded to the least
    width whatever their length, are read by the small one only: they cost it little, and there
    the tiny one drops spaces and misreads signs with full confidence ("$60" for "$ 60", "Ux"
    for "UX").
    """

    def __init__(self, quick: AlikeBatches, careful: Recognise) -> None:
        self.quick, self.careful = quick, careful

    def __call__(self, images: list[np.ndarray], word_boxes: bool = False) -> Recognised:
        widths = [self.quick.padded(image.shape[1] / max(image.shape[0], 1)) for image in images]
        long = [i for i, width in enumerate(widths) if width > self.quick.least_width]
        if not long:
            return self.careful(images, word_boxes)
        first = self.quick([images[i] for i in long], word_boxes)
        doubted = [
            i
            for i, text, score, least in zip(
                long, first.texts, first.scores, self.quick.least_likely, strict=True
            )
            if score < QUICK_SURE or least < QUICK_LEAST or odd_case(text)
        ]
        if sum(widths[i] for i in doubted) > DOUBTFUL_PAGE * sum(widths[i] for i in long):
            return self.careful(images, word_boxes)
        texts: list[str] = [""] * len(images)
        scores: list[float] = [0.0] * len(images)
        words: list[LineWords | None] = [None] * len(images)
        for k, i in enumerate(long):
            texts[i], scores[i] = first.texts[k], first.scores[k]
            words[i] = first.words[k] if word_boxes else None
        # A doubted line whose doubt lies in a few of its words has only those read again, with
        # a word either side: a line costs the small recogniser five times what it costs the
        # tiny one, and most doubted lines of a printed page hold an odd word or two ("WordStar").
        windows: dict[int, list[Window]] = {}
        if word_boxes:
            for k, i in enumerate(long):
                if i in doubted:
                    found = doubted_windows(texts[i], words[i], self.quick.sureness[k], images[i])
                    if found is not None:
                        windows[i] = found  # none at all where no word is to blame
        again = sorted(set(range(len(images))) - set(long) | (set(doubted) - set(windows)))
        if again or windows:
            parts = [(i, window) for i, found in windows.items() for window in found]
            crops = [images[i] for i in again] + [images[i][:, w.left : w.right] for i, w in parts]
            second = self.careful(crops, word_boxes)
            for k, i in enumerate(again):
                texts[i], scores[i] = second.texts[k], second.scores[k]
                words[i] = second.words[k] if word_boxes else None
            # A line's parts from its last: splicing one moves the words after it, not before.
            for k in reversed(range(len(parts))):
                i, window = parts[k]
                read = len(again) + k
                texts[i], scores[i], words[i] = spliced(
                    texts[i], words[i], window, second.texts[read], second.words[read]
                )
        return Recognised(tuple(texts), scores, tuple(words))


class Window(NamedTuple):
    """The words `first`..`last` of a line read by the tiny recogniser, and the columns of the
    line's image (pixels) that hold them, cut in the paper between words."""

    first: int
    last: int
    left: int
    right: int
    per_column: float  # pixels of the line's image to a column of the tiny recogniser's output


# A word is doubted when one of its letters was read with less confidence than WORD_SURE at its
# surest column, or its case is odd; so are the two words either side of a space read with less
# than SPACE_SURE: the tiny recogniser parts words that are one ("Mac Write" for "MacWrite") and
# joins a sign to its number ("86.0± 12.3"). A line whose doubted words, with one either side,
# span more than WINDOW_SHARE of its width is read again whole: little would be saved. A line
# doubted (for its mean confidence) with no word to blame keeps the tiny one's reading.
# Measured on the speed set's pages, the OmniDocBench pages, SROIE receipts, FUNSD forms and the
# olmOCR sample (December 2026): of 69 lines doubted with no word doubted, the small recogniser
# read 61 as the tiny one had, and the 8 it read otherwise (spaces all) each had a space read
# with less than 0.75; of the 30 lines with neither to blame (on the speed and OmniDocBench
# pages: the others' pages are read again whole), it read every one as the tiny one had.
WORD_SURE, SPACE_SURE, WINDOW_SHARE = 0.9, 0.75, 0.6


def doubted_windows(
    text: str, info: LineWords | None, sureness: Sureness, image: np.ndarray
) -> list[Window] | None:
    """The parts of a doubted line to read again, left to right: each a run of doubted words
    with one word either side; none where no word is to blame; None where the line is read again
    whole (most of it is doubted, or its words cannot be placed or cut apart cleanly)."""
    if info is None or not info.words or not info.line_txt_len or not len(sureness.columns):
        return None
    if len(info.confs) != len(text) or sum(map(len, info.words)) != len(text) - sum(map(str.isspace, text)):
        return None  # words and text disagree: nothing to splice the parts' readings into
    cols = info.word_cols
    # The words as the text spaces them: the recogniser's words are also split where its
    # characters stand far apart ("Q", "uery"), and a cut there would halve a word.
    spaced: list[int] = []  # of each word, the index of the spaced word it belongs to
    position = 0
    for n, word in enumerate(info.words):
        start = position
        while text[position].isspace():
            position += 1
        spaced.append(0 if not n else spaced[-1] + (position > start))
        position += len(word)
    last_column = len(sureness.columns) - 1
    blamed = {
        spaced[n]
        for n, word in enumerate(info.words)
        if odd_case("".join(word)) or min(sureness.columns[min(c, last_column)] for c in cols[n]) < WORD_SURE
    }
    for column, peak in sureness.spaces:
        after = next((n for n, word_cols in enumerate(cols) if word_cols[0] > column), None)
        if peak < SPACE_SURE and after:  # a space between two words, not before the first
            blamed |= {spaced[after - 1], spaced[after]}
    doubted = sorted(blamed)
    if not doubted:
        return []
    spans: list[list[int]] = []
    for g in doubted:
        first, last = max(0, g - 1), min(spaced[-1], g + 1)
        if spans and first <= spans[-1][1] + 1:
            spans[-1][1] = last
        else:
            spans.append([first, last])
    # Back to the recogniser's words: the first of the span's first spaced word, the last of its last.
    spans = [[spaced.index(first), len(spaced) - 1 - spaced[::-1].index(last)] for first, last in spans]
    height, width = image.shape[:2]
    per_column = width / info.line_txt_len  # pixels of the line's image to a column of output

    def between(n: int) -> float:
        """The middle of the gap after word n, in pixels (a character's column is its centre)."""
        return ((cols[n][-1] + cols[n + 1][0]) / 2 + 0.5) * per_column

    paper = _paper(image)
    windows = []
    for first, last in spans:
        left = 0 if first == 0 else _cut(paper, between(first - 1), 2 * per_column)
        right = width if last == len(cols) - 1 else _cut(paper, between(last), 2 * per_column)
        if left is None or right is None or right - left < height:
            return None  # no clean cut: the line is read whole
        windows.append(Window(first, last, left, right, per_column))
    if sum(w.right - w.left for w in windows) > WINDOW_SHARE * width:
        return None
    return windows


def _paper(image: np.ndarray) -> np.ndarray:
    """Which columns of a line's image are paper: no ink in them, nor a letter's grey edge."""
    gray = image.min(axis=2) if image.ndim == 3 else image
    darkest, lightest = int(gray.min()), int(gray.max())
    return gray.min(axis=0) > darkest + 0.75 * (lightest - darkest)


def _cut(paper: np.ndarray, x: float, reach: float) -> int | None:
    """Where to cut a line between two words near `x` (pixels), so that neither loses a stroke:
    the middle of the run of `paper` columns nearest `x` within `reach`; None where there is
    none. A word's columns place its letters only to a column's width, and place their centres:
    the middle between two letters' centres falls inside a wide letter ("0 m")."""
    lo, hi = max(0, int(x - reach)), min(len(paper), int(x + reach) + 1)
    found = [(start + n / 2, n) for start, n in runs(paper[lo:hi])] if hi > lo else []
    if not found:
        return None
    middle, _ = min(found, key=lambda run: abs(lo + run[0] - x))
    return lo + int(middle)


def spliced(
    text: str, info: LineWords | None, window: Window, read: str, read_info: LineWords | None
) -> tuple[str, float, LineWords | None]:
    """A line's tiny reading with the words of `window` replaced by the small recogniser's
    reading of that part of the line: text, confidence (the mean of its characters') and words
    (their columns moved onto the whole line's)."""
    stripped = read.strip()
    if not stripped or read_info is None or len(read_info.confs) != len(read) or not read_info.line_txt_len:
        return text, float(np.mean(info.confs)), info  # nothing better read: the tiny reading stands
    lead = len(read) - len(read.lstrip())
    read_confs = list(read_info.confs[lead : lead + len(stripped)])
    places = [j for j, char in enumerate(text) if not char.isspace()]
    ends = np.cumsum([len(word) for word in info.words])
    start = places[int(ends[window.first] - len(info.words[window.first]))]
    end = places[int(ends[window.last]) - 1] + 1
    confs = list(info.confs[:start]) + read_confs + list(info.confs[end:])
    # A column of the part's reading, in pixels (the part may have been read stretched wider),
    # then in columns of the whole line's reading, where a character's column is its centre.
    part = (window.right - window.left) / read_info.line_txt_len
    shifted = [
        [(window.left + (c + 0.5) * part) / window.per_column - 0.5 for c in col]
        for col in read_info.word_cols
    ]
    joined = LineWords(
        words=info.words[: window.first] + read_info.words + info.words[window.last + 1 :],
        word_cols=info.word_cols[: window.first] + shifted + info.word_cols[window.last + 1 :],
        square=info.square[: window.first] + read_info.square + info.square[window.last + 1 :],
        line_txt_len=info.line_txt_len,
        confs=confs,
    )
    return text[:start] + stripped + text[end:], float(np.mean(confs)), joined


# Letters whose capitals are the small letters drawn larger: the tiny recogniser tells the two
# apart by size alone, and takes one for the other with full confidence ("UI/Ux" for "UI/UX",
# "InvOice", "RevieW"), where the letters beside it show which it is.
_LIKE_CAPITALS = frozenset("cosuvwxzCOSUVWXZ")


def odd_case(text: str) -> bool:
    """Whether a word of the line has a letter that looks the same in both cases in the other
    case than its neighbours: a small one next to two capitals ("UI/Ux"), or a capital after a
    small letter and before a small one or the word's end ("InvOice", "RevieW"). An acronym's
    plural ("PDFs") is doubted too: the tiny recogniser reads "SWISS" as "SWISs" with the same
    confidence. A compound's second word ("AI-Assisted") is not."""
    for word in re.split(r"[\s\-\u2010-\u2014]+", text):  # spaces, hyphens and dashes
        letters = "".join(ch for ch in word if ch.isalpha())
        for i, ch in enumerate(letters):
            if ch not in _LIKE_CAPITALS:
                continue
            if ch.islower():
                before, after = letters[max(0, i - 2) : i], letters[i + 1 : i + 3]
                if (len(before) == 2 and before.isupper()) or (len(after) == 2 and after.isupper()):
                    return True
            elif i > 0 and letters[i - 1].islower() and (i + 1 == len(letters) or letters[i + 1].islower()):
                return True
    return False


# Measured on the benchmarks' own lines (FUNSD, SROIE, the speed set's text pages and the
# synthetic scans; November 2026): with these, FUNSD and SROIE read as with the small recogniser
# alone (22 and 24 of their 25 pages doubted whole), while on the text pages the small one reads
# only the doubted tenth of the text. Neither loses words from 0.15 to 0.4 of a page doubted; a
# line doubted on its confidence alone (no QUICK_LEAST) cost them 0.005-0.01 word F1.
QUICK_SURE, QUICK_LEAST, DOUBTFUL_PAGE = 0.95, 0.8, 0.3
