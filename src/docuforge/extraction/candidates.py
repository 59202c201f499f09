"""Where values may be on the page: lines, label/value pairs, checkboxes, and table grids.

Everything is read from the Document's structure. A pair's label and value are Spans, so the
value can be cited by the exact words it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from docuforge.document.model import BBox, Block, BlockType, Document, Word

LABEL_MAX_WORDS = 7
_COLON = re.compile(r"^\s*([^:\uff1a]{1,60}?)\s*[:\uff1a]\s*(.*)$")
_GLYPHS = "☐☑☒"
_DIGITS = re.compile(r"\d{3}")
_DATE_LIKE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}",
    re.I,
)


@dataclass
class Segment:
    """One line of text on a page, with the block it belongs to and its words when parsed with them."""

    text: str
    box: BBox
    block_id: str
    block_type: BlockType
    order: int
    words: list[Word] = field(default_factory=list)
    confidence: float = 1.0

    @property
    def page(self) -> int:
        return self.box.page


@dataclass
class Span:
    """Characters [start, end) of a segment."""

    segment: Segment
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.segment.text[self.start : self.end]


@dataclass
class Pair:
    label: str
    value: Span | None
    label_span: Span | None
    source: str  # inline, right, below, prefix, checkbox, table, column
    prior: float
    checked: bool | None = None
    extra_values: list[Span] = field(default_factory=list)


@dataclass
class Layout:
    segments: list[Segment]
    pairs: list[Pair]
    tables: list[Block]


def _segments(document: Document) -> list[Segment]:
    out: list[Segment] = []
    for block in document.blocks():
        if block.type is BlockType.TABLE and block.table is not None:
            continue
        if block.lines:
            for line in block.lines:
                if line.text.strip():
                    out.append(
                        Segment(
                            line.text,
                            line.bbox,
                            block.id,
                            block.type,
                            len(out),
                            list(line.words),
                            line.confidence,
                        )
                    )
        elif block.content.strip():
            for text in block.content.splitlines():
                if text.strip():
                    out.append(
                        Segment(text, block.bbox, block.id, block.type, len(out), [], block.confidence)
                    )
    return out


def _same_row(a: BBox, b: BBox) -> bool:
    if a.page != b.page:
        return False
    shared = min(a.bottom, b.bottom) - max(a.top, b.top)
    return shared > 0.5 * min(a.height, b.height)


def _labelish(text: str, dates: bool = True) -> bool:
    stripped = text.strip()
    if not stripped or len(stripped.split()) > LABEL_MAX_WORDS:
        return False
    # "PO-88213", "12/03/2024": three digits in a row make a value, not a label ("Tax (8%)" stays one).
    if not any(ch.isalpha() for ch in stripped) or _DIGITS.search(stripped):
        return False
    return not (dates and _DATE_LIKE.search(stripped))  # "Dec 10 '98" is a value


def _pairs(segments: list[Segment], dates: bool = True) -> list[Pair]:
    pairs: list[Pair] = []
    by_page: dict[int, list[Segment]] = {}
    for seg in segments:
        by_page.setdefault(seg.page, []).append(seg)
    for seg in segments:
        text = seg.text
        colon = _COLON.match(text)
        if colon and _labelish(colon.group(1)):
            start = colon.start(2)
            label_span = Span(seg, colon.start(1), colon.end(1))
            if colon.group(2).strip():
                pairs.append(Pair(colon.group(1), Span(seg, start, len(text)), label_span, "inline", 1.0))
            else:
                _neighbours(seg, by_page[seg.page], colon.group(1), label_span, pairs)
        elif _labelish(text, dates):
            _neighbours(seg, by_page[seg.page], text, Span(seg, 0, len(text)), pairs)
        # "Total 12.50", "Invoice No 123": a label at the start of the line, the value after it.
        tokens = list(re.finditer(r"\S+", text))
        for k in range(1, min(len(tokens), LABEL_MAX_WORDS)):
            label = text[: tokens[k - 1].end()]
            if colon or not _labelish(label, dates):
                continue
            pairs.append(
                Pair(
                    label,
                    Span(seg, tokens[k].start(), len(text)),
                    Span(seg, 0, tokens[k - 1].end()),
                    "prefix",
                    0.9,
                )
            )
    return pairs


def _pair_text(text: str) -> bool:
    """A line that is a label and value of its own ("Invoice #: 123") is nobody else's value."""
    colon = _COLON.match(text)
    return bool(colon and _labelish(colon.group(1)) and colon.group(2).strip())


