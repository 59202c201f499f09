"""One page's raw content to typed blocks in reading order.

Segments, tables and figures are ordered as the page reads (reading_order.py); consecutive
segments then merge into paragraphs and list items, and every block gets its type from what
it looks like: size and weight against the body text, numbering, bullets, "label: value".
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from docuforge.document.geometry import Box, to_bbox, union
from docuforge.document.model import Block, BlockType, Cell, Line, Page, Table, Word
from docuforge.document.raw import RawPage
from docuforge.parsing.cells import is_number
from docuforge.parsing.figures import FigureRegion, find_figures
from docuforge.parsing.lines import Segment, body_size, joined, read_signs, rows_and_segments, spaced
from docuforge.parsing.reading_order import order
from docuforge.parsing.tables import TableRegion, find_tables

BULLET = re.compile(
    r"^(?:[\u2022\u25e6\u25aa\u25ab\u25cf\u25cb\u25a0\u25a1\u2023\u2043\u2219\u00b7\u2013\u2014\-\*\u27a2\u2192\u2713\u2714]"
    r"|\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?[ivxlc]{1,6}[.)])(?:\s|$)"
)
NUMBERED_HEADING = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?|[A-Z]\.|(?:chapter|section|part|appendix|article)\s+[\dA-Z]+\.?)\s+\S"
    # Chinese: "二、", "(三)" in full-width brackets, "第六章"; no space follows.
    r"|^(?:[一二三四五六七八九十]{1,3}\u3001|\uff08[一二三四五六七八九十]{1,3}\uff09|第[一二三四五六七八九十百\d]{1,4}[章节篇部])\s*\S",
    re.I,
)
KEY_VALUE = re.compile(r"^([^\s:][^:]{0,48}?)\s*:\s*(\S.*)$")
CAPTION = re.compile(
    r"^(?:(?:figure|fig\.|table|tab\.|chart|exhibit|graph|diagram|image|photo|plate|scheme)\s*[\dA-Z]"
    r"|[\u56fe\u5716\u56f3\u8868]\s*\d)",  # Chinese and Japanese: 图 1, 圖2, 図3, 表 6-3-2
    re.I,
)
RELATION_SIGNS = frozenset("=<>\u2264\u2265\u2260\u2208\u2209\u2282\u2286")  # a formula's, not a label's
BIG_OPERATORS = frozenset("\u2211\u220f\u2210\u222b\u222c\u222d\u222e")  # sums, products, integrals
SENTENCE_END = (".", ",", ";", "?", "!", "\u3002", "\uff0c", "\uff1b", "\uff1f", "\uff01")


@dataclass
class Draft:
    """A block being built: its segments, and what kind it looks like."""

    segments: list[Segment]
    kind: BlockType = BlockType.TEXT
    table: TableRegion | None = None
    figure: FigureRegion | None = None
    caption: str | None = None
    caption_of: Draft | None = None
    level: int | None = None
    formula: bool = False  # a display of equations: text, never a heading

    @property
    def box(self) -> Box:
        if self.table is not None:
            return self.table.box
        if self.figure is not None:
            return self.figure.box
        return union(s.box for s in self.segments)

    @property
    def size(self) -> float:
        return statistics.median(s.size for s in self.segments) if self.segments else 0.0

    @property
    def bold(self) -> bool:
        chars = sum(len(w.text) for s in self.segments for w in s.words) or 1
        return sum(len(w.text) for s in self.segments for w in s.words if w.bold) / chars > 0.6

    @property
    def text(self) -> str:
        if self.formula:  # a line of the display to a line of text, its pieces left to right
            rows: dict[int, list[Segment]] = {}
            for segment in self.segments:
                rows.setdefault(segment.row, []).append(segment)
            lines = [sorted(row, key=lambda s: s.x0) for _, row in sorted(rows.items())]
            read = iter(read_signs([s.text for line in lines for s in line]))
            return "\n".join(joined([next(read) for _ in line]) for line in lines)
        return join_lines([s.text for s in self.segments])


def join_lines(lines: list[str]) -> str:
    """Lines of a paragraph as one string: hyphenated words rejoined."""
    out = ""
    for line in lines:
        if not out:
            out = line
        elif out.endswith("-") and line[:1].islower() and not out.endswith(" -"):
            out = out[:-1] + line
        else:
            out += (" " if spaced(out, line) else "") + line
    return out


def _joins(draft: Draft, segment: Segment, body: float, leading: float = 0.0) -> float | None:
    """How well a segment continues a paragraph from below (smaller is better); None: it does not.

    `leading`: the page's usual paper between the lines of a paragraph, in type sizes."""
    last = draft.segments[-1]
    size = max(segment.size, last.size)
    if segment.row == last.row:
        # Side by side on one baseline: only a label and its value belong together.
        label = len(draft.segments) == 1 and last.text.endswith(":") and len(last.words) <= 5
        return 0.0 if label and segment.x0 >= last.x1 and segment.x0 - last.x1 < 20 * size else None
    if BULLET.match(segment.text):
        return None
    if (
        len({s.row for s in draft.segments}) == 1
        and len(draft.segments) > 1
        and draft.segments[0].text.endswith(":")
    ):
        return None  # a "label:  value" row stands alone; the next row is the next pair
    gap = segment.y0 - last.y1
    if gap > max(2.5, 0.45 * size, min(1.0, leading + 0.25) * size) or gap < -0.5 * size:
        return None
    if abs(segment.size - last.size) > 0.12 * size or segment.bold != last.bold:
        return None
    box = draft.box
    shared = min(box[2], segment.x1) - max(box[0], segment.x0)
    if shared <= 0.3 * min(segment.x1 - segment.x0, box[2] - box[0]):
        return None
    if draft.kind is BlockType.LIST_ITEM and segment.x0 <= draft.segments[0].x0 + 0.5 * size:
        return None  # a list item goes on with indented lines, not with one back at its bullet
    # A numbered line far shorter than the next is a heading of its own ("2.9. Removal of
    # sulfur"), not the start of a paragraph, whose first line fills the column.
    if (
        len(draft.segments) == 1
        and NUMBERED_HEADING.match(last.text)
        and not last.text.endswith(SENTENCE_END)
        and last.x1 - last.x0 < 0.6 * (segment.x1 - segment.x0)
    ):
        return None
    # A short line ending a sentence closes its paragraph.
    width = box[2] - box[0]
    if last.text.endswith((".", "\u3002")) and last.x1 - last.x0 < 0.7 * width and len(draft.segments) > 1:
        return None
    return gap + 0.1 * abs(segment.x0 - box[0])


