"""Pictures on a page image: photos, logos and solid graphics that a scan carries as pixels.

A born-digital page says where its images are; a scan does not. What is left of the page's
non-paper pixels once its text lines are blotted out and its thin strokes (rules, underlines,
stray specks) opened away is solid: a photo, a logo, a chart's bars. Each such region, large
enough and mostly filled, becomes an image box of the page, which the layout turns into a
Figure as it does a PDF's embedded images.

Not pictures: regions at the image's edge (a scanner's border, the table a phone photo was taken
on), and shaded bands or boxes that hold text (a table's dark header row, a grey call-out), even
where the words blotted out of a band leave pieces of it that hold none.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from docuforge.document.geometry import Box
from docuforge.parsing.ocr import OcrLine

WORK_SIDE = 800  # pixels: the page is searched at this size; a logo is still 35 pixels across
MIN_AREA = 0.002  # of the page, as for a PDF's images (figures.MIN_IMAGE_AREA)
# Points: narrower than this, a region is a highlighted word or a word the OCR could not read
# (a small page's 0.2% is little), not a logo.
MIN_SIDE = 20
MIN_FILL = 0.35  # share of the region's box that is picture, not paper
MAX_TEXT = 0.25  # share of the region's box that text lines may cover (a chart's labels)
MAX_ASPECT = 6  # a longer, thinner region is a highlighter's stroke or a band, not a picture
# Shading: a block that fills at least FLAT_FILL of its box, FLAT_TONE of it within FLAT_SPREAD
# (of 255) of its middle grey (its edges, smoothed into the paper, are not).
FLAT_FILL, FLAT_TONE, FLAT_SPREAD = 0.9, 0.8, 16


def find_pictures(image: np.ndarray, lines: list[OcrLine], points: float) -> list[Box]:
    """Boxes (in points) of the pictures on an upright page image (RGB or grey) read into `lines`."""
    height, width = image.shape[:2]
    step = max(1, math.ceil(max(height, width) / WORK_SIDE))  # a whole step: the fast way to shrink
    scale = 1 / step
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if step > 1 else image
    if small.ndim == 3:
        red, green, blue = cv2.split(small)
        # A light but coloured photo is not paper either.
        coloured = cv2.subtract(cv2.max(cv2.max(red, green), blue), cv2.min(cv2.min(red, green), blue)) > 60
        small = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    else:
        coloured = None
    paper = float(np.percentile(small, 90))
    if paper < 128:
        return []  # light print on a dark page: what is paper here is not known
    marked = small < paper - 40
    if coloured is not None:
        marked |= coloured
    mask = marked.astype(np.uint8)
    text = np.zeros_like(mask)
    words: list[tuple[int, int, int, int]] = []
    for line in lines:
        x0, y0, x1, y1 = (round(v * scale) for v in line.box)
        text[max(0, y0) : y1 + 1, max(0, x0) : x1 + 1] = 1
        words.append((x0, y0, x1, y1))
    mask[text > 0] = 0
    # Strokes thinner than about 1.5 points at the page's size (rules, letters the OCR missed,
    # specks) are opened away; solid areas stay.
    side = max(2, round(1.5 / points * scale))
    solid = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((side, side), np.uint8))
    # A photo's dark and light parts, a logo's pieces: one region.
    reach = max(3, round(0.01 * max(small.shape)))
    joined = cv2.morphologyEx(solid, cv2.MORPH_CLOSE, np.ones((reach, reach), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    rows, cols = small.shape
    found: list[tuple[int, int, int, int]] = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        if x <= 1 or y <= 1 or x + w >= cols - 1 or y + h >= rows - 1:
            continue
        for x0, y0, x1, y1 in _parted(solid, (int(x), int(y), int(x + w), int(y + h))):
            w, h = x1 - x0, y1 - y0
            if w * h < MIN_AREA * rows * cols or max(w, h) > MAX_ASPECT * min(w, h):
                continue
            if min(w, h) / scale * points < MIN_SIDE:
                continue
            if solid[y0:y1, x0:x1].mean() < MIN_FILL:
                continue
            u0, v0, u1, v1 = x0, y0, x1, y1
            if _flat(small[y0:y1, x0:x1], solid[y0:y1, x0:x1]):
                u0, v0, u1, v1 = _with_its_text((x0, y0, x1, y1), words, reach)
            if (
                max(u1 - u0, v1 - v0) <= MAX_ASPECT * min(u1 - u0, v1 - v0)
                and text[v0:v1, u0:u1].mean() <= MAX_TEXT
            ):
                found.append((x0, y0, x1, y1))
    return [tuple(v / scale * points for v in box) for box in _merged(found)]  # type: ignore[misc]


def _flat(grey: np.ndarray, solid: np.ndarray) -> bool:
    """Whether a region is a block of one flat tone, as shading is: it fills its box, where a
    logo's shape does not, and varies little, where a photo does."""
    if solid.mean() < FLAT_FILL:
        return False
    tones = grey[solid > 0].astype(np.int16)
    return bool(np.mean(np.abs(tones - np.median(tones)) <= FLAT_SPREAD) >= FLAT_TONE)


def _with_its_text(
    box: tuple[int, int, int, int], words: list[tuple[int, int, int, int]], reach: int
) -> tuple[int, int, int, int]:
    """The box grown along its rows over the text lines within `reach` of it whose middles lie
    within its height: the words blotted out of a shaded band (a table's coloured header row, a
    title bar) cut the band into pieces that hold no text of their own; with its words, each
    piece is the band again, which holds text and is no picture. A photo's caption, set below
    it, is not taken in."""
    x0, y0, x1, y1 = box
    grown = box
    for u0, v0, u1, v1 in words:
        if y0 <= (v0 + v1) / 2 <= y1 and u0 <= x1 + reach and x0 - reach <= u1:
            grown = (min(grown[0], u0), grown[1], max(grown[2], u1), grown[3])
    return grown


def _parted(solid: np.ndarray, box: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
    """The box cut at every clear lane of paper across it: two photos set side by side a few
    points apart were joined by the closing, but nothing of either crosses the gap between them."""
    x0, y0, x1, y1 = box
    region = solid[y0:y1, x0:x1]
    for axis in (0, 1):  # columns (a vertical lane), then rows
        filled = region.any(axis=axis)
        inner = np.flatnonzero(filled)
        if inner.size == 0:
            return []
        first, last = int(inner[0]), int(inner[-1])
        clear = np.flatnonzero(~filled[first : last + 1])
        if clear.size:
            cut = first + int(clear[0])
            after = cut + int(np.argmax(filled[cut:]))
            if axis == 0:
                return _parted(solid, (x0 + first, y0, x0 + cut, y1)) + _parted(
                    solid, (x0 + after, y0, x0 + last + 1, y1)
                )
            return _parted(solid, (x0, y0 + first, x1, y0 + cut)) + _parted(
                solid, (x0, y0 + after, x1, y0 + last + 1)
            )
    return [box]


def _merged(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Overlapping boxes as one: the steps of one drawing, each found as a region of its own."""
    out: list[tuple[int, int, int, int]] = []
    for box in sorted(boxes):
        while True:
            hit = next(
                (o for o in out if box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3]), None
            )
            if hit is None:
                break
            out.remove(hit)
            box = (min(box[0], hit[0]), min(box[1], hit[1]), max(box[2], hit[2]), max(box[3], hit[3]))
        out.append(box)
    return out
