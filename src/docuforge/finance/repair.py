"""Numbers OCR misread, repaired from the sums they break.

A statement is a set of equations: each total equals its components in every period, across a statement
of changes in equity the total column equals the others, and a balance sheet balances. When OCR misreads
one digit (8 for 3, a lost parenthesis), the equations that number enters fail while the others hold. A
value is repaired only when that is the one reading that explains it: exactly one OCR-read value in the
failing equation can be changed by one printed digit (or its sign) so that every equation it enters
holds, without breaking one that held. Values from a text layer are never changed: a published figure
that does not add up is the statement's own, and validation reports it.
"""

from __future__ import annotations

from dataclasses import dataclass

from docuforge.finance.labels import normalise
from docuforge.finance.model import Check, StatementLine, StatementType
from docuforge.finance.validate import Structure, tolerance, unit_of

Cell = tuple[int, str]  # line index, period


@dataclass
class Equation:
    """sum(coefficient * value) == 0 within tol."""

    terms: list[tuple[Cell, float]]
    tol: float
    name: str


def equations(
    lines: list[StatementLine], periods: list[str], structure: Structure, statement_type: StatementType
) -> list[Equation]:
    numbers = [v for line in lines for v in line.values.values() if v is not None]
    unit = unit_of(numbers) if numbers else 1.0
    out: list[Equation] = []
    for i, group in structure.groups.items():
        for p in periods:
            if lines[i].values.get(p) is None:
                continue
            terms = [((i, p), 1.0)] + [
                ((c, p), -float(s)) for c, s in zip(group.components, group.signs, strict=True)
            ]
            out.append(Equation(terms, tolerance(unit, len(group.components)), lines[i].label))
    if (
        statement_type == StatementType.EQUITY
        and len(periods) >= 3
        and normalise(periods[-1]).startswith("total")
    ):
        for i, line in enumerate(lines):
            if line.values.get(periods[-1]) is None:
                continue
            terms = [((i, periods[-1]), 1.0)] + [((i, p), -1.0) for p in periods[:-1]]
            out.append(Equation(terms, tolerance(unit, len(periods) - 1), line.label))
    return out


def _residual(eq: Equation, value: dict[Cell, float | None]) -> float:
    return sum(k * (value.get(cell) or 0.0) for cell, k in eq.terms)


def _holds(eq: Equation, value: dict[Cell, float | None]) -> bool:
    return abs(_residual(eq, value)) <= eq.tol


def one_edit_apart(old: float, new: float, unit: float) -> bool:
    """Whether new is old with one printed digit changed, or its sign lost or gained."""
    if old == 0 or new == 0:
        return False
    if abs(old + new) <= unit * 0.01:
        return True  # a parenthesis or minus the scan lost
    if (old < 0) != (new < 0):
        return False
    a = f"{round(abs(old) / unit)}"
    b = f"{round(abs(new) / unit)}"
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def repair(
    lines: list[StatementLine],
    periods: list[str],
    structure: Structure,
    statement_type: StatementType,
    ocr_cells: set[Cell],
) -> list[Check]:
    """Repair OCR misreads in place; one Check (kind "ocr_repair") per value changed."""
    eqs = equations(lines, periods, structure, statement_type)
    numbers = [v for line in lines for v in line.values.values() if v is not None]
    unit = unit_of(numbers) if numbers else 1.0
    value: dict[Cell, float | None] = {
        (i, p): line.values.get(p) for i, line in enumerate(lines) for p in periods
    }
    enters: dict[Cell, list[Equation]] = {}
    for eq in eqs:
        for cell, _ in eq.terms:
            enters.setdefault(cell, []).append(eq)
    out: list[Check] = []
    for eq in eqs:
        if _holds(eq, value):
            continue
        residual = _residual(eq, value)
        candidates: list[tuple[Cell, float]] = []
        for cell, k in eq.terms:
            old = value.get(cell)
            if cell not in ocr_cells or old is None or k == 0:
                continue
            new = old - residual / k
            if not one_edit_apart(old, new, unit):
                continue
            trial = dict(value)
            trial[cell] = new
            if all(_holds(other, trial) for other in enters.get(cell, [])):
                candidates.append((cell, new))
        if len(candidates) != 1:
            continue  # no reading explains it, or several do: leave it for validation to report
        (i, p), new = candidates[0]
        old = value[(i, p)]
        value[(i, p)] = new
        lines[i].values[p] = new
        out.append(
            Check(
                kind="ocr_repair",
                line=lines[i].label,
                period=p,
                expected=new,
                actual=old,
                ok=True,
                lines=[eq.name],
            )
        )
    return out