def _paragraphs(segments: list[Segment], body: float) -> list[Draft]:
    """Free segments grouped into paragraphs and list items, by where they sit, in any column."""
    drafts: list[Draft] = []
    open_drafts: list[Draft] = []
    leading = _leading(segments)
    for segment in sorted(segments, key=lambda s: (s.row, s.x0)):
        best: Draft | None = None
        best_score = 0.0
        for draft in open_drafts:
            score = _joins(draft, segment, body, leading)
            if score is not None and (best is None or score < best_score):
                best, best_score = draft, score
        if best is not None:
            best.segments.append(segment)
            continue
        draft = Draft(segments=[segment])
        # "41. Harbor" set large is a numbered heading, free to wrap, not a list item.
        if BULLET.match(segment.text) and segment.size < 1.1 * body:
            draft.kind = BlockType.LIST_ITEM
        drafts.append(draft)
        open_drafts.append(draft)
        # Drafts far above the current line can take nothing more; keep the search short.
        open_drafts = [d for d in open_drafts if segment.y0 - d.segments[-1].y1 < 3 * max(body, segment.size)]
    return drafts


def _leading(segments: list[Segment]) -> float:
    """The paper between a line and the next one under it, in type sizes, that most lines leave.

    Chinese is set with a half or a whole square between lines, double-spaced English with a
    line's height: more than the gap at which lines set solid stop being one paragraph. Read
    where the page sets its lines wider than that, so that they still join."""
    ordered = sorted(segments, key=lambda s: s.y0)
    gaps = []
    for index, above in enumerate(ordered):
        for below in ordered[index + 1 :]:
            if below.y0 - above.y1 > 1.5 * above.size:
                break
            width = min(above.x1 - above.x0, below.x1 - below.x0)
            if below.row == above.row or min(above.x1, below.x1) - max(above.x0, below.x0) < 0.5 * width:
                continue
            if abs(below.size - above.size) <= 0.12 * above.size and below.y0 >= above.y1:
                gaps.append((below.y0 - above.y1) / above.size)
            break
    return statistics.median(gaps) if len(gaps) >= 5 else 0.0


