"""A page's words gathered into rows: by the table finder's rows inside tables, by their height elsewhere.

Statements are often unruled, so the table finder may cut one into pieces or miss it; the rows are rebuilt
from word positions in the Document either way (each heuristic switchable through RowOptions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from docuforge.document import Block, BlockType, Document, Page
from docuforge.document.model import Line

_SKIP = frozenset({BlockType.HEADER, BlockType.FOOTER, BlockType.PAGE_NUMBER, BlockType.FIGURE})


class RowOptions(BaseModel):
    table_rows: bool = Field(
        False, description="Inside a found table, group words by its rows (else by their height everywhere)."
    )
    join_space_groups: bool = Field(
        True, description='Join "1 234 567": digit groups split at a thin space into separate words.'
    )
    deskew: bool = Field(
        True,
        description="On a scanned page whose words still lie on a slant, straighten their positions "
        "before gathering rows and columns (the slope measured along the OCR's text lines).",
    )
    word_bold: bool = Field(
        True,
        description="Bold from each word's font (inside tables too), not only from a bold block; text "
        "layers only (a scan's bold is guessed from stroke width).",
    )


@dataclass
class Token:
    text: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 normalised, origin top-left
    page: int
    bold: bool = False
    confidence: float = 1.0  # below 1 only for words read by OCR

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2


@dataclass
class Row:
    tokens: list[Token] = field(default_factory=list)
    page: int = 1
    block_type: BlockType | None = None
    scanned: bool = False  # its words were read by OCR

    @property
    def top(self) -> float:
        return min(t.box[1] for t in self.tokens)

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


def page_rows(document: Document, page: Page, options: RowOptions | None = None) -> list[Row]:
    """The page's words as rows, top to bottom, each row's tokens left to right."""
    options = options or RowOptions()
    tabled: list[Row] = []
    loose: list[tuple[Token, BlockType]] = []
    for block in page.blocks:
        if block.type in _SKIP and block.type != BlockType.HEADER:
            continue
        bold = bool(block.extra.get("bold")) and block.type != BlockType.TABLE
        tokens = [
            t
            for line in block.lines
            for t in _line_tokens(line, page.number, bold, options.word_bold and not page.ocr)
        ]
        if not tokens and block.content and block.type != BlockType.TABLE:
            b = block.bbox
            tokens = _split_evenly(block.content, (b.left, b.top, b.right, b.bottom), page.number, bold)
        if block.type == BlockType.TABLE and options.table_rows and block.table and _has_cell_boxes(block):
            tabled.extend(_table_rows(block, tokens, page.number))
        else:
            loose.extend((t, block.type) for t in tokens)
    seen: set[tuple[str, tuple[float, ...]]] = set()
    unique = []
    for token, kind in loose:  # a word some stage placed in two blocks is read once
        key = (token.text, tuple(round(v, 3) for v in token.box))
        if key not in seen:
            seen.add(key)
            unique.append((token, kind))
    scanned = page.ocr or any(t.confidence < 1.0 for t, _ in unique)
    if options.deskew and scanned:
        slope = _slope(page)
        if abs(slope * page.height / max(1.0, page.width)) > _MIN_SLANT:
            aspect = (page.height / max(1.0, page.width)) ** 2
            for token, _ in unique:
                token.box = _straighten(token.box, slope, aspect)
    rows = tabled + _cluster(unique, page.number)
    rows.sort(key=lambda r: r.top)
    for row in rows:
        row.scanned = scanned
        row.tokens.sort(key=lambda t: (t.box[0], t.box[1]))
        if options.join_space_groups:
            row.tokens = _join_groups(row.tokens)
    return rows


_MIN_SLANT = 0.002  # tan of about 0.1 degree: less moves no word off its row


def _slope(page: Page) -> float:
    """The page's slant, dy/dx in page-normalised units: the median slope of its OCR text lines, each
    fitted through its words' centres (lines of two words or more, spanning a tenth of the page)."""
    slopes: list[tuple[float, float]] = []
    for block in page.blocks:
        for line in block.lines:
            words = [w for w in line.words if w.text.strip() and w.confidence < 1.0]
            if len(words) < 2:
                continue
            xs = [(w.bbox.left + w.bbox.right) / 2 for w in words]
            ys = [w.bbox.top + w.bbox.height / 2 for w in words]
            span = max(xs) - min(xs)
            if span < 0.1:
                continue
            mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
            den = sum((x - mx) ** 2 for x in xs)
            slopes.append((sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den, span))
    if len(slopes) < 3:
        return 0.0
    slopes.sort()
    half, acc = sum(w for _, w in slopes) / 2, 0.0
    for slope, weight in slopes:  # the span-weighted median
        acc += weight
        if acc >= half:
            return slope
    return 0.0


