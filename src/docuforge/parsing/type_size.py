"""A scanned line's type: its size from the height of its letters' ink, and its weight (bold) from
its strokes' thickness. A scan has no font to say either; the detector's box says neither well.
"""

from __future__ import annotations

import math
import statistics

import cv2
import numpy as np

from docuforge.document.geometry import Box
from docuforge.parsing.lines import CLOSING_MARKS, OPENING_MARKS, full_width, full_width_share
from docuforge.parsing.ocr import OcrLine

_SHORT = frozenset("acemnorsuvwxz")  # letters that stand on the baseline and reach the x-height
_X_HEIGHT = 0.5  # of the type size, about, in common faces
_CAP_HEIGHT = 0.7
_SAME_SIZE = 0.12  # lines whose measured size is this close to the page's are set in its size
_BOX_ERROR = 0.25  # of the page's usual size: how far a size read from a box's height may be off
_ROW_ERROR = 1.5  # rows of pixels: how far the edges of a band of ink may be off, together
# A line's type size in pixels, as one or two readings (none: not measured), give or take.
Measure = tuple[tuple[float, ...], float]


def line_sizes(gray: np.ndarray, lines: list[OcrLine], padding: float) -> list[float]:
    """Type size of each line, in pixels, from the height of its letters rather than of its box.

    A detected box is as tall as the line's tallest letter plus a margin that varies from line to
    line by a quarter, which would make headings of ordinary lines. The band of rows that most of
    the ink falls in is the x-height (or the cap height, for a line of capitals and digits); lines
    within a few percent of the page's usual size are given exactly that size, so that pixel
    rounding does not split a paragraph. How close is close depends on how the line was
    measured: a row of ink either way is a sixth of the x-height of small type in a low
    resolution scan, and a box's height is no better than a quarter.
    """
    measured = [_ink_size(gray, line, padding) for line in lines]
    sure = [(sizes[0], line) for (sizes, _), line in zip(measured, lines, strict=True) if len(sizes) == 1]
    if not sure:
        sure = [(sizes[0], line) for (sizes, _), line in zip(measured, lines, strict=True) if sizes]
    if not sure:
        return [0.75 * thickness(line.box) for line in lines]
    # A line too short to measure is sized from its box, by the page's own ratio of measured
    # size to box height: a fixed ratio would set the short cells of a table apart from the rest.
    ratio = statistics.median(size / thickness(line.box) for size, line in sure)
    # A line of as many capitals and digits as small letters may have been measured by either
    # band: the one that agrees with its box's height, by the page's ratio.
    chosen: list[tuple[float | None, float]] = [
        (min(sizes, key=lambda size: abs(math.log(size / (ratio * thickness(line.box))))), error)
        if sizes
        else (None, 0.0)
        for (sizes, error), line in zip(measured, lines, strict=True)
    ]
    known = [(size, len(line.text)) for (size, _), line in zip(chosen, lines, strict=True) if size]
    usual = _by_characters(known)  # the body text's size
    sizes = []
    for (size, error), line in zip(chosen, lines, strict=True):
        if not size:
            size, error = ratio * thickness(line.box), _BOX_ERROR * usual
        sizes.append(usual if abs(size - usual) <= max(_SAME_SIZE * usual, error) else size)
    return sizes


def _by_characters(values: list[tuple[float, int]]) -> float:
    """The median of the lines' values (each with its count of characters), by characters: the
    body text's, however many short lines the page has."""
    total, cumulative = sum(n for _, n in values), 0
    for value, n in sorted(values):
        cumulative += n
        if cumulative >= total / 2:
            return value
    return values[0][0]


# A line whose strokes are this much thicker than the page's usual ones, for its type size, is
# bold: measured 1.9 to 2.4 times on bold headings at body size (a Chinese book, a flyer), where
# lines of one weight stay within 1.2 times of each other.
_BOLD = 1.5


def bold_lines(gray: np.ndarray, lines: list[OcrLine], sizes: list[float], padding: float) -> list[bool]:
    """Which lines are set in bold: a scan has no font to say so, but its strokes are thicker."""
    weights = [_stroke(gray, line, padding) for line in lines]
    ratios = [
        (weight / size, len(line.text))
        for weight, size, line in zip(weights, sizes, lines, strict=True)
        if weight and size
    ]
    if len(ratios) < 3:
        return [False] * len(lines)
    usual = _by_characters(ratios)  # the body text's weight
    return [
        bool(weight and size and weight / size >= _BOLD * usual and sum(map(str.isalnum, line.text)) >= 2)
        for weight, size, line in zip(weights, sizes, lines, strict=True)
    ]


def _stroke(gray: np.ndarray, line: OcrLine, padding: float) -> float | None:
    """How thick a line's strokes are, in pixels: the darkness of its ink, summed, over the
    number of times a row of pixels enters a stroke.

    The grey of a stroke's edges counts in part, so that a stroke two pixels wide and one three
    pixels wide (regular and bold type of a low resolution scan) measure apart, where counting
    whole pixels of ink would give both about the same.
    """
    x0, y0, x1, y1 = (max(0, round(v)) for v in line.box)
    trim = round((y1 - y0) * padding / (1 + 2 * padding))  # the detector's margin: paper
    crop = gray[y0 + trim : y1 - trim, x0:x1]
    if min(crop.shape) < 6:
        return None
    ink = _ink(crop).astype(bool)
    if ink.all() or not ink.any():
        return None
    values = crop.astype(np.float64)
    paper = float(np.median(values[~ink]))
    # The ink where a stroke is solid, its darkest (or, light on dark, its lightest) tenth: thin
    # strokes are mostly grey edge.
    solid = float(np.percentile(values[ink], 10 if values[ink].mean() < paper else 90))
    if abs(paper - solid) < 40:
        return None  # too faint to tell one weight from another
    mass = np.clip((paper - values) / (paper - solid), 0.0, 1.0).sum()
    entries = int(np.count_nonzero(np.diff(ink.astype(np.int8), axis=1) == 1) + np.count_nonzero(ink[:, 0]))
    return float(mass) / entries if entries else None


