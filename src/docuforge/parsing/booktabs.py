"""Tables between horizontal rules (booktabs style): rows between the top and bottom rule, columns
from the text, the header above the first rule and the totals under the last."""

from __future__ import annotations

import itertools

from docuforge.parsing.aligned import MIN_ROWS, aligned_table, word_count
from docuforge.parsing.cells import TableRegion
from docuforge.parsing.lines import Row
from docuforge.parsing.ruled import Rule
from docuforge.parsing.wrapped import stacked


def stacks(rules: list[Rule], body: float) -> list[list[Rule]]:
    """Horizontal rules stacked over each other with about the same extent (booktabs style)."""
    found: list[list[Rule]] = []
    for rule in sorted(rules, key=lambda r: r.at):
        if rule.end - rule.start < 5 * body:
            continue  # an underline, not a table border
        for stack in found:
            last = stack[-1]
            shared = min(last.end, rule.end) - max(last.start, rule.start)
            if (
                shared >= 0.8 * max(last.end - last.start, rule.end - rule.start)
                and rule.at - last.at < 40 * body
            ):
                stack.append(rule)
                break
        else:
            found.append([rule])
    return [stack for stack in found if len(stack) >= 2]


def between_rules(
    horizontals: list[Rule], rows: list[Row], body: float, page_width: float
) -> TableRegion | None:
    """The rows between the top and bottom rule, columns from the text; the header above joins,
    and the totals under the last rule."""
    horizontals = _without_paragraphs(horizontals, rows)
    if len(horizontals) < 2:
        return None
    top, bottom = horizontals[0].at, horizontals[-1].at
    left = min(r.start for r in horizontals)
    right = max(r.end for r in horizontals)
    inside: list[Row] = []
    above: list[Row] = []
    below: list[Row] = []
    for row in rows:
        within = [s for s in row.segments if left - 2 <= s.x0 and s.x1 <= right + 2]
        if not within:
            continue
        # The row's extent from its own segments here: text in the next column (a tall title)
        # must not push a table's header row out from between its rules.
        bounded = Row(segments=within, y0=min(s.y0 for s in within), y1=max(s.y1 for s in within))
        middle = (bounded.y0 + bounded.y1) / 2
        # A row set across a rule (a header band's two rules closer than its text is tall) is
        # inside where its middle is.
        if (top - 1 <= bounded.y0 and bounded.y1 <= bottom + 1) or top < middle < bottom:
            inside.append(bounded)
        elif bounded.y1 <= top + 1:
            above.append(bounded)
        elif bounded.y0 >= bottom - 1:
            below.append(bounded)
    if len(inside) < MIN_ROWS:
        return None
    banded = _rows_by_rules(inside, horizontals, body)
    return aligned_table(
        banded,
        (left, top, right, bottom),
        body,
        page_width,
        above=above,
        ruled_rows=banded is not inside,
        below=below,
    )


def _without_paragraphs(horizontals: list[Rule], rows: list[Row]) -> list[Rule]:
    """The stack less its first and last spaces while they hold a paragraph: a report's
    disclaimer set between the page's head rule and the rule over a table is no row of it."""

    def paragraph(upper: Rule, lower: Rule) -> bool:
        lines = [
            [s for s in row.segments if upper.start - 2 <= s.x0 and s.x1 <= upper.end + 2]
            for row in rows
            if upper.at <= (row.y0 + row.y1) / 2 < lower.at
        ]
        lines = [line for line in lines if line]
        # Every line one run of text, a table's cells none; long lines among them, a title or a
        # paragraph's last line short.
        return all(len(line) == 1 for line in lines) and sum(word_count(line[0]) > 8 for line in lines) >= 2

    kept = horizontals
    while len(kept) >= 2 and paragraph(kept[0], kept[1]):
        kept = kept[1:]
    while len(kept) >= 2 and paragraph(kept[-2], kept[-1]):
        kept = kept[:-1]
    # Two rules left are a header's band at most: the stack was no table, and the rows under
    # it are left to be found by how they line up.
    return kept if len(kept) >= 3 or kept is horizontals else []


def _rows_by_rules(rows: list[Row], horizontals: list[Rule], body: float) -> list[Row]:
    """Where rules part the table's rows (four rules or more, most spaces between them holding one
    line of cells), the text lines between two rules are one row: a label set on three lines
    beside its figures stays with them. A space holding several lines of cells (a header over
    the first row) keeps its lines apart, but for lines set so close that they touch: the two
    lines of one row of header cells ("Cloud" over "Infrastructure")."""
    if len(horizontals) < 4:
        return rows
    cuts = [rule.at for rule in horizontals]
    bands: list[list[Row]] = [[] for _ in cuts[1:]]
    for row in rows:
        middle = (row.y0 + row.y1) / 2
        for index, (upper, lower) in enumerate(itertools.pairwise(cuts)):
            if upper <= middle < lower:
                bands[index].append(row)
                break
    filled = [band for band in bands if band]
    single = [band for band in filled if sum(1 for row in band if len(row.segments) >= 2) <= 1]
    if len(single) < max(2, 0.6 * len(filled)):
        return rows
    out: list[Row] = []
    for band in filled:
        if any(band is b for b in single):
            groups = [band]
        else:
            groups = [[band[0]]]
            for row in band[1:]:
                if row.y0 - groups[-1][-1].y1 <= 0.25 * body:
                    groups[-1].append(row)
                else:
                    groups.append([row])
        for group in groups:
            if len(group) == 1:
                out.append(group[0])
                continue
            segments = stacked([s for row in group for s in row.segments if not s.used])
            out.append(Row(segments=segments, y0=min(r.y0 for r in group), y1=max(r.y1 for r in group)))
    return out
