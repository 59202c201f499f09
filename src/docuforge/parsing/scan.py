"""A page image to a RawPage: turned upright, straightened, read by OCR, its drawn rules found.

The result is the same RawPage the PDF backend produces for a born-digital page, so layout,
tables, reading order and key-values run unchanged on scans. Its reading frame is the
corrected image; `to_display` maps boxes back onto the image as it was delivered. Orientation
is its own stage (docuforge.parsing.ocr.orientation), type size and weight come from the ink
(docuforge.parsing.type_size).
"""

from __future__ import annotations

import cv2
import numpy as np

from docuforge.document.geometry import Box
from docuforge.document.raw import RawPage, RawWord
from docuforge.parsing.checkboxes import marks_from_image
from docuforge.parsing.lines import BULLETS, full_width_share
from docuforge.parsing.ocr import OcrLine, OcrWord, orienter
from docuforge.parsing.ocr import engine as ocr_engine
from docuforge.parsing.ocr.options import OcrOptions
from docuforge.parsing.ocr.orientation import Orientation, analyse, correct
from docuforge.parsing.pictures import find_pictures
from docuforge.parsing.type_size import bold_lines, line_sizes, thickness


def orientation_of(image: np.ndarray, ocr: OcrOptions | None = None) -> Orientation:
    """Which way up a page image (RGB) is and how far its lines are tilted, as `read_page`
    settles it for these options."""
    rapid = orienter(ocr)
    return analyse(image, rapid, rapid, shrink=ocr_engine(ocr) is not rapid)


def read_page(
    image: np.ndarray,
    dpi: float,
    index: int,
    *,
    ocr: OcrOptions | None = None,
    detect_orientation: bool = True,
) -> RawPage:
    """OCR one page image (RGB) into a RawPage in points; boxes map back to the image as delivered."""
    reader = ocr_engine(ocr)
    if detect_orientation:
        rapid = orienter(ocr)
        orientation = analyse(image, rapid, rapid, shrink=reader is not rapid)
    else:
        orientation = Orientation(0, 0.0)
    upright, back = correct(image, orientation)
    if detect_orientation and reader is rapid and bool(orientation.turns) != bool(orientation.skew):
        # The lines found while analysing, moved with the page. A page both turned and tilted
        # is searched again: its lines, found running down the page, box its words a little
        # differently once moved, and a word came apart ("f th" for "fifth").
        rapid.move(cv2.invertAffineTransform(back), image.shape, upright.shape)
    lines = reader.read(upright)
    gray = cv2.cvtColor(upright, cv2.COLOR_RGB2GRAY) if upright.ndim == 3 else upright
    _add_bullets(lines, gray)
    points = 72.0 / dpi
    height, width = image.shape[:2]
    frame_height, frame_width = upright.shape[:2]

    def to_display(box: Box) -> Box:
        corners = (
            np.array(
                [[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]]], dtype=np.float64
            )
            / points
        )
        mapped = corners @ back[:, :2].T + back[:, 2]
        return (
            float(mapped[:, 0].min() * points),
            float(mapped[:, 1].min() * points),
            float(mapped[:, 0].max() * points),
            float(mapped[:, 1].max() * points),
        )

    page = RawPage(
        index=index,
        width=frame_width * points,
        height=frame_height * points,
        rotation=(orientation.turns * 90) % 360,  # how far the text was turned on the image
        display_width=width * points,
        display_height=height * points,
        to_display=to_display,
    )
    page.words = _words(lines, points, gray, reader.padding)
    hrules, vrules = find_rules(upright, points)
    # Lines along the image's own edges are the scanner's or the camera's border, not the page's.
    edge = 2.0
    page.hrules = [r for r in hrules if edge < r[1] and r[3] < page.height - edge]
    page.vrules = [r for r in vrules if edge < r[0] and r[2] < page.width - edge]
    marks_from_image(upright, points, page)
    page.images = find_pictures(upright, lines, points)
    return page


