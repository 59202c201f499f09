"""Lines read in batches of alike width, and lines read too tightly read again stretched."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from docuforge.parsing.ocr.rapid.adapter import LineWords, Recognised, RecogniserParts
from docuforge.parsing.ocr.rapid.decoding import Decoder

# Lines are padded to the next step of a ladder of widths, each this much wider than the last:
# as accurate as RapidOCR's own batches, and the recogniser alone a little faster on line crops.
# With no ladder (each wider line padded to its own width and read alone), the fast engine's
# lines of a text page cost a call each: a tenth to a fifth slower.
WIDTH_STEP = 1.1


class Sureness(NamedTuple):
    """How sure a recogniser was of a line's reading, column by column."""

    # Of each output column, the probability of the character read there at the surest column
    # of its run (a character spans a run of columns, and its first is often still unsure).
    columns: np.ndarray
    # Each space read: its first column and that probability.
    spaces: tuple[tuple[int, float], ...]


def least_character(probs: np.ndarray) -> float:
    """The probability of the least likely character the model read in a line's output columns
    (columns x characters): one doubtful letter in a line of sure ones is the sign of a misreading
    that the line's mean confidence hides."""
    return sureness(probs, None)[1]


def sureness(probs: np.ndarray, space: int | None) -> tuple[Sureness, float]:
    """How sure the recogniser was of each column of a line (columns x characters), and of the
    line's least likely character (`least_character`). `space`: the space's output index."""
    best = probs.argmax(axis=1)
    top = probs.max(axis=1)
    starts = np.flatnonzero(np.r_[True, best[1:] != best[:-1]])
    peaks = np.maximum.reduceat(top, starts)
    read = peaks[best[starts] != 0]  # 0 is the CTC blank
    spaces = tuple(
        (int(start), float(peak)) for start, peak in zip(starts, peaks, strict=True) if best[start] == space
    )
    columns = np.repeat(peaks, np.diff(np.r_[starts, len(best)]))
    return Sureness(columns, spaces), float(read.min()) if len(read) else 0.0


class AlikeBatches:
    """A recogniser reading each line padded to a width that depends on the line alone.

    RapidOCR pads every line of a batch to the batch's widest, and the padding changes what the
    model reads: a line came out differently with other lines beside it. Here a line is padded
    to its own width rounded up to the next step of a ladder (each step WIDTH_STEP wider than the
    last, from the recogniser's least width), and read in a batch only with lines padded to the
    same step: each line reads the same on any page, and lines of a page of text, nearly all of
    one width, are still read eight at a time.
    """

    def __init__(self, parts: RecogniserParts) -> None:
        self.parts = parts
        self.decoder = Decoder(parts.characters)
        self.height = parts.height
        self.least_width = parts.width / parts.height  # the width (in heights) every line is padded to
        # Of each line of the last call: the probability of its least likely character, and of
        # each of its output columns, that of the character read there (at its surest column).
        self.least_likely: list[float] = []
        self.sureness: list[Sureness] = []
        self._space = self.decoder.index.get(" ")  # the space's index among the outputs

    def padded(self, ratio: float) -> float:
        """The width, in heights, to which a line of this width (in heights) is padded."""
        if ratio <= self.least_width:
            return self.least_width
        return self.least_width * WIDTH_STEP ** math.ceil(math.log(ratio / self.least_width, WIDTH_STEP))

    def __call__(self, images: list[np.ndarray], word_boxes: bool = False) -> Recognised:
        parts = self.parts
        ratios = [image.shape[1] / max(image.shape[0], 1) for image in images]
        widths = [self.padded(ratio) for ratio in ratios]
        lines: list[tuple[str, float]] = [("", 0.0)] * len(images)
        words: list[LineWords | None] = [None] * len(images)
        self.least_likely = [0.0] * len(images)
        self.sureness = [Sureness(np.zeros(0), ())] * len(images)
        for width in sorted(set(widths)):
            alike = [i for i, w in enumerate(widths) if w == width]
            for first in range(0, len(alike), parts.batch_size):
                batch = alike[first : first + parts.batch_size]
                pixels = np.stack([parts.resize(images[i], width) for i in batch])
                probs = parts.run(pixels.astype(np.float32))
                for k, i in enumerate(batch):
                    self.sureness[i], self.least_likely[i] = sureness(probs[k], self._space)
                read, boxes = self.decoder(probs, word_boxes, [ratios[i] for i in batch], width)
                for k, i in enumerate(batch):
                    lines[i] = read[k]
                    words[i] = boxes[k] if word_boxes else None
        return Recognised(tuple(text for text, _ in lines), [score for _, score in lines], tuple(words))


# The recogniser reads a line in columns a fixed fraction of its height wide: a line whose
# letters are narrow for its height (small type set tight, a box grown by the lines above and
# below) gives fewer columns than letters need, and letters drop out ("te" for "the"). A line
# read with more than DENSE letters a column and less than SURE confidence is read again
# stretched to about ROOMY letters a column; the more confident reading stands. On FUNSD the
# median line reads 0.4 letters a column, a tenth of lines more than 0.55.
DENSE, SURE, ROOMY = 0.55, 0.9, 0.4
MAX_STRETCH = 2.0


class Stretching:
    """A recogniser reading again, stretched wider, the lines it read too tightly."""

    def __init__(self, batches: AlikeBatches) -> None:
        self.batches = batches
        self._stride = 8  # image columns to one column of the recogniser's output
        self._height = batches.height

    def __call__(self, images: list[np.ndarray], word_boxes: bool = False) -> Recognised:
        import cv2

        out = self.batches(images, word_boxes)
        again: list[tuple[int, float]] = []
        for index, (image, text, score) in enumerate(zip(images, out.texts, out.scores, strict=True)):
            height, width = image.shape[:2]
            columns = self._height * width / max(height, 1) / self._stride
            density = len(text.strip()) / max(columns, 1.0)
            if density > DENSE and score < SURE and len(text.strip()) >= 4:
                again.append((index, min(MAX_STRETCH, density / ROOMY)))
        if not again:
            return out
        stretched = [
            cv2.resize(images[i], None, fx=factor, fy=1.0, interpolation=cv2.INTER_CUBIC)
            for i, factor in again
        ]
        second = self.batches(stretched, word_boxes)
        texts, scores, words = list(out.texts), list(out.scores), list(out.words)
        readings = zip(again, second.texts, second.scores, second.words, strict=True)
        for (index, _), text, score, word in readings:
            if score > scores[index]:
                texts[index], scores[index] = text, score
                words[index] = word
        return Recognised(tuple(texts), scores, tuple(words))
