"""Read statements scored against the generator's ground truth."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz
from tests.fixtures.statements import GStatement

from docuforge.finance import Statement
from docuforge.finance.labels import clean_label, normalise
from docuforge.finance.periods import parse_period


@dataclass
class Score:
    type_ok: bool = False
    lines: int = 0
    lines_found: int = 0
    values: int = 0
    values_ok: int = 0
    levels_ok: int = 0
    totals_ok: int = 0
    notes: int = 0
    notes_ok: int = 0
    scale_ok: bool = False
    currency_ok: bool = False
    periods_ok: bool = False
    validated: bool = False
    failures: list[str] = field(default_factory=list)


def score(truth: GStatement, read: Statement | None) -> Score:
    s = Score(lines=len(truth.lines))
    s.values = sum(v is not None for line in truth.lines for v in line.values)
    s.notes = sum(line.note is not None for line in truth.lines)
    if read is None:
        s.failures.append("statement not found")
        return s
    s.type_ok = read.statement_type.value == truth.statement_type
    s.scale_ok = read.scale == truth.scale
    s.currency_ok = read.currency == truth.currency
    truth_years = [parse_period(p).year for p in truth.periods]
    s.periods_ok = truth_years == [p.year for p in read.period_details]
    s.validated = bool(read.checks) and all(c.ok for c in read.checks)
    if not s.validated:
        s.failures.append(
            "checks: "
            + "; ".join(f"{c.line} {c.period} {c.expected}!={c.actual}" for c in read.checks if not c.ok)[
                :300
            ]
        )
    used: set[int] = set()
    cursor = 0
    for line in truth.lines:
        want = normalise(clean_label(line.label)[0])
        best, best_score = None, 0.0
        for j in range(len(read.lines)):
            if j in used:
                continue
            sim = fuzz.ratio(want, normalise(read.lines[j].label))
            sim -= 0.5 * min(20, abs(j - cursor))  # prefer the line in its place
            if sim > best_score:
                best, best_score = j, sim
        if best is None or best_score < 85:
            s.failures.append(f"missing line {line.label!r}")
            continue
        used.add(best)
        cursor = best + 1
        got = read.lines[best]
        s.lines_found += 1
        s.levels_ok += got.level == line.level
        if got.level != line.level:
            s.failures.append(f"level {line.label!r}: {got.level} != {line.level}")
        s.totals_ok += got.is_total == line.is_total
        if line.note is not None:
            s.notes_ok += got.note == line.note
        values = list(got.values.values())
        for p, want_value in enumerate(line.values):
            if want_value is None:
                continue
            have = values[p] if p < len(values) else None
            ok = have is not None and abs(have - want_value) < 1e-6
            s.values_ok += ok
            if not ok:
                s.failures.append(f"value {line.label!r}[{p}]: {have} != {want_value}")
    return s