def _neighbours(seg: Segment, page: list[Segment], label: str, label_span: Span, pairs: list[Pair]) -> None:
    """The value of a label standing alone: what follows it on its row, or else just under it."""
    right = [
        o
        for o in page
        if o is not seg
        and _same_row(seg.box, o.box)
        and o.box.left >= seg.box.right - 0.005
        and not _pair_text(o.text)
    ]
    if right:
        nearest = min(right, key=lambda o: o.box.left)
        pairs.append(Pair(label, Span(nearest, 0, len(nearest.text)), label_span, "right", 0.95))
    below = [
        o
        for o in page
        if o is not seg
        and not _pair_text(o.text)
        and o.box.top >= seg.box.bottom - 0.3 * seg.box.height
        and o.box.top - seg.box.bottom < 1.6 * max(seg.box.height, 0.008)
        and min(o.box.right, seg.box.right) - max(o.box.left, seg.box.left)
        > 0.3 * min(o.box.width, seg.box.width)
    ]
    if below:
        nearest = min(below, key=lambda o: (o.box.top, o.box.left))
        pairs.append(Pair(label, Span(nearest, 0, len(nearest.text)), label_span, "below", 0.8))


def _checkbox_pairs(document: Document, segments: list[Segment]) -> list[Pair]:
    pairs = []
    first_segment: dict[str, Segment] = {}
    for seg in segments:
        first_segment.setdefault(seg.block_id, seg)
    for block in document.blocks():
        boxes = block.extra.get("checkboxes")
        if not isinstance(boxes, list) or block.id not in first_segment:
            continue
        lines = [s for s in segments if s.block_id == block.id]
        question = block.content.split(next((g for g in block.content if g in _GLYPHS), "\0"))[0].strip(" :")
        for box in boxes:
            label = str(box.get("label") or "")
            span = _find_span(lines, label) if label else None
            pairs.append(Pair(label, span, span, "checkbox", 1.0, checked=bool(box.get("checked"))))
            if question and box.get("checked") and span is not None:
                pairs.append(Pair(question, span, None, "checkbox", 0.95, checked=True))
    return pairs


def _find_span(segments: list[Segment], text: str) -> Span | None:
    needle = text.strip().lower()
    for seg in segments:
        at = seg.text.lower().find(needle)
        if at >= 0 and needle:
            return Span(seg, at, at + len(needle))
    return None


def _header_row(grid: list[list[Any]], segs: dict[tuple[int, int], Segment]) -> int | None:
    """The row that heads the table's columns: its first filled row, three or more label cells
    and nothing else, with rows of values under it."""
    for r, row in enumerate(grid):
        filled = [c for c in range(len(row)) if (r, c) in segs]
        if not filled:
            continue
        if len(filled) >= 3 and all(
            _labelish(segs[(r, c)].text) and not _pair_text(segs[(r, c)].text) for c in filled
        ):
            # A header stands over rows of values: several rows, each filling two of its columns
            # (a form's "To | K. Sparrow | Date" row heads nothing).
            rows = sum(1 for k in range(r + 1, len(grid)) if sum((k, c) in segs for c in filled) >= 2)
            return r if rows >= 3 else None
        return None
    return None


def _summary(r: int, segs: dict[tuple[int, int], Segment], heads: list[int], n_cols: int) -> bool:
    """A row under the items that is a pair of its own ("Subtotal | 40.00"): one filling at most
    half the header's columns, or ending in an amount with only a label before it or with the first
    column (the items' descriptions) left empty."""
    filled = [c for c in range(n_cols) if (r, c) in segs]
    if 2 * len(filled) <= len(heads):
        return True
    amount = any(ch.isdigit() for ch in segs[(r, filled[-1])].text)
    return amount and (len(filled) == 2 or bool(heads and filled[0] > heads[0]))


