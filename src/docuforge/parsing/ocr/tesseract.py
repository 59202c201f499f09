"""Tesseract (Apache-2.0), Debian's `tesseract-ocr`, run as a process per page.

Chosen with OcrOptions(engine="tesseract") (the setting DOCUFORGE_OCR__ENGINE, or `--ocr-engine
tesseract`). Its TSV output gives word boxes with confidences and the block/paragraph/line each
word belongs to. Languages come from OcrOptions.tesseract_lang (default "eng"; "eng+deu" for
several, their traineddata installed).
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import numpy as np
from PIL import Image

from docuforge.errors import DocumentError, ErrorCode
from docuforge.parsing.ocr import OcrEngineName, OcrLine, OcrWord
from docuforge.parsing.ocr.options import OcrOptions

TIMEOUT = 120.0  # seconds per page


class TesseractEngine:
    name = OcrEngineName.tesseract
    padding = 0.0  # its boxes are the letters' own extent

    def __init__(self, options: OcrOptions | None = None) -> None:
        options = options or OcrOptions()
        binary = shutil.which("tesseract")
        if binary is None:
            raise DocumentError(
                "the Tesseract OCR engine is not installed; install Debian's tesseract-ocr "
                "(apt-get install tesseract-ocr tesseract-ocr-eng) or use the default engine, rapidocr",
                code=ErrorCode.INVALID_CONFIG,
                status_code=400,
            )
        self._binary = binary
        self._lang = options.tesseract_lang
        # Tesseract's whole environment: its OpenMP threads only slow a busy box, and its
        # language data is where the options say, or where it was built to look.
        self._env = {"OMP_THREAD_LIMIT": "1"}
        if options.tessdata:
            self._env["TESSDATA_PREFIX"] = options.tessdata

    def read(self, image: np.ndarray) -> list[OcrLine]:
        png = io.BytesIO()
        Image.fromarray(image).save(png, format="PNG", compress_level=1)
        try:
            done = subprocess.run(  # noqa: S603 - a fixed binary and arguments, the image on stdin
                [self._binary, "stdin", "stdout", "-l", self._lang, "--psm", "3", "tsv"],
                input=png.getvalue(),
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
                env=self._env,
            )
        except subprocess.TimeoutExpired:
            raise DocumentError(
                f"Tesseract did not finish a page in {TIMEOUT:.0f} s", code=ErrorCode.TIMEOUT
            ) from None
        if done.returncode != 0:
            raise DocumentError(
                f"Tesseract failed: {done.stderr.decode(errors='replace').strip()[-300:]}",
                code=ErrorCode.PROCESSING_FAILED,
            )
        return _lines(done.stdout.decode("utf-8", errors="replace"))


def _lines(tsv: str) -> list[OcrLine]:
    grouped: dict[tuple[str, str, str, str], list[OcrWord]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        left, top = float(row["left"]), float(row["top"])
        box = (left, top, left + float(row["width"]), top + float(row["height"]))
        confidence = max(0.0, float(row["conf"])) / 100.0
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        grouped.setdefault(key, []).append(OcrWord(text, box, confidence))
    lines: list[OcrLine] = []
    for words in grouped.values():
        box = (
            min(w.box[0] for w in words),
            min(w.box[1] for w in words),
            max(w.box[2] for w in words),
            max(w.box[3] for w in words),
        )
        confidence = sum(w.confidence for w in words) / len(words)
        lines.append(OcrLine(" ".join(w.text for w in words), box, confidence, words))
    return lines
