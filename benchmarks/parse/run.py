"""Parse benchmark: Docuforge side by side with pymupdf4llm and markitdown, speed and accuracy.

    bash benchmarks/setup_peers.sh                 # once: the peers' own environment
    .venv/bin/python -m benchmarks.parse.run       # everything (about 20 minutes on 2 cores)
    .venv/bin/python -m benchmarks.parse.run --tools docuforge --sets olmocr --failures

Every (tool, set) pair runs in a fresh process pinned to one core (benchmarks/parse/tools.py),
each file converted three times (once for the 1,000-page PDF); speed is the median per file,
summed over the set and divided by its pages; peak RSS is that process's. The Markdown each tool
produces is then scored here, the same way for every tool:

- synth50 / synth_2col: heading recall, exact table-row recall, text similarity against the exact
  ground truth of the synthetic corpus (synth_2col is its two-column pages: reading order);
- olmocr: the share of olmOCR-bench's sample unit tests passed (math skipped), over all pages and
  over the pages that carry a text layer;
- docling: text similarity to docling's own Markdown (agreement with docling, not accuracy);
- icdar2013: ICDAR 2013 adjacency-relation precision/recall/F1 of the tables in the Markdown;
- pdfplumber: pdfplumber's own assertions on the NICS and WARN tables, and text similarity to its
  expected text of the SCOTUS transcript.

Results go to benchmarks/results/parse.json and parse.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from benchmarks.parse import corpus, scoring

ROOT = corpus.ROOT
RUNS = ROOT / "benchmarks" / ".cache" / "runs"
RESULTS = ROOT / "benchmarks" / "results"
PEERS = ROOT / "benchmarks" / ".venv-peers" / "bin" / "python"
TOOLS = ("docuforge", "pymupdf4llm", "markitdown")


def interpreter(tool: str) -> str:
    if tool == "docuforge":
        return sys.executable
    if not PEERS.exists():
        sys.exit("the peers' environment is missing: run `bash benchmarks/setup_peers.sh` first")
    return str(PEERS)


def run(tool: str, bench: corpus.Set, runs: int | None) -> dict[str, Any]:
    out = RUNS / tool / bench.name
    out.mkdir(parents=True, exist_ok=True)
    files = out / "files.json"
    files.write_text(json.dumps([str(path) for path in bench.files]))
    command = [interpreter(tool), str(ROOT / "benchmarks" / "parse" / "tools.py"), "--tool", tool]
    command += ["--files", str(files), "--out", str(out), "--runs", str(runs or bench.runs)]
    began = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    print(f"  {tool} {bench.name}: {time.perf_counter() - began:.0f} s", file=sys.stderr)
    return json.loads((out / "timings.json").read_text())


def outputs(tool: str, bench: corpus.Set) -> dict[Path, str]:
    out = RUNS / tool / bench.name
    return {path: (out / f"{i}.md").read_text() for i, path in enumerate(bench.files)}


def speed(timings: dict[str, Any]) -> dict[str, Any]:
    done = [f for f in timings["files"] if f["times_s"] and not f["error"]]
    pages = sum(f["pages"] for f in done)
    seconds = sum(statistics.median(f["times_s"]) for f in done)
    return {
        "pages": pages,
        "s_per_page": round(seconds / pages, 4) if pages else None,
        "peak_rss_mb": round(timings["peak_rss_mb"]),
        "load_s": round(timings["load_s"], 2),
        "errors": [f"{Path(f['file']).name}: {f['error']}" for f in timings["files"] if f["error"]],
    }


def has_text_layer(path: Path) -> bool:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        return any(document[i].get_textpage().count_chars() > 0 for i in range(len(document)))
    finally:
        document.close()


# --- scoring per set ---------------------------------------------------------------------------


def score_synth50(md: dict[Path, str], failures: bool) -> dict[str, Any]:
    truth = corpus.synth_truth()
    text = (corpus.CACHE / "gt" / "synth50.txt").read_text()
    return scoring.synthetic(next(iter(md.values())), truth, text)


def score_synth_2col(md: dict[Path, str], failures: bool) -> dict[str, Any]:
    truth = corpus.synth_truth()[40:50]
    text = "\n\n".join(page["text"] for page in truth)
    return scoring.synthetic(next(iter(md.values())), truth, text)


def score_olmocr(md: dict[Path, str], failures: bool) -> dict[str, Any]:
    base = corpus.BENCH / "olmocr_bench_sample"
    tests = [
        json.loads(line)
        for name in ("dataset.jsonl", "blanks.jsonl")
        for line in (base / name).open()
        if line.strip()
    ]
    image_only = {path for path in md if not has_text_layer(path)}
    everything, digital, by_kind = [], [], defaultdict(list)
    for test in tests:
        path = base / "pdfs" / test["pdf"]
        passed = scoring.olmocr_test(md[path], test)
        if passed is None:
            continue
        everything.append(passed)
        by_kind[test["type"]].append(passed)
        if path not in image_only:
            digital.append(passed)
        if failures and not passed:
            detail = {k: v for k, v in test.items() if k not in ("pdf", "page", "id", "checked")}
            print(f"FAIL olmocr {test['pdf']} {test['type']}: {json.dumps(detail)[:220]}")
    return {
        "pass_rate": round(sum(everything) / len(everything), 3),
        "pass_rate_text_layer": round(sum(digital) / len(digital), 3),
        "tests_text_layer": len(digital),
        "image_only": sorted(p.name for p in image_only),
        **{kind: f"{sum(v)}/{len(v)}" for kind, v in sorted(by_kind.items())},
    }


def score_docling(md: dict[Path, str], failures: bool) -> dict[str, Any]:
    per_doc = {}
    for path, markdown in md.items():
        truth = (corpus.BENCH / "docling" / "groundtruth_md" / f"{path.stem}.md").read_text()
        truth = truth.replace("<!-- image -->", "")
        per_doc[path.stem] = round(scoring.similarity(scoring.plain(markdown), scoring.plain(truth)), 3)
    return {"similarity_mean": round(statistics.mean(per_doc.values()), 3), "per_doc": per_doc}


def score_icdar(md: dict[Path, str], failures: bool) -> dict[str, Any]:
    base = corpus.BENCH / "icdar2013_tables"
    correct = in_truth = predicted = 0
    f1s = []
    for path, markdown in md.items():
        found: Counter = Counter()
        for grid in scoring.tables(markdown):
            found += scoring.adjacency(grid)
        candidates = [base / f"{path.stem}-str.xml"]
        if path.stem.endswith("a"):
            candidates.append(base / f"{path.stem[:-1]}b-str.xml")
        best = None
        for xml in (c for c in candidates if c.exists()):
            truth: Counter = Counter()
            for grid in scoring.icdar_truth(xml):
                truth += scoring.adjacency(grid)
            counts = scoring.relation_counts(truth, found)
            if best is None or counts[0] > best[0]:
                best = counts
        if best is None:
            continue
        correct, in_truth, predicted = correct + best[0], in_truth + best[1], predicted + best[2]
        p = best[0] / best[2] if best[2] else 0.0
        r = best[0] / best[1] if best[1] else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
        if failures and f1s[-1] < 0.5:
            print(
                f"LOW icdar {path.name}: F1 {f1s[-1]:.2f} ({best[0]} of {best[1]} relations, {best[2]} found)"
            )
    precision = correct / predicted if predicted else 0.0
    recall = correct / in_truth if in_truth else 0.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
        "f1_mean_per_doc": round(statistics.mean(f1s), 3),
        "documents": len(f1s),
    }


def score_pdfplumber(md: dict[Path, str], failures: bool) -> dict[str, Any]:
    base = corpus.BENCH / "pdfplumber_tables"
    expected = json.loads((base / "expected_from_pdfplumber_tests.json").read_text())
    checks: dict[str, bool] = {}
    nics = expected["nics-background-checks-2015-11.pdf"]
    for path, markdown in md.items():
        if path.name.startswith("nics"):
            for name, ok in scoring.nics_checks(markdown, nics).items():
                checks[f"{path.stem}: {name}"] = ok
        elif path.name.startswith("WARN"):
            for name, ok in scoring.warn_checks(markdown, expected[path.name]).items():
                checks[f"WARN: {name}"] = ok
    scotus = next(p for p in md if p.name.startswith("scotus"))
    truth = (base / "scotus-transcript-p1.txt").read_text()
    if failures:
        for name, ok in checks.items():
            if not ok:
                print(f"FAIL pdfplumber {name}")
    return {
        "checks_passed": f"{sum(checks.values())}/{len(checks)}",
        "failed": [name for name, ok in checks.items() if not ok],
        "scotus_similarity": round(
            scoring.similarity(scoring.plain(md[scotus]), scoring.normalize(truth)), 3
        ),
    }


SCORERS = {
    "synth50": score_synth50,
    "synth_2col": score_synth_2col,
    "olmocr": score_olmocr,
    "docling": score_docling,
    "icdar2013": score_icdar,
    "pdfplumber": score_pdfplumber,
}


# --- report ------------------------------------------------------------------------------------


def report(results: dict[str, Any]) -> str:
    tools = list(results["tools"])
    sets = [name for name in results["sets"]]
    lines = [
        "# Parse benchmark",
        "",
        f"{results['machine']}; {results['date']}. One core per tool (affinity pinned), median of "
        "3 conversions per file (1 for the 1,000-page PDF). Command: `python -m benchmarks.parse.run`.",
        "",
        "## Speed: ms per page (peak RSS of the process, MB)",
        "",
        "| set | pages | " + " | ".join(tools) + " |",
        "|---|---|" + "---|" * len(tools),
    ]
    for name in sets:
        cells = []
        pages = ""
        for tool in tools:
            entry = results["tools"][tool].get(name, {}).get("speed")
            if not entry or entry["s_per_page"] is None:
                cells.append("—")
                continue
            pages = str(entry["pages"])
            errors = f", {len(entry['errors'])} failed" if entry["errors"] else ""
            cells.append(f"{entry['s_per_page'] * 1000:.1f} ({entry['peak_rss_mb']} MB{errors})")
        lines.append(f"| {name} | {pages} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Accuracy",
        "",
        "| set | metric | " + " | ".join(tools) + " |",
        "|---|---|" + "---|" * len(tools),
    ]
    for name in sets:
        metrics: list[str] = []
        for tool in tools:
            for key, value in results["tools"][tool].get(name, {}).get("score", {}).items():
                if key not in metrics and not isinstance(value, dict | list):
                    metrics.append(key)
        for key in metrics:
            row = [str(results["tools"][tool].get(name, {}).get("score", {}).get(key, "—")) for tool in tools]
            lines.append(f"| {name} | {key} | " + " | ".join(row) + " |")
    lines += ["", "Failures per tool and set are in `parse.json`."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated, from: " + ", ".join(TOOLS))
    parser.add_argument("--sets", default="", help="comma-separated set names (default: all)")
    parser.add_argument("--runs", type=int, help="conversions per file (default 3; 1 for pages1000)")
    parser.add_argument(
        "--score-only", action="store_true", help="re-score the last outputs, convert nothing"
    )
    parser.add_argument("--failures", action="store_true", help="print each failed test and weak table")
    parser.add_argument("--no-save", action="store_true", help="print, but leave benchmarks/results alone")
    args = parser.parse_args()
    tools = [t for t in args.tools.split(",") if t]
    chosen = {s for s in args.sets.split(",") if s}
    sets = [s for s in corpus.sets() if not chosen or s.name in chosen]

    previous = RESULTS / "parse.json"
    results: dict[str, Any] = json.loads(previous.read_text()) if previous.exists() else {"tools": {}}
    results.update(
        machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        date=time.strftime("%Y-%m-%d"),
        sets=[s.name for s in corpus.sets()],
    )
    for tool in tools:
        for bench in sets:
            entry = results["tools"].setdefault(tool, {}).setdefault(bench.name, {})
            if not args.score_only:
                entry["speed"] = speed(run(tool, bench, args.runs))
            scorer = SCORERS.get(bench.name)
            if scorer and (RUNS / tool / bench.name / "timings.json").exists():
                entry["score"] = scorer(outputs(tool, bench), args.failures and tool == tools[0])
            print(f"{tool} {bench.name}: {json.dumps(entry)[:400]}")
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        previous.write_text(json.dumps(results, indent=1) + "\n")
        (RESULTS / "parse.md").write_text(report(results))
        print(f"written: {previous.relative_to(ROOT)}, benchmarks/results/parse.md")


if __name__ == "__main__":
    main()
