"""Text the detector boxed wrongly or not at all, read again: lines set sideways whose letters it
boxed one by one, stacks of upright letters it boxed as one tall line, and lone letters it missed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from docuforge.parsing.lines import ideographic
from docuforge.parsing.ocr import OcrLine, PixelBox
from docuforge.parsing.ocr.rapid.detection import PADDING
from docuforge.parsing.ocr.rapid.words import ideographic_text, line_ink, runs, split_line

# Reads line images (RGB, cut out and upright): each one's text and confidence.
Recognize = Callable[[list[np.ndarray]], list[tuple[str, float]]]


# A line of text set sideways on an upright page (a Bates number up the margin, a label along a
# table's side) whose letters the detector boxed one by one: each piece one letter in a box at
# least as wide as it is high (upright, most letters are narrower than high; two-letter cells of
# a table, stacked close, are not taken for one), each gap between pieces at most this many
# letters' heights (a thin "1" is often missed).
SIDEWAYS_WIDTH, SIDEWAYS_GAP = 1.0, 1.5
SIDEWAYS_CONFIDENCE = 0.8
# A tall line read with less confidence than this is read both ways up as well: RapidOCR turns
# every tall line the same way, and digits upside down still read as digits ("82117" at 0.82
# for a Bates number 82092117 running up the margin).
SIDEWAYS_DOUBT = 0.9
# Letters taller than wide as they stand: one of them boxed alone, read surely, is no piece of
# a sideways line (two "1"s of a receipt's quantity column read turned as "11").
UPRIGHT_NARROW = frozenset("1lIij!|()[]/:;")


def sideways_lines(
    lines: list[OcrLine], doubtful: list[OcrLine], image: np.ndarray, recognize: Recognize
) -> list[OcrLine]:
    """Read again, as one line turned upright, the letters of a line set sideways.

    The detector boxes the letters of a sideways line one by one (a turned letter is wider than
    it is tall, so nothing in its box says "turned"), and each is read on its side: "8", "2",
    "G" for 82573104. A column of such boxes, each one letter (or a run of them the detector did
    box as a tall line), close to the next, is cut out whole and read turned a quarter both
    ways; the more confident reading replaces the pieces when it is confident.
    A tall line read with little confidence (`doubtful`: RapidOCR turns every tall line the same
    way, so text running up the page comes out upside down) is read both ways too, and dropped
    if neither way reads.
    """
    lines = lines + doubtful
    weak = {id(line) for line in doubtful}

    def sideways_piece(line: OcrLine) -> bool:
        x0, y0, x1, y1 = line.box
        text = line.text.strip()
        if text in UPRIGHT_NARROW and line.confidence >= SIDEWAYS_DOUBT:
            return False  # a quantity's "1", boxed alone: tall, and upright
        return tall_box(line.box) or (len(text) == 1 and x1 - x0 >= SIDEWAYS_WIDTH * (y1 - y0))

    pieces = sorted((line for line in lines if sideways_piece(line)), key=lambda line: line.box[1])
    used: set[int] = set()
    columns: list[tuple[list[OcrLine], PixelBox]] = []
    for start in pieces:
        if id(start) in used:
            continue
        column = [start]
        for other in pieces:
            if id(other) in used or other is start or other.box[1] < column[-1].box[1]:
                continue
            last = column[-1].box
            width = min(last[2] - last[0], other.box[2] - other.box[0])
            overlap = min(last[2], other.box[2]) - max(last[0], other.box[0])
            if overlap >= 0.6 * width and other.box[1] - last[3] <= SIDEWAYS_GAP * width:
                column.append(other)
        x0, y0 = min(line.box[0] for line in column), min(line.box[1] for line in column)
        x1, y1 = max(line.box[2] for line in column), max(line.box[3] for line in column)
        # Three pieces, or two where one is a run the detector already boxed as a tall line.
        tall = any(tall_box(line.box) for line in column)
        # Or one tall line read badly: perhaps it runs the other way up.
        alone = len(column) == 1 and (id(column[0]) in weak or column[0].confidence < SIDEWAYS_DOUBT)
        if (len(column) >= 3 or (len(column) == 2 and tall) or alone) and y1 - y0 >= 2.5 * (x1 - x0):
            used.update(id(line) for line in column)
            columns.append((column, (x0, y0, x1, y1)))
    if not columns:
        return [line for line in lines if id(line) not in weak]
    crops = []
    for _, (x0, y0, x1, y1) in columns:
        strip = image[max(0, round(y0)) : round(y1), max(0, round(x0)) : round(x1)]
        crops += [np.ascontiguousarray(np.rot90(strip, 1)), np.ascontiguousarray(np.rot90(strip, -1))]
    read = recognize(crops)
    replaced: set[int] = set()
    found: list[OcrLine] = []
    for index, (column, box) in enumerate(columns):
        text, confidence = max(read[2 * index : 2 * index + 2], key=lambda reading: reading[1])
        text = " ".join(text.split())
        pieces_confidence = sum(line.confidence for line in column) / len(column)
        if not text or confidence < max(SIDEWAYS_CONFIDENCE, pieces_confidence - 0.05):
            continue
        replaced.update(id(line) for line in column)
        # Letters the column passed over (boxed a little narrow) were read with the rest.
        replaced.update(id(line) for line in lines if _inside(line.box, box))
        found.append(
            OcrLine(
                text=text,
                box=box,
                confidence=float(confidence),
                words=split_line(text, box, confidence, down=True),
            )
        )
    return [line for line in lines if id(line) not in replaced and id(line) not in weak] + found


def _type_height(lines: list[OcrLine]) -> float | None:
    """The usual height of the page's type (pixels), from its lines lying flat; None with fewer
    than three of them."""
    flat = [line.box for line in lines if not tall_box(line.box)]
    if len(flat) < 3:
        return None
    return float(np.median([(b[3] - b[1]) / (1 + 2 * PADDING) for b in flat]))


# A column of single letters, one to a row (a receipt's tax codes "S", "S", "S"), that the
# detector boxed as one tall line, which RapidOCR reads turned ("SS"): its ink stands in rows
# of a letter's height (STACK_HEIGHTS of the type's), none wider than tall, at least STACK_GAP
# of the type's height (two pixels) apart. Each row is read upright, and the readings replace
# the line where each is at least SIDEWAYS_CONFIDENCE sure. A sideways line's letters lie wider
# than tall, and lines of vertical writing (a Chinese page) are left alone.
STACK_HEIGHTS, STACK_GAP = (0.5, 1.5), 0.1


def stacked_letters(lines: list[OcrLine], image: np.ndarray, recognize: Recognize) -> list[OcrLine]:
    """The lines, each tall one that is a stack of upright letters replaced by its letters."""
    tall = [line for line in lines if tall_box(line.box)]
    height = _type_height(lines)
    if not tall or height is None or ideographic_text("".join(line.text for line in lines)):
        return lines
    low, high = STACK_HEIGHTS
    stacks: list[tuple[OcrLine, list[PixelBox]]] = []
    for line in tall:
        ink = line_ink(image, line.box, 0.0)
        if ink is None:
            continue
        x0, y0 = max(0, round(line.box[0])), max(0, round(line.box[1]))
        rows = [(start, n) for start, n in runs(ink.any(axis=1)) if n >= 0.3 * height]  # specks out
        # One row is enough where the line read badly: a lone "S" boxed tall, read turned as "C".
        least = 1 if line.confidence < SIDEWAYS_DOUBT else 2
        if len(rows) < least or not all(low * height <= n <= high * height for _, n in rows):
            continue
        if any(b[0] - (a[0] + a[1]) < max(2.0, STACK_GAP * height) for a, b in itertools.pairwise(rows)):
            continue
        bands: list[PixelBox] = []
        for start, n in rows:
            columns = np.flatnonzero(ink[start : start + n].any(axis=0))
            if columns[-1] - columns[0] + 1 > n:
                break  # wider than tall: a letter lying on its side
            bands.append((x0 + columns[0], y0 + start, x0 + columns[-1] + 1, y0 + start + n))
        else:
            stacks.append((line, [tuple(map(float, band)) for band in bands]))
    if not stacks:
        return lines
    # Paper around each row, but none of the next row's ink: the rows of a receipt stand a few
    # pixels apart, and a piece of the "S" below makes the recogniser unsure of this one.
    margin = 0.25 * height
    crops = []
    for _, bands in stacks:
        for k, (left, top, right, bottom) in enumerate(bands):
            above = (top - bands[k - 1][3]) / 2 if k else margin
            below = (bands[k + 1][1] - bottom) / 2 if k + 1 < len(bands) else margin
            crops.append(
                image[
                    max(0, round(top - min(margin, above))) : round(bottom + min(margin, below)),
                    max(0, round(left - margin)) : round(right + margin),
                ]
            )
    readings = iter(recognize(crops))
    replaced: dict[int, list[OcrLine]] = {}
    for line, bands in stacks:
        found = []
        for band, (read, confidence) in zip(bands, readings, strict=False):
            read = " ".join(read.split())
            pad = PADDING * (band[3] - band[1])
            box = (band[0], band[1] - pad, band[2], band[3] + pad)
            found.append(OcrLine(read, box, float(confidence), split_line(read, box, float(confidence))))
        if all(new.text and new.confidence >= SIDEWAYS_CONFIDENCE for new in found):
            replaced[id(line)] = found
    return [new for line in lines for new in replaced.get(id(line), [line])]


# A letter or two standing alone in a row of text (a receipt's quantity "1", a "0" in a column)
# is often not boxed by the detector, which looks at the page shrunk to DETECTION_SIDE pixels:
# SROIE's receipts lost 14 such, FUNSD's forms 5. Ink of a letter's height (MISSED_HEIGHTS of
# the type's) outside every line found, level with one, is read; a reading this sure, with a
# letter or digit in it, is kept (a tick reads "V" at 0.98, a dash among Latin text "一").
MISSED_SURE = 0.98
MISSED_HEIGHTS = (0.45, 1.3)
MISSED_MOST = 60  # more such pieces on a page: specks, a picture or handwriting, not text
PAPER_TOLERANCE = 40  # grey levels from the paper behind the lines found: still paper


def missed_marks(image: np.ndarray, lines: list[OcrLine], recognize: Recognize) -> list[OcrLine]:
    """Lines of a letter or two that the detector did not box (see MISSED_SURE)."""
    height = _type_height(lines)
    if height is None or height < 8:
        return []
    found = _unboxed_ink(image, lines, [line.box for line in lines if not tall_box(line.box)], height)
    if not found:
        return []
    margin = 0.25 * height  # the paper around a letter that the recogniser expects
    crops = [
        image[
            max(0, round(y0 - margin)) : round(y1 + margin), max(0, round(x0 - margin)) : round(x1 + margin)
        ]
        for x0, y0, x1, y1 in found
    ]
    latin = not ideographic_text("".join(line.text for line in lines))
    kept = []
    for (x0, y0, x1, y1), (read, confidence) in zip(found, recognize(crops), strict=True):
        read = " ".join(read.split())
        if (
            confidence < MISSED_SURE
            or not any(map(str.isalnum, read))
            or (latin and any(map(ideographic, read)))
            or read in ("V", "v")  # a tick beside an amount or a field, not a letter
        ):
            continue
        pad = PADDING * (y1 - y0)  # boxed as the detector boxes a line
        box = (x0, max(0.0, y0 - pad), x1, min(float(image.shape[0]), y1 + pad))
        kept.append(OcrLine(read, box, float(confidence), split_line(read, box, float(confidence))))
    return kept


def _unboxed_ink(
    image: np.ndarray, lines: list[OcrLine], level: list[PixelBox], height: float
) -> list[PixelBox]:
    """Boxes (pixels) of the runs of ink of a letter's height, a letter's gap apart at most, that
    no line covers and that stand level with a line of `level`; none where there are too many."""
    import cv2

    # Halved where the type is large enough: a letter stays a dozen pixels high, at a quarter
    # of the cost (about 10 ms a 200 dpi page).
    scale = 2 if height >= 24 else 1
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    if scale > 1:
        gray = cv2.resize(
            gray, (gray.shape[1] // scale, gray.shape[0] // scale), interpolation=cv2.INTER_AREA
        )
    size = height / scale
    # The paper the page's text is printed on: the light (or the dark, under light letters)
    # behind most of the lines found. Ink is what stands out from it.
    behind = [
        np.median(gray[int(b[1] / scale) : int(b[3] / scale) + 1, int(b[0] / scale) : int(b[2] / scale) + 1])
        for b in level[:: max(1, len(level) // 50)]
    ]
    paper = float(np.median(behind))
    if paper < 128:
        gray, paper = 255 - gray, 255 - paper
    ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, int(2 * size) | 1, 25
    )
    rows, cols = ink.shape
    # Ink near a line found is the line's: each line's box is marked, widened by a third of a
    # letter at its ends (a letter the detector cut short) and a tenth above and below (not
    # more: the "1" of the row below, in the same column, would be the line's), and a piece
    # touching a mark is left out whole (a box's border, cut by marks into letter-high pieces,
    # would read as "1"s).
    covered = np.zeros((rows, cols), dtype=np.uint8)
    across, up = 0.3 * size, 0.1 * size
    for line in lines:
        x0, y0, x1, y1 = (v / scale for v in line.box)
        top, left = max(0, int(y0 - up)), max(0, int(x0 - across))
        covered[top : int(y1 + up) + 1, left : int(x1 + across) + 1] = 1
    marked = cv2.integral(covered)  # marked[y, x]: the marks above and left of (x, y)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, w, h, area = stats[1:].T  # every piece of ink on the page: thousands, hence arrays
    low, high = MISSED_HEIGHTS
    right, bottom = x + w, y + h
    keep = (
        (low * size <= h)
        & (h <= high * size)
        & (w <= 1.5 * size)
        & (area >= 0.1 * w * h)
        & (x > 0)  # a scan's edge is no letter
        & (y > 0)
        & (right < cols)
        & (bottom < rows)
    )
    keep &= (marked[bottom, right] - marked[y, right] - marked[bottom, x] + marked[y, x]) == 0
    pieces = sorted(
        zip(x[keep].tolist(), y[keep].tolist(), right[keep].tolist(), bottom[keep].tolist(), strict=True)
    )
    # Pieces side by side, a letter's gap apart, are one word ("30").
    groups: list[list[int]] = []
    for x0, y0, x1, y1 in pieces:
        last = groups[-1] if groups else None
        if (
            last
            and x0 - last[2] <= 0.5 * size
            and min(y1, last[3]) - max(y0, last[1]) >= 0.5 * min(y1 - y0, last[3] - last[1])
        ):
            last[:] = [last[0], min(last[1], y0), max(last[2], x1), max(last[3], y1)]
        else:
            groups.append([x0, y0, x1, y1])
    # On that paper only: a stroke of a picture's pattern beside a heading reads as "1".
    found: list[PixelBox] = []
    for x0, y0, x1, y1 in groups:
        if x1 - x0 > 4 * size or not any(
            min(y1 * scale, b[3]) - max(y0 * scale, b[1]) >= 0.5 * (y1 - y0) * scale for b in level
        ):
            continue
        m = round(0.5 * size)
        around = gray[max(0, y0 - m) : y1 + m, max(0, x0 - m) : x1 + m]
        if float(np.median(around)) >= paper - PAPER_TOLERANCE:
            found.append((float(x0 * scale), float(y0 * scale), float(x1 * scale), float(y1 * scale)))
    return [] if len(found) > MISSED_MOST else found


def tall_box(box: PixelBox) -> bool:
    """A line box standing on end, as RapidOCR turns it before reading it."""
    return box[3] - box[1] >= 1.5 * (box[2] - box[0])


def _inside(inner: PixelBox, outer: PixelBox) -> bool:
    """Whether most (four fifths) of a box lies within another."""
    width = min(inner[2], outer[2]) - max(inner[0], outer[0])
    height = min(inner[3], outer[3]) - max(inner[1], outer[1])
    area = (inner[2] - inner[0]) * (inner[3] - inner[1])
    return width > 0 and height > 0 and width * height >= 0.8 * area
