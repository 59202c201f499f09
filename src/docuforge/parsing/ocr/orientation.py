"""Page orientation, a stage before OCR: which way up a page image is and how far its lines are
tilted, decided once per page, not per line, and the page turned and straightened accordingly.

The text detector runs on the page, the lines' shapes tell upright from sideways, and
recognising the widest lines both ways up tells upright from upside down (a per-line angle
classifier flips some good lines). It takes any Detector and Recogniser (docuforge.parsing.ocr).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

import cv2
import numpy as np

from docuforge.parsing.ocr import Detector, Recogniser

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


def analyse(
    image: np.ndarray, detector: Detector, recogniser: Recogniser, *, shrink: bool = False
) -> Orientation:
    """Which way up the page is, and how far its lines are tilted: the detector's lines' shapes
    tell upright from sideways, and the recogniser, reading the widest lines both ways up, upright
    from upside down.

    RapidOCR's detector and recogniser decide it for every engine. Its quick recogniser (the tiny
    one, the fast engine's only one) is good enough to tell which way a line reads: on the
    benchmarks' 60 receipts, forms and text pages, each turned all four ways, it settles every
    one as the small recogniser does, for a fifth of the cost. `shrink`: look at a copy of the
    page at most ANALYSIS_SIDE pixels large, cheaper to search, where another engine reads the
    page (a RapidOCR engine remembers the lines it found on the last image: analysed at full
    size, a page that needs no turning has its lines found once, not twice).
    """
    scale = min(1.0, ANALYSIS_SIDE / max(image.shape[:2])) if shrink else 1.0
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    quads = [np.asarray(q, dtype=np.float64) for q in detector.detect(small)]
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
    if _upside_down(recogniser, small, quads):
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


def _upside_down(recogniser: Recogniser, image: np.ndarray, quads: list[np.ndarray]) -> bool:
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
    upright = sum(score for _, score in recogniser.recognize(crops, quick=True))
    if upright + margin >= len(crops):
        return False  # no reading turned round could beat it: a confidence is at most 1
    flipped = recogniser.recognize([np.ascontiguousarray(c[::-1, ::-1]) for c in crops], quick=True)
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
