"""Figures: embedded images, and drawings dense enough to be charts or diagrams."""

from __future__ import annotations

from dataclasses import dataclass, field

from docuforge.document.geometry import Box, area, center_in, union
from docuforge.document.raw import RawPage
from docuforge.parsing.lines import Segment

# Of the page: a logo is a figure (0.2% of a letter page is a square about 0.4 inches across);
# a bullet, an icon or a checkbox below this is decoration.
MIN_IMAGE_AREA = 0.002
MIN_DRAWING_AREA = 0.03  # of the page: a smaller cluster of drawn paths is an icon or a mark, not a chart
MIN_DRAWING_PATHS = 8  # a chart or a diagram is many strokes; a box or an underline is a few
MAX_DRAWING_ASPECT = 6  # longer than this for its width, a cluster is a band's edges, not a figure


@dataclass
class FigureRegion:
    box: Box
    segments: list[Segment] = field(default_factory=list)
    kind: str = "image"  # or "drawing"


def _clusters(boxes: list[Box], slack: float) -> list[list[Box]]:
    """Boxes grouped by overlap (with some slack), each group's members and bounds."""
    groups: list[tuple[Box, list[Box]]] = []
    for box in sorted(boxes, key=lambda b: (b[1], b[0])):
        grown = (box[0] - slack, box[1] - slack, box[2] + slack, box[3] + slack)
        hits = [
            g
            for g in groups
            if grown[0] < g[0][2] and g[0][0] < grown[2] and grown[1] < g[0][3] and g[0][1] < grown[3]
        ]
        members = [box]
        for hit in hits:
            groups.remove(hit)
            members.extend(hit[1])
        groups.append((union(members), members))
    return [members for _, members in groups]


def find_figures(page: RawPage, segments: list[Segment], exclude: list[Box]) -> list[FigureRegion]:
    page_area = page.width * page.height
    figures: list[FigureRegion] = []
    for box in page.images:
        if area(box) >= MIN_IMAGE_AREA * page_area and area(box) < 0.98 * page_area:
            figures.append(FigureRegion(box=box, kind="image"))
    drawings = [
        b for b in [*page.rects, *page.hrules, *page.vrules] if not any(center_in(x, b) for x in exclude)
    ]
    if len(drawings) >= MIN_DRAWING_PATHS:
        for members in _clusters(drawings, slack=6):
            bounds = union(members)
            width, height = bounds[2] - bounds[0], bounds[3] - bounds[1]
            if (
                len(members) >= MIN_DRAWING_PATHS
                and MIN_DRAWING_AREA * page_area <= area(bounds) < 0.9 * page_area
                # A long thin cluster is a shaded band's edges (a table's header row), not a chart;
                # one around pictures is their edges (a scan's photos give rules along them).
                and max(width, height) <= MAX_DRAWING_ASPECT * min(width, height)
                and not any(center_in(bounds, f.box) for f in figures if f.kind == "image")
            ):
                # A form is boxes full of words; a chart is many shapes and few words.
                words = sum(len(s.words) for s in segments if not s.used and center_in(bounds, s.box))
                if words <= min(60, 2 * len(members)):
                    figures.append(FigureRegion(box=bounds, kind="drawing"))
    # Overlapping figures are one figure.
    merged: list[FigureRegion] = []
    for figure in sorted(figures, key=lambda f: -area(f.box)):
        host = next((m for m in merged if _overlap_share(figure.box, m.box) > 0.5), None)
        if host is None:
            merged.append(figure)
        else:
            host.box = union([host.box, figure.box])
    for figure in merged:
        for segment in segments:
            # Labels and axis text inside a figure belong to it; a paragraph merely beside it does not.
            if not segment.used and center_in(figure.box, segment.box):
                segment.used = True
                figure.segments.append(segment)
    return merged


def _overlap_share(a: Box, b: Box) -> float:
    shared = max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    smaller = min(area(a), area(b))
    return shared / smaller if smaller > 0 else 0.0
