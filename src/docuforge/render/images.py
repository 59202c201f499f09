"""Crops of figures, tables and whole pages as PNG images, for results that link to them."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

from PIL import Image

from docuforge.document.model import BlockType, Document
from docuforge.load.images import ImageSource
from docuforge.load.pdf import PdfSource

DPI = 144
_KINDS = {"figure": BlockType.FIGURE, "table": BlockType.TABLE}


def crops(
    source: str | Path | bytes,
    document: Document,
    kinds: list[str],
    password: str | None = None,
    converted_pdf: Path | None = None,
) -> Iterator[tuple[str, bytes]]:
    """(block id, or "page-<n>" for a whole page, PNG bytes) for each crop asked for.

    PDFs and images are cropped from their own pages; an office file from the PDF LibreOffice made
    of it (`converted_pdf`), when it made one.
    """
    wanted = {_KINDS[k] for k in kinds if k in _KINDS}
    if document.layout != "page":
        return
    if document.format == "pdf" or converted_pdf is not None:
        with PdfSource(converted_pdf or source, None if converted_pdf else password) as pdf:
            yield from _cut(document, kinds, wanted, lambda index: pdf.render(index, DPI / 72))
    elif document.pages and document.pages[0].ocr:
        with ImageSource(source, document.format) as images:
            yield from _cut(document, kinds, wanted, lambda index: Image.fromarray(images.page(index)[0]))


def _cut(
    document: Document, kinds: list[str], wanted: set[BlockType], render: Callable[[int], object]
) -> Iterator[tuple[str, bytes]]:
    for page in document.pages:
        blocks = [b for b in page.blocks if b.type in wanted and b.bbox.width > 0 and b.bbox.height > 0]
        if not blocks and "page" not in kinds:
            continue
        image = render(page.original_number - 1)
        width, height = image.size  # type: ignore[attr-defined]
        if "page" in kinds:
            yield f"page-{page.number}", _png(image)
        for block in blocks:
            box = (
                int(block.bbox.left * width),
                int(block.bbox.top * height),
                int((block.bbox.left + block.bbox.width) * width + 1),
                int((block.bbox.top + block.bbox.height) * height + 1),
            )
            yield block.id, _png(image.crop(box))  # type: ignore[attr-defined]


def _png(image: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)  # type: ignore[attr-defined]
    return buffer.getvalue()
