"""A page image to a RawPage: turned upright, straightened, read by OCR, its drawn rules found.

The result is the same RawPage the PDF backend produces for a born-digital page, so layout,
tables, reading order and key-values run unchanged on scans. Its reading frame is the
corrected image; `to_display` maps boxes back onto the image as it was delivered.

Orientation is decided once per page, not per line: the text detector runs on the page (on a
small copy of it for Tesseract), the lines' shapes tell upright from sideways, and recognising
the widest lines both ways up tells upright from upside down (a per-line angle classifier flips
some good lines).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

import cv2
import numpy as np

from docuforge.document.geometry import Box
from docuforge.document.raw import RawPage, RawWord
from docuforge.parse.checkboxes import marks_from_image
from docuforge.parse.lines import BULLETS, CLOSING_MARKS, OPENING_MARKS, full_width, full_width_share
from docuforge.parse.ocr import OcrEngine, OcrLine, OcrWord
from docuforge.parse.ocr import engine as ocr_engine
from docuforge.parse.pictures import find_pictures

ANALYSIS_SIDE = 768  # pixels: enough to see the lines' shapes (as many as at full size), cheap
MAX_SKEW = 12.0  # degrees: more than this is a photo at an angle, not a skewed scan
MIN_SKEW = 0.3  # degrees: less than this costs more to correct than it gains
_SAMPLE_LINES = 5  # lines read both ways up to settle 0 against 180 degrees
_SAMPLE_ASPECT = 10  # of each, a piece at most this many times as wide as it is high
# The lines read turned half round must read this much more confidently, each on average, for the
# page to be turned: a page read upright with a mean confidence of 1 - UPSIDE_DOWN_MARGIN or more
# is upright, and the lines are not read turned at all.
UPSIDE_DOWN_MARGIN = 0.05


@dataclass(slots=True)
class Orientation:
    turns: int  # quarter turns counter-clockwise that make the text upright
    skew: float  # degrees counter-clockwise of the text lines once upright

    @property
    def angle(self) -> float:
        """The rotation that corrects the page, counter-clockwise degrees (OpenCV's convention)."""
        return self.turns * 90.0 - self.skew


def analyse(image: np.ndarray, engine: str = "rapidocr") -> Orientation:
    """Which way up the page is, and how far its lines are tilted.

    RapidOCR's detector and recogniser decide it for every engine. Its quick recogniser (the tiny
    one, the fast engine's only one) is good enough to tell which way a line reads: on the
    benchmarks' 60 receipts, forms and text pages, each turned all four ways, it settles every
    one as the small recogniser does, for a fifth of the cost.
    """
    rapid = ocr_engine("rapidocr-fast" if engine == "rapidocr-fast" else "rapidocr")
    # A RapidOCR engine remembers the lines it found on the last image: analysed at full size, a
    # page that needs no turning has its lines found once, not twice. Tesseract finds its own
    # lines, so a small copy, cheaper to search, is enough for it.
    scale = 1.0 if rapid is ocr_engine(engine) else min(1.0, ANALYSIS_SIDE / max(image.shape[:2]))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    quads = [np.asarray(q, dtype=np.float64) for q in rapid.detect(small)]  # type: ignore[attr-defined]
    if not quads:
        return Orientation(0, 0.0)
    wide = tall = 0.0
    for quad in quads:
        along, across = _sides(quad)
        length = float(np.linalg.norm(along))
        if length <= 1.5 * float(np.linalg.norm(across)):
            continue  # a word, a digit: no direction to speak of
        # Weighted by length: a page's real lines outvote stray marks and single characters.
        if abs(along[0]) >= abs(along[1]):
            wide += length
        else:
            tall += length
    turns = 1 if tall > wide else 0
    if turns:
        quads = [_rotate_quad(q, small.shape[1]) for q in quads]
        small = np.ascontiguousarray(np.rot90(small, 1))
    skew = _skew(quads)
    if _upside_down(rapid, small, quads):
        turns += 2  # a half turn leaves the tilt of the lines as it was
    return Orientation(turns % 4, skew)


def _rotate_quad(quad: np.ndarray, old_width: int) -> np.ndarray:
    """A quad's corners after np.rot90(image, 1), which turns counter-clockwise: (x, y) -> (y, W - 1 - x)."""
    return np.stack([quad[:, 1], old_width - 1 - quad[:, 0]], axis=1)


def _sides(quad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A line box's long side and its short one, whichever corner the detector put first: on a
    page turned a quarter and tilted too, it starts the box with the line's run down the page."""
    along, across = quad[1] - quad[0], quad[3] - quad[0]
    if np.linalg.norm(across) > np.linalg.norm(along):
        return across, along
    return along, across


def _skew(quads: list[np.ndarray]) -> float:
    """The median tilt of the long lines, in degrees counter-clockwise; 0 when too small to matter."""
    angles = []
    for quad in quads:
        along, across = _sides(quad)
        if np.linalg.norm(along) < 3 * np.linalg.norm(across):
            continue  # short boxes (a word, a digit) say little about the line's direction
        angle = -math.degrees(math.atan2(along[1], along[0]))
        angles.append((angle + 90.0) % 180.0 - 90.0)  # a direction, not an arrow: fold to +-90
    if len(angles) < 3:
        return 0.0
    skew = statistics.median(angles)
    return skew if MIN_SKEW <= abs(skew) <= MAX_SKEW else 0.0


def _upside_down(rapid: OcrEngine, image: np.ndarray, quads: list[np.ndarray]) -> bool:
    """Read the widest lines as they are and turned half round: the readable way is the right way."""
    boxes = sorted(
        (_extent(q) for q in quads), key=lambda b: (b[2] - b[0]) * min(b[3] - b[1], 64), reverse=True
    )[:_SAMPLE_LINES]
    crops = []
    for x0, y0, x1, y1 in boxes:
        # The start of a line is enough to tell which way up it reads; recognition costs by width.
        x1 = min(x1, x0 + _SAMPLE_ASPECT * (y1 - y0))
        crop = image[max(0, int(y0)) : math.ceil(y1), max(0, int(x0)) : math.ceil(x1)]
        if crop.size and crop.shape[0] >= 4 and crop.shape[1] >= 4:
            crops.append(crop)
    if not crops:
        return False
    margin = UPSIDE_DOWN_MARGIN * len(crops)
    upright = sum(score for _, score in rapid.recognize(crops, quick=True))  # type: ignore[attr-defined]
    if upright + margin >= len(crops):
        return False  # no reading turned round could beat it: a confidence is at most 1
    flipped = rapid.recognize([np.ascontiguousarray(c[::-1, ::-1]) for c in crops], quick=True)  # type: ignore[attr-defined]
    return sum(score for _, score in flipped) > upright + margin


def _extent(quad: np.ndarray) -> tuple[float, float, float, float]:
    return float(quad[:, 0].min()), float(quad[:, 1].min()), float(quad[:, 0].max()), float(quad[:, 1].max())


def correct(image: np.ndarray, orientation: Orientation) -> tuple[np.ndarray, np.ndarray]:
    """The page turned upright and straightened, and the 2 x 3 matrix from its pixels to the original's."""
    if orientation.turns == 0 and orientation.skew == 0.0:
        return image, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    height, width = image.shape[:2]
    if orientation.skew == 0.0:
        # A quarter turn moves pixels without resampling: exactly np.rot90's, so that the lines
        # the engine found on the page as delivered can be turned with it (RapidEngine.move).
        forward = {
            1: [[0.0, 1.0, 0.0], [-1.0, 0.0, width - 1.0]],
            2: [[-1.0, 0.0, width - 1.0], [0.0, -1.0, height - 1.0]],
            3: [[0.0, -1.0, height - 1.0], [1.0, 0.0, 0.0]],
        }[orientation.turns]
        turned = np.ascontiguousarray(np.rot90(image, orientation.turns))
        return turned, cv2.invertAffineTransform(np.array(forward))
    matrix = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), orientation.angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_width = round(height * sin + width * cos)
    new_height = round(height * cos + width * sin)
    # Grow the canvas so that nothing is cut off, and centre the page on it.
    matrix[0, 2] += new_width / 2.0 - width / 2.0
    matrix[1, 2] += new_height / 2.0 - height / 2.0
    straight = cv2.warpAffine(
        image,
        matrix,
        (new_width, new_height),
        flags=cv2.INTER_LINEAR if orientation.skew else cv2.INTER_NEAREST,
        borderValue=(255, 255, 255),
    )
    return straight, cv2.invertAffineTransform(matrix)


def read_page(
    image: np.ndarray,
    dpi: float,
    index: int,
    *,
    engine: str = "rapidocr",
    detect_orientation: bool = True,
) -> RawPage:
    """OCR one page image (RGB) into a RawPage in points; boxes map back to the image as delivered."""
    orientation = analyse(image, engine) if detect_orientation else Orientation(0, 0.0)
    upright, back = correct(image, orientation)
    reader = ocr_engine(engine)
    if bool(orientation.turns) != bool(orientation.skew) and hasattr(reader, "move"):
        # The lines found while analysing, moved with the page. A page both turned and tilted
        # is searched again: its lines, found running down the page, box its words a little
        # differently once moved, and a word came apart ("f th" for "fifth").
        reader.move(cv2.invertAffineTransform(back), image.shape, upright.shape)
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
    sizes = _sizes(gray, ordered, padding)
    heavy = _bold(gray, ordered, sizes, padding)
    words: list[RawWord] = []
    for run, (line, size, bold) in enumerate(zip(ordered, sizes, heavy, strict=True)):
        height = (line.box[3] - line.box[1]) * points
        down = _thickness(line.box) < line.box[3] - line.box[1]
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


_SHORT = frozenset("acemnorsuvwxz")  # letters that stand on the baseline and reach the x-height
_X_HEIGHT = 0.5  # of the type size, about, in common faces
_CAP_HEIGHT = 0.7
_SAME_SIZE = 0.12  # lines whose measured size is this close to the page's are set in its size
_BOX_ERROR = 0.25  # of the page's usual size: how far a size read from a box's height may be off
_ROW_ERROR = 1.5  # rows of pixels: how far the edges of a band of ink may be off, together
# A line's type size in pixels, as one or two readings (none: not measured), give or take.
Measure = tuple[tuple[float, ...], float]


def _sizes(gray: np.ndarray, lines: list[OcrLine], padding: float) -> list[float]:
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
        return [0.75 * _thickness(line.box) for line in lines]
    # A line too short to measure is sized from its box, by the page's own ratio of measured
    # size to box height: a fixed ratio would set the short cells of a table apart from the rest.
    ratio = statistics.median(size / _thickness(line.box) for size, line in sure)
    # A line of as many capitals and digits as small letters may have been measured by either
    # band: the one that agrees with its box's height, by the page's ratio.
    chosen: list[tuple[float | None, float]] = [
        (min(sizes, key=lambda size: abs(math.log(size / (ratio * _thickness(line.box))))), error)
        if sizes
        else (None, 0.0)
        for (sizes, error), line in zip(measured, lines, strict=True)
    ]
    known = [(size, len(line.text)) for (size, _), line in zip(chosen, lines, strict=True) if size]
    usual = _by_characters(known)  # the body text's size
    sizes = []
    for (size, error), line in zip(chosen, lines, strict=True):
        if not size:
            size, error = ratio * _thickness(line.box), _BOX_ERROR * usual
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


def _bold(gray: np.ndarray, lines: list[OcrLine], sizes: list[float], padding: float) -> list[bool]:
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


def _thickness(box: Box) -> float:
    """How thick a line is across its text: its height, or its width where it runs down the page."""
    width, height = box[2] - box[0], box[3] - box[1]
    return width if height >= 1.5 * width else height


def _ink_size(gray: np.ndarray, line: OcrLine, padding: float) -> Measure:
    if full_width_share(line.text) >= 0.3:
        size = _pitch_size(gray, line)
        return ((size,) if size else ()), 0.0
    if _thickness(line.box) < line.box[3] - line.box[1]:
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
