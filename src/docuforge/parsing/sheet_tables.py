"""A sheet's filled cells as blocks: islands of cells as tables, lone lines of text as titles and notes.

Pure layout, no I/O: `load/spreadsheet.py` reads workbooks and CSV files into a `Sheet`, this stage
turns it into a page's blocks. Work happens in *visible* coordinates (rows and columns the caller
excluded as hidden are taken out, so a hidden row inside a table does not cut it in two); boxes
are mapped back to the sheet's own 0-based row/column indexes, as Reducto's cell layout has them.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.utils.cell import get_column_letter

from docuforge.document.model import BBox, Block, BlockType, Cell, Document, Page, Table
from docuforge.errors import DocumentError, ErrorCode
from docuforge.load.sheet import Pos, Rect, Sheet, Workbook
from docuforge.load.sheet_drawings import Drawing
from docuforge.load.spreadsheet import read_workbook

MAX_POSITIONS = 20_000_000  # table positions (filled or not) one sheet may produce
LARGE_MERGE = 100_000  # a merge this big is formatting, not a cell: it does not join islands
HEADER_LOOKAHEAD = 20  # rows under a header row searched for numbers
TITLE_GAP = 2  # empty rows a title may leave between itself and its table


def sheet_blocks(
    sheet: Sheet,
    page: int,
    original: int,
    *,
    clustering: str = "accurate",
    bold_headers: bool = True,
    split_rows: int | None = None,
    split_cols: int | None = None,
) -> list[Block]:
    """The sheet's blocks in reading order, ids p<page>-b<index>."""
    if not sheet.grid:
        return _with_drawings([], sheet.drawings, page, original)
    regions = islands(sheet, clustering)
    if sum((b - t + 1) * (r - lf + 1) for t, lf, b, r in regions) > MAX_POSITIONS:
        raise DocumentError(
            f"the sheet's tables would span more than {MAX_POSITIONS:,} cells",
            code=ErrorCode.DOCUMENT_TOO_LARGE,
            status_code=413,
        )
    blocks: list[Block] = []

    def add(kind: BlockType, rect: Rect, **fields: object) -> Block:
        block = Block(
            id=f"p{page}-b{len(blocks)}", type=kind, bbox=_box(sheet, rect, page, original), **fields
        )
        blocks.append(block)
        return block

    for index, rect in enumerate(regions):
        for kind, part in _classify(sheet, rect, regions[index + 1 :], clustering):
            if kind is not BlockType.TABLE:
                level = 2 if kind is BlockType.SECTION_HEADER else None
                add(kind, part, content=_text(sheet, part), level=level)
                continue
            header_rows = _header_rows(sheet, part, bold_headers)
            for rows, c0, c1, box in _pieces(part, header_rows, split_rows, split_cols):
                block = add(
                    BlockType.TABLE, box, table=_table(sheet, rows, c0, c1, header_rows, page, original)
                )
                block.extra.update(_extras(sheet, rows, c0, c1))
    return _with_drawings(blocks, sheet.drawings, page, original)


def _with_drawings(blocks: list[Block], drawings: list[Drawing], page: int, original: int) -> list[Block]:
    """The blocks with each chart or picture (a Figure, then a chart's data table) set before the
    first block that starts below it; ids renumbered in that order."""
    out = list(blocks)
    for drawing in drawings:
        top, left, bottom, right = drawing.box
        box = BBox(
            left=left,
            top=top,
            width=right - left + 1,
            height=bottom - top + 1,
            page=page,
            original_page=original,
        )
        at = next((i for i, b in enumerate(out) if (b.bbox.top, b.bbox.left) > (top, left)), len(out))
        added = [Block(id="", type=BlockType.FIGURE, bbox=box, content=drawing.content)]
        if drawing.chart:
            added[0].extra["is_chart"] = True
            if drawing.data is not None:
                added.append(
                    Block(
                        id="", type=BlockType.TABLE, bbox=box, table=drawing.data, extra={"chart_data": True}
                    )
                )
        out[at:at] = added
    for index, block in enumerate(out):
        block.id = f"p{page}-b{index}"
    return out


