"""A statement's line items read from its pages' rows: columns, headers into periods, labels, levels,
values, notes, citations; then totals and checks."""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from docuforge.finance.labels import clean_label, normalise
from docuforge.finance.levels import indent_levels, indented, structural_levels
from docuforge.finance.model import (
    CellRef,
    Check,
    Citation,
    Detection,
    Statement,
    StatementLine,
    StatementType,
)
from docuforge.finance.numbers import (
    CURRENCY_SYMBOLS,
    find_currency,
    find_scale,
    guess_decimal_mark,
    is_amount,
    parse_amount,
)
from docuforge.finance.periods import parse_period
from docuforge.finance.repair import repair
from docuforge.finance.rows import Row, RowOptions, Token
from docuforge.finance.validate import Structure, checks, find_structure

_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(\s|,|$)", re.I)
_NOTE_TOKEN = re.compile(r"^\d{1,2}(\.\d{1,2})?[a-z]?$|^\d{1,2}[a-z]?(,\d{1,2}[a-z]?)+$")
_MARK_LOOKALIKES = frozenset({"f", "S", "E", "C", "e"})  # how OCR misreads a lone £, $ or €
_DECIMALS = re.compile(r"\d[.,]\d{1,2}\)?[-\u2212]?\*?$")  # 1,234.5 or (12,3): a number with decimals
_YEAR = re.compile(r"^(FY)?(19|20)\d{2}[*]?$|^Q[1-4]$", re.I)
_TITLE_WORDS = re.compile(
    r"thousand|million|billion|statement|balance sheet|'000|^\(?in [a-z.]+|"
    r"\b(dollars|euros|pounds|francs|sterling|yen)\b",
    re.I,
)
_COMPANY = re.compile(
    r"\b(inc|corp|corporation|co|company|plc|ltd|limited|llc|ag|se|sa|s\.a|n\.v|nv|gmbh|group|"
    r"holdings|bank|trust)\b\.?",
    re.I,
)


class ReadOptions(BaseModel):
    """How statements are read; each heuristic can be switched off to measure what it buys."""

    rows: RowOptions = Field(default_factory=RowOptions)
    notes_column: bool = Field(
        True, description="Recognise a column of note references between labels and values."
    )
    indentation_levels: bool = Field(True, description="Levels from the labels' indentation.")
    structural_levels: bool = Field(
        True,
        description="Without indentation, levels from section headers and the Total lines that close them.",
    )
    sum_totals: bool = Field(True, description="A line that adds up the lines above it is a total.")
    bold_totals: bool = Field(True, description="A bold line with values is a total.")
    keyword_totals: bool = Field(
        True, description='"Total ...", "Net cash ...", "Gross profit" lines are totals.'
    )
    wrap_labels: bool = Field(True, description="Join a label that wraps onto the next row.")
    ocr_separators: bool = Field(
        True,
        description="Where a statement prints no decimals, an OCR-read 87.982 is 87,982 (a comma read as "
        "a point, or the reverse).",
    )
    lost_dashes: bool = Field(
        True,
        description="On a scanned page, a label-only line among indented siblings with values, heading no "
        "deeper line, reads 0 in every column (its dashes were lost).",
    )
    wrap_below_values: bool = Field(
        True,
        description="Join a label-only row set tight under a line with values (values on the first row).",
    )
    blank_as_zero: bool = Field(
        True, description="A line with values that has none in a column reads 0 there (a dash OCR lost)."
    )
    repair_misreads: bool = Field(
        True,
        description="Repair an OCR-read value when one changed digit (or sign) is the only reading that "
        "makes the sums it enters add up (never a value from a text layer).",
    )
    column_tolerance: float = Field(
        0.02, description="How far (share of page width) a column's right edges spread."
    )


