"""A recognised line's words: where its spaces fall, checked against the image, and their boxes."""

from __future__ import annotations

import numpy as np

from docuforge.parsing.lines import ideographic, read_signs
from docuforge.parsing.lines import spaced as spaced_apart
from docuforge.parsing.ocr import OcrWord, PixelBox
from docuforge.parsing.ocr.rapid.detection import PADDING

# A space is at least this share of the type's height wide.
GAP = 0.2
# A line of too few letters to know their usual step ("1x" for "1 x" on a receipt): a space the
# recogniser may have left out there (decoding.SHORT_STEP) is one where the paper between the
# letters is this share of the type's height wide, a gap few letters leave.
SHORT_GAP = 0.4


def ideographic_text(text: str) -> bool:
    """Whether text is mostly Chinese (or Japanese) characters: each set in its own square, in
    lines that may run down the page, with no spaces between words."""
    return sum(map(ideographic, text)) >= 0.3 * len(text)


def signs(words: list[OcrWord]) -> bool:
    """Read a formula's lone 二 and 十 as "=" and "+" (`read_signs`); whether any was."""
    read = read_signs([word.text for word in words])
    changed = False
    for word, text in zip(words, read, strict=True):
        changed |= word.text != text
        word.text = text
    return changed


def confirm_splits(words: list[OcrWord], text: str, box: PixelBox, image: np.ndarray) -> list[OcrWord]:
    """Keep a split the recogniser's text has no space for only where the image shows one.

    The character positions are coarse (a column is a sixth of the line's height), so a wide
    letter can look like a gap. A real space leaves a band of paper between the two words'
    letters: a fifth of the type's height, twice the line's usual gap between letters, and near
    the width of the spaces the recogniser did read on the line (monospaced receipt type leaves
    wide gaps inside words: the L of "Lot").
    """
    spaced = {len(t) for t in _prefixes(text.split())}
    ends = np.cumsum([len(w.text) for w in words])[:-1]
    doubtful = [
        i
        for i, end in enumerate(ends)
        if end not in spaced and spaced_apart(words[i].text, words[i + 1].text)
    ]
    gaps = dict.fromkeys(doubtful, False)
    ink = line_ink(image, box, PADDING) if len(words) > 1 else None
    if ink is None or ideographic_text(text):
        # Among Chinese characters, each set in its own square, a figure's digits stand as far
        # apart as the characters do ("1965" read as "1 965"): the recogniser's text decides.
        return _join(words, gaps)
    left = max(0, round(box[0]))  # where the ink's columns start on the page
    height = (box[3] - box[1]) / (1 + 2 * PADDING)
    blank = _blank_columns(ink, height)
    # The runs of paper between letters (not the margins at the line's ends).
    between = [(start, n) for start, n in runs(blank) if start > 0 and start + n < len(blank)]
    found = {i: _gap_near(between, left, words[i], words[i + 1], height) for i in range(len(words) - 1)}
    inside = [n for _, n in between]
    if len(inside) >= 3:
        needed = max(2.0, GAP * height, 2 * float(np.median(inside)))
    else:  # too few gaps between letters to tell the usual one: only a wide gap is a space
        needed = max(2.0, SHORT_GAP * height)
    spaces = [found[i][0] for i, end in enumerate(ends) if end in spaced]
    if spaces:
        needed = max(needed, 0.8 * float(np.median(spaces)))
    for i, (width, x0, x1) in found.items():
        if i in gaps:
            gaps[i] = width >= needed
        # The character positions put a boundary a letter off at worst; the paper between the
        # two words is exact, and the layout reads columns and cells from these gaps.
        if gaps.get(i, True) and width and words[i].box[0] < x0 and x1 < words[i + 1].box[2]:
            words[i].box = (words[i].box[0], words[i].box[1], x0, words[i].box[3])
            words[i + 1].box = (x1, words[i + 1].box[1], words[i + 1].box[2], words[i + 1].box[3])
    return _join(words, gaps)


def _join(words: list[OcrWord], gaps: dict[int, bool]) -> list[OcrWord]:
    """The words, each pair whose gap is False in `gaps` read as one."""
    kept = [words[0]]
    for i, word in enumerate(words[1:]):
        if gaps.get(i, True):
            kept.append(word)
            continue
        previous = kept[-1]
        kept[-1] = OcrWord(
            previous.text + word.text,
            (
                min(previous.box[0], word.box[0]),
                min(previous.box[1], word.box[1]),
                max(previous.box[2], word.box[2]),
                max(previous.box[3], word.box[3]),
            ),
            min(previous.confidence, word.confidence),
        )
    return kept