def _straighten(
    box: tuple[float, float, float, float], slope: float, aspect: float
) -> tuple[float, float, float, float]:
    """A box turned back by the page's slant about the page's centre (small angles: a shear each way)."""
    cx, cy = (box[0] + box[2]) / 2 - 0.5, (box[1] + box[3]) / 2 - 0.5
    dx, dy = cy * slope * aspect, -cx * slope
    return (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)


def _line_tokens(line: Line, page: int, bold: bool, word_bold: bool = True) -> list[Token]:
    if line.words:
        return [
            Token(
                w.text,
                (w.bbox.left, w.bbox.top, w.bbox.right, w.bbox.bottom),
                page,
                bold or (word_bold and w.bold and w.confidence >= 1.0),  # a font's weight, not a scan's guess
                w.confidence,
            )
            for w in line.words
            if w.text.strip()
        ]
    b = line.bbox
    return _split_evenly(line.text, (b.left, b.top, b.right, b.bottom), page, bold, line.confidence)


def _split_evenly(
    text: str, box: tuple[float, float, float, float], page: int, bold: bool, confidence: float = 1.0
) -> list[Token]:
    """Word boxes estimated from character offsets when the Document carries no word boxes."""
    if not text.strip():
        return []
    x0, y0, x1, y1 = box
    per_char = (x1 - x0) / max(1, len(text))
    tokens, pos = [], 0
    for word in text.split(" "):
        if word:
            tokens.append(
                Token(
                    word,
                    (x0 + pos * per_char, y0, x0 + (pos + len(word)) * per_char, y1),
                    page,
                    bold,
                    confidence,
                )
            )
        pos += len(word) + 1
    return tokens


def _has_cell_boxes(block: Block) -> bool:
    return block.table is not None and all(c.bbox is not None for c in block.table.cells)


def _table_rows(block: Block, tokens: list[Token], page: int) -> list[Row]:
    assert block.table is not None
    bands: dict[int, tuple[float, float]] = {}
    for cell in block.table.cells:
        if cell.bbox is None or cell.row_span != 1:
            continue
        top, bottom = bands.get(cell.row, (cell.bbox.top, cell.bbox.bottom))
        bands[cell.row] = (min(top, cell.bbox.top), max(bottom, cell.bbox.bottom))
    rows: dict[int, Row] = {}
    for token in tokens:
        best = min(bands.items(), key=lambda kv: _distance(token.cy, kv[1]), default=None)
        if best is None:
            continue
        rows.setdefault(best[0], Row(page=page, block_type=BlockType.TABLE)).tokens.append(token)
    return [rows[k] for k in sorted(rows)]


def _distance(y: float, band: tuple[float, float]) -> float:
    return 0.0 if band[0] <= y <= band[1] else min(abs(y - band[0]), abs(y - band[1]))


def _cluster(items: list[tuple[Token, BlockType]], page: int) -> list[Row]:
    """Words whose vertical extents overlap by half the smaller height share a row."""
    rows: list[Row] = []
    for token, kind in sorted(items, key=lambda it: it[0].cy):
        for row in rows[-3:]:
            last = row.tokens[-1]
            overlap = min(last.box[3], token.box[3]) - max(last.box[1], token.box[1])
            if overlap > 0.5 * min(last.height, token.height):
                row.tokens.append(token)
                break
        else:
            rows.append(Row([token], page, kind))
    return rows


def _join_groups(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        if out and _continues_number(out[-1], token):
            prev = out[-1]
            out[-1] = Token(
                prev.text + "\u00a0" + token.text,
                (prev.box[0], min(prev.box[1], token.box[1]), token.box[2], max(prev.box[3], token.box[3])),
                prev.page,
                prev.bold,
                min(prev.confidence, token.confidence),
            )
        else:
            out.append(token)
    return out


def _continues_number(prev: Token, token: Token) -> bool:
    gap = token.box[0] - prev.box[2]
    char = (token.box[2] - token.box[0]) / max(1, len(token.text))
    # a thin or a full space (monospace), never a column's gap; OCR boxes end a little short of the ink
    ocr = prev.confidence < 1.0 or token.confidence < 1.0
    if gap > (1.7 if ocr else 1.3) * char or gap < -0.002:
        return False
    head = prev.text
    if len(head) > 3 and head[:3].isalpha() and head[:3].isupper():
        head = head[3:]  # a currency code run into the number: "CHF138 481", "CHF(56 046)"
    head = head.lstrip("(-\u2212$\u20ac\u00a3 ")
    tail = token.text.rstrip(")-*")
    return (
        head.replace("\u00a0", "").isdigit()
        and len(head.split("\u00a0")[-1]) <= 3
        and (
            (len(tail) == 3 and tail.isdigit())
            or (len(tail) > 4 and tail[:3].isdigit() and tail[3] == "," and tail[4:].isdigit())
        )
    )
