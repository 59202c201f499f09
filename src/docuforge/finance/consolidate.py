"""Statements of one company across periods consolidated: accounts aligned, variances and trends.

Labels worded differently from year to year are matched by normalised text first, then by meaning
(docuforge.index.embeddings), falling back to word overlap when the embedding model is absent.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Callable, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from docuforge.finance.labels import canonical, content_words, normalise
from docuforge.finance.model import Check, Period, Statement, StatementLine, StatementType
from docuforge.finance.periods import parse_period
from docuforge.finance.validate import checks, find_structure

Similarity = Callable[[Sequence[str], Sequence[str]], np.ndarray]


class ConsolidationOptions(BaseModel):
    embeddings: bool = Field(
        True, description="Match differently worded labels by meaning (the bundled model)."
    )
    min_similarity: float = Field(0.5, description="Least similarity of two labels taken for one account.")
    position_weight: float = Field(0.3, description="How much a line's place in the statement counts.")


class Variance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current: str = Field(description="The later period.")
    prior: str
    absolute: float | None
    percent: float | None = Field(description="Change as a share of the prior value's magnitude.")


class ConsolidatedLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    level: int = 0
    is_total: bool = False
    values: dict[str, float | None] = Field(
        default_factory=dict, description="By period, in the scale given."
    )
    labels: dict[str, str] = Field(default_factory=dict, description="The label as printed for each period.")
    variances: list[Variance] = Field(default_factory=list)
    trend: str | None = Field(None, description="increasing, decreasing, flat or mixed, oldest to newest.")


class ConsolidatedStatement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    statement_type: StatementType
    company: str | None = None
    currency: str | None = None
    scale: int = 1
    periods: list[str] = Field(description="Newest first.")
    period_details: list[Period] = Field(default_factory=list)
    lines: list[ConsolidatedLine]
    checks: list[Check] = Field(default_factory=list)


class Consolidation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    company: str | None = None
    statements: list[ConsolidatedStatement]


def consolidate(
    statements: Sequence[Statement],
    options: ConsolidationOptions | None = None,
    similarity: Similarity | None = None,
) -> Consolidation:
    """One consolidated statement per type, its periods newest first."""
    options = options or ConsolidationOptions()
    if similarity is None and options.embeddings:
        similarity = _embedding_similarity()
    by_type: dict[StatementType, list[Statement]] = {}
    for statement in statements:
        by_type.setdefault(statement.statement_type, []).append(statement)
    out = [_consolidate_type(group, options, similarity) for _, group in sorted(by_type.items())]
    companies = [s.company for s in statements if s.company]
    return Consolidation(company=companies[0] if companies else None, statements=out)


def _embedding_similarity() -> Similarity | None:
    try:
        from docuforge.index.embeddings import ModelUnavailable, similarity

        similarity(["revenue"], ["sales"])
    except (ImportError, ModelUnavailable):
        return None
    return similarity


def _newest(statement: Statement) -> tuple[str, int]:
    details = statement.period_details or [parse_period(p) for p in statement.periods]
    return (
        max(((d.end_date or f"{d.year or 0:04d}"), d.quarter or 0) for d in details) if details else ("", 0)
    )


def _consolidate_type(
    group: list[Statement], options: ConsolidationOptions, similarity: Similarity | None
) -> ConsolidatedStatement:
    group = sorted(group, key=_newest, reverse=True)
    base = group[0]
    scale = min(s.scale for s in group)
    rows: list[ConsolidatedLine] = []
    for line in base.lines:
        rows.append(ConsolidatedLine(label=line.label, level=line.level, is_total=line.is_total))
    periods: dict[str, Period] = {}
    for statement in group:
        if statement is base:
            mapping = {j: j for j in range(len(base.lines))}
        else:
            mapping = _align(rows, statement.lines, options, similarity)
        details = statement.period_details or [parse_period(p) for p in statement.periods]
        factor = statement.scale / scale
        for label, detail in zip(statement.periods, details, strict=False):
            if detail.key in periods:
                continue  # a newer statement's figure (restated) wins over an older one's
            periods[detail.key] = detail
            for j, line in enumerate(statement.lines):
                target = mapping.get(j)
                if target is None:
                    target = _insert(rows, statement.lines, j, mapping)
                value = line.values.get(label)
                if value is not None and factor != 1:
                    value = round(value * factor, 6)
                rows[target].values[detail.key] = value
                rows[target].labels[detail.key] = line.label
    ordered = sorted(
        periods.values(), key=lambda d: (d.end_date or f"{d.year or 0:04d}", d.quarter or 0), reverse=True
    )
    keys = [d.key for d in ordered]
    for row in rows:
        row.values = {k: row.values.get(k) for k in keys}
        row.variances = [_variance(row, keys[i], keys[i + 1]) for i in range(len(keys) - 1)]
        row.trend = _trend([row.values[k] for k in reversed(keys)])
    as_lines = [
        StatementLine(label=r.label, level=r.level, values=dict(r.values), is_total=r.is_total) for r in rows
    ]
    structure = find_structure(as_lines, keys)
    return ConsolidatedStatement(
        statement_type=base.statement_type,
        company=base.company,
        currency=base.currency,
        scale=scale,
        periods=keys,
        period_details=ordered,
        lines=rows,
        checks=checks(as_lines, keys, structure, base.statement_type),
    )


def _align(
    rows: list[ConsolidatedLine],
    lines: list[StatementLine],
    options: ConsolidationOptions,
    similarity: Similarity | None,
) -> dict[int, int]:
    """Which consolidated row each of a statement's lines belongs to (unmatched lines left out).

    Statements keep their order from year to year, so the match is an alignment: the order-preserving
    pairing with the largest total similarity above the threshold (a line may be renamed, not moved).
    """
    n, m = len(lines), len(rows)
    if not n or not m:
        return {}
    meaning = None
    if similarity is not None:
        meaning = similarity([line.label for line in lines], [row.label for row in rows])
    gain = np.full((n, m), -1.0, dtype=np.float64)
    row_norm = [normalise(r.label) for r in rows]
    for j, line in enumerate(lines):
        norm = normalise(line.label)
        for i, row in enumerate(rows):
            if _is_heading(line.values) != _is_heading(row.values):
                continue
            if norm == row_norm[i]:
                score = 1.0
            elif canonical(line.label) == canonical(row.label):
                score = 0.95
            else:
                score = _lexical(line.label, row.label)
                if meaning is not None:
                    score = max(score, float(meaning[j, i]))
                if line.is_total != row.is_total:
                    score -= 0.15
            score -= options.position_weight * abs(i / m - j / n)
            if score >= options.min_similarity:
                gain[j, i] = score - options.min_similarity + 1e-3
    best = np.zeros((n + 1, m + 1), dtype=np.float64)
    for j in range(n - 1, -1, -1):
        for i in range(m - 1, -1, -1):
            take = best[j + 1, i + 1] + gain[j, i] if gain[j, i] > 0 else -1.0
            best[j, i] = max(take, best[j + 1, i], best[j, i + 1])
    mapping: dict[int, int] = {}
    j = i = 0
    while j < n and i < m:
        if gain[j, i] > 0 and best[j, i] == best[j + 1, i + 1] + gain[j, i]:
            mapping[j] = i
            j, i = j + 1, i + 1
        elif best[j, i] == best[j + 1, i]:
            j += 1
        else:
            i += 1
    return mapping


def _is_heading(values: dict[str, float | None]) -> bool:
    return all(v is None for v in values.values())


def _lexical(a: str, b: str) -> float:
    wa, wb = content_words(a), content_words(b)
    jaccard = len(wa & wb) / len(wa | wb) if wa | wb else 0.0
    return max(jaccard, difflib.SequenceMatcher(None, normalise(a), normalise(b)).ratio())


def _insert(rows: list[ConsolidatedLine], lines: list[StatementLine], j: int, mapping: dict[int, int]) -> int:
    """Place a line the consolidation lacks right after the row its predecessor went to."""
    before = max((mapping[k] for k in range(j) if k in mapping), default=-1)
    position = before + 1
    line = lines[j]
    rows.insert(position, ConsolidatedLine(label=line.label, level=line.level, is_total=line.is_total))
    for k, target in mapping.items():
        if target >= position:
            mapping[k] = target + 1
    mapping[j] = position
    return position


def _variance(row: ConsolidatedLine, current: str, prior: str) -> Variance:
    now, before = row.values.get(current), row.values.get(prior)
    if now is None or before is None:
        return Variance(current=current, prior=prior, absolute=None, percent=None)
    absolute = round(now - before, 6)
    percent = round(absolute / abs(before), 6) if before else None
    return Variance(current=current, prior=prior, absolute=absolute, percent=percent)


def _trend(values: list[float | None]) -> str | None:
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return None
    steps = [b - a for a, b in itertools.pairwise(known)]
    if all(s == 0 for s in steps):
        return "flat"
    if all(s >= 0 for s in steps):
        return "increasing"
    if all(s <= 0 for s in steps):
        return "decreasing"
    return "mixed"
