"""Scores for OCR output: bag-of-words F1, CER, similarity, table cell F1 and TEDS.

Word F1 uses the normalisation of the team's peer measurements (../shared/research/peers.md),
so the figures compare with theirs: lower-cased, every character that is neither a word
character nor whitespace turned into a space, split on whitespace, compared as multisets.

TEDS (tree-edit-distance similarity, Zhong et al. 2020) is computed here with the Zhang-Shasha
tree edit distance on table -> tr -> td trees: inserting or deleting a node costs 1, a td renamed
into a td with other spans costs 1, with the same spans the normalised Levenshtein distance of
their texts. TEDS = 1 - distance / the larger tree's node count. Exact, but quadratic in the
cells: fine for the benchmark's tables (at most a few hundred cells).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from benchmarks.parse.scoring import normalize


def words(text: str) -> Counter[str]:
    return Counter(re.sub(r"[^\w\s]", " ", text.lower()).split())


def f1(found: Counter[Any], truth: Counter[Any]) -> float:
    hits = sum((found & truth).values())
    if not hits:
        return 0.0
    precision, recall = hits / sum(found.values()), hits / sum(truth.values())
    return 2 * precision * recall / (precision + recall)


def word_f1(text: str, truth: str) -> float:
    return f1(words(text), words(truth))


def word_recall(text: str, truth: str) -> float:
    wanted = words(truth)
    return sum((words(text) & wanted).values()) / sum(wanted.values()) if wanted else 1.0


def collapse(text: str) -> str:
    return " ".join(text.split())


def cer(text: str, truth: str) -> float:
    """Character error rate: edit distance over the truth's length, whitespace collapsed on both."""
    text, truth = collapse(text), collapse(truth)
    return Levenshtein.distance(text, truth) / max(len(truth), 1)


def ratio(text: str, truth: str) -> float:
    return fuzz.ratio(collapse(text), collapse(truth)) / 100


# --- tables ------------------------------------------------------------------------------------

# A cell as (row, col, row_span, col_span, text): the shape every source is converted to.
Cell = tuple[int, int, int, int, str]


def cell_f1(found: list[Cell], truth: list[Cell]) -> float:
    """F1 of the multisets of non-empty cell texts, exact after normalisation (position ignored)."""
    squash = lambda cells: Counter(normalize(c[4]) for c in cells if normalize(c[4]))  # noqa: E731
    return f1(squash(found), squash(truth))


@dataclass
class Node:
    label: str
    spans: tuple[int, int] = (1, 1)
    text: str = ""
    children: list[Node] = field(default_factory=list)


def tree(cells: list[Cell]) -> Node:
    """table -> tr -> td, one tr per row in which cells start (as HTML writes it)."""
    rows: dict[int, list[Cell]] = {}
    for cell in cells:
        rows.setdefault(cell[0], []).append(cell)
    root = Node("table")
    for r in sorted(rows):
        tds = [Node("td", (c[2], c[3]), normalize(c[4])) for c in sorted(rows[r], key=lambda c: c[1])]
        root.children.append(Node("tr", children=tds))
    return root


def _postorder(root: Node) -> tuple[list[Node], list[int]]:
    nodes: list[Node] = []
    leftmost: list[int] = []

    def walk(node: Node) -> int:
        first = None
        for child in node.children:
            leaf = walk(child)
            first = leaf if first is None else first
        nodes.append(node)
        leftmost.append(len(nodes) - 1 if first is None else first)
        return leftmost[-1]

    walk(root)
    return nodes, leftmost


def _rename(a: Node, b: Node) -> float:
    if a.label != b.label:
        return 1.0
    if a.label != "td":
        return 0.0
    if a.spans != b.spans:
        return 1.0
    return Levenshtein.normalized_distance(a.text, b.text)


def tree_distance(a: Node, b: Node) -> float:
    """Zhang-Shasha tree edit distance, unit insert/delete costs."""
    nodes_a, left_a = _postorder(a)
    nodes_b, left_b = _postorder(b)
    # A keyroot is the highest node for each distinct leftmost leaf.
    keys_a = sorted({left: i for i, left in enumerate(left_a)}.values())
    keys_b = sorted({left: j for j, left in enumerate(left_b)}.values())
    distance = [[0.0] * len(nodes_b) for _ in nodes_a]
    for i in keys_a:
        for j in keys_b:
            li, lj = left_a[i], left_b[j]
            rows, cols = i - li + 2, j - lj + 2
            forest = [[0.0] * cols for _ in range(rows)]
            for x in range(1, rows):
                forest[x][0] = forest[x - 1][0] + 1
            for y in range(1, cols):
                forest[0][y] = forest[0][y - 1] + 1
            for x in range(1, rows):
                i1 = li + x - 1
                for y in range(1, cols):
                    j1 = lj + y - 1
                    step = min(forest[x - 1][y], forest[x][y - 1]) + 1
                    if left_a[i1] == li and left_b[j1] == lj:
                        forest[x][y] = min(step, forest[x - 1][y - 1] + _rename(nodes_a[i1], nodes_b[j1]))
                        distance[i1][j1] = forest[x][y]
                    else:
                        before = forest[left_a[i1] - li][left_b[j1] - lj]
                        forest[x][y] = min(step, before + distance[i1][j1])
    return distance[-1][-1]


def teds(found: list[Cell], truth: list[Cell]) -> float:
    a, b = tree(found), tree(truth)
    size = max(len(_postorder(a)[0]), len(_postorder(b)[0]))
    return 1 - tree_distance(a, b) / size
