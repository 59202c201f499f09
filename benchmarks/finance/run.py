"""Finance benchmark: statements generated with exact ground truth, parsed and read end to end.

    .venv/bin/python -m benchmarks.finance.run                  # 120 cases, both halves
    .venv/bin/python -m benchmarks.finance.run --cases 40 --split tune --failures
    .venv/bin/python -m benchmarks.finance.run --ablate sum_totals,notes_column
    .venv/bin/python -m benchmarks.finance.run --scans 48 --scanned-only --ablations

Even cases tune the heuristics, odd cases report; results/finance.{json,md} carry the reporting half
(and the tuning half beside it). Seconds per statement include parsing (OCR for the scanned cases).
--scans adds statements scanned with degradations of their own (corpus.scan_cases). The OCRed Documents
are kept in benchmarks/.cache/finance/documents/ (keyed by the image's bytes) so that reading can be
tuned without OCRing again: --fresh-ocr ignores them, and their parse time is the one first measured.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import docuforge
from benchmarks.finance import corpus
from benchmarks.finance.scoring import Score, score
from docuforge.document import Document
from docuforge.finance import FinanceOptions, parse_options, read_statements

RESULTS = corpus.ROOT / "benchmarks" / "results"
DOCUMENTS = corpus.CACHE / "documents"
FRESH_OCR = False


def parsed(case: corpus.Case) -> tuple[Document, float]:
    """The case's Document and the seconds parsing took (a scanned case's OCR is done once and kept)."""
    if not case.scanned:
        start = time.perf_counter()
        return docuforge.parse(case.path, parse_options()), time.perf_counter() - start
    key = hashlib.sha256(case.path.read_bytes()).hexdigest()[:24]
    cached = DOCUMENTS / f"{key}.json"
    if cached.exists() and not FRESH_OCR:
        item = json.loads(cached.read_text())
        return Document.model_validate(item["document"]), item["seconds"]
    start = time.perf_counter()
    document = docuforge.parse(case.path, parse_options())
    seconds = time.perf_counter() - start
    DOCUMENTS.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps({"seconds": seconds, "document": document.model_dump(mode="json")}))
    return document, seconds


def switch_off(options: FinanceOptions, name: str) -> None:
    """Turn one heuristic off, whether a ReadOptions or a RowOptions switch."""
    rows = options.read.rows
    setattr(rows if name in type(rows).model_fields else options.read, name, False)


def all_cases(n: int, scans: int) -> list[corpus.Case]:
    return corpus.cases(n) + corpus.scan_cases(scans)


def run_case(case: corpus.Case, options: FinanceOptions) -> tuple[list[tuple[Score, str]], float, int]:
    document, parse_seconds = parsed(case)
    start = time.perf_counter()
    statements = read_statements(document, options)
    seconds = parse_seconds + time.perf_counter() - start
    by_page = {s.pages[0]: s for s in statements if s.pages}
    scores = []
    for truth, page in case.statements:
        scores.append((score(truth, by_page.get(page)), truth.statement_type))
    extra = len(statements) - len(case.statements)
    return scores, seconds, extra


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{platform.machine()} {model}, {os.cpu_count()} cores (shared)"


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
        "note_accuracy": round(sum(s.notes_ok for s in scores) / sum(s.notes for s in scores), 4)
        if any(s.notes for s in scores)
        else None,
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
    parser.add_argument("--digital-only", action="store_true", help="skip the scanned (OCR) cases")
    parser.add_argument("--scanned-only", action="store_true", help="only the scanned (OCR) cases")
    parser.add_argument("--scans", type=int, default=0, help="statements scanned with degradations")
    parser.add_argument("--fresh-ocr", action="store_true", help="OCR the scans again")
    parser.add_argument(
        "--ablations",
        action="store_true",
        help="each heuristic switched off in turn (reporting half, digital)",
    )
    args = parser.parse_args()
    global FRESH_OCR
    FRESH_OCR = args.fresh_ocr
    if args.ablations:
        if args.scanned_only:
            scanned_ablations(args.cases, args.scans)
        else:
            ablations(args.cases)
        return
    options = FinanceOptions()
    for name in filter(None, args.ablate.split(",")):
        switch_off(options, name)
    rows: list[dict[str, Any]] = []
    extras = 0
    for case in all_cases(args.cases, args.scans):
        if (
            (args.split != "both" and case.split != args.split)
            or (args.digital_only and case.scanned)
            or (args.scanned_only and not case.scanned)
        ):
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
                scan = f"scanned ({case.degradation or 'default'}) " if case.scanned else ""
                print(f"case {case.index} {kind} {scan}{case.style}")
                for failure in s.failures[:12]:
                    print("   ", failure)
    report: dict[str, Any] = {
        "machine": machine(),
        "cases": args.cases,
        "scans": args.scans,
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
        if args.scanned_only:
            name = "finance_scanned" if not args.ablate else "finance_scanned_ablation"
        (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
        (RESULTS / f"{name}.md").write_text(markdown(report))


SWITCHES = (
    "notes_column",
    "indentation_levels",
    "structural_levels",
    "sum_totals",
    "bold_totals",
    "keyword_totals",
    "wrap_labels",
    "wrap_below_values",
    "blank_as_zero",
    "word_bold",
)


def ablations(n: int) -> None:
    """What each ReadOptions heuristic buys: the reporting half's digital cases, each switched off."""
    cases = [c for c in corpus.cases(n) if c.split == "report" and not c.scanned]
    _ablate(cases, ("none", *SWITCHES), "finance_ablation", "digital cases")


