"""Where a new document starts in a packet: signals read from each page and its predecessor.

Each signal adds to a page's boundary strength (0..1): a title at the top, page numbers that
restart, running headers or footers that change, a blank separator page before it, a change of
page size or of how the page was read (scan or text), and phrases the caller's split rules quote.
Every signal is named in the page's evidence and can be switched off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docuforge.document.model import BlockType, Page

_DIGITS = re.compile(r"\d+")
_PAGE_OF = re.compile(
    r"\bpage\s+(\d+)(?:\s*(?:of|/)\s*(\d+))?\b|^\s*(\d+)\s*(?:of|/)\s*(\d+)\s*$|^\s*-?\s*(\d+)\s*-?\s*$", re.I
)
_QUOTES = "\"'\u2018\u2019\u201c\u201d"  # straight and curly quotes
_QUOTED = re.compile(rf"[{_QUOTES}]([^{_QUOTES}]{{3,80}})[{_QUOTES}]")

WEIGHTS = {
    "title": 0.45,
    "page_number_reset": 0.6,
    "page_number_jump": 0.25,
    "header_change": 0.3,
    "after_blank": 0.6,
    "layout_change": 0.3,
    "scan_change": 0.2,
    "rule_phrase": 0.7,
}


@dataclass
class PageSignals:
    number: int
    text: str
    head: str  # the page's first lines: titles live here
    title: str | None
    title_mid_page: bool  # a heading that starts below the top: the page ends one section, begins another
    blank: bool
    continued_table: bool  # the page opens with a table continued from the previous page
    strength: float = 0.0
    reasons: list[str] = field(default_factory=list)


def _page_number(page: Page) -> tuple[int | None, int | None]:
    texts = [b.content for b in page.blocks if b.type == BlockType.PAGE_NUMBER]
    texts += [b.content for b in page.blocks if b.type in (BlockType.FOOTER, BlockType.HEADER)]
    for text in texts:
        match = _PAGE_OF.search(text)
        if match:
            groups = [g for g in match.groups()]
            number = next((int(g) for g in (groups[0], groups[2], groups[4]) if g), None)
            total = next((int(g) for g in (groups[1], groups[3]) if g), None)
            return number, total
    return None, None


def _furniture(page: Page) -> str:
    """Running header and footer text with its numbers taken out (they change on every page)."""
    parts = [b.content for b in page.blocks if b.type in (BlockType.HEADER, BlockType.FOOTER)]
    return _DIGITS.sub("#", " ".join(parts)).strip().lower()


def _title(page: Page) -> tuple[str | None, bool]:
    for block in page.blocks:
        if block.type in (BlockType.TITLE, BlockType.SECTION_HEADER) and block.content.strip():
            if block.type == BlockType.TITLE or (block.level or 2) <= 1 or block.bbox.top < 0.25:
                return block.content.strip(), block.bbox.top > 0.3
    return None, False


def read(pages: list[Page], rules: str | None = None, enabled: set[str] | None = None) -> list[PageSignals]:
    """Boundary strength and reasons for each page; `enabled` limits the signals used (default all)."""
    use = set(WEIGHTS) if enabled is None else enabled
    phrases = [p.lower() for p in _QUOTED.findall(rules or "")]
    found: list[PageSignals] = []
    for index, page in enumerate(pages):
        body = [
            b
            for b in page.blocks
            if b.type not in (BlockType.HEADER, BlockType.FOOTER, BlockType.PAGE_NUMBER)
        ]
        text = "\n".join(b.content for b in body)
        title, mid = _title(page)
        signals = PageSignals(
            number=page.original_number,
            text=text,
            head="\n".join(b.content for b in body[:3]),
            title=title,
            title_mid_page=mid,
            blank=len(text.split()) < 3,
            continued_table=any(b.type == BlockType.TABLE and b.continued_from for b in body[:1]),
        )
        reasons: dict[str, str] = {}
        if title and not mid:
            reasons["title"] = f"title {title[:60]!r} at the top"
        number, _ = _page_number(page)
        if index > 0:
            previous = pages[index - 1]
            before, _ = _page_number(previous)
            if number == 1 and before != 0:
                reasons["page_number_reset"] = "page numbering restarts at 1"
            elif number is not None and before is not None and number != before + 1:
                reasons["page_number_jump"] = f"page number {number} does not follow {before}"
            now, then = _furniture(page), _furniture(previous)
            if now != then and (now or then):
                reasons["header_change"] = "running header or footer changes"
            if found[-1].blank and not signals.blank:
                reasons["after_blank"] = "follows a blank separator page"
            portrait, was_portrait = page.width <= page.height, previous.width <= previous.height
            if portrait != was_portrait or abs(page.width - previous.width) > 0.1 * previous.width:
                reasons["layout_change"] = "page size or orientation changes"
            if page.ocr != previous.ocr:
                reasons["scan_change"] = "scanned and text pages meet"
        elif number == 1:
            reasons["page_number_reset"] = "page numbering starts at 1"
        lowered = text.lower()
        for phrase in phrases:
            if phrase in lowered:
                reasons["rule_phrase"] = f"holds {phrase!r} from the split rules"
        reasons = {name: why for name, why in reasons.items() if name in use}
        signals.strength = min(1.0, sum(WEIGHTS[name] for name in reasons))
        signals.reasons = list(reasons.values())
        found.append(signals)
    return found