@dataclass
class _Line:
    label: str
    x0: float
    bold: bool
    page: int
    box: tuple[float, float, float, float]
    values: dict[int, tuple[str, tuple[float, float, float, float]]] = field(default_factory=dict)
    note: str | None = None
    currency_marks: list[str] = field(default_factory=list)
    read_by_ocr: set[int] = field(default_factory=set)  # value columns whose words OCR read
    height: float = 0.0  # the label words' height
    ocr: bool = False  # its words were read by OCR


@dataclass
class _Column:
    right: float
    left: float
    notes: bool = False


def read_statement(
    pages: list[list[Row]], detection: Detection, options: ReadOptions | None = None
) -> Statement:
    """The statement on these pages (rows per page, as rows.page_rows gives them)."""
    options = options or ReadOptions()
    lines: list[_Line] = []
    labels: list[str] | None = None
    title_text: list[str] = []
    for rows in pages:
        columns = _columns(rows, options)
        if not columns:
            continue
        headers, first, last, heading_rows = _frame(rows, columns)
        title_text.extend(r.text for r in rows[:heading_rows])
        page_labels = _period_labels(headers, columns)
        if labels is None:
            labels = page_labels
        lines.extend(_lines(rows[first : last + 1], columns, options))
    value_columns = len(labels or [])
    labels = labels or []
    if options.wrap_labels:
        lines = _join_wrapped(lines, options.wrap_below_values)
    texts = [text for line in lines for text, _ in line.values.values()]
    decimal = guess_decimal_mark(texts)
    whole = options.ocr_separators and not any(_DECIMALS.search(t) for t in texts)
    periods = _unique([lab or f"Column {i + 1}" for i, lab in enumerate(labels)])
    out: list[StatementLine] = []
    bold: list[bool] = []
    lost = _dashes_lost(lines) if options.lost_dashes and options.blank_as_zero else set()
    for k, line in enumerate(lines):
        values: dict[str, float | None] = {}
        cells: dict[str, CellRef] = {}
        for col, (text, box) in sorted(line.values.items()):
            if col >= value_columns:
                continue
            value = parse_amount(text, decimal)
            if whole and value is not None and col in line.read_by_ocr and not float(value).is_integer():
                # the statement prints no decimals: a separator OCR read as the other one groups thousands
                other = parse_amount(text, "," if decimal == "." else ".")
                value = other if other is not None and float(other).is_integer() else value
            values[periods[col]] = value
            cells[periods[col]] = CellRef(page=line.page, bbox=_bbox(box))
        for p in periods:
            values.setdefault(p, 0.0 if (line.values and options.blank_as_zero) or k in lost else None)
        values = {p: values[p] for p in periods}
        label, note = clean_label(line.label)
        if not label and not line.values:
            continue
        citation = Citation(page=line.page, bbox=_bbox(line.box), values=cells)
        out.append(StatementLine(label=label, values=values, note=line.note or note, citation=citation))
        bold.append(line.bold)
    kept = [line for line in lines if clean_label(line.label)[0] or line.values]
    if options.indentation_levels:
        indent_levels(out, [line.x0 for line in kept])

    def structure_of() -> Structure:
        return find_structure(
            out,
            periods,
            sum_totals=options.sum_totals,
            keywords=options.keyword_totals,
            bold=bold if options.bold_totals else None,
        )

    statement_type = detection.statement_type or StatementType.INCOME_STATEMENT
    structure = structure_of()
    repairs: list[Check] = []
    if options.repair_misreads:
        ocr_cells = {
            (i, periods[c]) for i, line in enumerate(kept) for c in line.read_by_ocr if c < len(periods)
        }
        for _ in range(2):  # a repaired total can reveal the group a misread hid
            fixed = repair(out, periods, structure, statement_type, ocr_cells)
            if not fixed:
                break
            repairs.extend(fixed)
            structure = structure_of()
    if options.structural_levels and not (
        options.indentation_levels and indented([line.x0 for line in lines if line.label])
    ):
        structural_levels(out)
    found = checks(out, periods, structure, statement_type) + repairs
    header_text = "\n".join(title_text)
    scale, _ = find_scale(header_text)
    currency, _ = find_currency(header_text)
    if currency is None:
        marks = [m for line in lines for m in line.currency_marks]
        currency = CURRENCY_SYMBOLS.get(marks[0]) if marks else None
    verified = [c for c in found if c.kind != "ocr_repair"]
    passed = sum(c.ok for c in verified)
    share = passed / len(verified) if verified else 0.5
    return Statement(
        statement_type=statement_type,
        company=_company(title_text, detection.title),
        currency=currency,
        scale=scale if scale in (1, 1000, 1_000_000) else 1,
        periods=periods,
        lines=out,
        checks=found,
        title=detection.title,
        pages=detection.pages,
        period_details=[parse_period(p) for p in periods],
        confidence=round(detection.confidence * (0.5 + 0.5 * share), 4),
        evidence=detection.evidence,
    )


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        n = seen.get(label, 0)
        seen[label] = n + 1
        out.append(label if n == 0 else f"{label} ({n + 1})")
    return out


