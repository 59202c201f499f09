"""Ruled tables: drawn lines that meet form a grid; a missing line between two cells merges them.

Rules come from thin paths and from the edges of rectangles. Rules that touch make a network;
a network with at least two rows and two columns is a grid. Tables often have no outer
vertical border, so the grid reaches as far as its horizontal rules. Horizontal rules with no
vertical ones (the booktabs style) are handed back for the text-aligned finder.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from docuforge.document.geometry import center_in
from docuforge.document.raw import RawPage, RawWord
from docuforge.parsing.cells import CellRegion, TableRegion, is_number
from docuforge.parsing.mechanisms import MECHANISMS

SNAP = 2.0  # points: rules closer than this are the same rule
MIN_ROWS = 2
MIN_COLS = 2


@dataclass
class Rule:
    horizontal: bool
    at: float  # y for horizontal rules, x for vertical ones
    start: float
    end: float


def _rules(page: RawPage) -> list[Rule]:
    rules: list[Rule] = []
    for x0, y0, x1, y1 in page.hrules:
        rules.append(Rule(True, (y0 + y1) / 2, x0, x1))
    for x0, y0, x1, y1 in page.vrules:
        rules.append(Rule(False, (x0 + x1) / 2, y0, y1))
    page_area = page.width * page.height
    rects = [r for r in page.rects if (r[2] - r[0]) * (r[3] - r[1]) <= 0.5 * page_area]
    for x0, y0, x1, y1 in rects:
        # A rectangle's edges are rules, unless it is a page-sized background or a highlight
        # behind a few words inside a bigger box (a cell's own rectangle draws the cell).
        if any(_inside((x0, y0, x1, y1), other) for other in rects):
            continue
        rules.append(Rule(True, y0, x0, x1))
        rules.append(Rule(True, y1, x0, x1))
        rules.append(Rule(False, x0, y0, y1))
        rules.append(Rule(False, x1, y0, y1))
    return _merge_collinear(rules)


def _inside(inner: tuple[float, float, float, float], outer: tuple[float, float, float, float]) -> bool:
    if inner == outer:
        return False
    contained = (
        inner[0] >= outer[0] - 0.5
        and inner[1] >= outer[1] - 0.5
        and inner[2] <= outer[2] + 0.5
        and inner[3] <= outer[3] + 0.5
    )
    area_inner = (inner[2] - inner[0]) * (inner[3] - inner[1])
    area_outer = (outer[2] - outer[0]) * (outer[3] - outer[1])
    return contained and area_inner < 0.6 * area_outer


def _merge_collinear(rules: list[Rule]) -> list[Rule]:
    merged: list[Rule] = []
    for horizontal in (True, False):
        same = sorted((r for r in rules if r.horizontal == horizontal), key=lambda r: (r.at, r.start))
        for rule in same:
            for other in reversed(merged[-8:]):
                if (
                    other.horizontal == horizontal
                    and abs(other.at - rule.at) <= SNAP / 2
                    and rule.start <= other.end + SNAP
                    and rule.end >= other.start - SNAP
                ):
                    other.start, other.end = min(other.start, rule.start), max(other.end, rule.end)
                    break
            else:
                merged.append(Rule(horizontal, rule.at, rule.start, rule.end))
    return merged


def _touch(h: Rule, v: Rule) -> bool:
    return h.start - SNAP <= v.at <= h.end + SNAP and v.start - SNAP <= h.at <= v.end + SNAP


def _networks(rules: list[Rule]) -> list[list[Rule]]:
    """Groups of rules connected by crossings (union-find)."""
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    horizontals = [i for i, r in enumerate(rules) if r.horizontal]
    verticals = [i for i, r in enumerate(rules) if not r.horizontal]
    verticals.sort(key=lambda i: rules[i].at)
    for i in horizontals:
        h = rules[i]
        for j in verticals:
            v = rules[j]
            if v.at < h.start - SNAP:
                continue
            if v.at > h.end + SNAP:
                break
            if _touch(h, v):
                parent[find(i)] = find(j)
    groups: dict[int, list[Rule]] = {}
    for i in range(len(rules)):
        groups.setdefault(find(i), []).append(rules[i])
    return list(groups.values())


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= SNAP:
            out[-1] = (out[-1] + value) / 2
        else:
            out.append(value)
    return out


def _covered(rules: list[Rule], horizontal: bool, at: float, start: float, end: float) -> bool:
    """Is there a rule along this cell edge (most of its length)?"""
    need = (end - start) * 0.6
    got = 0.0
    for rule in rules:
        if rule.horizontal == horizontal and abs(rule.at - at) <= SNAP:
            got += max(0.0, min(end, rule.end) - max(start, rule.start))
    return got >= need


def _grid(network: list[Rule], words: list[RawWord]) -> TableRegion | None:
    ys = _cluster([r.at for r in network if r.horizontal])
    xs = _cluster([r.at for r in network if not r.horizontal])
    # Tables often have no outer vertical border: the horizontal rules reach past the last
    # vertical one, and so does the table. Likewise above and below.
    left = min(r.start for r in network if r.horizontal)
    right = max(r.end for r in network if r.horizontal)
    top = min(r.start for r in network if not r.horizontal)
    bottom = max(r.end for r in network if not r.horizontal)
    if xs and left < xs[0] - 3 * SNAP:
        xs.insert(0, left)
    if xs and right > xs[-1] + 3 * SNAP:
        xs.append(right)
    if ys and top < ys[0] - 3 * SNAP:
        ys.insert(0, top)
    if ys and bottom > ys[-1] + 3 * SNAP:
        ys.append(bottom)
    if len(ys) < MIN_ROWS + 1 or len(xs) < MIN_COLS + 1:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    # Union neighbouring grid cells where no rule separates them.
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not _covered(network, False, xs[c + 1], ys[r], ys[r + 1]):
                parent[find(r * n_cols + c)] = find(r * n_cols + c + 1)
            if r + 1 < n_rows and not _covered(network, True, ys[r + 1], xs[c], xs[c + 1]):
                parent[find(r * n_cols + c)] = find((r + 1) * n_cols + c)
    spans: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            spans.setdefault(find(r * n_cols + c), []).append((r, c))
    cells: list[CellRegion] = []
    taken: set[tuple[int, int]] = set()
    for members in sorted(spans.values(), key=min):
        r0, c0 = min(m[0] for m in members), min(m[1] for m in members)
        r1, c1 = max(m[0] for m in members), max(m[1] for m in members)
        block = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        if block & taken:
            # A merge that is not rectangular: keep what is left as single cells.
            for r, c in members:
                if (r, c) not in taken:
                    taken.add((r, c))
                    cells.append(CellRegion(r, c, 1, 1, (xs[c], ys[r], xs[c + 1], ys[r + 1])))
            continue
        taken |= block
        cells.append(CellRegion(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    box = (xs[0], ys[0], xs[-1], ys[-1])
    table = TableRegion(box=box, n_rows=n_rows, n_cols=n_cols, cells=cells, ruled=True)
    _fill(table, words)
    _split_spans_by_words(table, xs)
    table = _split_text_rows(table)
    filled = sum(1 for cell in table.cells if cell.words)
    # Boxes around a paragraph or a form are not tables: a table has content in several cells.
    if filled < 2 or (n_rows * n_cols > 4 and filled < 0.15 * len(cells)):
        return None
    if _through_letters(network, [word for cell in table.cells for word in cell.words]):
        return None
    return table


def _through_letters(network: list[Rule], words: list[RawWord]) -> bool:
    """Whether the grid's rules are strokes of big letters rather than lines between cells.

    On a scan, the bars of large type (a headline's 合, a slogan's F) are long and straight
    enough to be taken for rules, and a few of them make a grid with a letter in each cell. A
    table's rules run between its words, never through the middle of one (the central three
    fifths of its box both ways, clear of underlines and of a cell's tight border).
    """
    # A rule read as text ("|", "—", "~" where Tesseract reads the rule itself) sits on it.
    words = [word for word in words if any(char.isalnum() for char in word.text)]
    crossed = 0
    for word in words:
        dx, dy = 0.2 * (word.x1 - word.x0), 0.2 * (word.y1 - word.y0)
        x0, y0, x1, y1 = word.x0 + dx, word.y0 + dy, word.x1 - dx, word.y1 - dy
        if any(
            (y0 < rule.at < y1 and rule.start < x1 and rule.end > x0)
            if rule.horizontal
            else (x0 < rule.at < x1 and rule.start < y1 and rule.end > y0)
            for rule in network
        ):
            crossed += 1
    return bool(words) and 2 * crossed >= len(words)


def _split_spans_by_words(table: TableRegion, xs: list[float]) -> None:
    """A cell spanning columns whose words sit one group per column, with no word across a
    column line, is really separate cells (a header row drawn without vertical rules)."""
    for cell in list(table.cells):
        if cell.col_span < 2 or cell.row_span != 1 or not cell.words:
            continue
        if any(
            w.x0 < xs[c] - 1 < xs[c] + 1 < w.x1
            for w in cell.words
            for c in range(cell.col + 1, cell.col + cell.col_span)
        ):
            continue
        groups: dict[int, list[RawWord]] = {}
        for word in cell.words:
            middle = (word.x0 + word.x1) / 2
            column = max(
                c for c in range(cell.col, cell.col + cell.col_span) if xs[c] <= middle or c == cell.col
            )
            groups.setdefault(column, []).append(word)
        if len(groups) < 2:
            continue
        table.cells.remove(cell)
        for column in range(cell.col, cell.col + cell.col_span):
            box = (xs[column], cell.box[1], xs[column + 1], cell.box[3])
            table.cells.append(CellRegion(cell.row, column, 1, 1, box, groups.get(column, []), cell.header))


def _lines_of(words: list[RawWord]) -> list[tuple[float, float]]:
    """The vertical bands of a cell's text lines."""
    bands: list[tuple[float, float]] = []
    for word in sorted(words, key=lambda w: w.y0):
        if bands and word.y0 < bands[-1][1] - 0.3 * (word.y1 - word.y0):
            bands[-1] = (bands[-1][0], max(bands[-1][1], word.y1))
        else:
            bands.append((word.y0, word.y1))
    return bands