def _prefixes(tokens: list[str]) -> list[str]:
    """Where the spaces of a line fall, counted in letters: ["ab", "abcd"] for ab cd ef."""
    out, joined = [], ""
    for token in tokens[:-1]:
        joined += token
        out.append(joined)
    return out


def line_ink(image: np.ndarray, box: PixelBox, padding: float) -> np.ndarray | None:
    """The line's ink as a boolean array, rows trimmed of the detector's margin."""
    x0, y0, x1, y1 = (round(v) for v in box)
    trim = int((y1 - y0) * padding / (1 + 2 * padding))
    crop = image[max(0, y0 + trim) : max(0, y1 - trim), max(0, x0) : max(0, x1)]
    if crop.size == 0:
        return None
    # The sum of the channels rather than their mean: three times the grey, in integers, whose
    # percentiles a histogram gives (a line's pixels are many, their values few).
    channels = crop.shape[2] if crop.ndim == 3 else 1
    gray = crop[..., 0].astype(np.uint16) + crop[..., 1] + crop[..., 2] if crop.ndim == 3 else crop
    dark, light = percentiles(gray, (2, 90))
    if light - dark < 40 * channels:
        return None
    return gray < (dark + light) / 2


def percentiles(values: np.ndarray, wanted: tuple[float, ...]) -> list[float]:
    """np.percentile's (linear) percentiles of small non-negative integers, from their histogram."""
    below = np.cumsum(np.bincount(values.ravel()))  # how many values are at most each value
    count = int(below[-1])
    found = []
    for percent in wanted:
        at = percent / 100 * (count - 1)
        low = int(at)
        # The k-th smallest value (from 0) is the least whose count of values at most it passes k.
        a, b = np.searchsorted(below, (low, min(low + 1, count - 1)), side="right")
        found.append(float(a + (b - a) * (at - low)))
    return found


def _blank_columns(ink: np.ndarray, height: float) -> np.ndarray:
    """Columns of the line with no letter in them: paper, or a speck of dirt.

    A column holding a pixel or two of ink is a speck, unless it belongs to a stroke running
    across the line above its lowest rows: a dash ("improvements—it") is a pixel thick, and
    taking it for paper would make a space of it and start the next word after it. A stroke in
    the lowest rows is an underline or a form's rule, which runs under spaces too.
    """
    counts = ink.sum(axis=0)
    blank = counts <= max(1, ink.shape[0] // 20)
    rows = np.arange(ink.shape[0])[:, None]
    for start, n in runs(blank & (counts > 0)):
        if n < 0.25 * height:
            continue
        piece = ink[:, start : start + n]
        if float((rows * piece).sum() / piece.sum()) < 0.75 * ink.shape[0]:
            blank[start : start + n] = False
    return blank


def _gap_near(
    between: list[tuple[int, int]], left: int, before: OcrWord, after: OcrWord, height: float
) -> tuple[int, float, float]:
    """The widest band of ink-free columns between the line's letters (`between`: the runs of
    them, start and width) that reaches near where the character positions put the boundary
    between two words (they are a letter off at worst): its width and its two edges on the page."""
    middle = (before.box[2] + after.box[0]) / 2 - left
    reach = 0.4 * height
    a, b = middle - reach, middle + reach
    near = [(s, n) for s, n in between if s < b and s + n > a]
    start, width = max(near, key=lambda run: run[1], default=(0, 0))
    return width, left + start, left + start + width


def runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, length) of each run of True."""
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(s), int(e - s)) for s, e in zip(edges[::2], edges[1::2], strict=True)]


def extent(quad: np.ndarray) -> PixelBox:
    return (
        float(quad[:, 0].min()),
        float(quad[:, 1].min()),
        float(quad[:, 0].max()),
        float(quad[:, 1].max()),
    )


def split_line(text: str, box: PixelBox, confidence: float, down: bool = False) -> list[OcrWord]:
    """Word boxes by character share, for lines whose word boxes did not come back whole, along
    the line's width, or its height for a line running `down` the page."""
    x0, y0, x1, y1 = box
    start, end = (y0, y1) if down else (x0, x1)
    per_char = (end - start) / max(1, len(text))
    words: list[OcrWord] = []
    position = 0
    for piece in text.split(" "):
        if piece:
            a = start + position * per_char
            b = a + len(piece) * per_char
            words.append(OcrWord(piece, (x0, a, x1, b) if down else (a, y0, b, y1), float(confidence)))
        position += len(piece) + 1
    return words
