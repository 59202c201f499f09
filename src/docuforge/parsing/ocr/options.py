"""OcrOptions: how the engine reads scans and photos.

The caller passes them in (the service and the CLI build them from Settings); the engine never
reads the environment, so a notebook and a worker configure it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

OcrEngineChoice = Literal["rapidocr", "rapidocr-fast", "tesseract"]


@dataclass(frozen=True, slots=True)
class OcrOptions:
    # rapidocr: a tiny recogniser reads each page, a larger one what it doubts; rapidocr-fast:
    # the tiny one alone; tesseract: the system's Tesseract.
    engine: OcrEngineChoice = "rapidocr"
    # Runtime of the models on the CPU; auto prefers OpenVINO where it is installed.
    runtime: Literal["auto", "openvino", "onnxruntime"] = "auto"
    # auto uses a CUDA GPU where onnxruntime-gpu offers one; cpu keeps it unused.
    device: Literal["auto", "cpu"] = "auto"
    # Threads of one OCR run; None: the cores this process may use, at most 4.
    threads: int | None = None
    # Pages of one document read at once, one core each; None: the cores, at most 4.
    page_workers: int | None = None
    tesseract_lang: str = "eng"
    # The folder of Tesseract's language data; None: Tesseract's own.
    tessdata: str | None = None
