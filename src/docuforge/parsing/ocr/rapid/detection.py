"""Finding a page's text lines: only where it has ink, and once for a page turned or straightened."""

from __future__ import annotations

import numpy as np

from docuforge.parsing.ocr.rapid.adapter import Detection, DetectorParts

# The detector widens each line's box by about a tenth of its height above and below.
PADDING = 0.1


class LastDetection:
    """RapidOCR's text detector, remembering the lines it found on the last image it was given.

    Orientation is settled on the page as delivered (docuforge.parsing.ocr.orientation), and most
    pages need no turning: the page then read is the very image just analysed, and finding its
    lines again would cost a fifth of the page's time with the fast engine. Remembered by the
    pixels themselves, so a different image is always detected afresh, unless it is the last
    page moved (`move`).
    """

    def __init__(self, parts: DetectorParts) -> None:
        self.parts = parts
        self._last: tuple[np.ndarray, Detection] | None = None
        # If the next image is the last page moved: the 2 x 3 matrix that moved it, the page's
        # size before and after (rows, columns).
        self._moved: tuple[np.ndarray, tuple[int, ...], tuple[int, ...]] | None = None

    def __call__(self, image: np.ndarray) -> Detection:
        last, moved, self._moved = self._last, self._moved, None
        if last is not None and last[0].shape == image.shape and np.array_equal(last[0], image):
            found = last[1]
        elif (
            last is not None
            and moved is not None
            and (boxes := self._moved_boxes(last, moved, image)) is not None
        ):
            found = Detection(boxes, last[1].scores)
            self._last = (image, found)
        else:
            found = self.search(image)
            self._last = (image, found)
        return self._copy(found)

    def forget(self) -> None:
        """Forget the last page: the next image is searched afresh, whatever it is."""
        self._last = self._moved = None

    def search(self, image: np.ndarray) -> Detection:
        """RapidOCR's detector on the image, the network run only where the page has ink.

        The network's cost goes by the pixels it looks at, and a printed page's margins are a
        fifth to two fifths of them. The page is scaled as RapidOCR scales it; the inked part,
        with a margin, cut on the network's 32-pixel grid, is what the network sees; its output
        is set back in place on a blank map of the whole page, which RapidOCR's own
        post-processing then reads. The network sees the very pixels it would see on the page,
        and finds the same lines; their boxes move by a few pixels at most, because the network
        weighs its channels by all it sees (tests/parsing/test_ocr_detection.py).
        """
        parts = self.parts
        scaled = parts.scale(image)
        if scaled is None:  # an image RapidOCR cannot scale: its detector finds nothing there
            return Detection()
        # A page inked to its edges, or blank, is given whole, scaled once as it is here.
        top, bottom, left, right = inked_area(scaled) or (0, scaled.shape[0], 0, scaled.shape[1])
        # In float32: with RapidOCR's mean and deviation (a half) these are the very values its
        # float64 arithmetic rounds to, at half the cost.
        mean, deviation, scale = parts.normalisation()
        mean, deviation = (np.asarray(v, dtype=np.float32) for v in (mean, deviation))
        piece = scaled[top:bottom, left:right].astype(np.float32) * np.float32(scale)
        piece = (piece - mean) / deviation
        found = parts.run(np.ascontiguousarray(piece.transpose(2, 0, 1)[None]))
        whole = np.zeros((*found.shape[:2], *scaled.shape[:2]), dtype=found.dtype)
        whole[:, :, top:bottom, left:right] = found
        boxes, scores = parts.boxes(whole, image.shape[:2])
        if len(boxes) < 1:
            return Detection()
        return Detection(parts.sort(boxes), scores)

    def move(self, forward: np.ndarray, before: tuple[int, ...], after: tuple[int, ...]) -> None:
        """The next image is the last page (of size `before`) moved by the 2 x 3 matrix `forward`
        onto a canvas of size `after`: turned a quarter or a half, or straightened by a few
        degrees. Its lines are the last ones, moved with it.

        The detector finds the same lines on a page however it is turned or tilted, and searching
        the moved page again would cost as much as the first search. RapidOCR scales a page to
        the detector's size before it looks for lines, and gives the detector the scaled image:
        the lines are moved in the page's pixels, between the two scalings. The promise holds
        for the very next image only, and only if it has the moved page's proportions.
        """
        if self._last is not None:
            self._moved = (np.asarray(forward, dtype=np.float64), tuple(before[:2]), tuple(after[:2]))

    def _moved_boxes(
        self,
        last: tuple[np.ndarray, Detection],
        moved: tuple[np.ndarray, tuple[int, ...], tuple[int, ...]],
        image: np.ndarray,
    ) -> np.ndarray | None:
        """The last lines moved onto `image` (the moved page as the detector gets it), or None
        where `image` is not the moved page at the detector's scale."""
        forward, (rows, cols), (new_rows, new_cols) = moved
        found = last[1]
        if found.boxes is None or not len(found.boxes):
            return None
        height, width = image.shape[:2]
        if abs(height / width - new_rows / new_cols) > 0.02 * new_rows / new_cols:
            return None
        was_height, was_width = last[0].shape[:2]
        on_page = found.boxes.astype(np.float64) * (cols / was_width, rows / was_height)
        quads = (on_page @ forward[:, :2].T + forward[:, 2]) * (width / new_cols, height / new_rows)
        # Each box's corners stay clockwise; the top-left one goes first again.
        first = quads.sum(axis=2).argmin(axis=1)
        quads = np.stack([np.roll(quad, -start, axis=0) for quad, start in zip(quads, first, strict=True)])
        return self.parts.sort(quads.astype(found.boxes.dtype))

    @staticmethod
    def _copy(found: Detection) -> Detection:
        # The pipeline maps the boxes back onto the page in place: each caller gets its own.
        return Detection(
            None if found.boxes is None else found.boxes.copy(),
            None if found.scores is None else list(found.scores),
        )


