"""Blocks to Markdown: headings by level, lists, tables in the chosen format, figures' text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from docuforge.document.model import FURNITURE, Block, BlockType, Document
from docuforge.render import tables

_BULLET = re.compile(
    r"^[\u2022\u25e6\u25aa\u25ab\u25cf\u25cb\u25a0\u25a1\u2023\u2043\u2219\u00b7\u27a2\u2192*\-\u2013\u2014]\s*"
)


def block_markdown(block: Block, table_format: str = "dynamic") -> str:
    text = block.content.strip()
    kind = block.type
    if kind is BlockType.TITLE:
        return f"# {text}"
    if kind is BlockType.SECTION_HEADER:
        return f"{'#' * (block.level or 2)} {text}"
    if kind is BlockType.LIST_ITEM:
        stripped = _BULLET.sub("", text, count=1)
        return f"- {stripped}" if stripped != text else text
    if kind is BlockType.TABLE and block.table is not None:
        return tables.render(block.table, table_format)
    if kind is BlockType.FIGURE:
        image = (
            f"![{block.caption or 'Figure'}]({block.extra['image_url']})"
            if block.extra.get("image_url")
            else ""
        )
        return "\n\n".join(part for part in (image, text) if part)
    if kind is BlockType.COMMENT:
        return "\n".join(f"> {line}" for line in text.splitlines())
    return text


def blocks_markdown(
    blocks: Iterable[Block], table_format: str = "dynamic", include_furniture: bool = True
) -> str:
    parts = []
    for block in blocks:
        if not include_furniture and block.type in FURNITURE:
            continue
        if block.extra.get("merged_into"):
            continue  # its rows were joined to the table it continues
        rendered = block_markdown(block, table_format)
        if rendered:
            parts.append(rendered)
    return "\n\n".join(parts)


def to_markdown(document: Document, table_format: str = "dynamic", include_furniture: bool = False) -> str:
    """The whole document; running headers, footers and page numbers left out unless asked for.

    A spreadsheet's sheets are headed by their names: without them its tables run together.
    """
    if document.layout == "cell" and any(page.name for page in document.pages):
        parts = []
        for page in document.pages:
            body = blocks_markdown(page.blocks, table_format, include_furniture)
            parts.append("\n\n".join(part for part in (f"## {page.name}" if page.name else "", body) if part))
        return "\n\n".join(parts) + "\n"
    return blocks_markdown(document.blocks(), table_format, include_furniture) + "\n"
