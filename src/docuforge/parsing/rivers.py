"""Column boundaries from the values' own alignment: whitespace rivers down a table's rows.

A table set tight (an invoice's quantity, unit price and amount a few points apart, a report's
dozen columns of figures) leaves gaps between its cells no wider than a generous word space, so
a line of cells reads as one run of text. What gives its columns away is that the gap comes back
in the rows above and below, at the same place, with the words either side of it lined up the
same way (figures right-aligned, labels left-aligned, headings centred): a river of whitespace
down the body, with edges. Words of a paragraph line up so only by chance, never row after row
on both sides of the gap.

Such a gap parts the line into segments before tables are found, so that each cell is a segment
of its own, as it would be had the table been set wider.
"""

from __future__ import annotations

import itertools

from docuforge.document.raw import RawWord
from docuforge.parsing.lines import Row, Segment, make_segment
from docuforge.parsing.mechanisms import MECHANISMS

# A gap this wide against the text height (and wider than the page's word spaces by RIVER_SPACE)
# may be a column gap; narrower is a word space.
RIVER_GAP = 0.4
RIVER_SPACE = 1.15
# How far (text heights) a row may be from the next, and how many rows above and below are
# looked at, for the gap to be confirmed by them.
ROW_REACH = 2.2
NEIGHBOURS = 3
# Rows beside the gap's own that must confirm it.
CONFIRMING = 2
# A gap this many times the line's narrowest stands out as a column gap.
STANDS_OUT = 1.5
# A piece of more words than this is prose, no cell.
MAX_CELL_WORDS = 4
# Edges this close (text heights) are lined up.
ALIGNED = 0.2


def _gaps(words: list[RawWord], wide: float) -> list[tuple[int, float, float]]:
    """(index of the word after the gap, gap start, gap end) of each wide gap of a line that
    stands out against the line's narrowest: a justified line stretches all its spaces alike, a
    row of cells has wider gaps between its cells than within them (or only such gaps)."""
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(words)]
    if not gaps:
        return []
    typical = min(gaps)
    every = min(gaps) >= wide
    return [
        (k + 1, a.x1, b.x0)
        for k, ((a, b), gap) in enumerate(zip(itertools.pairwise(words), gaps, strict=True))
        if gap >= wide and (every or gap >= STANDS_OUT * typical)
    ]


def _lined_up(a: RawWord, b: RawWord, tolerance: float) -> bool:
    return (
        abs(a.x0 - b.x0) <= tolerance
        or abs(a.x1 - b.x1) <= tolerance
        or abs(a.x0 + a.x1 - b.x0 - b.x1) <= 2 * tolerance
    )


def _confirms(
    row: list[RawWord], start: float, end: float, left: RawWord, right: RawWord, tol: float
) -> bool:
    """Whether a row shows the same river: no word of it in the gap's core, and the words next to
    the gap on each side lined up with those of the gap's own row."""
    core0, core1 = start + 0.25 * (end - start), end - 0.25 * (end - start)
    before = [w for w in row if w.x1 <= core0]
    after = [w for w in row if w.x0 >= core1]
    if len(before) + len(after) != len(row) or not before or not after:
        return False
    near_left = max(before, key=lambda w: w.x1)
    near_right = min(after, key=lambda w: w.x0)
    return _lined_up(near_left, left, tol) and _lined_up(near_right, right, tol)


def _word_space(segments: list[Segment], body: float) -> float:
    """The page's narrowest usual space between two words of a line (a monospaced font's is
    wide): between words of letters, as figures parted by column gaps would give the column
    gap; low among those, as a table's headers are parted by its column gaps too."""
    gaps = sorted(
        b.x0 - a.x1
        for s in segments
        for a, b in zip(s.words, s.words[1:], strict=False)
        if b.x0 - a.x1 > 0.1 * body and a.text[-1:].isalpha() and b.text[:1].isalpha()
    )
    return gaps[len(gaps) // 10] if gaps else 0.0


def _cells_only(words: list[RawWord], cuts: list[int]) -> list[int]:
    """The cuts, where every piece they leave is short, as a table's cells are: a hanging list's
    numbers ("1", "2") line up as a table's first column would, and a justified column's
    stretched spaces may line up with its neighbours', but the pieces they leave are prose."""
    bounds = [0, *cuts, len(words)]
    if any(b - a > MAX_CELL_WORDS for a, b in itertools.pairwise(bounds)):
        return []
    # A line led by a mark (a checkbox, a bullet, an "o" read for a radio button) is a list's
    # item: its marks line up down the list, but they head no column.
    first = words[0].text
    if cuts and cuts[0] == 1 and len(first) <= 2 and not any(char.isdigit() for char in first):
        return cuts[1:]
    return cuts


def split_at_rivers(rows: list[Row], segments: list[Segment], body: float) -> None:
    """Part segments (in place, in `rows` and `segments`) at gaps that run down their neighbours
    as a river with lined-up edges."""
    if not MECHANISMS.value_columns or len(rows) < CONFIRMING + 1:
        return
    wide = max(RIVER_GAP * body, RIVER_SPACE * _word_space(segments, body))
    tol = ALIGNED * body
    lines = [sorted((w for s in row.segments for w in s.words), key=lambda w: w.x0) for row in rows]
    parts: dict[int, list[Segment]] = {}
    for index, row in enumerate(rows):
        pieces: list[Segment] = []
        for segment in row.segments:
            cuts = []
            for at, start, end in _gaps(segment.words, wide):
                left, right = segment.words[at - 1], segment.words[at]
                seen = 0
                for step in (-1, 1):
                    other, last = index + step, row
                    while seen < CONFIRMING and 0 <= other < len(rows) and abs(other - index) <= NEIGHBOURS:
                        near = rows[other]
                        if (near.y0 - last.y1 if step > 0 else last.y0 - near.y1) > ROW_REACH * body:
                            break
                        seen += _confirms(lines[other], start, end, left, right, tol)
                        last, other = near, other + step
                if seen >= CONFIRMING:
                    cuts.append(at)
            cuts = _cells_only(segment.words, cuts)
            if not cuts:
                pieces.append(segment)
                continue
            split = []
            for a, b in zip([0, *cuts], [*cuts, len(segment.words)], strict=True):
                piece = make_segment(segment.words[a:b])
                piece.row = segment.row
                split.append(piece)
            parts[id(segment)] = split
            pieces += split
        row.segments = pieces
    if parts:
        segments[:] = [piece for s in segments for piece in parts.get(id(s), [s])]
