"""Page furniture: running headers, footers and page numbers, and the document's heading levels.

Furniture repeats: text in the top or bottom margin that recurs, digits aside, on many pages
is a header or a footer. A lone page can only be judged by where its text sits: a short line
in the outer margin, set apart from the body, is furniture too.
"""

from __future__ import annotations

import re
from collections import Counter

from docuforge.document.model import Block, BlockType, Document, Page

MARGIN = 0.12  # of the page height, at the top and at the bottom
PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|/)\s*\d{1,4})?$|^[-\u2013\u2014]\s*\d{1,4}\s*[-\u2013\u2014]$",
    re.I,
)
_DIGITS = re.compile(r"\d+")
ROW_BLOCKS = 6  # a margin row of more blocks than this is content, not a running head or foot
_NEVER_SWEPT = (BlockType.TABLE, BlockType.FIGURE, BlockType.PAGE_NUMBER)
_HEADINGS = (BlockType.SECTION_HEADER, BlockType.TITLE)


def _signature(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.lower().split()))[:80]


def _zone(block: Block) -> str | None:
    if block.bbox.bottom <= MARGIN + 0.02 and block.bbox.top < MARGIN:
        return "top"
    if block.bbox.top >= 1 - MARGIN - 0.02 and block.bbox.bottom > 1 - MARGIN:
        return "bottom"
    return None


def _candidates(page: Page) -> list[tuple[Block, str]]:
    found = []
    for block in page.blocks:
        if (
            block.type in (BlockType.TABLE, BlockType.FIGURE)
            or len(block.lines) > 3
            or len(block.content) > 200
        ):
            continue
        zone = _zone(block)
        if zone:
            found.append((block, zone))
    # A margin row of many pieces (a quiz's choices, a fraction's parts, a table's row) is the
    # body reaching into the margin, not a running head or foot.
    crowded = {
        id(b)
        for zone in ("top", "bottom")
        for row in _rows([b for b, z in found if z == zone])
        if len(row) > ROW_BLOCKS
        for b in row
    }
    return [(b, zone) for b, zone in found if id(b) not in crowded]


def mark_furniture(document: Document) -> None:
    pages = document.pages
    counts: Counter[tuple[str, str]] = Counter()
    numbered: Counter[str] = Counter()
    per_page = [_candidates(page) for page in pages]
    for candidates in per_page:
        for signature in {(zone, _signature(block.content)) for block, zone in candidates}:
            counts[signature] += 1
        for zone in {zone for block, zone in candidates if PAGE_NUMBER.match(block.content.strip())}:
            numbered[zone] += 1
    repeated = max(2, int(0.4 * len(pages) + 0.5))
    # In a longer document page numbers recur in one margin; a number on the odd page only is
    # content (a table cell that reached the margin), not a page number.
    numbers_in = {
        zone for zone in ("top", "bottom") if len(pages) < 3 or numbered[zone] >= max(2, 0.3 * len(pages))
    }
    for page, candidates in zip(pages, per_page, strict=True):
        body_top, body_bottom = _body_extent(page, {id(b) for b, _ in candidates})
        numbers = _page_numbers(candidates, numbers_in)
        for block, zone in candidates:
            text = block.content.strip()
            if PAGE_NUMBER.match(text):
                if id(block) in numbers:
                    block.type = BlockType.PAGE_NUMBER
            elif len(pages) >= 2 and counts[(zone, _signature(text))] >= repeated:
                block.type = BlockType.HEADER if zone == "top" else BlockType.FOOTER
            elif len(pages) < 3 and (
                _set_apart(block, zone, body_top, body_bottom) or _numbered_running_line(block)
            ):
                block.type = BlockType.HEADER if zone == "top" else BlockType.FOOTER
        _edge_rows(page, candidates, numbers, keep_headings=len(pages) >= 3)
        _trailing_number(page)


def _page_numbers(candidates: list[tuple[Block, str]], numbers_in: set[str]) -> set[int]:
    """The page numbers among the margin blocks: bare numbers in a margin that holds page numbers,
    one (or two: a book's spread) to a row. A row of more bare numbers is content: a quiz's
    choices, a fraction's parts, a table's row. (A page may have two rows of them: an archive's
    own sequence under the journal's page number.)"""
    found: set[int] = set()
    for zone in numbers_in:
        for row in _rows([b for b, z in candidates if z == zone and PAGE_NUMBER.match(b.content.strip())]):
            if len(row) <= 2:
                found.update(id(b) for b in row)
    return found


def _rows(blocks: list[Block]) -> list[list[Block]]:
    rows: list[list[Block]] = []
    for block in sorted(blocks, key=lambda b: b.bbox.top):
        if rows and block.bbox.top < max(b.bbox.bottom for b in rows[-1]) - 0.2 * block.bbox.height:
            rows[-1].append(block)
        else:
            rows.append([block])
    return rows


