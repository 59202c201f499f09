"""Reading order of a page's blocks: columns left to right, each top to bottom, wide elements in place.

First the page is cut into bands where its layout changes: at a horizontal gap that nothing
crosses, if something below it does not fit under anything above it (two columns ending over a
three-column band, a title over columns). Within a band, pairwise rules and a topological sort
(after T. Breuel's rules for text lines, applied to blocks):

1. Of two blocks that share some horizontal extent, the upper one comes first.
2. Of two blocks side by side, the left one comes first, unless something spanning both lies
   between them (above the left one and below the right one): then the right one belongs to
   the band above that separator and is read before it.

Among blocks free to come next, the topmost (then leftmost) goes first. A standalone block (a
figure, a table, a caption) under the left column but below the right one is read after both.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Sequence
from typing import TypeVar

from docuforge.document.geometry import Box

T = TypeVar("T")
SLACK = 2.0  # points of overlap that do not count


def _overlap_x(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > SLACK


def order(
    items: Sequence[T],
    box_of: Callable[[T], Box],
    standalone: Callable[[T], bool] = lambda _: False,
    tolerance: float = 12.0,
) -> list[T]:
    """Items in reading order; `tolerance` (points) is how far a block may stick out and still fit."""
    bands = _bands(list(items), box_of, tolerance)
    if len(bands) > 1:
        return [item for band in bands for item in _order_band(band, box_of, standalone)]
    return _order_band(list(items), box_of, standalone)


def _bands(items: list[T], box_of: Callable[[T], Box], tolerance: float) -> list[list[T]]:
    """Items split at the horizontal gaps where the layout changes."""
    if len(items) < 3:
        return [items]
    entries = sorted(((box_of(item), item) for item in items), key=lambda e: e[0][1])
    bands: list[list[tuple[Box, T]]] = [[entries[0]]]
    reach = entries[0][0][3]
    for index, (box, item) in enumerate(entries[1:], start=1):
        if box[1] > reach + 0.5 and _layout_changes(bands[-1], box, entries[index:], tolerance):
            bands.append([])
        bands[-1].append((box, item))
        reach = max(reach, box[3])
    return [[item for _, item in band] for band in bands]


def _layout_changes(
    above: list[tuple[Box, T]], first: Box, below: list[tuple[Box, T]], tolerance: float
) -> bool:
    """Does some block just below the gap fit under no block just above it?"""
    bottom = max(box[3] for box, _ in above)
    near_above = [box for box, _ in above if box[3] >= bottom - 3 * tolerance]
    near_below = [box for box, _ in below if box[1] <= first[1] + 3 * tolerance]

    def fits(box: Box) -> bool:
        return any(box[0] >= a[0] - tolerance and box[2] <= a[2] + tolerance for a in near_above)

    return not all(fits(box) for box in near_below)


def _order_band(items: Sequence[T], box_of: Callable[[T], Box], standalone: Callable[[T], bool]) -> list[T]:
    n = len(items)
    if n <= 1:
        return list(items)
    boxes = [box_of(item) for item in items]
    alone = [standalone(item) for item in items]
    by_top = sorted(range(n), key=lambda k: boxes[k][1])
    tops = [boxes[k][1] for k in by_top]
    successors: list[list[int]] = [[] for _ in range(n)]
    indegree = [0] * n
    for i in range(n):
        a = boxes[i]
        for j in range(n):
            if i == j:
                continue
            b = boxes[j]
            if _overlap_x(a, b):
                before = a[3] <= b[1] + SLACK or (a[1] + a[3]) < (b[1] + b[3]) - SLACK
            elif a[2] <= b[0] + SLACK:
                if a[1] > b[3] - SLACK and alone[i]:
                    continue  # a figure under the left column, below the right one: after both
                before = not (a[1] > b[3] - SLACK and _separated(a, b, boxes, by_top, tops, i, j))
            else:
                continue
            if before:
                successors[i].append(j)
                indegree[j] += 1
    heap = [(boxes[k][1], boxes[k][0], k) for k in range(n) if indegree[k] == 0]
    heapq.heapify(heap)
    done = [False] * n
    result: list[int] = []
    while len(result) < n:
        if not heap:
            # A cycle (overlapping boxes): take the topmost block left and carry on.
            k = min((k for k in range(n) if not done[k]), key=lambda k: (boxes[k][1], boxes[k][0]))
            heap.append((boxes[k][1], boxes[k][0], k))
        _, _, k = heapq.heappop(heap)
        if done[k]:
            continue
        done[k] = True
        result.append(k)
        for j in successors[k]:
            indegree[j] -= 1
            if indegree[j] == 0 and not done[j]:
                heapq.heappush(heap, (boxes[j][1], boxes[j][0], j))
    return [items[k] for k in result]


def _separated(
    a: Box, b: Box, boxes: list[Box], by_top: list[int], tops: list[float], i: int, j: int
) -> bool:
    """Does some block spanning both a (lower left) and b (upper right) lie between them?"""
    start = bisect.bisect_left(tops, b[3] - SLACK)
    for position in range(start, len(by_top)):
        k = by_top[position]
        c = boxes[k]
        if c[1] > a[1] + SLACK:
            break
        if k in (i, j) or c[3] > a[1] + SLACK:
            continue
        if _overlap_x(c, a) and _overlap_x(c, b):
            return True
    return False