def _split_text_rows(table: TableRegion) -> TableRegion:
    """Split a ruled row whose cells hold k aligned lines into k rows (rules only every k rows).

    The lines of the row's multi-line cells set k bands; a cell with fewer lines (an empty entry
    in one of the rows) puts each line in the band it sits on. A single line that sits on no band
    (a group label centred beside the rows) spans them all.
    """
    row_bands: dict[int, list[tuple[float, float]]] = {}
    for r in range(table.n_rows):
        filled = [c for c in table.cells if c.row == r and c.row_span == 1 and c.words]
        counts = [len(_lines_of(c.words)) for c in filled]
        multi = [c for c, n in zip(filled, counts, strict=True) if n >= 2]
        if len(multi) < 2:
            continue
        # A header row of words set on several lines ("Share of" over "total output") is one row
        # of headers: the lines of a row ruled every k rows hold figures.
        if r == 0 and MECHANISMS.header_spans and not any(is_number(c.text) for c in filled):
            continue
        bands = _lines_of([w for c in multi for w in c.words])
        full = sum(1 for n in counts if n == len(bands))
        if full >= max(2, len(multi) // 2) and max(counts) == len(bands):
            row_bands[r] = bands
    if not row_bands:
        return table
    row_map: dict[int, tuple[int, int]] = {}  # old row -> (first new row, count)
    next_row = 0
    for r in range(table.n_rows):
        count = len(row_bands.get(r, ())) or 1
        row_map[r] = (next_row, count)
        next_row += count
    new_cells: list[CellRegion] = []
    for cell in table.cells:
        first, count = row_map[cell.row]
        last_first, last_count = row_map[cell.row + cell.row_span - 1]
        bands = row_bands.get(cell.row, []) if cell.row_span == 1 else []
        if not bands:
            span = last_first + last_count - first
            new_cells.append(CellRegion(first, cell.col, span, cell.col_span, cell.box, cell.words))
            continue
        edges = [cell.box[1], *[(a[1] + b[0]) / 2 for a, b in itertools.pairwise(bands)], cell.box[3]]
        lines = _lines_of(cell.words)
        if len(lines) == 1 and not any(_on_band(lines[0], band) for band in bands):
            new_cells.append(CellRegion(first, cell.col, count, cell.col_span, cell.box, cell.words))
            continue
        for k in range(count):
            words = [w for w in cell.words if edges[k] <= (w.y0 + w.y1) / 2 < edges[k + 1]]
            box = (cell.box[0], edges[k], cell.box[2], edges[k + 1])
            new_cells.append(CellRegion(first + k, cell.col, 1, cell.col_span, box, words))
    return TableRegion(box=table.box, n_rows=next_row, n_cols=table.n_cols, cells=new_cells, ruled=True)


def _on_band(line: tuple[float, float], band: tuple[float, float]) -> bool:
    return abs((line[0] + line[1]) / 2 - (band[0] + band[1]) / 2) < 0.3 * (band[1] - band[0])


def _fill(table: TableRegion, words: list[RawWord]) -> None:
    """Each word into the cell holding its centre. Cells are bucketed on a coarse grid first: a
    dense statistical table has thousands of cells and thousands of words."""
    step = 16.0
    buckets: dict[tuple[int, int], list[CellRegion]] = {}
    for cell in table.cells:
        x0, y0, x1, y1 = cell.box
        for bx in range(int(x0 // step), int(x1 // step) + 1):
            for by in range(int(y0 // step), int(y1 // step) + 1):
                buckets.setdefault((bx, by), []).append(cell)
    for word in words:
        cx, cy = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
        for cell in buckets.get((int(cx // step), int(cy // step)), ()):
            if center_in(cell.box, word.box):
                cell.words.append(word)
                break


def _adopt_border_rules(networks: list[list[Rule]]) -> list[list[Rule]]:
    """A lone horizontal rule just above or below a grid, as wide as it, is the grid's border
    (a top rule over the header row, say): it joins that grid."""
    grids = [n for n in networks if any(not r.horizontal for r in n) and sum(r.horizontal for r in n) >= 2]
    singles = [n for n in networks if len(n) == 1 and n[0].horizontal]
    for grid in grids:
        left = min(r.start for r in grid if r.horizontal)
        right = max(r.end for r in grid if r.horizontal)
        top = min(r.at for r in grid if r.horizontal)
        bottom = max(r.at for r in grid if r.horizontal)
        for single in list(singles):
            rule = single[0]
            same_width = abs(rule.start - left) <= 3 * SNAP and abs(rule.end - right) <= 3 * SNAP
            near = top - 40 <= rule.at < top - SNAP or bottom + SNAP < rule.at <= bottom + 40
            if same_width and near:
                grid.append(rule)
                singles.remove(single)
                networks.remove(single)
    return networks


def page_rules(page: RawPage) -> list[Rule]:
    """Every rule drawn on the page, rectangles' edges included."""
    return _rules(page)


def ruled_tables(page: RawPage, rules: list[Rule] | None = None) -> tuple[list[TableRegion], list[Rule]]:
    """Grid tables, and the horizontal rules that formed no grid (for booktabs-style tables).
    rules: the page's rules, where `page_rules` read them already."""
    tables: list[TableRegion] = []
    loose: list[Rule] = []
    for network in _adopt_border_rules(_networks(list(rules) if rules is not None else _rules(page))):
        horizontals = sum(r.horizontal for r in network)
        table = _grid(network, page.words) if 2 <= horizontals < len(network) else None
        if table is not None:
            tables.append(table)
        elif horizontals == len(network):
            loose.extend(network)
    return tables, loose
