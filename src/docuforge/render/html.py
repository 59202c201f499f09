"""Blocks to a standalone HTML document."""

from __future__ import annotations

import html

from docuforge.document.model import BlockType, Document
from docuforge.render import tables


def to_html(document: Document, include_furniture: bool = True) -> str:
    title = html.escape(document.properties.title or "Document")
    body: list[str] = []
    for page in document.pages:
        body.append(f'<section class="page" data-page="{page.number}">')
        in_list = False
        for block in page.blocks:
            if block.extra.get("merged_into"):
                continue
            kind = block.type
            text = html.escape(block.content)
            if in_list and kind is not BlockType.LIST_ITEM:
                body.append("</ul>")
                in_list = False
            if kind is BlockType.LIST_ITEM:
                if not in_list:
                    body.append("<ul>")
                    in_list = True
                body.append(f"<li>{text}</li>")
            elif kind is BlockType.TITLE:
                body.append(f"<h1>{text}</h1>")
            elif kind is BlockType.SECTION_HEADER:
                level = min(6, block.level or 2)
                body.append(f"<h{level}>{text}</h{level}>")
            elif kind is BlockType.TABLE and block.table is not None:
                body.append(tables.to_html(block.table))
            elif kind is BlockType.FIGURE:
                caption = f"<figcaption>{html.escape(block.caption)}</figcaption>" if block.caption else ""
                body.append(f"<figure>{f'<p>{text}</p>' if text else ''}{caption}</figure>")
            elif kind in (BlockType.HEADER, BlockType.PAGE_NUMBER) and include_furniture:
                body.append(f'<header class="{kind.lower().replace(" ", "-")}">{text}</header>')
            elif kind is BlockType.FOOTER and include_furniture:
                body.append(f"<footer>{text}</footer>")
            elif kind is BlockType.KEY_VALUE:
                key, _, value = block.content.partition(":")
                body.append(f'<p class="key-value"><b>{html.escape(key)}:</b>{html.escape(value)}</p>')
            elif kind is BlockType.COMMENT:
                body.append(f"<aside>{text}</aside>")
            elif kind not in (BlockType.HEADER, BlockType.FOOTER, BlockType.PAGE_NUMBER):
                body.append(f"<p>{text}</p>")
        if in_list:
            body.append("</ul>")
        body.append("</section>")
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>'
        + title
        + "</title></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
