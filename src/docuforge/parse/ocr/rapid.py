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
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

from docuforge.parse.ocr import OcrEngineName, OcrLine, OcrWord, PixelBox

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


class RapidEngine:
    name = OcrEngineName.rapidocr
    padding = 0.1  # the detector widens each line's box by about a tenth above and below

    def __init__(self) -> None:
        from rapidocr import EngineType, RapidOCR

        # The cores this process may run on (a worker pinned to one core gets one thread).
        threads = int(os.environ.get("DOCUFORGE_OCR__THREADS", "0")) or min(4, len(os.sched_getaffinity(0)))
        self.runtime = _runtime()
        if self.runtime == "openvino":
            # OpenVINO reads the same ONNX files; named here, because RapidOCR's own catalogue
            # would look for OpenVINO builds of them online.
            engine: dict[str, object] = {
                "Det.engine_type": EngineType.OPENVINO,
                "Rec.engine_type": EngineType.OPENVINO,
                "Det.model_path": _model("det"),
                "Rec.model_path": _model("rec"),
                "EngineConfig.openvino.inference_num_threads": threads,
            }
        else:
            engine = {
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                "EngineConfig.onnxruntime.use_cuda": self.runtime == "cuda",
            }
        self._ocr = RapidOCR(
            params={
                "Global.use_cls": False,
                "Global.log_level": "error",
                "Det.limit_type": "max",
                "Det.limit_side_len": DETECTION_SIDE,
                "Rec.rec_batch_num": 8,
                # Lines are padded to at least this width before recognition: RapidOCR's 320 costs
                # short lines (table cells, receipt items) a full 320 pixels each. At 160, SROIE
                # reads 0.951 word F1 in 3.0 s an image (0.944 in 3.8 s at 320), FUNSD 0.909 (0.910).
                "Rec.rec_img_shape": [3, 48, 160],
                **engine,
            }
        )
        # RapidOCR logs every warning of its own at WARNING; a page without text is not one.
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Quadrilaterals (4 x 2, pixels) of the text lines, without reading them."""
        out = self._ocr(_bgr(image), use_det=True, use_cls=False, use_rec=False, return_word_box=False)
        boxes = getattr(out, "boxes", None)
        return [] if boxes is None else list(boxes)

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Read line images (RGB) that are already cut out and upright."""
        from rapidocr.ch_ppocr_rec import TextRecInput

        recognizer = self._ocr._load_rec_model() if self._ocr.text_rec is None else self._ocr.text_rec
        out = recognizer(TextRecInput(img=[_bgr(c) for c in crops]))
        return list(zip(out.txts or (), out.scores or (), strict=False))

    def read(self, image: np.ndarray) -> list[OcrLine]:
        # RapidOCR keeps the switches of its last call: every call names all of them.
        out = self._ocr(_bgr(image), use_det=True, use_cls=False, use_rec=True, return_word_box=True)
        if getattr(out, "boxes", None) is None or not out.txts:
            return []
        lines: list[OcrLine] = []
        words_of = out.word_results or [()] * len(out.txts)
        for quad, text, score, words in zip(out.boxes, out.txts, out.scores, words_of, strict=False):
            text = text.strip()
            if not text:
                continue
            box = _extent(np.asarray(quad))
            line = OcrLine(text=text, box=box, confidence=float(score))
            for word_text, word_score, word_quad in words or ():
                if word_text.strip():
                    line.words.append(
                        OcrWord(word_text.strip(), _extent(np.asarray(word_quad)), float(word_score))
                    )
            if not line.words or " ".join(w.text for w in line.words).replace(" ", "") != text.replace(
                " ", ""
            ):
                line.words = _split_line(text, box, float(score))
            lines.append(line)
        return lines


def _bgr(image: np.ndarray) -> np.ndarray:
    """RapidOCR takes arrays as OpenCV does, blue first."""
    return np.ascontiguousarray(image[:, :, ::-1]) if image.ndim == 3 else image


def _extent(quad: np.ndarray) -> PixelBox:
    return (
        float(quad[:, 0].min()),
        float(quad[:, 1].min()),
        float(quad[:, 0].max()),
        float(quad[:, 1].max()),
    )


def _split_line(text: str, box: PixelBox, confidence: float) -> list[OcrWord]:
    """Word boxes by character share, for lines whose word boxes did not come back whole."""
    x0, y0, x1, y1 = box
    per_char = (x1 - x0) / max(1, len(text))
    words: list[OcrWord] = []
    position = 0
    for piece in text.split(" "):
        if piece:
            start = x0 + position * per_char
            words.append(OcrWord(piece, (start, y0, start + len(piece) * per_char, y1), confidence))
        position += len(piece) + 1
    return words
