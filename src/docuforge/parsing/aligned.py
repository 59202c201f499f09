"""Tables without a grid: columns found in how text lines up, rows in its baselines.

Consecutive rows that split into several segments whose gaps line up (whitespace gutters that
hold in nearly every row) are a table. Header rows just above it join it; a currency sign
stays with its amount; a label that wraps onto the next line stays one cell; a header segment
that covers two columns is cut at the gutter between them if a gap in it falls there.
Columns of prose are not tables: their cells are long runs of words.

Inside a table, a row of one short segment (a section label) does not end it when table rows
follow; a cell's text wrapped onto lines of its own, tighter than the rows are set, joins its
cell; a label on several lines centred beside its figures is one row with them; and where rules
part every row, the lines between two rules are one row. Under a ruled table's last rule, the
rows that total a column of amounts ("Subtotal", "Tax", "Total") are its last rows.
"""

from __future__ import annotations

import itertools
import re
import statistics

from docuforge.document.geometry import Box, union
from docuforge.document.raw import RawWord
from docuforge.parsing.cells import CellRegion, TableRegion, is_number
from docuforge.parsing.headers import resolve_headers
from docuforge.parsing.lines import Row, Segment, ideographic, make_segment, read_signs
from docuforge.parsing.wrapped import join_overlapping, merge_wrapped, wrapped_lines

CAPTION = re.compile(
    r"^(?:(?:figure|fig\.|table|tab\.|chart|exhibit|source)\s*[\dA-Z:]|[\u56fe\u5716\u56f3\u8868]\s*\d)", re.I
)
MIN_ROWS = 2
MIN_COLS = 2
Gap = tuple[float, float]
CURRENCY = frozenset("$\u20ac\u00a3\u00a5")


def _merge_currency(segments: list[Segment], body: float) -> list[Segment]:
    """A lone currency sign belongs to the amount after it."""
    out: list[Segment] = []
    for segment in segments:
        if out and out[-1].text in CURRENCY and 0 <= segment.x0 - out[-1].x1 < 6 * body:
            merged = make_segment(out[-1].words + segment.words)
            merged.row = segment.row
            out[-1] = merged
            continue
        out.append(segment)
    return out


def _gutters(intervals: list[tuple[float, float]], min_gap: float) -> list[tuple[float, float]]:
    gaps: list[tuple[float, float]] = []
    spans = sorted(intervals)
    if not spans:
        return gaps
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start - reach >= min_gap:
            gaps.append((reach, start))
        reach = max(reach, end)
    return gaps


def _open_gaps(
    intervals: list[tuple[float, float]], allowed: int, min_gap: float
) -> list[tuple[float, float]]:
    """Stretches of x at least `min_gap` wide that at most `allowed` of the intervals cover,
    between the first start and the last end."""
    events = sorted([(x0, 1) for x0, _ in intervals] + [(x1, -1) for _, x1 in intervals])
    gaps: list[Gap] = []
    depth, start = 0, None
    for x, step in events:
        depth += step
        if depth <= allowed and start is None and step < 0:
            start = x
        elif depth > allowed and start is not None:
            if x - start >= min_gap:
                gaps.append((start, x))
            start = None
    return gaps


