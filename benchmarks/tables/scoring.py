"""Scores of found tables against a drawn table's exact grid.

- cell accuracy: the share of the expected non-empty cells whose text stands at its position in
  the found table, once the found table is laid over the expected one at the offset (rows,
  columns) where most cells agree; the found table of the page that agrees best is taken.
  Right-to-left tables may be laid either way round (a tool that keeps the columns left to right
  is not scored on that here; `rtl_order` reports it).
- exact grid: the found table has the expected shape and every position (empty ones included)
  holds the expected text.
- content recall: the share of the expected table's tokens found in the text of all the tables
  found on the page.
Texts are compared after NFKC normalisation with all whitespace removed.
"""

from __future__ import annotations

import collections
import unicodedata


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _tokens(text: str) -> list[str]:
    return [t for t in (norm(w) for w in unicodedata.normalize("NFKC", text or "").split()) if t]


def _best_offset(expected: list[list[str]], found: list[list[str]]) -> tuple[int, tuple[int, int]]:
    where: dict[str, list[tuple[int, int]]] = collections.defaultdict(list)
    for r, row in enumerate(found):
        for c, text in enumerate(row):
            if text:
                where[text].append((r, c))
    votes: collections.Counter[tuple[int, int]] = collections.Counter()
    for r, row in enumerate(expected):
        for c, text in enumerate(row):
            for fr, fc in where.get(text, ()):
                votes[(fr - r, fc - c)] += 1
    if not votes:
        return 0, (0, 0)
    offset, count = max(votes.items(), key=lambda kv: (kv[1], -abs(kv[0][0]) - abs(kv[0][1])))
    return count, offset


def score(expected: list[list[str]], tables: list[list[list[str]]], rtl: bool = False) -> dict[str, float]:
    want = [[norm(t) for t in row] for row in expected]
    n_cells = sum(1 for row in want for t in row if t)
    candidates = [[[norm(t) for t in row] for row in table] for table in tables if table]
    best, exact, mirrored_best = 0, False, False
    for table in candidates:
        width = max(len(row) for row in table)
        table = [row + [""] * (width - len(row)) for row in table]
        ways = [(table, False)]
        if rtl:
            ways.append(([row[::-1] for row in table], True))
        for grid, mirrored in ways:
            count, offset = _best_offset(want, grid)
            if count > best:
                best, mirrored_best = count, mirrored
            if offset == (0, 0) and grid == want:
                exact = True
    tokens = collections.Counter(t for row in expected for cell in row for t in _tokens(cell))
    got = collections.Counter(t for table in tables for row in table for cell in row for t in _tokens(cell))
    recall = sum(min(n, got[t]) for t, n in tokens.items()) / max(1, sum(tokens.values()))
    return {
        "cell_accuracy": best / max(1, n_cells),
        "exact": float(exact),
        "content_recall": recall,
        "rtl_order": float(not mirrored_best) if rtl else float("nan"),
    }