def _bbox(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (round(box[0], 5), round(box[1], 5), round(box[2] - box[0], 5), round(box[3] - box[1], 5))


def _trailing_amounts(row: Row) -> list[Token]:
    """The numbers that end a row, right to left (a year closing the label stays with the label)."""
    out: list[Token] = []
    tokens = row.tokens
    for k in range(len(tokens) - 1, -1, -1):
        token = tokens[k]
        if not (is_amount(token.text) or token.text in CURRENCY_SYMBOLS or token.text in (")", "*")):
            if (
                token.text in _MARK_LOOKALIKES
                and token.confidence < 1.0
                and out
                and k > 0
                and (is_amount(tokens[k - 1].text) or tokens[k - 1].text in CURRENCY_SYMBOLS)
            ):
                out.append(token)  # a currency sign OCR read as a letter, between two amounts
                continue
            break
        if _YEAR.match(token.text) and k > 0 and not is_amount(tokens[k - 1].text):
            char = (token.box[2] - token.box[0]) / max(1, len(token.text))
            if token.box[0] - tokens[k - 1].box[2] < 2.5 * char:
                break  # "Balance at December 31, 2023": a word's width away from the label's words
        out.append(token)
    return out


def _columns(rows: list[Row], options: ReadOptions) -> list[_Column]:
    """Value columns from the right edges of the numbers that end the rows."""
    edges: list[tuple[float, float, int, str]] = []
    for r, row in enumerate(rows):
        for token in _trailing_amounts(row):
            if token.text in CURRENCY_SYMBOLS or token.text in (")", "*") or token.text in _MARK_LOOKALIKES:
                continue
            edges.append((token.box[2], token.box[0], r, token.text))
    if not edges:
        return []
    edges.sort()
    clusters: list[list[tuple[float, float, int, str]]] = [[edges[0]]]
    for edge in edges[1:]:
        if edge[0] - clusters[-1][-1][0] > options.column_tolerance:
            clusters.append([edge])
        else:
            clusters[-1].append(edge)
    support = [len({e[2] for e in c}) for c in clusters]
    keep = [c for c, n in zip(clusters, support, strict=True) if n >= max(3, 0.25 * max(support))]
    columns = [_Column(statistics.median(e[0] for e in c), min(e[1] for e in c)) for c in keep]
    if options.notes_column and columns:
        # note references: small numbers in a column of their own left of the values, often sparse
        note_headers = [
            t for row in rows for t in row.tokens if t.text.lower().rstrip(".:") in ("note", "notes")
        ]
        for c in reversed(clusters):
            if c in keep or statistics.median(e[0] for e in c) >= columns[0].left:
                continue
            right = statistics.median(e[0] for e in c)
            headed = any(
                abs(t.box[2] - right) < 0.04 or t.box[0] <= right <= t.box[2] + 0.02 for t in note_headers
            )
            if all(_NOTE_TOKEN.match(e[3]) for e in c) and (headed or len({e[2] for e in c}) >= 2):
                columns.insert(0, _Column(right, min(e[1] for e in c), notes=True))
                break
        else:
            first = keep[0]
            if len(keep) >= 2 and all(_NOTE_TOKEN.match(e[3]) for e in first):
                rows_with_values = max(len({e[2] for e in c}) for c in keep[1:])
                headed = any(abs(t.box[2] - columns[0].right) < 0.05 for t in note_headers)
                if headed or len({e[2] for e in first}) < 0.9 * rows_with_values:
                    columns[0].notes = True
    return columns


def _column_of(token: Token, columns: list[_Column], tolerance: float) -> int | None:
    best, best_d = None, tolerance * 1.5
    for i, col in enumerate(columns):
        d = abs(token.box[2] - col.right)
        if d < best_d:
            best, best_d = i, d
    if best is None:
        for i, col in enumerate(columns):
            if token.box[0] >= col.left - 0.01 and token.box[2] <= col.right + tolerance:
                return i
    return best


def _is_header_row(row: Row, columns: list[_Column]) -> bool:
    in_columns = [t for t in row.tokens if t.box[2] > columns[0].left - 0.01]
    if not in_columns:
        return False
    texts = " ".join(t.text for t in in_columns)
    if _MONTH.search(texts) and any(_YEAR.match(t.text.rstrip(",")) for t in in_columns):
        return True  # "31 Dec 2024": the day is a number, the row a header
    for t in in_columns:
        if (
            is_amount(t.text)
            and not _YEAR.match(t.text)
            and not (columns[0].notes and _NOTE_TOKEN.match(t.text))
        ):
            return False
    return True


def _frame(rows: list[Row], columns: list[_Column]) -> tuple[list[Row], int, int, int]:
    """Header rows, the first and last row of line items, and how many rows precede the header."""
    value_cols = [c for c in columns if not c.notes]
    left = min(c.left for c in value_cols)

    def has_values(row: Row) -> bool:
        return any(is_amount(t.text) and t.box[0] >= left - 0.02 for t in row.tokens)

    data = [i for i, row in enumerate(rows) if has_values(row) and not _is_header_row(row, columns)]
    if not data:
        return [], 0, -1, 0  # numbers only in headers: no line items on this page
    first_data, last = data[0], data[-1]
    headers: list[Row] = []
    i = first_data - 1
    top = first_data
    while i >= 0:
        row = rows[i]
        if _is_header_row(row, columns) and not _TITLE_WORDS.search(row.text):
            headers.insert(0, row)
            top = i
        elif (
            headers
            and len(headers) < 4
            and all(t.box[0] >= left - 0.08 for t in row.tokens)
            and not _TITLE_WORDS.search(row.text)
        ):
            headers.insert(0, row)  # a spanning header over the columns ("Year ended December 31,")
            top = i
        elif headers or i < first_data - 6:
            break
        i -= 1
    if headers:
        start = (
            top + len(headers) if all(r in rows[top : top + len(headers)] for r in headers) else first_data
        )
        # label-only rows between the header and the first values are section headings
        start = max(start, rows.index(headers[-1]) + 1)
        return headers, start, last, top
    start = first_data
    label_x = min((r.tokens[0].box[0] for r in rows[first_data : last + 1]), default=0.0)
    while start > 0:
        row = rows[start - 1]
        if has_values(row) or _TITLE_WORDS.search(row.text) or abs(row.tokens[0].box[0] - label_x) > 0.08:
            break
        start -= 1
    return headers, start, last, start


def _period_labels(headers: list[Row], columns: list[_Column]) -> list[str]:
    """Each value column's header, top row first; a phrase spanning columns heads the columns nearest it."""
    value_cols = [c for c in columns if not c.notes]
    parts: list[list[str]] = [[] for _ in value_cols]
    centres = [(c.left + c.right) / 2 for c in value_cols]
    for row in headers:
        phrases = [
            p
            for p in _split_at_columns(_phrases(row), value_cols)
            if not p[0].text.lower().startswith("note") and p[-1].box[2] > value_cols[0].left - 0.08
        ]
        if not phrases:
            continue
        texts = [" ".join(t.text for t in p) for p in phrases]
        mids = [(p[0].box[0] + p[-1].box[2]) / 2 for p in phrases]
        pitch = statistics.median(b - a for a, b in itertools.pairwise(centres)) if len(centres) > 1 else 0.1
        spanning = []
        for k, p in enumerate(phrases):
            right, wide = p[-1].box[2], p[-1].box[2] - p[0].box[0]
            aligned = [i for i, c in enumerate(value_cols) if abs(right - c.right) < 0.015]
            if aligned and (wide < 1.2 * pitch or len(phrases) >= len(value_cols)):
                parts[aligned[0]].append(texts[k])  # right-aligned over one column: that column's
            else:
                spanning.append(k)
        if spanning:
            for i, centre in enumerate(centres):
                nearest = min(spanning, key=lambda k: abs(mids[k] - centre))
                parts[i].append(texts[nearest])
    return [" ".join(p) for p in parts]


def _split_at_columns(phrases: list[list[Token]], columns: list[_Column]) -> list[list[Token]]:
    """A phrase running over two columns' headers ends where a word ends on a column's right edge and
    more than a word space separates it from the next (a centred "Year ended December 31," stays whole)."""
    out: list[list[Token]] = []
    for phrase in phrases:
        current: list[Token] = []
        for k, token in enumerate(phrase):
            current.append(token)
            if k == len(phrase) - 1:
                continue
            following = phrase[k + 1]
            char = (token.box[2] - token.box[0]) / max(1, len(token.text))
            if following.box[0] - token.box[2] > char and any(
                abs(token.box[2] - c.right) < 0.012 for c in columns
            ):
                out.append(current)
                current = []
        if current:
            out.append(current)
    return out


def _phrases(row: Row) -> list[list[Token]]:
    """Words close enough to read as one phrase."""
    out: list[list[Token]] = []
    for token in row.tokens:
        ends_period = bool(out) and bool(re.fullmatch(r"(19|20)\d{2}\)?", out[-1][-1].text))
        if out and not ends_period and token.box[0] - out[-1][-1].box[2] < 0.9 * token.height:
            out[-1].append(token)
        else:
            out.append([token])
    return out


def _lines(rows: list[Row], columns: list[_Column], options: ReadOptions) -> list[_Line]:
    value_cols = [c for c in columns if not c.notes]
    notes_col = columns[0] if columns[0].notes else None
    left = min(c.left for c in value_cols) - 0.005
    # a page is scanned or it is not (OCR may be sure of a word, never of every word)
    scanned = any(row.scanned or any(t.confidence < 1.0 for t in row.tokens) for row in rows)
    out: list[_Line] = []
    for row in rows:
        if _is_header_row(row, columns) and not any(t.box[2] < left for t in row.tokens):
            continue  # a repeated column header
        label_tokens: list[Token] = []
        cells: dict[int, list[Token]] = {}
        note = None
        marks: list[str] = []
        trailing = set(map(id, _trailing_amounts(row)))
        for token in row.tokens:
            if id(token) in trailing:
                if token.text in CURRENCY_SYMBOLS:
                    marks.append(token.text)
                    continue
                if token.text in _MARK_LOOKALIKES:
                    continue
                col = _column_of(token, columns, options.column_tolerance)
                if col is not None and columns[col] is notes_col:
                    note = token.text
                    continue
                if col is not None:
                    value_index = [c for c in columns if not c.notes].index(columns[col])
                    cells.setdefault(value_index, []).append(token)
                    continue
            label_tokens.append(token)
        label = " ".join(t.text for t in label_tokens)
        box = _union([t.box for t in (label_tokens or row.tokens)])
        values = {
            i: (" ".join(t.text for t in ts).replace(" )", ")"), _union([t.box for t in ts]))
            for i, ts in cells.items()
        }
        x0 = label_tokens[0].box[0] if label_tokens else box[0]
        bold = bool(label_tokens) and all(t.bold for t in label_tokens)
        ocr = set(cells) if scanned else set()
        height = statistics.median(t.height for t in label_tokens) if label_tokens else 0.0
        out.append(_Line(label, x0, bold, row.page, box, values, note, marks, ocr, height, scanned))
    return out


def _union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _join_wrapped(lines: list[_Line], below_values: bool = True) -> list[_Line]:
    pitches = [
        b.box[1] - a.box[1] for a, b in itertools.pairwise(lines) if a.page == b.page and b.box[1] > a.box[1]
    ]
    pitch = statistics.median(pitches) if pitches else 0.0
    out: list[_Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not prev.values
            and (
                (line.label and line.label[0].islower())
                or (not line.label.strip() and line.values)
                or (below_values and _tight_under(prev, line, pitch))
            )
        ):
            prev.label = f"{prev.label} {line.label}".strip()
            prev.values = line.values
            prev.read_by_ocr = line.read_by_ocr
            prev.note = prev.note or line.note
            prev.box = _union([prev.box, line.box])
            continue
        if below_values and prev is not None and _continues_below(prev, line, pitch):
            prev.label = f"{prev.label} {line.label}"
            prev.box = _union([prev.box, line.box])
            continue
        out.append(line)
    return out


def _dashes_lost(lines: list[_Line], tolerance: float = 0.006) -> set[int]:
    """Scanned label-only lines that head nothing: the line below is not indented past them and the line
    above, at their indentation, has values. OCR drops a row's dashes (zeros) more often than its words."""
    if not indented([line.x0 for line in lines if line.label]):
        return set()  # no indentation: a heading cannot be told from a line without values
    out = set()
    for k in range(1, len(lines) - 1):
        line, above, below = lines[k], lines[k - 1], lines[k + 1]
        if not line.ocr or line.values or not line.label or line.label.rstrip().endswith(":"):
            continue
        if above.values and abs(above.x0 - line.x0) <= tolerance and below.x0 <= line.x0 + tolerance:
            out.add(k)
    return out


def _continues_below(prev: _Line, line: _Line, pitch: float) -> bool:
    """A label-only row set closer under a line with values than rows are set apart, starting no further
    right than that label: the label's second line (cells aligned at the top print values on the first)."""
    if not prev.values or line.values or line.note or not line.label or prev.page != line.page:
        return False
    return _tight_under(prev, line, pitch)


def _tight_under(prev: _Line, line: _Line, pitch: float) -> bool:
    """line continues prev's label: set closer under it than rows follow each other (the leading of a
    cell's lines, not the pitch of its rows), not indented past it."""
    if (
        prev.label.rstrip().endswith(":")
        or line.bold != prev.bold
        or not line.label
        or prev.page != line.page
    ):
        return False
    step = line.box[1] - prev.box[1]
    # set solid: a line of the same label follows at about its words' height, rows further apart
    solid = step < 1.1 * min(prev.height, line.height)
    return pitch > 0 and step < 0.85 * pitch and solid and line.x0 <= prev.x0 + 0.01


def _company(title_rows: list[str], title: str | None) -> str | None:
    candidates = [r.strip() for r in title_rows if r.strip()]
    for text in candidates:
        if _COMPANY.search(text) and not _TITLE_WORDS.search(text):
            return text
    for text in candidates:
        if title and title.lower() in text.lower():
            rest = text[: text.lower().index(title.lower())].strip(" -,")
            if rest:
                return rest
    return None


__all__ = ["ReadOptions", "normalise", "read_statement"]
