"""Each line's hierarchy level: from the labels' indentation, or without it from the headings and the
"Total ..." lines that close them."""

from __future__ import annotations

import statistics

from docuforge.finance.labels import content_words
from docuforge.finance.model import StatementLine
from docuforge.finance.validate import keyword_total


def indent_clusters(xs: list[float], tolerance: float = 0.006) -> list[float]:
    centres: list[list[float]] = []
    for x in sorted(xs):
        if centres and x - centres[-1][-1] <= tolerance:
            centres[-1].append(x)
        else:
            centres.append([x])
    return [statistics.median(c) for c in centres if len(c) >= 1]


def indented(xs: list[float]) -> bool:
    """Whether the labels start at more than one indentation."""
    return len(indent_clusters(xs)) > 1


def indent_levels(out: list[StatementLine], xs: list[float]) -> None:
    """Level = rank of the label's indentation among the statement's indentations."""
    if len(xs) != len(out):
        return
    centres = indent_clusters(xs)
    for line, x in zip(out, xs, strict=True):
        line.level = min(range(len(centres)), key=lambda i: abs(centres[i] - x))


def structural_levels(lines: list[StatementLine]) -> None:
    """Flat statements: a heading opens a level, the "Total ..." line that names it closes it."""
    stack: list[tuple[set[str], int]] = []
    for line in lines:
        is_header = all(v is None for v in line.values.values())
        if is_header:
            line.level = len(stack)
            stack.append((content_words(line.label), line.level))
            continue
        if line.is_total and stack:
            words = content_words(line.label)
            closes = keyword_total(line.label) is not None
            for depth in range(len(stack) - 1, -1, -1):
                head = stack[depth][0]
                if head and closes and len(head & words) >= max(1, 0.6 * len(head)):
                    line.level = stack[depth][1]
                    del stack[depth:]
                    break
            else:
                line.level = len(stack)
            continue
        line.level = len(stack)
