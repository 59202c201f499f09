"""Markdown (markdown-it-py, MIT) and plain text as blocks.

Markdown already says what each block is: headings, lists, pipe tables, code. Plain text has
only paragraphs (blank-line separated) and lines that look like bullets.
"""

from __future__ import annotations

import re
from pathlib import Path

from docuforge.document.model import BlockType, Document
from docuforge.errors import DocumentError, ErrorCode
from docuforge.load.flow import Draft, document, table
from docuforge.load.html import decode

_BULLET = re.compile(r"^\s*(?:[-*+\u2022]|\d{1,3}[.)])\s+")
MAX_TEXT = 200 * 1024**2  # characters: a text file larger than this is a log, not a document


def _load(source: Path | bytes) -> str:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if len(data) > MAX_TEXT:
        raise DocumentError(
            f"the text file is {len(data):,} bytes; the limit is {MAX_TEXT:,}",
            code=ErrorCode.DOCUMENT_TOO_LARGE,
            status_code=413,
        )
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("the file is binary, not text", code=ErrorCode.DOCUMENT_CORRUPT)
    return decode(data)


def read_text(source: Path | bytes) -> Document:
    text = _load(source).replace("\r\n", "\n").replace("\r", "\n")
    drafts: list[Draft] = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [line.rstrip() for line in paragraph.strip("\n").split("\n") if line.strip()]
        run: list[str] = []
        for line in lines:
            if _BULLET.match(line):
                if run:
                    drafts.append(Draft(BlockType.TEXT, "\n".join(run)))
                    run = []
                drafts.append(Draft(BlockType.LIST_ITEM, line.strip()))
            else:
                run.append(line)
        if run:
            drafts.append(Draft(BlockType.TEXT, "\n".join(run)))
    return document(drafts, "txt")


def read_markdown(source: Path | bytes) -> Document:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(_load(source))
    drafts: list[Draft] = []
    lists: list[tuple[bool, int]] = []  # (ordered, next number) per open list
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "heading_open":
            level = int(token.tag[1])
            text = tokens[i + 1].content
            first = level == 1 and not any(d.type is BlockType.TITLE for d in drafts)
            drafts.append(
                Draft(
                    BlockType.TITLE if first else BlockType.SECTION_HEADER, text, level=1 if first else level
                )
            )
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append((kind == "ordered_list_open", int(token.attrGet("start") or 1)))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            ordered, number = lists[-1]
            # The item's own paragraph follows: paragraph_open, inline, paragraph_close.
            text = tokens[i + 2].content if i + 2 < len(tokens) and tokens[i + 2].type == "inline" else ""
            marker = f"{number}." if ordered else "-"
            lists[-1] = (ordered, number + 1)
            drafts.append(
                Draft(BlockType.LIST_ITEM, f"{marker} {text}", extra={"list_level": len(lists) - 1})
            )
            i += 4 if text else 1
            continue
        elif kind == "paragraph_open" and not lists:
            drafts.append(Draft(BlockType.TEXT, tokens[i + 1].content))
            i += 3
            continue
        elif kind in ("fence", "code_block"):
            drafts.append(Draft(BlockType.TEXT, token.content.rstrip("\n")))
        elif kind == "table_open":
            i, grid = _table(tokens, i)
            if grid is not None:
                drafts.append(Draft(BlockType.TABLE, table=grid))
            continue
        i += 1
    return document(drafts, "md")


def _table(tokens, start: int):
    rows: list[list[tuple[str, int, int, bool]]] = []
    row: list[tuple[str, int, int, bool]] = []
    header = False
    i = start
    while i < len(tokens) and tokens[i].type != "table_close":
        kind = tokens[i].type
        if kind == "thead_open":
            header = True
        elif kind == "tbody_open":
            header = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            rows.append(row)
        elif kind in ("th_open", "td_open"):
            row.append((tokens[i + 1].content, 1, 1, header))
        i += 1
    return i + 1, table(rows)
