"""A value's citation: the words of its segment it came from, as a normalized box on its page."""

from __future__ import annotations

import re

from docuforge.document.model import BBox
from docuforge.extraction.candidates import Segment, Span
from docuforge.extraction.options import Citation


def _word_box(segment: Segment, start: int, end: int) -> BBox | None:
    """Union of the words whose characters fall in [start, end); None without word boxes."""
    if not segment.words:
        return None
    position = 0
    chosen = []
    for word in segment.words:
        at = segment.text.find(word.text, position)
        if at < 0:
            return None
        position = at + len(word.text)
        if at < end and position > start:
            chosen.append(word.bbox)
    if not chosen:
        return None
    left = min(b.left for b in chosen)
    top = min(b.top for b in chosen)
    right = max(b.right for b in chosen)
    bottom = max(b.bottom for b in chosen)
    first = chosen[0]
    return BBox(
        left=left,
        top=top,
        width=right - left,
        height=bottom - top,
        page=first.page,
        original_page=first.original_page,
    )


def _slice_box(segment: Segment, start: int, end: int) -> BBox:
    """Without word boxes: the share of the line's width the characters take."""
    box = segment.box
    length = max(1, len(segment.text))
    if start <= 0 and end >= length:
        return box
    left = box.left + box.width * start / length
    width = box.width * (end - start) / length
    return box.model_copy(update={"left": round(left, 5), "width": round(max(width, 0.0), 5)})


def cite(span: Span, confidence: float) -> Citation:
    segment = span.segment
    start, end = span.start, span.end
    # Trim the span to its visible characters so the box hugs the text.
    while start < end and segment.text[start].isspace():
        start += 1
    while end > start and segment.text[end - 1].isspace():
        end -= 1
    box = _word_box(segment, start, end) or _slice_box(segment, start, end)
    return Citation(
        block_ids=[segment.block_id],
        page=segment.page,
        bbox=box,
        text=segment.text[start:end],
        confidence=round(max(0.0, min(1.0, confidence * segment.confidence)), 4),
    )


def _norm(text: str) -> str:
    return re.sub(r"[\s,]+", " ", text.lower()).strip()


def locate(value: str, segments: list[Segment], block_ids: set[str] | None = None) -> Span | None:
    """The first place the value's text is written, in the given blocks when any are named."""
    needle = _norm(value)
    if not needle:
        return None
    pool = [s for s in segments if block_ids is None or s.block_id in block_ids]
    for seg in pool:
        hay = seg.text.lower()
        at = hay.find(value.lower().strip())
        if at >= 0:
            return Span(seg, at, at + len(value.strip()))
    for seg in pool:
        if needle in _norm(seg.text):
            return Span(seg, 0, len(seg.text))
    # A value spread over consecutive lines (an address): cite its first line.
    head = needle.split(" ")[:3]
    for seg in pool:
        if " ".join(head) in _norm(seg.text):
            return Span(seg, 0, len(seg.text))
    return None
