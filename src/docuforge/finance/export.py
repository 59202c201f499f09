"""Statements and consolidations as CSV and JSON (Excel is excel.py)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from docuforge.finance.consolidate import Consolidation
from docuforge.finance.model import Statement


def statements_json(statements: Sequence[Statement], full: bool = False) -> str:
    """The issue's shape: a list of {statement_type, company, currency, scale, periods, lines, checks}."""
    keep = None if full else {"statement_type", "company", "currency", "scale", "periods", "lines", "checks"}
    return json.dumps([s.model_dump(mode="json", include=keep) for s in statements], indent=2)


def consolidation_csv(consolidation: Consolidation) -> str:
    """One row per line: type, label, level, total flag, each period, then each variance."""
    out = io.StringIO()
    writer = csv.writer(out)
    for statement in consolidation.statements:
        pairs = [(statement.periods[i], statement.periods[i + 1]) for i in range(len(statement.periods) - 1)]
        writer.writerow(
            [
                "statement_type",
                "label",
                "level",
                "is_total",
                *statement.periods,
                *(f"change {a} vs {b}" for a, b in pairs),
                *(f"change % {a} vs {b}" for a, b in pairs),
                "trend",
                "scale",
                "currency",
            ]
        )
        for line in statement.lines:
            values = [
                "" if line.values.get(p) is None else _number(line.values[p]) for p in statement.periods
            ]
            absolute = ["" if v.absolute is None else _number(v.absolute) for v in line.variances]
            percent = ["" if v.percent is None else f"{v.percent:.4f}" for v in line.variances]
            writer.writerow(
                [
                    statement.statement_type.value,
                    line.label,
                    line.level,
                    line.is_total,
                    *values,
                    *absolute,
                    *percent,
                    line.trend or "",
                    statement.scale,
                    statement.currency or "",
                ]
            )
    return out.getvalue()


def statements_csv(statements: Sequence[Statement]) -> str:
    """One row per line and period, values as printed with the scale beside them."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "statement_type",
            "company",
            "label",
            "level",
            "is_total",
            "note",
            "period",
            "value",
            "scale",
            "currency",
            "page",
        ]
    )
    for s in statements:
        for line in s.lines:
            for period in s.periods:
                value = line.values.get(period)
                writer.writerow(
                    [
                        s.statement_type.value,
                        s.company or "",
                        line.label,
                        line.level,
                        line.is_total,
                        line.note or "",
                        period,
                        "" if value is None else _number(value),
                        s.scale,
                        s.currency or "",
                        line.citation.page if line.citation else "",
                    ]
                )
    return out.getvalue()


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)
