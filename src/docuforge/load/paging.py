"""Page boxes for blocks read from a file without pages, found in a PDF rendering of the same file.

LibreOffice lays a DOCX or HTML file out on pages as Word would. Its PDF's words, in order, are
the blocks' words in order, so each block is found by walking both sequences forward together:
its first words locate it, its length says how far it runs, and the words matched give its box
on the page where it starts. A block that cannot be found (a text box LibreOffice placed
elsewhere, a field it computed differently) stays on the page of the block before it.
"""

from __future__ import annotations

import re
from pathlib import Path

from docuforge.document.geometry import to_bbox
from docuforge.document.model import BBox, Block, Document, Page
from docuforge.document.raw import RawWord
from docuforge.load.pdf import PdfSource

_TOKEN = re.compile(r"\w+")
WINDOW = 4000  # tokens looked ahead for a block's start: enough to skip a page of unmatched text
ANCHOR = 3  # tokens that must match in a row to place a block


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def _block_text(block: Block) -> str:
    if block.table is not None:
        return " ".join(cell.text for cell in sorted(block.table.cells, key=lambda c: (c.row, c.col)))
    return block.content


def locate(document: Document, pdf: Path) -> None:
    """Give `document`'s blocks the pages and boxes they have in `pdf`; its layout becomes "page"."""
    stream: list[tuple[int, str, RawWord]] = []  # (page index, token, the word it came from)
    sizes: list[tuple[float, float]] = []
    with PdfSource(pdf) as source:
        for index in range(source.page_count):
            raw = source.page(index, with_graphics=False)
            sizes.append((raw.display_width, raw.display_height))
            for word in raw.words:
                stream.extend((index, token, word) for token in _tokens(word.text))
    if not sizes:
        return
    tokens = [token for _, token, _ in stream]
    pages = [Page(number=k + 1, original_number=k + 1, width=w, height=h) for k, (w, h) in enumerate(sizes)]
    cursor = 0
    current = 0
    for block in document.blocks():
        wanted = _tokens(_block_text(block))
        start = _find(tokens, wanted, cursor) if wanted else None
        if start is None:
            block.bbox = _empty_box(pages[current])
            pages[current].blocks.append(block)
            continue
        end = min(len(stream), start + len(wanted))
        current = stream[start][0]
        words = {id(w): w for page, _, w in stream[start:end] if page == current}.values()
        box = (
            min(w.x0 for w in words),
            min(w.y0 for w in words),
            max(w.x1 for w in words),
            max(w.y1 for w in words),
        )
        page = pages[current]
        block.bbox = to_bbox(box, page.width, page.height, page.number, page.original_number)
        page.blocks.append(block)
        cursor = end
    for page in pages:
        for index, block in enumerate(page.blocks):
            block.id = f"p{page.number}-b{index}"
    document.pages = pages
    document.total_pages = len(pages)
    document.layout = "page"


def _find(tokens: list[str], wanted: list[str], cursor: int) -> int | None:
    """Where `wanted` starts at or after `cursor`: its first few tokens in a row, nearest first."""
    anchor = wanted[:ANCHOR]
    first = anchor[0]
    limit = min(len(tokens), cursor + WINDOW)
    for position in range(cursor, limit):
        if tokens[position] == first and tokens[position : position + len(anchor)] == anchor:
            return position
    return None


def _empty_box(page: Page) -> BBox:
    """A block not found in the PDF: a zero-height box at the top of its page, honestly empty."""
    return BBox(
        left=0.0, top=0.0, width=1.0, height=0.0, page=page.number, original_page=page.original_number
    )