def islands(sheet: Sheet, clustering: str) -> list[Rect]:
    """Rectangles of the sheet's tables, top to bottom then left to right."""
    rows = [r for r, _ in sheet.grid]
    cols = [c for _, c in sheet.grid]
    if clustering == "disabled":
        return [(min(rows), min(cols), max(rows), max(cols))]
    filled = set(sheet.grid)
    for (r, c), (down, across) in sheet.merges.items():
        if down * across <= LARGE_MERGE:  # a merged cell joins what it covers
            filled.update((rr, cc) for rr in range(r, r + down) for cc in range(c, c + across))
    # Connected components over runs of adjacent filled cells in a row, not over single cells:
    # two runs in neighbouring rows touch when they overlap or meet at a corner (8-neighbourhood).
    by_row: dict[int, list[int]] = {}
    for r, c in filled:
        by_row.setdefault(r, []).append(c)
    runs: list[tuple[int, int, int]] = []  # (row, first col, last col)
    row_runs: dict[int, range] = {}
    for r in sorted(by_row):
        cols = sorted(by_row[r])
        first = len(runs)
        begin = prev = cols[0]
        for c in cols[1:]:
            if c != prev + 1:
                runs.append((r, begin, prev))
                begin = c
            prev = c
        runs.append((r, begin, prev))
        row_runs[r] = range(first, len(runs))
    parent = list(range(len(runs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r, current in row_runs.items():
        above = row_runs.get(r - 1)
        if above is None:
            continue
        i, j = current.start, above.start
        while i < current.stop and j < above.stop:  # both sorted by column: a merge-like walk
            _, a0, a1 = runs[i]
            _, b0, b1 = runs[j]
            if a0 <= b1 + 1 and b0 <= a1 + 1:
                parent[root(i)] = root(j)
            if a1 < b1:
                i += 1
            else:
                j += 1
    extents: dict[int, list[int]] = {}
    for i, (r, c0, c1) in enumerate(runs):
        box = extents.setdefault(root(i), [r, c0, r, c1])
        box[0], box[1], box[2], box[3] = min(box[0], r), min(box[1], c0), max(box[2], r), max(box[3], c1)
    boxes = list(extents.values())
    return [(t, lf, b, r) for t, lf, b, r in _merge_overlapping(boxes)]


def _merge_overlapping(boxes: list[list[int]]) -> list[list[int]]:
    """Join rectangles that overlap (an island wrapped around another) until none do."""
    changed = True
    while changed:
        changed = False
        boxes.sort()
        for i, a in enumerate(boxes):
            for j in range(i + 1, len(boxes)):
                b = boxes[j]
                if b[0] > a[2]:  # sorted by top: nothing further down can overlap a
                    break
                if a[1] <= b[3] and b[1] <= a[3]:
                    boxes[i] = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
                    del boxes[j]
                    changed = True
                    break
            if changed:
                break
    return sorted(boxes)


def _classify(sheet: Sheet, rect: Rect, later: list[Rect], clustering: str) -> list[tuple[BlockType, Rect]]:
    """What an island is: a table, or ("accurate") a title over a table, a title, or a note."""
    if clustering != "accurate":
        return [(BlockType.TABLE, rect)]
    top, left, bottom, right = rect
    out: list[tuple[BlockType, Rect]] = []
    if bottom > top and right > left:
        first = [c for c in range(left, right + 1) if (top, c) in sheet.grid]
        if len(first) == 1 and (top, first[0]) not in sheet.numbers:
            across = sheet.merges.get((top, first[0]), (1, 1))[1]
            # A lone cell at the island's left edge, or one merged across its width, is its title.
            if first[0] == left or across >= right - left + 1:
                out.append((BlockType.SECTION_HEADER, (top, left, top, right)))
                top += 1
    body = (top, left, bottom, right)
    cells = cells_in(sheet, body)
    textual = not any(p in sheet.numbers for p in cells)
    if len(cells) == 1 and not out:
        below = any(
            bottom < t <= bottom + TITLE_GAP + 1 and lf <= right and r >= left for t, lf, _, r in later
        )
        kind = BlockType.SECTION_HEADER if below and textual else BlockType.TEXT
        out.append((kind, body))
    elif left == right and textual:
        out.append((BlockType.TEXT, body))
    else:
        out.append((BlockType.TABLE, body))
    return out


def cells_in(sheet: Sheet, rect: Rect) -> list[Pos]:
    """Filled cells inside rect, row by row: walking whichever is smaller, the rect or the grid."""
    top, left, bottom, right = rect
    if (bottom - top + 1) * (right - left + 1) <= len(sheet.grid):
        return [
            (r, c) for r in range(top, bottom + 1) for c in range(left, right + 1) if (r, c) in sheet.grid
        ]
    return sorted(p for p in sheet.grid if top <= p[0] <= bottom and left <= p[1] <= right)


def _text(sheet: Sheet, rect: Rect) -> str:
    cells = cells_in(sheet, rect)
    lines: dict[int, list[str]] = {}
    for r, c in cells:
        lines.setdefault(r, []).append(sheet.grid[(r, c)])
    return "\n".join(" ".join(parts) for _, parts in sorted(lines.items()))


def _header_rows(sheet: Sheet, rect: Rect, bold_headers: bool) -> int:
    """Rows at the top of a table that are its header: text over numbers, or bold (0 if none)."""
    top, left, bottom, right = rect
    first = [(top, c) for c in range(left, right + 1) if (top, c) in sheet.grid]
    if bottom == top or not first or any(p in sheet.numbers for p in first):
        return 0
    # A header cell merged down over two rows makes a two-row header (group over sub-headings).
    depth = max(sheet.merges.get(p, (1, 1))[0] for p in first)
    depth = max(1, min(depth, bottom - top))
    header = cells_in(sheet, (top, left, top + depth - 1, right))
    if any(p in sheet.numbers for p in header):
        return 0
    numbers_below = any(
        (r, c) in sheet.numbers
        for r in range(top + depth, min(bottom, top + depth + HEADER_LOOKAHEAD) + 1)
        for c in range(left, right + 1)
    )
    bold = bold_headers and all(p in sheet.bold for p in first)
    return depth if numbers_below or bold else 0


def _pieces(
    rect: Rect, header_rows: int, split_rows: int | None, split_cols: int | None
) -> list[tuple[list[int], int, int, Rect]]:
    """(rows, first col, last col, box) of each piece: at most split_rows data rows under the header."""
    top, left, bottom, right = rect
    header = list(range(top, top + header_rows))
    body_top = top + header_rows
    row_step = split_rows if split_rows and split_rows > 0 else bottom - top + 1
    col_step = split_cols if split_cols and split_cols > 0 else right - left + 1
    out = []
    for c0 in range(left, right + 1, col_step):
        c1 = min(right, c0 + col_step - 1)
        for r0 in range(body_top, bottom + 1, row_step):
            r1 = min(bottom, r0 + row_step - 1)
            # The first piece's box starts at the header; later ones repeat it but start at their rows.
            box_top = top if r0 == body_top else r0
            out.append((header + list(range(r0, r1 + 1)), c0, c1, (box_top, c0, r1, c1)))
        if body_top > bottom:
            out.append((header, c0, c1, (top, c0, bottom, c1)))
    return out


def _table(
    sheet: Sheet, rows: list[int], c0: int, c1: int, header_rows: int, page: int, original: int
) -> Table:
    """The cells of rows x c0..c1, spans clipped to the piece; a merge cut by a split repeats its text."""
    index = {r: k for k, r in enumerate(rows)}
    top, bottom = rows[0], rows[-1]
    cover: dict[Pos, Pos] = {}
    for (r, c), (down, across) in sheet.merges.items():
        if r <= bottom and r + down > top and c <= c1 and c + across > c0:
            for rr in range(max(r, top), min(r + down, bottom + 1)):
                if rr in index:
                    for cc in range(max(c, c0), min(c + across, c1 + 1)):
                        cover[(rr, cc)] = (r, c)
    taken: set[Pos] = set()
    cells: list[Cell] = []
    sheet_rows = [sheet.row(r) for r in rows]  # the sheet's own indexes, for the cells' boxes
    sheet_cols = {c: sheet.col(c) for c in range(c0, c1 + 1)}
    for k, r in enumerate(rows):
        for c in range(c0, c1 + 1):
            if (r, c) in taken:
                continue
            anchor = cover.get((r, c))
            down = across = 1
            if anchor is not None:
                a_down, a_across = sheet.merges[anchor]
                while k + down < len(rows) and rows[k + down] < anchor[0] + a_down:
                    down += 1
                across = min(anchor[1] + a_across, c1 + 1) - c
                taken.update((rows[k + d], c + a) for d in range(down) for a in range(across))
            text = sheet.grid.get(anchor or (r, c), "")
            first_row, first_col = sheet_rows[k], sheet_cols[c]
            box = BBox(
                left=first_col,
                top=first_row,
                width=sheet_cols[c + across - 1] - first_col + 1,
                height=sheet_rows[k + down - 1] - first_row + 1,
                page=page,
                original_page=original,
            )
            cells.append(
                Cell(
                    row=k,
                    col=c - c0,
                    row_span=down,
                    col_span=across,
                    text=text,
                    bbox=box,
                    header=k < header_rows,
                )
            )
    return Table(n_rows=len(rows), n_cols=c1 - c0 + 1, cells=cells)


def _extras(sheet: Sheet, rows: list[int], c0: int, c1: int) -> dict[str, object]:
    """Formulas, colours and dropdowns of the cells in a piece, keyed by the sheet's A1 references."""
    wanted = set(rows)
    out: dict[str, object] = {}
    for name, values in sheet.cell_extras.items():
        inside = {
            f"{get_column_letter(sheet.col(c) + 1)}{sheet.row(r) + 1}": value
            for (r, c), value in sorted(values.items())
            if r in wanted and c0 <= c <= c1
        }
        if inside:
            out[name] = inside
    dropdowns: dict[str, list[str]] = {}
    for (top, left, bottom, right), options in sheet.dropdowns:
        hit = [r for r in rows if top <= r <= bottom]
        lo, hi = max(left, c0), min(right, c1)
        if hit and lo <= hi:
            first = f"{get_column_letter(sheet.col(lo) + 1)}{sheet.row(hit[0]) + 1}"
            last = f"{get_column_letter(sheet.col(hi) + 1)}{sheet.row(hit[-1]) + 1}"
            dropdowns[first if first == last else f"{first}:{last}"] = options
    if dropdowns:
        out["dropdowns"] = dropdowns
    return out


def _box(sheet: Sheet, rect: Rect, page: int, original: int) -> BBox:
    top, left, bottom, right = rect
    first_row, first_col = sheet.row(top), sheet.col(left)
    return BBox(
        left=first_col,
        top=first_row,
        width=sheet.col(right) - first_col + 1,
        height=sheet.row(bottom) - first_row + 1,
        page=page,
        original_page=original,
    )


CLUSTERING = ("accurate", "fast", "disabled")


def sheet_pages(
    workbook: Workbook,
    *,
    clustering: str = "accurate",
    bold_headers: bool = True,
    split_rows: int | None = None,
    split_cols: int | None = None,
) -> Document:
    """The workbook's Document: a page per chosen sheet, its tables, titles and notes found."""
    document = workbook.document
    for number, (original, name, sheet) in enumerate(workbook.sheets, start=1):
        blocks = sheet_blocks(
            sheet,
            number,
            original,
            clustering=clustering,
            bold_headers=bold_headers,
            split_rows=split_rows,
            split_cols=split_cols,
        )
        document.pages.append(
            Page(
                number=number,
                original_number=original,
                width=sheet.width,
                height=sheet.height,
                name=name,
                blocks=blocks,
            )
        )
    return document


def read_spreadsheet(
    source: Path | bytes,
    kind: str,
    *,
    sheets: list[str] | None = None,
    pages: list[int] | None = None,
    clustering: str = "accurate",
    exclude: frozenset[str] = frozenset(),
    include: frozenset[str] = frozenset(),
    max_cell_count: int | None = None,
    split_tables: bool = True,
    split_rows: int | None = 50,
    split_cols: int | None = None,
) -> Document:
    """The Document of a workbook or a CSV/TSV file: one page per chosen sheet, in workbook order.

    `sheets` (names) and `pages` (0-based sheet indexes) choose sheets; given both, either chooses.
    """
    if clustering not in CLUSTERING:
        raise DocumentError(
            f"clustering must be one of {', '.join(CLUSTERING)}",
            code=ErrorCode.INVALID_CONFIG,
            status_code=400,
        )
    workbook = read_workbook(
        source,
        kind,
        sheets=sheets,
        pages=pages,
        exclude=exclude,
        include=include,
        max_cell_count=max_cell_count,
    )
    return sheet_pages(
        workbook,
        clustering=clustering,
        bold_headers="styling" not in exclude,
        split_rows=split_rows if split_tables else None,
        split_cols=split_cols if split_tables else None,
    )