def _heading_like(draft: Draft, body: float) -> bool:
    text = draft.text
    if not text or len(text) > 200 or len(draft.segments) > 3 or not any(c.isalpha() for c in text):
        return False
    if any(char in BIG_OPERATORS for char in text):
        return False  # a formula, its line made tall by a sum's or an integral's sign
    ratio = draft.size / body if body else 1.0
    numbered = bool(NUMBERED_HEADING.match(text))
    if text.endswith(SENTENCE_END[1:]) or (text.endswith(".") and not numbered and len(text) > 40):
        return False
    if ratio >= 1.15:
        return True
    if draft.bold and len(text) <= 120 and ratio >= 0.9:
        return True
    return numbered and ratio >= 1.05 and len(text) <= 120


def _classify(draft: Draft, body: float) -> BlockType:
    text = draft.text
    if _heading_like(draft, body) and (not BULLET.match(text) or NUMBERED_HEADING.match(text)):
        return BlockType.SECTION_HEADER
    if BULLET.match(text) and len(text) > 2:
        return BlockType.LIST_ITEM
    if CAPTION.match(text):
        return BlockType.TEXT
    match = KEY_VALUE.match(text)
    if (
        match
        and len(draft.segments) <= 2
        and len(match.group(1).split()) <= 6
        and not match.group(1).endswith(")")
        and not any(char in RELATION_SIGNS for char in match.group(1))  # "u ≤ 0 on {x ∈ U : u > 0}"
    ):
        same_row = len({s.row for s in draft.segments}) == 1
        if same_row or len(text) <= 120:
            return BlockType.KEY_VALUE
    return BlockType.TEXT


def _scanned_bold_headings(drafts: list[Draft], body: float) -> None:
    """A line of a scan in the body's size, found bold by its thicker strokes, heads only the
    paragraph under it. Scans set in bold at body size a report's rating, an analyst's name, a
    form's labels and the lines of an agency's heading block one over the other: read alone,
    each would be a heading."""
    for index, draft in enumerate(drafts):
        if (
            draft.kind is not BlockType.SECTION_HEADER
            or not draft.bold
            or (body and draft.size >= 1.15 * body)
            or NUMBERED_HEADING.match(draft.text)
            or not any(w.run >= 0 for s in draft.segments for w in s.words)  # a text layer's font says so
        ):
            continue
        following = drafts[index + 1] if index + 1 < len(drafts) else None
        if not (
            following is not None
            and following.kind in (BlockType.TEXT, BlockType.LIST_ITEM)
            and len(following.segments) >= 2
            and not following.bold
        ):
            draft.kind = BlockType.TEXT


def _numbered_headings(drafts: list[Draft], body: float) -> None:
    """A numbered line of its own in the body's size and weight ("3.1. Soxhlet extraction",
    "3. Results and discussion", set in italics or in the same face as the text) heads what
    follows it. Two levels of numbering say so alone; one level ("3.") only where a paragraph,
    not another item of a list, follows and none went before."""
    for index, draft in enumerate(drafts):
        text = draft.text
        if (
            draft.kind not in (BlockType.TEXT, BlockType.LIST_ITEM)
            or len(draft.segments) != 1
            or len(text) > 80
            or text.endswith(SENTENCE_END)
            or not NUMBERED_HEADING.match(text)
            or (body and draft.size < 0.95 * body)
        ):
            continue
        words = text.split(maxsplit=1)
        latin = text[:1].isascii()
        if latin and (len(words) < 2 or words[1][:1].islower() or is_number(words[1])):
            continue  # "2. the ...": a sentence's second line; "1.5 kg": a quantity
        following = drafts[index + 1] if index + 1 < len(drafts) else None
        before = drafts[index - 1] if index else None
        paragraph_follows = (
            following is not None and following.kind is BlockType.TEXT and len(following.segments) >= 2
        )
        if re.match(r"\d+\.\d+", text) or (
            paragraph_follows and (before is None or before.kind is not BlockType.LIST_ITEM)
        ):
            draft.kind = BlockType.SECTION_HEADER


def _attach_captions(drafts: list[Draft], body: float) -> None:
    for draft in drafts:
        if draft.table is not None or draft.figure is not None or not CAPTION.match(draft.text):
            continue
        box = draft.box
        best, best_gap = None, 4.0 * body
        for other_index, other in enumerate(drafts):
            if other.figure is None and other.table is None:
                continue
            other_box = other.box
            if min(box[2], other_box[2]) - max(box[0], other_box[0]) <= 0:
                continue
            gap = max(box[1] - other_box[3], other_box[1] - box[3])
            if -2 <= gap < best_gap:
                best, best_gap = other_index, gap
        if best is not None and drafts[best].caption is None:
            drafts[best].caption = draft.text
            draft.caption_of = drafts[best]


