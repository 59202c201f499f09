"""The four OCR engines the benchmark compares, each as `convert(path, options) -> dict`.

Imported only inside a worker process (benchmarks/ocr/worker.py), after it has pinned itself, so
that the engines' thread pools see the right number of cores.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.parse.corpus import ROOT

DPI = 200  # the rendering resolution of the pipeline's own OCR, so bare and full OCR see the same pixels
TMP = ROOT / "benchmarks" / ".cache" / "ocr" / "tmp"
Converter = Callable[[str, dict[str, Any] | None], dict[str, Any]]


def images(path: str) -> list[Any]:
    """The input as PIL RGB images: each PDF page rendered at DPI, or the image file itself."""
    from PIL import Image

    if path.lower().endswith(".pdf"):
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(path)
        try:
            return [page.render(scale=DPI / 72).to_pil().convert("RGB") for page in document]
        finally:
            document.close()
    with Image.open(path) as image:
        return [image.convert("RGB")]


def document_text(document: Any) -> str:
    """The Document's text in reading order; tables row by row, so no Markdown syntax is scored."""
    parts = []
    for block in document.blocks():
        if block.extra.get("merged_into"):
            continue  # a table's continuation, already read as rows of the table it continues
        if block.table is not None:
            rows: dict[int, list[Any]] = {}
            for cell in block.table.cells:
                rows.setdefault(cell.row, []).append(cell)
            for row in sorted(rows):
                parts.append(" ".join(c.text for c in sorted(rows[row], key=lambda c: c.col)))
        elif block.content:
            parts.append(block.content)
    return "\n".join(parts)


def _tables(document: Any) -> list[dict[str, Any]]:
    found = []
    for block in document.blocks():
        if block.table is None:
            continue
        table = block.table
        found.append(
            {
                "page": block.bbox.page,
                "area": block.bbox.width * block.bbox.height,
                "n_rows": table.n_rows,
                "n_cols": table.n_cols,
                "cells": [[c.row, c.col, c.row_span, c.col_span, c.text] for c in table.cells],
            }
        )
    return found


def _docuforge(ocr_engine: str | None) -> Converter:
    import dataclasses

    import docuforge
    from docuforge.config import Settings
    from docuforge.parsing.options import ParseOptions
    from docuforge.render.markdown import to_markdown

    # The OCR settings of the environment (DOCUFORGE_OCR__*), the engine as the benchmark names it.
    ocr = Settings().ocr.options()
    ocr = dataclasses.replace(ocr, engine=ocr_engine) if ocr_engine else ocr

    def convert(path: str, options: dict[str, Any] | None) -> dict[str, Any]:
        if options and options.get("orientation"):
            return _orientations(path, ocr)
        parsed = ParseOptions.model_validate(options) if options else ParseOptions()
        document = docuforge.parse(path, parsed.model_copy(update={"ocr": ocr}))
        return {
            "text": document_text(document),
            "markdown": to_markdown(document),
            "tables": _tables(document),
            "blocks": [
                [b.type.value, b.bbox.page, b.bbox.left, b.bbox.top, b.bbox.width, b.bbox.height]
                for b in document.blocks()
            ],
            "pages": len(document.pages),
            "ocr_pages": sum(page.ocr for page in document.pages),
        }

    return convert


def _orientations(path: str, ocr: Any) -> dict[str, Any]:
    """How many quarter turns Docuforge would give the image turned 0, 1, 2 and 3 quarters
    counter-clockwise: orientation alone, without reading the page (the right answers are 0, 3,
    2 and 1)."""
    import numpy as np

    from docuforge.parsing.scan import orientation_of

    upright = np.asarray(images(path)[0])
    turns = [orientation_of(np.ascontiguousarray(np.rot90(upright, k)), ocr).turns for k in range(4)]
    return {"text": "", "turns": turns}


def _bare_rapidocr() -> Converter:
    import numpy as np
    from rapidocr import RapidOCR

    engine = RapidOCR(params={"Global.use_cls": False, "Global.log_level": "error"})

    def convert(path: str, options: dict[str, Any] | None) -> dict[str, Any]:
        pages = []
        for image in images(path):
            result = engine(np.asarray(image))
            if result.boxes is None or result.txts is None:
                pages.append("")
                continue
            # RapidOCR returns lines in detection order; read them top to bottom, then left to right.
            lines = sorted(
                zip(result.boxes, result.txts, strict=True),
                key=lambda line: (min(p[1] for p in line[0]), min(p[0] for p in line[0])),
            )
            pages.append("\n".join(text for _, text in lines))
        return {"text": "\n\n".join(pages), "pages": len(pages), "ocr_pages": len(pages)}

    return convert


def _bare_tesseract() -> Converter:
    TMP.mkdir(parents=True, exist_ok=True)

    def run(target: str, stdin: bytes | None = None) -> str:
        done = subprocess.run(["tesseract", target, "stdout"], input=stdin, capture_output=True, check=True)
        return done.stdout.decode("utf-8", "replace")

    def convert(path: str, options: dict[str, Any] | None) -> dict[str, Any]:
        if Path(path).suffix.lower() in (".png", ".jpg", ".jpeg", ".tif", ".tiff"):
            return {"text": run(path), "pages": 1, "ocr_pages": 1}
        pages = []
        for image in images(path):
            # Rendered pages go in as PNG on stdin: the same pixels RapidOCR gets, no temporary files.
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            pages.append(run("stdin", buffer.getvalue()))
        return {"text": "\n\n".join(pages), "pages": len(pages), "ocr_pages": len(pages)}

    return convert


def make(engine: str) -> Converter:
    if engine == "docuforge":
        return _docuforge(None)
    if engine == "docuforge-fast":
        return _docuforge("rapidocr-fast")
    if engine == "docuforge-tesseract":
        return _docuforge("tesseract")
    if engine == "bare-rapidocr":
        return _bare_rapidocr()
    if engine == "bare-tesseract":
        return _bare_tesseract()
    raise ValueError(engine)