# switches that matter where words come from OCR
SCAN_SWITCHES = (
    "deskew",
    "join_space_groups",
    "ocr_separators",
    "lost_dashes",
    "repair_misreads",
    "wrap_below_values",
    "blank_as_zero",
    "indentation_levels",
)


def scanned_ablations(n: int, scans: int) -> None:
    """What each heuristic buys on the reporting half's scanned cases."""
    cases = [c for c in all_cases(n, scans) if c.split == "report" and c.scanned]
    _ablate(cases, ("none", *SCAN_SWITCHES), "finance_scanned_ablation", "scanned cases")


def _ablate(cases: list[corpus.Case], switches: tuple[str, ...], name: str, what: str) -> None:
    documents = {c.index: parsed(c)[0] for c in cases}
    table: dict[str, dict[str, Any]] = {}
    for switch in switches:
        options = FinanceOptions()
        if switch != "none":
            switch_off(options, switch)
        rows = []
        for case in cases:
            start = time.perf_counter()
            statements = read_statements(documents[case.index], options)
            seconds = time.perf_counter() - start
            by_page = {s.pages[0]: s for s in statements if s.pages}
            for truth, page in case.statements:
                rows.append(
                    {"score": score(truth, by_page.get(page)), "seconds": seconds / len(case.statements)}
                )
        table[switch] = summarise(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(table, indent=2) + "\n")
    metrics = (
        "line_recall",
        "value_accuracy",
        "level_accuracy",
        "total_flag_accuracy",
        "note_accuracy",
        "validation_pass_rate",
    )
    out = [
        "# Finance: what each heuristic buys",
        "",
        f"Reporting half, {what} ({table['none']['statements']} statements), read with one "
        "ReadOptions switch off at a time (seconds exclude parsing).",
        "",
        "| switched off | " + " | ".join(metrics) + " |",
        "|---" * (len(metrics) + 1) + "|",
    ]
    for switch, result in table.items():
        out.append(f"| {switch} | " + " | ".join(str(result.get(m)) for m in metrics) + " |")
    (RESULTS / f"{name}.md").write_text("\n".join(out) + "\n")
    print("\n".join(out))


def markdown(report: dict[str, Any]) -> str:
    out = [
        "# Finance benchmark",
        "",
        "Generated statements with exact ground truth (income statements, balance sheets, cash-flow "
        "statements and statements of changes in equity in many styles: unruled, ruled and accounting "
        "rules, indentation and/or bold, leaders, notes columns, 2-5 periods (years, fiscal years, quarters, "
        "three months ended, dates), scales 1/1000/1000000, USD/EUR/GBP/CHF, negatives in parentheses, "
        "minus or trailing minus, both separator conventions and thin spaces; "
        "one case in five rendered to a 200-dpi noisy image and OCRed"
        + (
            f"; plus {report['scans']} statements scanned with degradations of their own: 150-300 dpi, "
            "skew up to 1.2 degrees, noise, blur"
            if report.get("scans")
            else ""
        )
        + "). Even cases tuned the heuristics; the figures below are the odd (reporting) cases"
        " unless marked.",
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
    out.append("")
    out.append(
        "Seconds per statement include parsing (OCR for the scanned cases) on the machine named above, "
        "shared with other work while measured; a scanned case's OCR time is the one measured when it was "
        "first OCRed (the Documents are cached). Real published statements: finance_real.md. Documents "
        "that hold no statement: finance_negatives.md; what each heuristic buys: finance_ablation.md "
        "(digital) and finance_scanned_ablation.md (scanned)."
    )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