def build_page(raw: RawPage, number: int, body_hint: float | None, keep_words: bool) -> tuple[Page, float]:
    """The page's blocks, and the body text size it found (for the next pages to lean on)."""
    rows, segments = rows_and_segments(raw.words)
    chars = sum(len(w.text) for w in raw.words)
    body = body_size(segments) if chars >= 300 or not body_hint else body_hint
    tables = find_tables(raw, rows, segments, body)
    figures = find_figures(raw, segments, exclude=[t.box for t in tables])
    drafts = _paragraphs([s for s in segments if not s.used], body)
    drafts += [
        Draft(segments=t.segments, formula=True)
        if t.formula
        else Draft(segments=t.segments, kind=BlockType.TABLE, table=t)
        for t in tables
    ]
    drafts += [Draft(segments=f.segments, kind=BlockType.FIGURE, figure=f) for f in figures]
    # Captions first: a figure or table travels with its caption through the reading order.
    _attach_captions(drafts, body)
    drafts = order(
        drafts,
        lambda d: d.box,
        standalone=lambda d: d.table is not None or d.figure is not None or d.caption_of is not None,
        tolerance=1.5 * body,
    )
    for draft in drafts:
        if draft.table is None and draft.figure is None and not draft.formula:
            draft.kind = BlockType.TEXT if draft.caption_of is not None else _classify(draft, body)
    _scanned_bold_headings(drafts, body)
    _numbered_headings(drafts, body)
    page = Page(
        number=number,
        original_number=raw.index + 1,
        width=raw.display_width,
        height=raw.display_height,
        rotation=raw.rotation,
    )
    for index, draft in enumerate(drafts):
        page.blocks.append(_block(draft, index, raw, page, drafts, keep_words))
    return page, body


def _bbox(raw: RawPage, page: Page, box: Box):
    return to_bbox(raw.to_display(box), page.width, page.height, page.number, page.original_number)


def _line(raw: RawPage, page: Page, segment: Segment, keep_words: bool) -> Line:
    words = (
        [
            Word(text=w.text, bbox=_bbox(raw, page, w.box), confidence=w.confidence, bold=w.bold)
            for w in segment.words
        ]
        if keep_words
        else []
    )
    confidence = sum(w.confidence for w in segment.words) / len(segment.words) if segment.words else 1.0
    return Line(text=segment.text, bbox=_bbox(raw, page, segment.box), words=words, confidence=confidence)


def _block(
    draft: Draft, index: int, raw: RawPage, page: Page, drafts: list[Draft], keep_words: bool
) -> Block:
    block_id = f"p{page.original_number}-b{index}"
    segments = (
        sorted(draft.segments, key=lambda s: (s.y0, s.x0)) if draft.table is not None else draft.segments
    )
    block = Block(
        id=block_id,
        type=draft.kind,
        bbox=_bbox(raw, page, draft.box),
        content=draft.text if draft.table is None else "",
        lines=[_line(raw, page, s, keep_words) for s in segments],
        caption=draft.caption,
        extra={"font_size": round(draft.size, 2), "bold": draft.bold} if draft.segments else {},
    )
    if draft.caption_of is not None and draft.caption_of in drafts:
        block.caption_of = f"p{page.original_number}-b{drafts.index(draft.caption_of)}"
    if draft.table is not None:
        block.table = Table(
            n_rows=draft.table.n_rows,
            n_cols=draft.table.n_cols,
            ruled=draft.table.ruled,
            cells=[
                Cell(
                    row=cell.row,
                    col=cell.col,
                    row_span=cell.row_span,
                    col_span=cell.col_span,
                    text=cell.text,
                    bbox=_bbox(raw, page, cell.box),
                    header=cell.row == 0 and _header_row(draft.table),
                )
                for cell in sorted(draft.table.cells, key=lambda c: (c.row, c.col))
            ],
        )
        block.content = "\n".join(
            " | ".join(
                cell.text
                for cell in sorted((c for c in draft.table.cells if c.row == r), key=lambda c: c.col)
            )
            for r in range(draft.table.n_rows)
        )
    if draft.figure is not None:
        block.extra["figure_kind"] = draft.figure.kind
    return block


def _header_row(table: TableRegion) -> bool:
    """The first row heads the table when it is bold, or it is text over a column of numbers."""
    first = [c for c in table.cells if c.row == 0 and c.words]
    if not first:
        return False
    if all(all(w.bold for w in c.words) for c in first):
        return True
    numeric = sum(1 for c in table.cells if c.row > 0 and is_number(c.text))
    return numeric > 0 and not any(is_number(c.text) for c in first)