def _ink(crop: np.ndarray) -> np.ndarray:
    """1 where a line's crop has ink, 0 where paper, by Otsu's threshold."""
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    # Light letters on a dark band: the letters are the lesser part of the box.
    return 1 - ink if ink.mean() > 0.5 else ink


def thickness(box: Box) -> float:
    """How thick a line is across its text: its height, or its width where it runs down the page."""
    width, height = box[2] - box[0], box[3] - box[1]
    return width if height >= 1.5 * width else height


def _ink_size(gray: np.ndarray, line: OcrLine, padding: float) -> Measure:
    if full_width_share(line.text) >= 0.3:
        size = _pitch_size(gray, line)
        return ((size,) if size else ()), 0.0
    if thickness(line.box) < line.box[3] - line.box[1]:
        return (), 0.0  # Latin text running down the page: its letters' band is not rows of ink
    x0, y0, x1, y1 = (round(v) for v in line.box)
    height = y1 - y0
    # A tight box (Tesseract's) ends at the baseline, where the drop in ink that marks it would
    # fall outside: it is given a few rows of margin. A padded box (RapidOCR's) has its own, and
    # more would take in a rule or the line above.
    margin = 0 if padding else max(2, round(0.15 * height))
    crop = gray[max(0, y0 - margin) : max(0, y1 + margin), max(0, x0) : max(0, x1)]
    if height < 8 or crop.shape[1] < 8 or len(line.text.replace(" ", "")) < 6:
        return (), 0.0  # a few letters give too few rows of ink to measure
    small = sum(c in _SHORT for c in line.text)
    tall = sum(c.isupper() or c.isdigit() for c in line.text)
    if small > 2 * tall:
        shares: tuple[float, ...] = (_X_HEIGHT,)
    elif small:
        shares = (_X_HEIGHT, _CAP_HEIGHT)  # the bigger step in ink may be either band's
    elif tall:
        shares = (_CAP_HEIGHT,)
    else:
        return (), 0.0
    ink = _ink(crop)
    rows = ink.sum(axis=1).astype(np.float64)
    # Ink jumps up where the letters' common band starts (x-line or cap line) and drops where it
    # ends (baseline); ascenders and descenders add and take away far less.
    steps = np.diff(rows)
    top, bottom = int(steps.argmax()) + 1, int(steps.argmin())
    if bottom <= top or steps[top - 1] <= 0:
        return (), 0.0
    # The type size is about 0.7 of a box with a margin and descenders (RapidOCR's) and up to
    # 1.35 times a tight box round letters without descenders (Tesseract's): outside that, the
    # steps found were not the letters' band.
    sizes = tuple(
        size
        for size in ((bottom - top + 1) / share for share in shares)
        if 0.45 * height <= size <= 1.6 * height
    )
    return sizes, _ROW_ERROR / min(shares)


# Punctuation whose ink keeps to one side of its square (or is small), so that a line's ink
# starts or ends short of the square's edge by about half of it; and the quotes that Chinese
# type sets full-width.
_OPENING = OPENING_MARKS | frozenset("\u201c\u2018([\"'")
_CLOSING = CLOSING_MARKS | frozenset("\u201d\u2019.,;:!?)]\"'")


def _ems(text: str) -> float:
    """How many type sizes long a line of mostly full-width text is, from its first ink to its
    last: a full-width character one, a Latin letter or digit about half, a space a quarter."""
    ems = sum(
        1.0 if full_width(c) or c in "\u201c\u201d\u2018\u2019" else 0.25 if c == " " else 0.5 for c in text
    )
    if text[:1] in _OPENING:
        ems -= 0.5
    if text[-1:] in _CLOSING:
        ems -= 0.5
    return ems - 0.1  # the first and last characters' own margins


def _pitch_size(gray: np.ndarray, line: OcrLine) -> float | None:
    """Type size of a line of Chinese, Japanese or Korean, from how far its ink runs.

    Their characters each fill a square of the type size, set one after the other without
    space: the line's length over its count of squares is the size. Their ink fills the whole
    square, top to bottom, so the band of rows that Latin text is measured by is not there; and
    a detected box's height varies by a third on the same type. Measured along the middle half
    of the line's thickness, clear of the lines above and below; a line running down the page
    (a newspaper's vertical headline) is measured down it.
    """
    x0, y0, x1, y1 = (max(0, round(v)) for v in line.box)
    crop = gray[y0:y1, x0:x1]
    if y1 - y0 >= 1.5 * (x1 - x0):
        crop = crop.T
    thickness = crop.shape[0]
    text = line.text.strip()
    ems = _ems(text)
    if thickness < 8 or ems < 2.5:
        return None  # two characters can be set apart (a name spaced out, a heading's letters)
    band = crop[thickness // 4 : thickness - thickness // 4]
    ink = _ink(band)
    columns = np.flatnonzero(ink.sum(axis=0) >= max(1, 0.05 * len(ink)))  # not a speck of noise
    if len(columns) < 2:
        return None
    size = (columns[-1] - columns[0] + 1) / ems
    # A detected box is 1.2 to 2.5 times the type size (a loose one takes in its neighbours'
    # edges): outside that, the count of characters was not the line's.
    return size if 0.3 * thickness <= size <= 1.2 * thickness else None