def _merge_gaps(
    found: list[tuple[float, float]], extra: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """The gutters found, plus those of `extra` that overlap none of them."""
    out = list(found)
    for gap in extra:
        if not any(min(gap[1], g[1]) > max(gap[0], g[0]) for g in found):
            out.append(gap)
    return sorted(out)


def _cut(segment: Segment, gutters: list[tuple[float, float]]) -> list[list[RawWord]]:
    """Split a segment at each gutter that one of its word gaps covers (most of), or sits in the
    middle of (a gap wider than usual between words, on the gutter the other rows show)."""
    pieces: list[list[RawWord]] = [[segment.words[0]]]
    for word in segment.words[1:]:
        left = pieces[-1][-1].x1
        if any(
            (left <= g0 + 0.4 * (g1 - g0) and word.x0 >= g1 - 0.4 * (g1 - g0))
            or (g0 <= (left + word.x0) / 2 <= g1 and min(word.x0, g1) - max(left, g0) >= 0.4 * (g1 - g0))
            for g0, g1 in gutters
        ):
            pieces.append([])
        pieces[-1].append(word)
    return pieces


def columns_of(
    rows: list[list[Segment]], body: float, lines: int | None = None
) -> tuple[list[float], list[tuple[float, float]]] | None:
    """Column edges (left to right) and the gutters between them, if the rows line up.

    lines: how many lines of text the rows were made of (a gutter may be crossed by a fifth of
    them: a label on three lines crossing one is three crossings)."""
    segments = [s for row in rows for s in row]
    lo, hi = min(s.x0 for s in segments), max(s.x1 for s in segments)
    widest = max(len(row) for row in rows)
    typical = [s for row in rows if len(row) >= max(2, widest - 1) for s in row]
    if not typical:  # every row is one run of text: nothing lines up into columns
        return None
    allowed = max(1, (lines or len(rows)) // 5)
    gutters = _gutters([(s.x0, s.x1) for s in typical], min_gap=0.5 * body)
    if len(typical) >= 6:
        # A cell set too close to its neighbour to be parted from it (a scan's OCR reads the
        # two as one line) must not hide the gutter that every other row shows.
        gutters = _merge_gaps(gutters, _open_gaps([(s.x0, s.x1) for s in typical], allowed, 0.5 * body))
    kept = []
    for gap in gutters:
        mid = (gap[0] + gap[1]) / 2
        crossing = sum(1 for s in segments if s.x0 < mid - 1 and s.x1 > mid + 1)
        if crossing <= allowed:
            kept.append(gap)
    if not kept:
        return None
    return [lo, *[(g0 + g1) / 2 for g0, g1 in kept], hi], kept


def build(
    rows: list[list[Segment]],
    edges: list[float],
    gutters: list[tuple[float, float]],
    body: float,
    bounds: Box | None,
    overflowing: frozenset[int] = frozenset(),
) -> tuple[list[list[CellRegion | None]], list[tuple[float, float]]]:
    """Each row's cells by column (None where empty), and each row's vertical band.

    Segments in `overflowing` (by id) are lines of one cell's text that may run under the next
    column: each stays whole, in the column where it starts."""
    n_cols = len(edges) - 1
    grid: list[list[CellRegion | None]] = []
    bands: list[tuple[float, float]] = []
    for row in rows:
        cells: list[CellRegion | None] = [None] * n_cols
        for segment in row:
            whole = id(segment) in overflowing
            for words in [list(segment.words)] if whole else _cut(segment, gutters):
                x0, x1 = words[0].x0, max(w.x1 for w in words)
                # The column its first word stands in: a header word that starts a little left of
                # the column's edge ("Infrastructure" over wide figures) still heads that column.
                anchor = x0 + min((words[0].x1 - x0) / 2, body)
                first = next(c for c in range(n_cols) if anchor < edges[c + 1] or c == n_cols - 1)
                last = first
                while not whole and last + 1 < n_cols and x1 > edges[last + 1] + 2:
                    last += 1
                existing = next(
                    (c for c in cells if c is not None and c.col <= first < c.col + c.col_span), None
                )
                if existing is not None:
                    existing.words.extend(words)
                    continue
                cell = CellRegion(
                    0, first, 1, last - first + 1, (edges[first], 0, edges[last + 1], 0), list(words)
                )
                for c in range(first, last + 1):
                    if cells[c] is None:
                        cells[c] = cell
        grid.append(cells)
        bands.append((min(s.y0 for s in row), max(s.y1 for s in row)))
    return grid, bands


def word_count(segment: Segment) -> int:
    """Words in a segment's text; Chinese and Japanese, written without spaces (and read by OCR
    a character at a time), at two characters a word."""
    count = 0
    for token in segment.text.split():
        signs = sum(1 for char in token if ideographic(char))
        count += max(1, round(signs / 2)) if signs else 1
    return count


def _prose(segments: list[Segment], n_cols: int, page_width: float) -> bool:
    widths = [s.x1 - s.x0 for s in segments]
    counts = [word_count(s) for s in segments]
    words_per_cell = statistics.median(counts)
    wordy = sum(1 for count in counts if count > 5) / len(segments)
    if n_cols == 2 and (statistics.median(widths) > 0.28 * page_width or words_per_cell > 6):
        return True
    return wordy > 0.4 or words_per_cell > 8


# Relations and operators of mathematics that tables seldom print (unlike a "<5", a "68.3 ± 1.4"
# or a "10 x 20"); Greek letters are left out too, tables of science being full of them (a mu-g).
MATH = frozenset("=≤≥≠≈≡∑∏∫∮∂∇√∞∈∉⊂⊆⊃∪∩∀∃⇒⇔↦")  # noqa: RUF001
RELATIONS = frozenset("=≤≥≈≡")


def _equations(rows: list[list[Segment]]) -> bool:
    """Whether aligned rows are a display of equations, not a table.

    A derivation set in steps lines up like a table: each step starts at the same place with
    "=" or "≤", and the right-hand sides make a second column. Its rows are led by a relation
    (a cell of its own, or the first cell's first sign) where a table's rarely are, and its
    text is dense in mathematical signs: a benchmark table's text holds at most 1.3% of them
    outside charts, a display of equations 4% to 13%.
    """
    text = "".join(s.text for row in rows for s in row).replace(" ", "")
    read = iter(read_signs([s.text for row in rows for s in row]))  # OCR's lone 二 is "=" here
    led = 0
    for row in rows:
        cells = [next(read).strip() for _ in row]
        led += cells[0][:1] in "=≈≡" or any(cell in RELATIONS for cell in cells)  # not "≥65", an age band
    share = sum(char in MATH for char in text) / len(text) if text else 0.0
    return 2 * led >= len(rows) or (share >= 0.03 and led >= 1) or share >= 0.1


def aligned_table(
    rows: list[Row],
    bounds: Box | None,
    body: float,
    page_width: float,
    above: list[Row] | None = None,
    ruled_rows: bool = False,
    below: list[Row] | None = None,
) -> TableRegion | None:
    """A table from rows whose segments line up in columns; None when they do not; a region
    marked `formula` where they are the steps of a display of equations.

    ruled_rows: rules parted the rows already, so no row is the wrapped end of the one above.
    below: rows under the table's last rule, where its totals may stand."""
    body_rows = [_merge_currency([s for s in row.segments if not s.used], body) for row in rows]
    body_rows = [row for row in body_rows if row]
    lines = len(body_rows)
    body_rows = join_overlapping(body_rows)
    if len(body_rows) < MIN_ROWS or sum(len(row) for row in body_rows) < 4:
        return None
    wrapped = wrapped_lines(body_rows, body)
    found = columns_of([row for row in body_rows if id(row[0]) not in wrapped], body, lines)
    if found is None:
        return None
    edges, gutters = found
    if len(edges) - 1 < MIN_COLS:
        return None
    multi = sum(1 for row in body_rows if len(row) >= 2)
    if multi < max(2, 0.6 * (len(body_rows) - len(wrapped))):
        return None
    segments = [s for row in body_rows for s in row]
    if _prose(segments, len(edges) - 1, page_width):
        return None
    heads = _header_rows(above or [], edges, body_rows, body)
    all_rows = heads + body_rows
    grid, bands = build(all_rows, edges, gutters, body, bounds, wrapped)
    merge_wrapped(grid, bands, body, continuations=not ruled_rows)
    resolve_headers(grid, bands, body)
    for cells, segments in _totals(below or [], edges, grid, bands, body):
        grid.append(cells)
        bands.append((min(s.y0 for s in segments), max(s.y1 for s in segments)))
        all_rows.append(segments)
    if _equations(all_rows):
        used = [s for row in all_rows for s in row]
        formula = TableRegion(box=union(s.box for s in used), n_rows=0, n_cols=0, cells=[], ruled=False)
        formula.formula, formula.segments = True, used
        return formula
    n_rows, n_cols = len(grid), len(edges) - 1
    cells: list[CellRegion] = []
    seen: set[int] = set()
    for r, row_cells in enumerate(grid):
        top = (
            bands[r][0]
            if r == 0 and bounds is None
            else (bounds[1] if r == 0 and bounds else (bands[r - 1][1] + bands[r][0]) / 2)
        )
        bottom = (
            (bands[r][1] + bands[r + 1][0]) / 2
            if r + 1 < n_rows
            else (bands[r][1] if bounds is None else max(bounds[3], bands[r][1]))
        )
        for c, cell in enumerate(row_cells):
            if cell is None:
                cells.append(CellRegion(r, c, 1, 1, (edges[c], top, edges[c + 1], bottom)))
            elif id(cell) not in seen:
                seen.add(id(cell))
                cell.row = r
                cell.box = (edges[cell.col], top, edges[cell.col + cell.col_span], bottom)
                cells.append(cell)
    used = [s for row in all_rows for s in row]
    box = union([(edges[0], bands[0][0], edges[-1], bands[-1][1]), *(s.box for s in used)])
    if bounds is not None:
        box = union([box, bounds])
    table = TableRegion(box=box, n_rows=n_rows, n_cols=n_cols, cells=cells, ruled=False)
    table.segments = used
    return table


def _header_rows(
    above: list[Row], edges: list[float], body_rows: list[list[Segment]], body: float
) -> list[list[Segment]]:
    """Up to three rows just above the table that sit within its columns: its header."""
    heads: list[list[Segment]] = []
    top = min(s.y0 for s in body_rows[0])
    left, right = edges[0] - body, edges[-1] + body
    width = edges[-1] - edges[0]
    for row in reversed(above):
        free = [s for s in row.segments if not s.used]
        if not free or len(heads) == 3 or top - row.y1 > 1.6 * body:
            break
        inside = all(left <= s.x0 and s.x1 <= right for s in free)
        prose = any(s.x1 - s.x0 > 0.6 * width and len(s.words) > 6 for s in free)
        # A lone segment heads columns only over the data (a "Year ended" banner), not at the left
        # edge, where captions and paragraphs start.
        banner = len(free) == 1 and free[0].x0 <= edges[1] - body
        if not inside or prose or banner or CAPTION.match(free[0].text):
            break
        heads.insert(0, free)
        top = row.y0
    return heads


def _totals(
    below: list[Row],
    edges: list[float],
    grid: list[list[CellRegion | None]],
    bands: list[tuple[float, float]],
    body: float,
) -> list[tuple[list[CellRegion | None], list[Segment]]]:
    """The cells and segments of the rows just under a table's last rule that total its figures
    ("Total: 25000"), as invoices set them: each ends in an amount standing in a column of
    amounts, has at most a short label before it, and follows the row above at about the
    table's row pitch.

    The label goes in the column it starts in, but left of the amount's: set right-aligned beside
    its figure, it often reaches into the figure's column."""
    if len(bands) < 2:
        return []
    centres = [(y0 + y1) / 2 for y0, y1 in bands]
    pitch = max(statistics.median(b - a for a, b in itertools.pairwise(centres)), 2 * body)
    n_cols = len(edges) - 1
    columns = [
        [cell for row in grid[1:] if (cell := row[c]) is not None and cell.col == c and cell.words]
        for c in range(n_cols)
    ]
    amounts = [
        (min(w.x0 for cell in cells for w in cell.words), max(w.x1 for cell in cells for w in cell.words))
        if len(cells) >= 2 and sum(is_number(cell.text) for cell in cells) >= 0.6 * len(cells)
        else None
        for cells in columns
    ]
    rows: list[tuple[list[CellRegion | None], list[Segment]]] = []
    last = centres[-1]
    left, right = edges[0] - body, edges[-1] + body
    for row in below:
        free = _merge_currency([s for s in row.segments if not s.used], body)
        if not free or len(rows) == 4 or (row.y0 + row.y1) / 2 - last > 1.6 * pitch:
            break
        *labels, amount = free
        column = next(
            (c for c, span in enumerate(amounts) if span and amount.x0 < span[1] and span[0] < amount.x1),
            None,
        )
        if (
            column is None
            or not is_number(amount.text)
            or len(labels) > 1
            or (labels and column == 0)
            or any(len(s.words) > 5 or is_number(s.text) for s in labels)
            or not all(left <= s.x0 and s.x1 <= right for s in free)
        ):
            break
        cells: list[CellRegion | None] = [None] * n_cols
        for segment in labels:
            anchor = segment.x0 + min((segment.words[0].x1 - segment.x0) / 2, body)
            at = min(column - 1, next(c for c in range(n_cols) if anchor < edges[c + 1] or c == n_cols - 1))
            cells[at] = CellRegion(0, at, 1, 1, (edges[at], 0, edges[at + 1], 0), list(segment.words))
        cells[column] = CellRegion(
            0, column, 1, 1, (edges[column], 0, edges[column + 1], 0), list(amount.words)
        )
        rows.append((cells, free))
        last = (row.y0 + row.y1) / 2
    return rows