def _table_pairs(
    tables: list[Block], order_start: int, columns: bool = False, dates: bool = True
) -> tuple[list[Pair], list[Segment]]:
    """Two-column tables read as label/value rows; header cells over a single row of values.

    With `columns`, a table headed by a row of labels links each header to every cell of its
    column ("column" pairs), and the cells under a header are values, never labels themselves.
    """
    pairs: list[Pair] = []
    cells: list[Segment] = []
    for block in tables:
        table = block.table
        assert table is not None
        grid = table.grid()
        segs: dict[tuple[int, int], Segment] = {}
        for cell in table.cells:
            if cell.text.strip():
                seg = Segment(
                    cell.text, cell.bbox or block.bbox, block.id, BlockType.TABLE, order_start + len(cells)
                )
                segs[(cell.row, cell.col)] = seg
                cells.append(seg)
        header = _header_row(grid, segs) if columns else None
        heads = [c for c in range(table.n_cols) if header is not None and (header, c) in segs]

        if header is not None:
            top: dict[int, int] = {}  # each column's first row of values under the header
            for r, c in segs:
                if r > header:
                    top[c] = min(r, top.get(c, r))
            for (r, c), seg in segs.items():
                head = segs.get((header, c))
                if r > header and head is not None and not _pair_text(seg.text):
                    value = Span(seg, 0, len(seg.text))
                    # The first value under a header is what a single field reads there; the
                    # rest of the column belongs to arrays of items.
                    source = "table" if top.get(c) == r else "column"
                    pairs.append(Pair(head.text, value, Span(head, 0, len(head.text)), source, 0.85))
        for r, row in enumerate(grid):
            for c, cell in enumerate(row):
                if cell is None or (cell.row, cell.col) != (r, c) or (r, c) not in segs:
                    continue
                label = segs[(r, c)]
                colon = _COLON.match(label.text)
                if colon and _labelish(colon.group(1)) and colon.group(2).strip():
                    # "Order Number: PO-23200" in one cell: a pair of its own.
                    value = Span(label, colon.start(2), len(label.text))
                    pairs.append(Pair(colon.group(1), value, Span(label, 0, colon.end(1)), "inline", 1.0))
                    continue
                if header is not None and r >= header and not _summary(r, segs, heads, table.n_cols):
                    continue  # the header and its rows of values: linked by column above
                if not _labelish(label.text, dates):
                    continue
                label_span = Span(label, 0, len(label.text))
                # The value beside a label is the next filled cell of its row (right-aligned amounts
                # often sit a few empty columns away); under it, the next filled cell of its column.
                right = next(
                    (segs[(r, k)] for k in range(c + cell.col_span, table.n_cols) if (r, k) in segs), None
                )
                down = r + cell.row_span
                under = segs.get((down, c)) if down < table.n_rows else None
                if right is not None and not _pair_text(right.text):
                    prior = 0.95
                    if (
                        columns
                        and under is not None
                        and _labelish(right.text, dates)
                        and not _labelish(under.text, dates)
                    ):
                        # "Acct. No | Dept. No" over "4111 | 8700": a row of labels over their values.
                        prior = 0.6
                    pairs.append(
                        Pair(label.text, Span(right, 0, len(right.text)), label_span, "table", prior)
                    )
                if under is not None and not _pair_text(under.text):
                    pairs.append(Pair(label.text, Span(under, 0, len(under.text)), label_span, "table", 0.85))
    return pairs, cells


def read_layout(document: Document, columns: bool = True, dates: bool = True) -> Layout:
    """Lines, label/value pairs and tables of a document.

    `columns`: a table's header row is linked to its columns; `dates`: a line that reads as a date
    ("Dec 10 '98") is a value, never a label standing alone.
    """
    segments = _segments(document)
    tables = [
        b
        for b in document.blocks()
        if b.type is BlockType.TABLE and b.table is not None and not b.extra.get("merged_into")
    ]
    pairs = _pairs(segments, dates)
    pairs += _checkbox_pairs(document, segments)
    table_pairs, cells = _table_pairs(tables, len(segments), columns, dates)
    pairs += table_pairs
    return Layout(segments + cells, pairs, tables)
