"""Rectangles in page points (x0, y0, x1, y1), origin top-left, and their conversion to BBox."""

from __future__ import annotations

from collections.abc import Iterable

from docuforge.document.model import BBox

Box = tuple[float, float, float, float]


def union(boxes: Iterable[Box]) -> Box:
    x0 = y0 = float("inf")
    x1 = y1 = float("-inf")
    for bx0, by0, bx1, by1 in boxes:
        x0, y0, x1, y1 = min(x0, bx0), min(y0, by0), max(x1, bx1), max(y1, by1)
    return x0, y0, x1, y1


def width(box: Box) -> float:
    return box[2] - box[0]


def height(box: Box) -> float:
    return box[3] - box[1]


def area(box: Box) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def overlap_x(a: Box, b: Box) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0]))


def overlap_y(a: Box, b: Box) -> float:
    return max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def intersection(a: Box, b: Box) -> float:
    return overlap_x(a, b) * overlap_y(a, b)


def iou(a: Box, b: Box) -> float:
    shared = intersection(a, b)
    total = area(a) + area(b) - shared
    return shared / total if total > 0 else 0.0


def contains(outer: Box, inner: Box, slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def center_in(outer: Box, inner: Box) -> bool:
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= cx <= outer[2] and outer[1] <= cy <= outer[3]


def to_bbox(box: Box, page_width: float, page_height: float, page: int, original_page: int) -> BBox:
    """Points to Reducto's normalized box, clipped to the page."""
    x0 = min(max(box[0] / page_width, 0.0), 1.0)
    y0 = min(max(box[1] / page_height, 0.0), 1.0)
    x1 = min(max(box[2] / page_width, 0.0), 1.0)
    y1 = min(max(box[3] / page_height, 0.0), 1.0)
    return BBox(
        left=round(x0, 5),
        top=round(y0, 5),
        width=round(max(0.0, x1 - x0), 5),
        height=round(max(0.0, y1 - y0), 5),
        page=page,
        original_page=original_page,
    )
