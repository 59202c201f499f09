"""RapidOCR seen through Docuforge's own types: the one module that imports `rapidocr`.

The engine uses RapidOCR's models, their runtimes and its line geometry, but not its pipeline:
it detects, batches, decodes and re-reads lines its own way (detection.py, batching.py,
decoding.py, cascade.py). What it takes from RapidOCR is named here, through RapidOCR's public
classes (TextDetector, TextRecognizer, CalRecBoxes) and functions, so that an upgrade of RapidOCR
that changes them fails here, on import or on the first page, and nowhere else.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np


@dataclass(slots=True)
class LineWords:
    """The words of a recognised line: each word's characters, the output columns they were read
    at, whether it is set in square (Chinese, Japanese) characters, the line's width in output
    columns, and the confidence of each character read."""

    words: list[list[str]] = field(default_factory=list)
    word_cols: list[list[float]] = field(default_factory=list)
    square: list[bool] = field(default_factory=list)
    line_txt_len: float = 0.0
    confs: list[float] = field(default_factory=list)


@dataclass(slots=True)
class Recognised:
    """What a recogniser read of a list of line images: a text, a confidence and (when asked for
    word boxes) the words of each."""

    texts: tuple[str, ...]
    scores: list[float]
    words: tuple[LineWords | None, ...]


class Detection(NamedTuple):
    """The text lines a detector found on an image (as the detector was given it): quadrilaterals
    (n x 4 x 2, pixels, top-left corner first) and their scores; None where it found none."""

    boxes: np.ndarray | None = None
    scores: list[float] | None = None


class PageText(NamedTuple):
    """A page read: the lines' quadrilaterals on the page, texts, confidences and words, each word
    (text, confidence, quadrilateral), as RapidOCR's own pipeline returns them."""

    boxes: np.ndarray
    texts: tuple[str, ...]
    scores: tuple[float, ...]
    words: tuple[Any, ...]


Detect = Callable[[np.ndarray], Detection]
Recognise = Callable[[list[np.ndarray], bool], Recognised]


def runtime_settings(runtime: str, threads: int, pinned: bool) -> dict[str, object]:
    """RapidOCR's settings for the models' runtime ("openvino", "onnxruntime" or "cuda")."""
    from rapidocr import EngineType

    if runtime == "openvino":
        # OpenVINO reads the same ONNX files; named here, because RapidOCR's own catalogue
        # would look for OpenVINO builds of them online.
        return {
            "Det.engine_type": EngineType.OPENVINO,
            "Rec.engine_type": EngineType.OPENVINO,
            "EngineConfig.openvino.inference_num_threads": threads,
            **({} if pinned else {"EngineConfig.openvino.enable_cpu_pinning": False}),
        }
    return {
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        "EngineConfig.onnxruntime.use_cuda": runtime == "cuda",
    }


def bundled_model(task: str) -> str:
    """The ONNX model of a task (det, rec) that ships inside the rapidocr wheel."""
    import rapidocr

    found = sorted((Path(rapidocr.__file__).parent / "models").glob(f"*_{task}_*.onnx"))
    if not found:
        raise RuntimeError(f"the rapidocr package holds no {task} model: reinstall it")
    return str(found[-1])


def _configuration(params: dict[str, object]) -> Any:
    """RapidOCR's settings with ours laid over them, as RapidOCR resolves them (which also sets
    its logger's level)."""
    from rapidocr import RapidOCR

    return RapidOCR(params=params).cfg


def load_detector(params: dict[str, object]) -> DetectorParts:
    """RapidOCR's text detector, loaded with these settings."""
    from rapidocr.ch_ppocr_det import TextDetector

    config = _configuration(params)
    config.Det.engine_cfg = config.EngineConfig[config.Det.engine_type.value]
    config.Det.model_root_dir = config.Global.model_root_dir
    return DetectorParts(TextDetector(config.Det))


def load_recogniser(params: dict[str, object]) -> RecogniserParts:
    """RapidOCR's text recogniser, loaded with these settings."""
    from rapidocr.ch_ppocr_rec import TextRecognizer

    config = _configuration(params)
    config.Rec.engine_cfg = config.EngineConfig[config.Rec.engine_type.value]
    config.Rec.font_path = config.Global.font_path
    config.Rec.model_root_dir = config.Global.model_root_dir
    return RecogniserParts(TextRecognizer(config.Rec))