def _edge_rows(
    page: Page,
    candidates: list[tuple[Block, str]],
    numbers: set[int],
    keep_headings: bool,
) -> None:
    """A margin row spread across the page (title left, page right; date, revision, part number)
    or holding a page number is furniture, and so is whatever sits between it and the page edge.
    In a longer document a heading in such a row stays a heading: running heads recur, and were
    caught by repetition already; a lone page has no such evidence, so its margin rows go."""
    for zone in ("top", "bottom"):
        blocks = [b for b, z in candidates if z == zone]
        rows = _rows(blocks)
        if zone == "bottom":
            rows.reverse()  # walk from the page edge inwards
        last = -1
        for index, row in enumerate(rows):
            if any(len(b.lines) >= 3 for b in row):
                break  # a paragraph: the body has begun (a newspaper's runs up into the margin)
            spread = len(row) >= 2 and max(b.bbox.right for b in row) - min(b.bbox.left for b in row) > 0.5
            numbered = any(id(b) in numbers for b in row)
            if spread or numbered:
                last = index
        for row in rows[: last + 1]:
            for block in row:
                if block.type in _NEVER_SWEPT or (keep_headings and block.type in _HEADINGS):
                    continue
                if id(block) in numbers:
                    block.type = BlockType.PAGE_NUMBER
                else:
                    block.type = BlockType.HEADER if zone == "top" else BlockType.FOOTER


def _trailing_number(page: Page) -> None:
    """A bare number closing a page (in reading order and in height) is its page number, unless
    the page has one already."""
    if any(b.type is BlockType.PAGE_NUMBER for b in page.blocks):
        return
    content = [
        b for b in page.blocks if b.type not in (BlockType.HEADER, BlockType.FOOTER, BlockType.PAGE_NUMBER)
    ]
    if len(content) < 2:
        return
    last = content[-1]
    lowest = max(b.bbox.bottom for b in content)
    if (
        last.bbox.bottom >= lowest - 0.005
        and re.fullmatch(r"\d{1,4}", last.content.strip())
        and len(last.lines) == 1
    ):
        last.type = BlockType.PAGE_NUMBER


def _body_extent(page: Page, furniture: set[int]) -> tuple[float, float]:
    body = [b for b in page.blocks if id(b) not in furniture]
    if not body:
        return 0.0, 1.0
    return min(b.bbox.top for b in body), max(b.bbox.bottom for b in body)


def _set_apart(block: Block, zone: str, body_top: float, body_bottom: float) -> bool:
    """On a page of its own: a short margin line, clearly separated from the body text."""
    if block.type not in (BlockType.TEXT, BlockType.KEY_VALUE) or len(block.content) > 120:
        return False
    if zone == "top":
        return body_top - block.bbox.bottom > 0.02
    return block.bbox.top - body_bottom > 0.02


def _numbered_running_line(block: Block) -> bool:
    """A margin line with a page number at one end, set off by a wide gap: a running head or foot."""
    if len(block.lines) < 2 or len({round(line.bbox.top, 3) for line in block.lines}) != 1:
        return False
    return bool(
        PAGE_NUMBER.match(block.lines[0].text.strip()) or PAGE_NUMBER.match(block.lines[-1].text.strip())
    )


def assign_heading_levels(document: Document) -> None:
    """Title for the document's opening heading if it stands out; levels for the rest by size."""
    headings = [b for b in document.blocks() if b.type is BlockType.SECTION_HEADER]
    if not headings:
        return
    sizes = sorted({round(float(b.extra.get("font_size", 0.0)) * 2) / 2 for b in headings}, reverse=True)
    first_page = document.pages[0]
    opening = next((b for b in first_page.blocks if b.type is BlockType.SECTION_HEADER), None)
    biggest = sizes[0]
    if (
        opening is not None
        and opening.bbox.top < 0.45
        and round(float(opening.extra.get("font_size", 0.0)) * 2) / 2 == biggest
        and (len(sizes) > 1 or len(headings) == 1)
    ):
        opening.type = BlockType.TITLE
        opening.level = 1
    rest = sorted(
        {
            round(float(b.extra.get("font_size", 0.0)) * 2) / 2
            for b in headings
            if b.type is not BlockType.TITLE
        },
        reverse=True,
    )
    for block in headings:
        if block.type is BlockType.TITLE:
            continue
        rank = rest.index(round(float(block.extra.get("font_size", 0.0)) * 2) / 2)
        numbered = re.match(r"^(\d+(?:\.\d+)+)\s", block.content)
        depth = numbered.group(1).count(".") + 1 if numbered else 0
        block.level = min(6, max(2, rank + 2 if not depth else depth + 1))