# The page's ink is what differs from its paper (its commonest colour) by more than INK_TOLERANCE
# levels in a channel. The detector's network looks at the inked part, widened by INK_MARGIN pixels of
# its input (the lines' boxes reach past their letters) and out to its 32-pixel grid, and only
# where that leaves out at least INK_SAVING of the page: scans and photos, dark to their edges,
# are searched whole.
INK_TOLERANCE, INK_MARGIN, INK_SAVING = 40, 32, 0.1
GRID = 32  # the detector's network halves its input five times


def inked_area(image: np.ndarray) -> tuple[int, int, int, int] | None:
    """Rows top..bottom and columns left..right of the image (BGR, at the detector's scale)
    holding all of its ink, with a margin, on the detector's grid; None where that is nearly
    the whole image, or the image is blank."""
    import cv2

    # By each channel, not the grey: yellow letters on white paper are nearly white in grey.
    planes = cv2.split(image) if image.ndim == 3 else [image]
    away = None
    for plane in planes:
        apart = cv2.absdiff(plane, int(np.median(plane[::4, ::4])))
        away = apart if away is None else cv2.max(away, apart)
    away = away > INK_TOLERANCE
    rows, cols = np.flatnonzero(away.any(axis=1)), np.flatnonzero(away.any(axis=0))
    if not len(rows):
        return None
    height, width = away.shape

    def span(first: int, last: int, size: int) -> tuple[int, int]:
        start = max(0, (first - INK_MARGIN) // GRID * GRID)
        return start, min(size, -(-(last + 1 + INK_MARGIN) // GRID) * GRID)

    (top, bottom), (left, right) = span(rows[0], rows[-1], height), span(cols[0], cols[-1], width)
    if (bottom - top) * (right - left) > (1 - INK_SAVING) * height * width:
        return None
    return top, bottom, left, right
