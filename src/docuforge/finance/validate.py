"""Totals recomputed from their components, the balance-sheet equation, and which lines are totals."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from docuforge.finance.labels import normalise
from docuforge.finance.model import Check, StatementLine, StatementType

_STRONG = re.compile(r"^total\b|^totals\b")
_WEAK = re.compile(
    r"^(net (cash|increase|decrease|change|income|loss|profit|earnings|assets|position)"
    r"|gross (profit|margin|loss)"
    r"|operating (income|profit|loss)|(income|profit|loss|earnings) (from operations|before)|profit for the"
    r"|(loss|profit|income) for the|cash (and cash equivalents )?(at|as of) (the )?end|.*\bat end of"
    r"|balance (at|as of) (the )?end|ending balance|comprehensive income)"
)
_EXPENSE = re.compile(
    r"\b(cost|costs|expense|expenses|tax|taxes|depreciation|amortization|amortisation|"
    r"interest|loss|losses|dividend|dividends|repayment|repayments|purchase|purchases|"
    r"impairment|provision|finance costs|paid|payments)\b"
)


@dataclass
class Group:
    """A total and the lines it adds up (indices into the statement's lines, oldest first)."""

    total: int
    components: list[int]
    signs: list[int]
    start: int  # the first line the group spans (its components' groups included)
    verified: bool = True


@dataclass
class Structure:
    groups: dict[int, Group] = field(default_factory=dict)


def keyword_total(label: str) -> str | None:
    """strong for "Total ...", weak for lines that are often sums (net income, gross profit), else None."""
    norm = normalise(label)
    if _STRONG.search(norm):
        return "strong"
    if _WEAK.search(norm):
        return "weak"
    return None


def unit_of(values: list[float]) -> float:
    """The last printed digit's value: 1 for whole numbers, 0.1 for one decimal..."""
    decimals = 0
    for v in values:
        text = f"{abs(v):.6f}".rstrip("0").rstrip(".")
        if "." in text:
            decimals = max(decimals, len(text.split(".")[1]))
    return 10.0 ** -min(decimals, 3)


def _values(line: StatementLine, periods: list[str]) -> list[float | None]:
    return [line.values.get(p) for p in periods]


def _is_header(line: StatementLine) -> bool:
    return all(v is None for v in line.values.values())


def window(lines: list[StatementLine], i: int, groups: dict[int, Group], limit: int = 14) -> list[int]:
    """The lines a total at i may add up, nearest first: back to a header, each group seen as its total."""
    items: list[int] = []
    j = i - 1
    while j >= 0 and len(items) < limit:
        if _is_header(lines[j]):
            break
        items.append(j)
        if j in groups:
            j = groups[j].start - 1
            if j >= 0 and _is_header(lines[j]):
                j -= 1  # the header a total closes belongs to its group
        else:
            j -= 1
    return items


def match_sum(
    lines: list[StatementLine],
    i: int,
    periods: list[str],
    groups: dict[int, Group],
    unit: float,
    partial: bool = False,
) -> Group | None:
    """The smallest run of lines above i that adds up to line i in every period (with an expense sign).

    partial: failing that, the run that adds up in the most periods (at least one), marked unverified:
    a misread number makes one period fail, not the line's whole structure.
    """
    target = _values(lines[i], periods)
    present = sum(v is not None for v in target)
    if all(v is None or v == 0 for v in target):
        return None
    items = window(lines, i, groups)
    best: tuple[int, Group] | None = None
    for k in range(2, len(items) + 1):
        chosen = list(reversed(items[:k]))  # oldest first
        for signs in _sign_patterns(lines, chosen):
            hits = _hits(lines, chosen, signs, target, periods, unit)
            if hits == present or (partial and hits and (best is None or hits > best[0])):
                start = min(groups[c].start if c in groups else c for c in chosen)
                group = Group(i, chosen, signs, start, verified=hits == present)
                if hits == present:
                    return group
                best = (hits, group)
    return best[1] if best else None


def tolerance(unit: float, n: int) -> float:
    """Printed figures are rounded one by one, so a sum may be off by a unit per few components."""
    return unit * (1.01 + n // 4)


def _sign_patterns(lines: list[StatementLine], chosen: list[int]) -> list[list[int]]:
    k = len(chosen)
    patterns = [[1] * k, [1] + [-1] * (k - 1)]
    by_label = [1] + [
        -1
        if _EXPENSE.search(normalise(lines[c].label)) and all((v or 0) >= 0 for v in lines[c].values.values())
        else 1
        for c in chosen[1:]
    ]
    if by_label not in patterns:
        patterns.append(by_label)
    return patterns


def _hits(
    lines: list[StatementLine],
    chosen: list[int],
    signs: list[int],
    target: list[float | None],
    periods: list[str],
    unit: float,
) -> int:
    tol = tolerance(unit, len(chosen))
    hits = 0
    for p, want in enumerate(target):
        if want is None:
            continue
        total = sum(s * (lines[c].values.get(periods[p]) or 0.0) for c, s in zip(chosen, signs, strict=True))
        hits += abs(total - want) <= tol
    return hits


def structural_window(lines: list[StatementLine], i: int, groups: dict[int, Group]) -> list[int]:
    """For a total that adds up to nothing: the lines it should have added (deeper lines back to a header)."""
    items = window(lines, i, groups)
    level = lines[i].level
    deeper = [j for j in items if lines[j].level > level]
    return list(reversed(deeper or items))


def find_structure(
    lines: list[StatementLine],
    periods: list[str],
    *,
    sum_totals: bool = True,
    keywords: bool = True,
    bold: list[bool] | None = None,
) -> Structure:
    """Mark totals (by keyword, bold or because they add up) and find each total's components."""
    structure = Structure()
    numbers = [v for line in lines for v in line.values.values() if v is not None]
    unit = unit_of(numbers) if numbers else 1.0
    for i, line in enumerate(lines):
        if _is_header(line):
            continue
        kind = keyword_total(line.label) if keywords else None
        emphasised = bool(bold and bold[i]) and i > 0
        # "Total revenues" heading a statement adds nothing up: a total needs lines above it to sum
        claimed = (kind == "strong" or (emphasised and kind == "weak")) and bool(
            window(lines, i, structure.groups)
        )
        group = match_sum(lines, i, periods, structure.groups, unit, partial=claimed)
        if group is not None and group.verified and (kind is not None or emphasised or sum_totals):
            line.is_total = True
            structure.groups[i] = group
        elif claimed:
            line.is_total = True
            if group is None:
                comps = structural_window(lines, i, structure.groups)
                if comps:
                    start = min(structure.groups[c].start if c in structure.groups else c for c in comps)
                    group = Group(i, comps, [1] * len(comps), start, verified=False)
            if group is not None:
                structure.groups[i] = group
        else:
            line.is_total = False
    return structure


def checks(
    lines: list[StatementLine], periods: list[str], structure: Structure, statement_type: StatementType | None
) -> list[Check]:
    """Every total recomputed, and for a balance sheet assets against liabilities plus equity."""
    out: list[Check] = []
    numbers = [v for line in lines for v in line.values.values() if v is not None]
    unit = unit_of(numbers) if numbers else 1.0
    for i, group in sorted(structure.groups.items()):
        names = [lines[c].label for c in group.components]
        for p in periods:
            actual = lines[i].values.get(p)
            if actual is None:
                continue
            expected = sum(
                s * (lines[c].values.get(p) or 0.0)
                for c, s in zip(group.components, group.signs, strict=True)
            )
            ok = abs(expected - actual) <= tolerance(unit, len(group.components))
            out.append(
                Check(
                    kind="sum",
                    line=lines[i].label,
                    period=p,
                    expected=round(expected, 6),
                    actual=actual,
                    ok=ok,
                    lines=names,
                )
            )
    if statement_type == StatementType.BALANCE_SHEET:
        out.extend(_equation(lines, periods))
    if statement_type == StatementType.EQUITY:
        out.extend(_across(lines, periods, unit))
    return out


def _across(lines: list[StatementLine], columns: list[str], unit: float) -> list[Check]:
    """Changes in equity: the Total column adds up the components across each line."""
    if len(columns) < 3 or not normalise(columns[-1]).startswith("total"):
        return []
    out = []
    for line in lines:
        total = line.values.get(columns[-1])
        if total is None:
            continue
        expected = sum(line.values.get(c) or 0.0 for c in columns[:-1])
        out.append(
            Check(
                kind="across",
                line=line.label,
                period=columns[-1],
                expected=round(expected, 6),
                actual=total,
                ok=abs(expected - total) <= tolerance(unit, len(columns) - 1),
                lines=columns[:-1],
            )
        )
    return out


def _equation(lines: list[StatementLine], periods: list[str]) -> list[Check]:
    def find(pattern: str) -> StatementLine | None:
        for line in lines:
            if re.search(pattern, normalise(line.label)):
                return line
        return None

    assets = find(r"^total asset")
    both = find(
        r"^total (liability|shareholders|equity|capital)\w* and (shareholders |stockholders )?"
        r"(equity|liability|deficit)"
    )
    liabilities = find(r"^total liability$")
    equity = find(r"^total (shareholders |stockholders |owners )?(equity|deficit)")
    if assets is None or (both is None and (liabilities is None or equity is None)):
        return []
    numbers = [v for line in lines for v in line.values.values() if v is not None]
    unit = unit_of(numbers) if numbers else 1.0
    out = []
    for p in periods:
        a = assets.values.get(p)
        if a is None:
            continue
        if both is not None:
            rhs, names = both.values.get(p), [both.label]
        else:
            assert liabilities is not None and equity is not None
            lv, ev = liabilities.values.get(p), equity.values.get(p)
            rhs = None if lv is None or ev is None else lv + ev
            names = [liabilities.label, equity.label]
        if rhs is None:
            continue
        ok = math.isclose(a, rhs, abs_tol=unit * 1.01)
        out.append(
            Check(
                kind="balance_sheet_equation",
                line=assets.label,
                period=p,
                expected=rhs,
                actual=a,
                ok=ok,
                lines=[assets.label, *names],
            )
        )
    return out


def recheck(lines: list[StatementLine], periods: list[str], statement_type: StatementType) -> list[Check]:
    """Checks for lines edited or sent by hand (their is_total flags left as given)."""
    copies = [line.model_copy(deep=True) for line in lines]
    return checks(copies, periods, find_structure(copies, periods), statement_type)
