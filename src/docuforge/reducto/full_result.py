"""A Document as Reducto's FullResult: chunks of blocks with boxes, and the OCR words and lines."""

from __future__ import annotations

from typing import Any

from docuforge.chunk import chunk
from docuforge.document.model import BBox, Block, BlockType, Document
from docuforge.reducto.parse.options import ParseOptions, chunk_options
from docuforge.render import tables


def _bbox(box: BBox) -> dict[str, Any]:
    return box.model_dump()


def block_json(block: Block, options: ParseOptions) -> dict[str, Any]:
    if block.type is BlockType.TABLE and block.table is not None:
        content = tables.render(block.table, options.formatting.table_output_format)
    else:
        content = block.content
    item: dict[str, Any] = {
        "type": str(block.type),
        "bbox": _bbox(block.bbox),
        "content": content,
        "confidence": "high" if block.confidence >= 0.8 else "low",
        "granular_confidence": {"parse_confidence": round(block.confidence, 4)},
    }
    extra: dict[str, Any] = {}
    if options.settings.return_citations:
        words = [w for line in block.lines for w in line.words]
        position = 0
        citations = []
        for word in words:
            start = content.find(word.text, position)
            if start < 0:
                start = position
            citations.append(
                {
                    "text": word.text,
                    "char_start": start,
                    "char_end": start + len(word.text),
                    "bbox": _bbox(word.bbox),
                }
            )
            position = start + len(word.text)
        extra["word_citations"] = citations
        if block.table is not None:
            extra["cell_citations"] = [
                {
                    "text": c.text,
                    "row_idx": c.row,
                    "col_idx": c.col,
                    "bbox": _bbox(c.bbox) if c.bbox else None,
                }
                for c in block.table.cells
            ]
    if extra:
        item["extra"] = extra
    if block.extra.get("image_url"):
        item["image_url"] = block.extra["image_url"]
    merged = block.extra.get("merged_tables")
    if merged:
        item["merged_tables"] = [{"bbox": m["bbox"], "content": ""} for m in merged]  # type: ignore[index, union-attr]
    return item


def ocr_json(document: Document) -> dict[str, list[dict[str, Any]]]:
    lines: list[dict[str, Any]] = []
    words: list[dict[str, Any]] = []
    for block in document.blocks():
        for line in block.lines:
            lines.append(
                {"text": line.text, "bbox": _bbox(line.bbox), "confidence": round(line.confidence, 4)}
            )
            words.extend(
                {"text": w.text, "bbox": _bbox(w.bbox), "confidence": round(w.confidence, 4)}
                for w in line.words
            )
    return {"lines": lines, "words": words}


def to_full_result(document: Document, options: ParseOptions | None = None) -> dict[str, Any]:
    """Reducto's FullResult object: {"type": "full", "chunks": [...], "ocr"?: ..., "custom"?: ...}."""
    options = options or ParseOptions()
    result: dict[str, Any] = {
        "type": "full",
        "chunks": [
            {
                "content": piece.content,
                "embed": piece.embed,
                "enriched": None,
                "enrichment_success": False,
                "blocks": [block_json(b, options) for b in piece.blocks],
            }
            for piece in chunk(document, chunk_options(options))
        ],
    }
    if options.settings.return_ocr_data:
        result["ocr"] = ocr_json(document)
    unsupported = options.unsupported()
    if unsupported or document.warnings:
        result["custom"] = {"unsupported_options": unsupported, "warnings": document.warnings}
    return result
