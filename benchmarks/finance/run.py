"""Finance benchmark: statements generated with exact ground truth, parsed and read end to end.

    .venv/bin/python -m benchmarks.finance.run                  # 120 cases, both halves
    .venv/bin/python -m benchmarks.finance.run --cases 40 --split tune --failures
    .venv/bin/python -m benchmarks.finance.run --ablate sum_totals,notes_column

Even cases tune the heuristics, odd cases report; results/finance.{json,md} carry the reporting half
(and the tuning half beside it). Seconds per statement include parsing (OCR for the scanned cases).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections import defaultdict
from typing import Any

import docuforge
from benchmarks.finance import corpus
from benchmarks.finance.scoring import Score, score
from docuforge.finance import FinanceOptions, parse_options, read_statements

RESULTS = corpus.ROOT / "benchmarks" / "results"


def run_case(case: corpus.Case, options: FinanceOptions) -> tuple[list[tuple[Score, str]], float, int]:
    start = time.perf_counter()
    document = docuforge.parse(case.path, parse_options())
    statements = read_statements(document, options)
    seconds = time.perf_counter() - start
    by_page = {s.pages[0]: s for s in statements if s.pages}
    scores = []
    for truth, page in case.statements:
        scores.append((score(truth, by_page.get(page)), truth.statement_type))
    extra = len(statements) - len(case.statements)
    return scores, seconds, extra


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    scores: list[Score] = [r["score"] for r in rows]
    n = len(scores)
    if not n:
        return {}
    lines = sum(s.lines for s in scores)
    found = sum(s.lines_found for s in scores)
    return {
        "statements": n,
        "type_accuracy": round(sum(s.type_ok for s in scores) / n, 4),
        "line_recall": round(found / lines, 4),
        "value_accuracy": round(sum(s.values_ok for s in scores) / max(1, sum(s.values for s in scores)), 4),
        "level_accuracy": round(sum(s.levels_ok for s in scores) / max(1, found), 4),
        "total_flag_accuracy": round(sum(s.totals_ok for s in scores) / max(1, found), 4),
        "note_accuracy": round(sum(s.notes_ok for s in scores) / max(1, sum(s.notes for s in scores)), 4),
        "scale_accuracy": round(sum(s.scale_ok for s in scores) / n, 4),
        "currency_accuracy": round(sum(s.currency_ok for s in scores) / n, 4),
        "period_accuracy": round(sum(s.periods_ok for s in scores) / n, 4),
        "validation_pass_rate": round(sum(s.validated for s in scores) / n, 4),
        "seconds_per_statement": round(statistics.mean(r["seconds"] for r in rows), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=120)
    parser.add_argument("--split", choices=("tune", "report", "both"), default="both")
    parser.add_argument("--ablate", default="", help="ReadOptions switches to turn off, comma-separated")
    parser.add_argument("--failures", action="store_true", help="print what went wrong, case by case")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    options = FinanceOptions()
    for name in filter(None, args.ablate.split(",")):
        setattr(options.read, name, False)
    rows: list[dict[str, Any]] = []
    extras = 0
    for case in corpus.cases(args.cases):
        if args.split != "both" and case.split != args.split:
            continue
        scores, seconds, extra = run_case(case, options)
        extras += max(0, extra)
        for s, kind in scores:
            rows.append(
                {
                    "case": case.index,
                    "split": case.split,
                    "scanned": case.scanned,
                    "kind": kind,
                    "score": s,
                    "seconds": seconds / max(1, len(scores)),
                }
            )
            if args.failures and s.failures:
                print(f"case {case.index} {kind} {'scanned ' if case.scanned else ''}{case.style}")
                for failure in s.failures[:12]:
                    print("   ", failure)
    report: dict[str, Any] = {
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "cases": args.cases,
        "ablated": args.ablate or None,
        "statements_read_that_are_not_there": extras,
    }
    for split in ("report", "tune"):
        part = [r for r in rows if r["split"] == split]
        if not part:
            continue
        report[split] = {
            "all": summarise(part),
            "digital": summarise([r for r in part if not r["scanned"]]),
            "scanned": summarise([r for r in part if r["scanned"]]),
            "by_type": {k: summarise([r for r in part if r["kind"] == k]) for k in corpus.KINDS},
        }
    print(json.dumps(report, indent=2))
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        name = "finance" if not args.ablate else "finance_ablation"
        (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
        (RESULTS / f"{name}.md").write_text(markdown(report))


def markdown(report: dict[str, Any]) -> str:
    out = [
        "# Finance benchmark",
        "",
        "Generated statements with exact ground truth (income statements, balance sheets, cash-flow "
        "statements in many styles; one case in five rendered to a 200-dpi noisy image and OCRed). "
        "Even cases tuned the heuristics; the figures below are the odd (reporting) cases unless marked.",
        "",
        f"Machine: {report['machine']}. Ablated: {report['ablated'] or 'nothing'}.",
        "",
    ]
    metrics = (
        "statements",
        "type_accuracy",
        "line_recall",
        "value_accuracy",
        "level_accuracy",
        "total_flag_accuracy",
        "note_accuracy",
        "scale_accuracy",
        "currency_accuracy",
        "period_accuracy",
        "validation_pass_rate",
        "seconds_per_statement",
    )
    groups: dict[str, dict[str, Any]] = defaultdict(dict)
    for split in ("report", "tune"):
        if split not in report:
            continue
        groups[f"{split}: all"] = report[split]["all"]
        groups[f"{split}: digital"] = report[split]["digital"]
        groups[f"{split}: scanned"] = report[split]["scanned"]
        for kind, value in report[split]["by_type"].items():
            groups[f"{split}: {kind}"] = value
    names = list(groups)
    out.append("| metric | " + " | ".join(names) + " |")
    out.append("|---" * (len(names) + 1) + "|")
    for metric in metrics:
        out.append(f"| {metric} | " + " | ".join(str(groups[n].get(metric, "")) for n in names) + " |")
    out.append("")
    out.append(f"Statements read where none was generated: {report['statements_read_that_are_not_there']}.")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
