"""Scoring helpers shared by the parse benchmarks: text normalisation, fuzzy search, tables in
Markdown or HTML, and the olmOCR-bench unit tests (our reading of their semantics)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from typing import Any

from rapidfuzz.distance import Levenshtein

_SWAPS = (
    ("\u2018", "'"),
    ("\u2019", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u2013", "-"),
    ("\u2014", "-"),
    ("\u00ad", ""),
)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for old, new in _SWAPS:
        text = text.replace(old, new)
    text = re.sub(r"(\*\*|__)", "", text)
    text = re.sub(r"(?m)^\s{0,3}#{1,6}\s+", "", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def plain(markdown: str) -> str:
    """Markdown without its markup, for similarity against text."""
    text = re.sub(r"(?m)^\s*\|?\s*:?-{2,}.*$", "", markdown)
    text = text.replace("|", " ")
    text = re.sub(r"(?m)^\s*[-*]\s+", "", text)
    return normalize(text)


def similarity(a: str, b: str) -> float:
    return Levenshtein.normalized_similarity(a, b)


def fuzzy_find(haystack: str, needle: str, max_diffs: int = 0) -> int:
    """Start of an occurrence of needle with at most max_diffs edits, or -1."""
    found = haystack.find(needle)
    if found >= 0 or max_diffs <= 0 or not needle:
        return found
    m = len(needle)
    previous = list(range(m + 1))
    for j, char in enumerate(haystack):
        current = [0] * (m + 1)
        for k in range(1, m + 1):
            current[k] = min(previous[k] + 1, current[k - 1] + 1, previous[k - 1] + (needle[k - 1] != char))
        if current[m] <= max_diffs:
            return max(0, j - m + 1)
        previous = current
    return -1


def tables(markdown: str) -> list[list[list[str]]]:
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if re.match(r"^\|?\s*:?-{2,}", stripped):
                continue
            current.append([cell.strip() for cell in stripped.strip("|").split("|")])
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    for table in re.findall(r"<table.*?</table>", markdown, flags=re.S | re.I):
        found.append(_html_grid(table))
    return [[[normalize(c) for c in row] for row in table] for table in found]


def html_cells(html: str) -> list[tuple[int, int, int, int, str]]:
    """The cells of an HTML table as (row, col, row_span, col_span, text), spans resolved."""
    taken: set[tuple[int, int]] = set()
    cells: list[tuple[int, int, int, int, str]] = []
    for r, row in enumerate(re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S | re.I)):
        c = 0
        for attributes, content in re.findall(r"<t[dh]([^>]*)>(.*?)</t[dh]>", row, flags=re.S | re.I):
            while (r, c) in taken:
                c += 1
            rows = int((re.search(r'rowspan="?(\d+)', attributes) or [0, 1])[1])
            cols = int((re.search(r'colspan="?(\d+)', attributes) or [0, 1])[1])
            taken.update((r + dr, c + dc) for dr in range(rows) for dc in range(cols))
            cells.append((r, c, rows, cols, re.sub(r"<[^>]+>", " ", content)))
            c += cols
    return cells


def _html_grid(table: str) -> list[list[str]]:
    """An HTML table as a grid, row and column spans expanded (a spanning cell fills its area)."""
    grid: dict[tuple[int, int], str] = {}
    for r, c, rows, cols, text in html_cells(table):
        for dr in range(rows):
            for dc in range(cols):
                grid[(r + dr, c + dc)] = text.strip()
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


def _table_test(markdown: str, test: dict[str, Any]) -> bool:
    want = normalize(test["cell"])
    for table in tables(markdown):
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                if cell != want:
                    continue

                def at(r: int, c: int, table: list[list[str]] = table) -> str | None:
                    if r < 0 or c < 0 or r >= len(table) or c >= len(table[r]):
                        return None
                    return table[r][c]

                checks = {"up": (i - 1, j), "down": (i + 1, j), "left": (i, j - 1), "right": (i, j + 1),
                          "top_heading": (0, j), "left_heading": (i, 0)}  # fmt: skip
                if all(
                    test.get(key) is None or at(*where) == normalize(test[key])
                    for key, where in checks.items()
                ):
                    return True
    return False


def olmocr_test(markdown: str, test: dict[str, Any]) -> bool | None:
    kind = test["type"]
    if kind == "math":
        return None
    if kind == "baseline":
        return len("".join(markdown.split())) <= test.get("max_length", 10)
    if kind == "table":
        return _table_test(markdown, test)
    case = test.get("case_sensitive", False)
    text = normalize(markdown)
    if test.get("first_n"):
        text = text[: test["first_n"]]
    if test.get("last_n"):
        text = text[-test["last_n"] :]
    if not case:
        text = text.lower()
    diffs = test.get("max_diffs", 0)

    def where(needle: str) -> int:
        needle = normalize(needle)
        return fuzzy_find(text, needle if case else needle.lower(), diffs)

    if kind == "present":
        return where(test["text"]) >= 0
    if kind == "absent":
        return where(test["text"]) < 0
    if kind == "order":
        before, after = where(test["before"]), where(test["after"])
        return 0 <= before < after
    return None


# --- structure on the synthetic corpus ---------------------------------------------------------


def headings(markdown: str) -> list[str]:
    """The text of every Markdown heading line (`#` to `######`)."""
    found = []
    for line in markdown.splitlines():
        match = re.match(r"^\s{0,3}#{1,6}\s+(.*)$", line)
        if match:
            found.append(normalize(re.sub(r"[*_`]", "", match[1])))
    return found


def table_rows(markdown: str) -> list[tuple[str, ...]]:
    """Every table row of the Markdown (pipe or HTML), as its non-empty cells."""
    return [tuple(cell for cell in row if cell) for table in tables(markdown) for row in table]


def synthetic(markdown: str, truth: list[dict[str, Any]], text: str) -> dict[str, float]:
    """Heading recall, exact table-row recall and text similarity against exact ground truth."""
    wanted_headings = [normalize(h) for page in truth for h in page["headings"]]
    found_headings = set(headings(markdown))
    available = Counter(table_rows(markdown))
    hits = 0
    wanted_rows = [tuple(normalize(c) for c in row) for page in truth for row in page["table"]]
    for row in wanted_rows:
        if available[row] > 0:
            available[row] -= 1
            hits += 1
    return {
        "headings": round(sum(h in found_headings for h in wanted_headings) / len(wanted_headings), 3),
        "table_rows": round(hits / len(wanted_rows), 3),
        "similarity": round(similarity(plain(markdown), normalize(text)), 3),
    }


# --- ICDAR 2013 table structure: adjacency relations -------------------------------------------

Relation = tuple[str, str, str]


def _squash(text: str) -> str:
    return "".join(normalize(text).split())


def adjacency(grid: list[list[str]]) -> Counter[Relation]:
    """ICDAR 2013's adjacency relations of a cell grid: each non-empty cell with the next non-empty
    cell to its right and below. A spanning cell appears once per row/column it covers (the grid
    repeats it), so repeats next to each other are counted as one cell."""
    relations: Counter[Relation] = Counter()
    width = max((len(row) for row in grid), default=0)
    lines = [[row[c] if c < len(row) else "" for row in grid] for c in range(width)]
    for direction, sequences in (("h", grid), ("v", lines)):
        for sequence in sequences:
            cells: list[str] = []
            for cell in sequence:
                text = _squash(cell)
                if text and (not cells or cells[-1] != text):
                    cells.append(text)
            for a, b in itertools.pairwise(cells):
                relations[(a, b, direction)] += 1
    return relations


def icdar_truth(xml_path: Any) -> list[list[list[str]]]:
    """The tables of an ICDAR 2013 `-str.xml` as expanded grids."""
    import xml.etree.ElementTree as ElementTree

    grids = []
    # The ground truth of the benchmark corpus, a local file we chose: not untrusted input.
    for table in ElementTree.parse(xml_path).getroot().iter("table"):  # noqa: S314
        for region in table.iter("region"):
            cells: dict[tuple[int, int], str] = {}
            for cell in region.iter("cell"):
                r0, c0 = int(cell.get("start-row")), int(cell.get("start-col"))
                r1, c1 = int(cell.get("end-row", r0)), int(cell.get("end-col", c0))
                content = cell.findtext("content") or ""
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        cells[(r, c)] = content
            if cells:
                height = max(r for r, _ in cells) + 1
                width = max(c for _, c in cells) + 1
                grids.append([[cells.get((r, c), "") for c in range(width)] for r in range(height)])
    return grids


def relation_counts(truth: Counter[Relation], predicted: Counter[Relation]) -> tuple[int, int, int]:
    """(correct, in truth, predicted)."""
    return sum((truth & predicted).values()), sum(truth.values()), sum(predicted.values())


# --- pdfplumber's table assertions -------------------------------------------------------------


def _number(text: str) -> float | None:
    squashed = re.sub(r"[,\s]", "", text)
    if not squashed:
        return 0.0
    try:
        return float(squashed)
    except ValueError:
        return None


def nics_checks(markdown: str, expected: dict[str, Any]) -> dict[str, bool]:
    """The NICS page-1 assertions: first/last rows, the month title, and that every numeric column
    sums to its Totals row."""
    first, last = expected["first_data_row"], expected["last_data_row"]
    checks = {"month title": normalize(expected["month_text"]) in normalize(markdown)}
    table = next((t for t in tables(markdown) if any(row and row[0] == first["state"] for row in t)), None)
    rows = table or []
    by_state = {row[0]: row for row in rows if row}
    first_row, last_row = by_state.get(first["state"]), by_state.get(last["state"])
    checks["first row"] = bool(first_row) and first_row[-1] == first["totals"]
    checks["last row"] = bool(last_row) and last_row[-1] == last["totals"]
    checks["25 columns"] = bool(first_row) and len(first_row) == 25
    total = next((row for row in rows if row and row[0].lower().startswith("total")), None)
    column_sums_hold = False
    if total and first["state"] in by_state:
        start = [row[0] for row in rows].index(first["state"])
        end = next(i for i, row in enumerate(rows) if row is total)
        body = [row for row in rows[start:end] if row and len(row) == len(total)]
        column_sums_hold = len(body) > 50
        for column in range(1, len(total)):
            values = [_number(row[column]) for row in body]
            want = _number(total[column])
            if want is None or any(v is None for v in values) or abs(sum(values) - want) > 0.5:  # type: ignore[arg-type]
                column_sums_hold = False
                break
    checks["columns sum to Totals"] = column_sums_hold
    return checks


def warn_checks(markdown: str, expected: dict[str, Any]) -> dict[str, bool]:
    rows = {tuple(_squash(c) for c in row if c.strip()) for table in tables(markdown) for row in table}
    return {
        "header row": tuple(_squash(c) for c in expected["row_0_header"]) in rows,
        "first data row": tuple(_squash(c) for c in expected["row_1"]) in rows,
    }
