"""Comparing extracted values with ground truth: per-field accuracy and micro F1."""

from __future__ import annotations

import re
from typing import Any

from docuforge.extraction import values


def norm_text(text: Any) -> str:
    """Case, spacing and spacing around punctuation ignored; nothing else."""
    if text is None:
        return ""
    flat = re.sub(r"\s+", " ", str(text)).strip().upper()
    return re.sub(r"\s*([,.;:()&/-])\s*", r"\1", flat).strip(" ,.;:")


def same(field: str, predicted: Any, truth: Any, kind: str) -> bool:
    if predicted is None or truth is None:
        return False
    if kind == "number":
        expected = values.find_amounts(str(truth))  # the truth may be written "$9.20"
        try:
            return bool(expected) and abs(float(predicted) - expected[-1].value) < 0.005
        except (TypeError, ValueError):
            return False
    if kind == "date":
        return str(predicted) == str(truth)
    return norm_text(predicted) == norm_text(truth)


def token_f1(predicted: Any, truth: Any) -> float:
    a, b = norm_text(predicted).split(), norm_text(truth).split()
    if not a or not b:
        return 0.0
    common = sum(min(a.count(t), b.count(t)) for t in set(a))
    if not common:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)


class Tally:
    """Per-field counts: predicted (non-empty), truth (non-empty), correct."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[str, float]] = {}

    def add(self, field: str, predicted: Any, truth: Any, correct: bool) -> None:
        row = self.fields.setdefault(field, {"predicted": 0, "truth": 0, "correct": 0, "n": 0})
        row["n"] += 1
        row["predicted"] += predicted not in (None, "", [])
        row["truth"] += truth not in (None, "", [])
        row["correct"] += bool(correct)

    def report(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fields": {}}
        totals = {"predicted": 0.0, "truth": 0.0, "correct": 0.0}
        for name, row in self.fields.items():
            out["fields"][name] = {
                "accuracy": round(row["correct"] / row["n"], 4) if row["n"] else None,
                **{k: int(v) for k, v in row.items()},
            }
            for key in totals:
                totals[key] += row[key]
        precision = totals["correct"] / totals["predicted"] if totals["predicted"] else 0.0
        recall = totals["correct"] / totals["truth"] if totals["truth"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.update(precision=round(precision, 4), recall=round(recall, 4), f1=round(f1, 4))
        return out


def iso_date(text: str, order: str = "DMY") -> str | None:
    found = values.find_dates(text, order)
    return found[0].value if found else None