def _solid_disc(gray: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    """Whether the ink in a box is one solid blob (a disc), not a dot inside a ring."""
    crop = gray[max(0, round(box[1])) : round(box[3]), max(0, round(box[0])) : round(box[2])]
    if crop.size == 0:
        return False
    count, labels, stats, _ = cv2.connectedComponentsWithStats((crop < 128).astype(np.uint8), connectivity=8)
    blobs = [k for k in range(1, count) if stats[k][cv2.CC_STAT_AREA] > 2]
    return len(blobs) == 1 and _solid(labels, stats, blobs[0])


def _solid(labels: np.ndarray, stats: np.ndarray, label: int) -> bool:
    """Whether a blob is solid as a bullet is: a disc fills pi/4 of its square, a triangle half;
    an outline (an empty checkbox) less, a filled box (a checked one) all of it; and it fills
    its convex hull, as a letter (an X, an o) does not."""
    width, height, area = (
        int(stats[label][k]) for k in (cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT, cv2.CC_STAT_AREA)
    )
    hull = cv2.contourArea(cv2.convexHull(cv2.findNonZero((labels == label).astype(np.uint8))))
    return 0.45 <= area / max(width * height, 1) <= 0.92 and area >= 0.8 * hull


def _add_bullets(lines: list[OcrLine], gray: np.ndarray) -> None:
    """Bullets the text detector passed over, put back at the start of their lines.

    The detector looks for letters, and a lone round dot before a list item is not one: without
    it the item is read as part of the paragraph above. A bullet is the one solid blob (a disc,
    a triangle) in the margin just left of a line, about half as high as the type and centred
    on it.
    """
    for line in lines:
        x0, y0, x1, y1 = line.box
        height = y1 - y0
        if len(line.words) > 1 and line.words[0].text == "\u25cf" and _solid_disc(gray, line.words[0].box):
            # The recogniser read the bullet itself, as the black circle that also stands for
            # a checked radio button; a radio button's dot sits in a ring, a bullet alone.
            line.words[0].text = "\u2022"
            line.text = "\u2022" + line.text[1:]
            continue
        if len(line.text.replace(" ", "")) < 3 or line.text[:1] in BULLETS or height < 8:
            continue  # a table's short cells, whose letters the recogniser may have left unread
        # The margin before the line's first letter: the detector's box may take the bullet in
        # and the recogniser still leave it unread.
        start = line.words[0].box[0] - 0.05 * height
        left, top, bottom = max(0, round(x0 - 2.5 * height)), max(0, round(y0)), round(y1)
        crop = gray[top:bottom, left : max(left, round(start))]
        if crop.shape[1] < height or crop.min() > 128:
            continue
        ink = (crop < 128).astype(np.uint8)
        count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
        blobs = [(*stats[k], k) for k in range(1, count) if stats[k][cv2.CC_STAT_AREA] > 2]
        # Ink cut by the top or bottom edge belongs to the lines above and below, ink cut by the
        # right edge to the line's first letter. Ink cut by the left edge, or more than one
        # mark, is a column or a cell beside, not a margin.
        rows, cols = crop.shape
        blobs = [b for b in blobs if b[1] > 0 and b[1] + b[3] < rows and b[0] + b[2] < cols]
        if len(blobs) != 1 or blobs[0][0] == 0:
            continue
        bx, by, bw, bh, _, label = (int(v) for v in blobs[0])
        middle = (by + bh / 2) / height
        if not (
            0.2 * height <= bh <= 0.6 * height
            and 0.75 <= bw / bh <= 1.33
            and 0.35 <= middle <= 0.65
            and _solid(labels, stats, label)
        ):
            continue
        box = (float(left + bx), float(top + by), float(left + bx + bw), float(top + by + bh))
        line.words.insert(0, OcrWord("\u2022", (box[0], y0, box[2], y1), line.confidence))
        line.text = "\u2022 " + line.text
        line.box = (min(x0, box[0]), y0, x1, y1)


def _words(lines: list[OcrLine], points: float, gray: np.ndarray, padding: float) -> list[RawWord]:
    """OCR words in points, in reading order of their lines, kept visibly apart.

    The layout joins words that touch (a PDF draws some words in pieces), so two OCR words whose
    estimated boxes touch are pulled apart a little: OCR has already said they are two words.
    """
    ordered = sorted(lines, key=lambda item: (item.box[1] + item.box[3]) / 2)
    sizes = line_sizes(gray, ordered, padding)
    heavy = bold_lines(gray, ordered, sizes, padding)
    words: list[RawWord] = []
    for run, (line, size, bold) in enumerate(zip(ordered, sizes, heavy, strict=True)):
        height = (line.box[3] - line.box[1]) * points
        down = thickness(line.box) < line.box[3] - line.box[1]
        if down and full_width_share(line.text) >= 0.5:
            # Chinese or Japanese set down the page (a newspaper's headline, a spine): one word,
            # the whole column, read as the line it is; its characters, stacked, would each be
            # a row of their own.
            x0, y0, x1, y1 = (value * points for value in line.box)
            text = "".join(line.text.split())
            words.append(
                RawWord(text, x0, y0, x1, y1, size * points, bold, confidence=line.confidence, run=run)
            )
            continue
        previous: RawWord | None = None
        for word in line.words:
            x0, y0, x1, y1 = (value * points for value in word.box)
            if down:
                pass  # a line running down the page: its words are stacked, each boxed as read
            elif padding:
                # Words cut from a padded line box (RapidOCR's, slices of a slightly slanted
                # line): their own height less the margin, so that lines that nearly touch do
                # not chain a column's rows into its neighbour's.
                y0, y1 = y0 + padding * height, y1 - padding * height
            else:
                # Words boxed tight round their own letters (Tesseract's "we." sits lower than
                # "Lumen"): the line's height, so that they share a row.
                y0, y1 = line.box[1] * points, line.box[3] * points
            raw = RawWord(word.text, x0, y0, x1, y1, size * points, bold, confidence=word.confidence, run=run)
            if previous is not None and not down and raw.x0 - previous.x1 < 0.2 * height:
                middle = (previous.x1 + raw.x0) / 2
                previous.x1 = min(previous.x1, middle - 0.1 * height)
                raw.x0 = max(raw.x0, middle + 0.1 * height)
            words.append(raw)
            previous = raw
    return words


def find_rules(image: np.ndarray, points: float) -> tuple[list[Box], list[Box]]:
    """Horizontal and vertical ruling lines (table borders, underlines), in points.

    Dark pixels opened with a long thin kernel leave only runs longer than the kernel: text
    strokes are short, rules are long.
    """
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    height, width = ink.shape
    found: list[list[Box]] = [[], []]
    for axis, kernel in enumerate(
        (
            cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, width // 40), 1)),
            cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, height // 40))),
        )
    ):
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        contours, _ = cv2.findContours(lines, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            if axis == 0 and h <= max(3, 0.01 * height):
                found[0].append((x * points, y * points, (x + w) * points, (y + h) * points))
            elif axis == 1 and w <= max(3, 0.01 * width):
                found[1].append((x * points, y * points, (x + w) * points, (y + h) * points))
    return found[0], found[1]