class DetectorParts:
    """The pieces of RapidOCR's text detector: how it scales and normalises a page, its network,
    and how it turns the network's map into line boxes."""

    def __init__(self, detector: Any) -> None:
        self._detector = detector

    def scale(self, image: np.ndarray) -> np.ndarray | None:
        """The image scaled to the network's size (on its 32-pixel grid); None where it cannot be."""
        return self._detector.get_preprocess().resize(image)

    def normalisation(self) -> tuple[np.ndarray, np.ndarray, float]:
        """The mean, deviation and scale by which the network's input is normalised."""
        prepare = self._detector.get_preprocess()
        return prepare.mean, prepare.std, prepare.scale

    def run(self, pixels: np.ndarray) -> np.ndarray:
        """The network's text map of a normalised batch (1 x 3 x H x W)."""
        return self._detector.session(pixels)

    def boxes(self, found: np.ndarray, shape: tuple[int, int]) -> tuple[np.ndarray, list[float]]:
        """The line boxes of a text map, on an image of that shape (rows, columns), and scores."""
        return self._detector.postprocess_op(found, shape)

    @staticmethod
    def sort(boxes: np.ndarray) -> np.ndarray:
        """Line boxes in reading order, top to bottom, left to right within a row."""
        from rapidocr.ch_ppocr_det import TextDetector

        return TextDetector.sorted_boxes(boxes)

    def find(self, image: np.ndarray) -> Detection:
        """RapidOCR's own detection, of the whole image."""
        found = self._detector(image)
        return Detection(found.boxes, found.scores)


class RecogniserParts:
    """The pieces of RapidOCR's text recogniser: its input size and batch, how it scales a line,
    its network and its list of characters."""

    def __init__(self, recogniser: Any) -> None:
        self._recogniser = recogniser
        _, self.height, self.width = (int(v) for v in recogniser.rec_image_shape[:3])
        self.batch_size = int(recogniser.rec_batch_num)
        self.model = str(recogniser.cfg.model_path)  # the ONNX file it runs
        # The network's outputs, in order: 0 is the CTC blank.
        self.characters: list[str] = list(recogniser.postprocess_op.character)

    def resize(self, image: np.ndarray, width: float) -> np.ndarray:
        """A line image (BGR) scaled to the network's height and padded to `width` heights."""
        return self._recogniser.resize_norm_img(image, width)

    def run(self, pixels: np.ndarray) -> np.ndarray:
        """The network's output of a batch of lines: lines x columns x characters."""
        return self._recogniser.session(pixels)

    def read_batch(self, images: list[np.ndarray]) -> list[tuple[str, float]]:
        """RapidOCR's own reading of line images, each batch padded to its widest line."""
        from rapidocr.ch_ppocr_rec import TextRecInput

        out = self._recogniser(TextRecInput(img=images))
        return list(zip(out.txts, out.scores, strict=True))


