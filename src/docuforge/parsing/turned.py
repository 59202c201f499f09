"""Tables turned a quarter turn on a page whose other text is upright.

The loader reads a page in the frame most of its text runs in: a page turned as a whole (a
landscape table printed on a portrait page, and nothing else) is read upright already. A turned
table on a page that also carries upright text (a running head, a paragraph, a footer) is read
in the upright text's frame, where its words stand on end, each line of the table a column of
words. Those words are turned upright here, on their own, and the table finder reads them as it
reads any page; the tables found are turned back onto the page.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable

from docuforge.document.geometry import Box
from docuforge.document.raw import RawPage, RawWord
from docuforge.parsing.cells import TableRegion
from docuforge.parsing.lines import (
    Row,
    Segment,
    body_size,
    ideographic,
    make_segment,
    rows_and_segments,
    rows_of,
)
from docuforge.parsing.mechanisms import MECHANISMS

# Words standing on end: this much taller than wide, and this many of them, for a turned block.
STANDING = 1.5
MIN_WORDS = 12
MIN_SIGNS = 4
# Words on end in a group this big are kept out of the upright rows (a turned running head).
MIN_APART = 3
# The share of the long words within the block's extent that must stand on end.
BLOCK_SHARE = 0.8

Finder = Callable[[RawPage, list[Row], list[Segment], float], list[TableRegion]]


def _standing(word: RawWord) -> bool:
    """A word on end: taller than wide by far. Only a word of four signs or more says so: an
    upright "of" or "il" in a narrow face is taller than wide too."""
    return (
        len(word.text) >= MIN_SIGNS
        and word.y1 - word.y0 > STANDING * (word.x1 - word.x0)
        and not any(ideographic(char) for char in word.text)
    )


def _runs_up(words: list[RawWord]) -> bool:
    """Whether the standing words read bottom to top (else top to bottom): in the order the page
    draws them, the next word of a line stands above the last."""
    ordered = sorted(words, key=lambda w: w.start)
    up = down = 0
    for a, b in itertools.pairwise(ordered):
        if min(a.x1, b.x1) - max(a.x0, b.x0) <= 0.5 * min(a.x1 - a.x0, b.x1 - b.x0):
            continue  # not on one line
        up += b.y1 <= a.y0 + 1
        down += b.y0 >= a.y1 - 1
    return up >= down


def _upright(box: Box, up: bool, width: float, height: float) -> Box:
    x0, y0, x1, y1 = box
    return (height - y1, x0, height - y0, x1) if up else (y0, width - x1, y1, width - x0)


def _back(box: Box, up: bool, width: float, height: float) -> Box:
    a0, b0, a1, b1 = box
    return (b0, height - a1, b1, height - a0) if up else (width - b1, a0, width - b0, a1)


def _clusters(words: list[RawWord]) -> list[list[RawWord]]:
    """Standing words in groups: two are neighbours when their boxes, grown by three lines
    (a standing word's width), touch."""
    parent = list(range(len(words)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(words):
        reach = 3 * (a.x1 - a.x0)
        for j in range(i + 1, len(words)):
            b = words[j]
            if (
                b.x0 <= a.x1 + reach
                and a.x0 <= b.x1 + reach
                and b.y0 <= a.y1 + reach
                and a.y0 <= b.y1 + reach
            ):
                parent[root(i)] = root(j)
    groups: dict[int, list[RawWord]] = {}
    for i, word in enumerate(words):
        groups.setdefault(root(i), []).append(word)
    return list(groups.values())


def _beside(word: RawWord, upright: list[RawWord]) -> bool:
    """Whether a short word sits on the line of an upright word next to it: a word of the upright
    text that runs across the turned block ("are" beside "figures"), not one of the block's."""
    height = word.y1 - word.y0
    return any(
        min(word.y1, u.y1) - max(word.y0, u.y0) > 0.5 * height
        and min(abs(u.x0 - word.x1), abs(word.x0 - u.x1)) < 3 * height
        for u in upright
    )


def _block(page: RawPage, least: int = 0) -> list[RawWord]:
    """The words of the page's turned blocks: groups of words standing on end, with every short
    word inside a group's extent ("7", "%", whose boxes say nothing of their direction); groups
    of at least `least` (MIN_WORDS by default) words."""
    least = least or MIN_WORDS
    standing = [w for w in page.words if _standing(w)]
    if len(standing) < least:
        return []
    block: list[RawWord] = []
    for group in _clusters(standing):
        if len(group) < least:
            continue
        ids = {id(w) for w in group}
        left, right = min(w.x0 for w in group), max(w.x1 for w in group)
        top, bottom = min(w.y0 for w in group), max(w.y1 for w in group)
        inside = [
            w
            for w in page.words
            if left - 1 <= (w.x0 + w.x1) / 2 <= right + 1 and top - 1 <= (w.y0 + w.y1) / 2 <= bottom + 1
        ]
        # A block of its own: nearly every long word within its extent stands on end. Words on
        # end among upright text (a figure's axis titles over its labels) are no block.
        if len(group) < BLOCK_SHARE * sum(1 for w in inside if len(w.text) >= MIN_SIGNS):
            continue
        upright = [w for w in inside if id(w) not in ids and len(w.text) >= MIN_SIGNS]
        block += [w for w in inside if id(w) in ids or (len(w.text) < MIN_SIGNS and not _beside(w, upright))]
    return block


def upright_rows(page: RawPage, rows: list[Row], segments: list[Segment]) -> list[Row]:
    """The page's rows without the words of its turned block: a word on end, as tall as a line
    of the block is long, would join the upright rows it stands beside into one. A segment
    holding words of both is parted (in `segments` too)."""
    if not MECHANISMS.turn_tables:
        return rows
    block = {id(w) for w in _block(page, least=MIN_APART)}
    if not block:
        return rows
    kept: list[Segment] = []
    parts: dict[int, list[Segment]] = {}
    for segment in (s for row in rows for s in row.segments):
        mine = [w for w in segment.words if id(w) not in block]
        if len(mine) == len(segment.words):
            kept.append(segment)
        elif mine:
            upright = make_segment(mine)
            kept.append(upright)
            parts[id(segment)] = [upright, make_segment([w for w in segment.words if id(w) in block])]
    if parts:
        segments[:] = [piece for s in segments for piece in parts.get(id(s), [s])]
    return rows_of(kept) if kept else []


def turned_tables(page: RawPage, find: Finder) -> list[TableRegion]:
    """The tables among the page's standing words, in the page's frame."""
    if not MECHANISMS.turn_tables:
        return []
    block = _block(page)
    if not block:
        return []
    up = _runs_up([w for w in block if _standing(w)])
    left = min(w.x0 for w in block)
    right = max(w.x1 for w in block)
    top = min(w.y0 for w in block)
    bottom = max(w.y1 for w in block)
    originals: dict[int, RawWord] = {}
    turned: list[RawWord] = []
    for word in block:
        x0, y0, x1, y1 = _upright((word.x0, word.y0, word.x1, word.y1), up, page.width, page.height)
        copy = dataclasses.replace(word, x0=x0, y0=y0, x1=x1, y1=y1, size=y1 - y0)
        originals[id(copy)] = word
        turned.append(copy)
    # The page draws the words in reading order; keep it.
    turned.sort(key=lambda w: w.start)

    def near(box: Box) -> bool:
        return box[0] <= right + 5 and box[2] >= left - 5 and box[1] <= bottom + 5 and box[3] >= top - 5

    def turn(boxes: list[Box]) -> list[Box]:
        return [_upright(b, up, page.width, page.height) for b in boxes if near(b)]

    sub = dataclasses.replace(
        page,
        words=turned,
        width=page.height,
        height=page.width,
        hrules=turn(page.vrules),
        vrules=turn(page.hrules),
        rects=turn(page.rects),
    )
    rows, segments = rows_and_segments(turned)
    found = find(sub, rows, segments, body_size(segments))
    for table in found:
        table.box = _back(table.box, up, page.width, page.height)
        for cell in table.cells:
            text = cell.text  # read upright, before the words go back onto the page
            cell.box = _back(cell.box, up, page.width, page.height)
            cell.words = [originals.get(id(w), w) for w in cell.words]
            cell._text = (id(cell.words), len(cell.words), text)
        table.segments = []
    return found