class RapidPipeline:
    """RapidOCR's page pipeline, its steps as RapidOCR takes them, with the engine's own detector
    and recogniser: the page scaled within RapidOCR's bounds (and padded when very wide or low),
    its lines detected, cut out, read, their boxes mapped back onto the page, and each word boxed."""

    def __init__(self, params: dict[str, object], detect: Detect, recognise: Recognise) -> None:
        from rapidocr.utils.load_image import LoadImage

        self._settings = _configuration(params).Global
        self._detect, self._recognise = detect, recognise
        self._load = LoadImage()
        self._word_boxes = word_boxes()

    def _prepared(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
        """The page as given, as the detector gets it, and what was done between the two."""
        from rapidocr.utils.process_img import apply_vertical_padding, resize_image_within_bounds

        rapid = self._settings
        original = self._load(image)
        if rapid.use_preprocess_img:
            scaled, ratio_h, ratio_w = resize_image_within_bounds(
                original, rapid.min_side_len, rapid.max_side_len
            )
        else:
            scaled, ratio_h, ratio_w = original, 1.0, 1.0
        record: dict[str, Any] = {"preprocess": {"ratio_h": ratio_h, "ratio_w": ratio_w}}
        if rapid.use_vertical_padding:
            scaled, record = apply_vertical_padding(
                scaled, record, rapid.width_height_ratio, rapid.min_height
            )
        else:
            record["padding_1"] = {"top": 0, "left": 0}
        return original, scaled, record

    def detect(self, image: np.ndarray) -> np.ndarray | None:
        """The quadrilaterals of the page's text lines, on the page (BGR); None where there are none."""
        from rapidocr.utils.process_img import map_boxes_to_original

        original, scaled, record = self._prepared(image)
        found = self._detect(scaled)
        if found.boxes is None:
            return None
        return map_boxes_to_original(found.boxes, record, *original.shape[:2])

    def read(self, image: np.ndarray) -> PageText | None:
        """The page's lines read, each with its words; None where there are none."""
        from rapidocr.utils.process_img import (
            get_rotate_crop_image,
            map_boxes_to_original,
            map_img_to_original,
        )

        original, scaled, record = self._prepared(image)
        found = self._detect(scaled)
        if found.boxes is None:
            return None
        crops = [get_rotate_crop_image(scaled, copy.deepcopy(box)) for box in found.boxes]
        read = self._recognise(crops, True)
        boxes = map_boxes_to_original(found.boxes, record, *original.shape[:2])
        ratios = record["preprocess"]
        crops = map_img_to_original(crops, ratios["ratio_h"], ratios["ratio_w"])
        # Lines read as nothing are dropped, with their boxes and crops.
        kept = [i for i, text in enumerate(read.texts) if text.strip()]
        boxes, crops = boxes[kept], [crops[i] for i in kept]
        texts = [read.texts[i] for i in kept]
        scores = [read.scores[i] for i in kept]
        words: Sequence[Any] = [read.words[i] for i in kept]
        if all(words):
            words = self._boxed(crops, boxes, texts, words)
        lines = [i for i, score in enumerate(scores) if score >= self._settings.text_score]
        if not lines:
            return None
        # A line whose words all went unboxed has none: the words of the lines after it move up
        # by one, as RapidOCR's own pipeline has them.
        return PageText(
            np.array([boxes[i] for i in lines]),
            tuple(texts[i] for i in lines),
            tuple(scores[i] for i in lines),
            tuple(words[i] for i in lines if words[i]),
        )

    def _boxed(
        self, crops: list[np.ndarray], boxes: np.ndarray, texts: list[str], words: Sequence[Any]
    ) -> tuple[Any, ...]:
        """Each line's words with their quadrilaterals on the page, (text, confidence, quad)."""
        from rapidocr.ch_ppocr_rec import TextRecOutput
        from rapidocr.ch_ppocr_rec.typings import WordInfo, WordType

        infos = [
            WordInfo(
                words=line.words,
                word_cols=line.word_cols,
                word_types=[WordType.CN if square else WordType.EN_NUM for square in line.square],
                line_txt_len=line.line_txt_len,
                confs=line.confs,
            )
            for line in words
        ]
        out = self._word_boxes(crops, boxes, TextRecOutput(txts=tuple(texts), word_results=tuple(infos)))
        found = []
        for line in out.word_results:
            boxed = tuple((text, score, box) for text, score, box in line if box is not None)
            if boxed:
                found.append(boxed)
        return tuple(found)


def _word_boxes_class() -> type:
    from rapidocr.cal_rec_boxes.main import CalRecBoxes, Direction

    class Boxes(CalRecBoxes):
        def reverse_rotate_crop_image(
            self, bbox_points: np.ndarray, word_points_list: list[Any], direction: Direction
        ) -> list[list[list[int]]]:
            points = np.asarray(word_points_list, dtype=np.float64)
            if points.ndim != 3 or points.shape[1:] != (4, 2):
                return super().reverse_rotate_crop_image(bbox_points, word_points_list, direction)
            return _mapped_extents(bbox_points, points, direction == Direction.VERTICAL)

    return Boxes


def word_boxes() -> Any:
    """RapidOCR's word boxes, mapped from the line's image back onto the page a line at a time.

    Its own mapping goes point by point and then orders each word's corners with a dozen small
    array operations: a tenth of a page's time with the fast engine. Only a word's extent is
    read here, so the same points, mapped in one product, come back as the corners of their
    extent.
    """
    return _word_boxes_class()()


def _mapped_extents(bbox_points: np.ndarray, points: np.ndarray, vertical: bool) -> list[list[list[int]]]:
    """Word quadrilaterals (n x 4 x 2) on a line's upright image, as the extents of their corners
    on the page, the line being the quadrilateral `bbox_points` there."""
    import math

    import cv2

    left, top = int(np.min(bbox_points[:, 0])), int(np.min(bbox_points[:, 1]))
    line = (bbox_points - np.array([left, top], dtype=bbox_points.dtype)).astype(np.float32)
    width = int(np.linalg.norm(line[0] - line[1]))
    height = int(np.linalg.norm(line[0] - line[3]))
    upright = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    _, inverse = cv2.invert(cv2.getPerspectiveTransform(line, upright))
    if vertical:  # the crop was turned a quarter: turn the points back
        cos, sin = math.cos(math.radians(-90)), math.sin(math.radians(-90))
        x, y = points[..., 0].copy(), points[..., 1].copy()
        points[..., 0] = x * cos + y * sin + width
        points[..., 1] = y * cos - x * sin
    mapped = np.concatenate([points, np.ones((*points.shape[:2], 1))], axis=2) @ inverse.T
    xy = (mapped[..., :2] / mapped[..., 2:] + (left, top)).astype(int)
    lows, highs = xy.min(axis=1).tolist(), xy.max(axis=1).tolist()
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1]] for (x0, y0), (x1, y1) in zip(lows, highs, strict=True)]
