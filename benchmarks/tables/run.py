"""Tables drawn with exact grids, one family per kind, read by Docuforge and its peers.

    python -m benchmarks.tables.run [--count 24] [--half report] [--tools docuforge,pdfplumber,pymupdf4llm]
                                    [--ablation] [--label after] [--kinds spanning,numeric]

The samples come from benchmarks/tables/drawn.py, deterministic from their seeds: even
seeds are the tuning half, odd seeds the reporting half. Docuforge runs in this process; the
peers run in benchmarks/.venv-peers (benchmarks/setup_peers.sh builds it). `--ablation` runs
Docuforge again with each table mechanism switched off in turn. Results go to
benchmarks/results/tables_unseen.json under `--label` (and the Markdown report is rebuilt from
every label there).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.tables.drawn import KINDS, Sample, samples
from benchmarks.tables.scoring import score

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "benchmarks" / ".cache" / "tables"
RESULTS = ROOT / "benchmarks" / "results"
PEERS = ROOT / "benchmarks" / ".venv-peers" / "bin" / "python"
METRICS = ("cell_accuracy", "exact", "content_recall", "rtl_order")


def write_samples(kinds: list[str], count: int, half: str) -> list[tuple[Sample, Path]]:
    CACHE.mkdir(parents=True, exist_ok=True)
    out = []
    for kind in kinds:
        for sample in samples(kind, count):
            if half != "both" and sample.half != half:
                continue
            path = CACHE / f"{sample.name}.pdf"
            path.write_bytes(sample.pdf)
            out.append((sample, path))
    return out


def docuforge_tables(paths: list[Path]) -> dict[str, dict[str, Any]]:
    import docuforge
    from docuforge.document.model import BlockType

    docuforge.parse(paths[0].read_bytes())  # load before timing
    found = {}
    for path in paths:
        data = path.read_bytes()
        started = time.perf_counter()
        document = docuforge.parse(data)
        ms = (time.perf_counter() - started) * 1000
        tables = []
        for block in document.blocks():
            if block.type is BlockType.TABLE and block.table is not None:
                grid = [["" for _ in range(block.table.n_cols)] for _ in range(block.table.n_rows)]
                for cell in block.table.cells:
                    grid[cell.row][cell.col] = cell.text
                tables.append(grid)
        found[str(path)] = {"tables": tables, "ms": ms, "error": None}
    return found


def peer_tables(tool: str, paths: list[Path]) -> dict[str, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        files, out = Path(tmp) / "files.json", Path(tmp) / "out.json"
        files.write_text(json.dumps([str(p) for p in paths]))
        subprocess.run(
            [
                str(PEERS),
                str(Path(__file__).with_name("peers.py")),
                "--tool",
                tool,
                "--files",
                str(files),
                "--out",
                str(out),
            ],
            check=True,
        )
        return json.loads(out.read_text())


def summarise(items: list[tuple[Sample, Path]], found: dict[str, dict[str, Any]]) -> dict[str, Any]:
    per_kind: dict[str, dict[str, list[float]]] = {}
    failures: dict[str, list[str]] = {}
    for sample, path in items:
        result = found[str(path)]
        scores = score(sample.grid, result["tables"], rtl=sample.rtl)
        scores["ms"] = result["ms"]
        bucket = per_kind.setdefault(sample.kind, {k: [] for k in (*METRICS, "ms")})
        for key, value in scores.items():
            if not (isinstance(value, float) and math.isnan(value)):
                bucket[key].append(value)
        if scores["cell_accuracy"] < 0.85:
            failures.setdefault(sample.kind, []).append(f"{sample.name}: {scores['cell_accuracy']:.2f}")
    summary: dict[str, Any] = {}
    for kind, bucket in per_kind.items():
        summary[kind] = {k: round(statistics.mean(v), 3) for k, v in bucket.items() if v}
        summary[kind]["n"] = len(bucket["cell_accuracy"])
    kinds = list(per_kind)
    summary["mean"] = {
        k: round(statistics.mean(summary[kind][k] for kind in kinds if k in summary[kind]), 3)
        for k in ("cell_accuracy", "exact", "content_recall", "ms")
    }
    return {"summary": summary, "failures": failures}


def switch_names() -> list[str]:
    from docuforge.parsing import mechanisms

    return [f.name for f in mechanisms.fields()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=24, help="samples per kind, both halves")
    parser.add_argument("--half", default="report", choices=["report", "tune", "both"])
    parser.add_argument("--tools", default="docuforge,pdfplumber,pymupdf4llm")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--label", default="after")
    parser.add_argument("--ablation", action="store_true")
    parser.add_argument("--off", default="", help="mechanisms to switch off for this run")
    parser.add_argument("--failures", action="store_true")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    items = write_samples(args.kinds.split(","), args.count, args.half)
    paths = [path for _, path in items]
    results: dict[str, Any] = {}
    for tool in args.tools.split(","):
        if tool == "docuforge":
            off = [name for name in args.off.split(",") if name]
            if off or args.ablation:  # a checkout from before the switches runs without them
                from docuforge.parsing import mechanisms

                for name in off:
                    mechanisms.switch(name, False)
            results["docuforge"] = summarise(items, docuforge_tables(paths))
            if args.ablation:
                for name in switch_names():
                    mechanisms.switch(name, False)
                    results[f"docuforge without {name}"] = summarise(items, docuforge_tables(paths))
                    mechanisms.switch(name, True)
        else:
            results[tool] = summarise(items, peer_tables(tool, paths))
    for tool, result in results.items():
        print(tool, json.dumps(result["summary"]["mean"]))
        for kind in args.kinds.split(","):
            print("   ", kind, json.dumps(result["summary"].get(kind)))
        if args.failures:
            for kind, names in result["failures"].items():
                print("    failed", kind, ", ".join(names))
    if args.no_save:
        return
    store = RESULTS / "tables_unseen.json"
    saved = json.loads(store.read_text()) if store.exists() else {}
    load = os.getloadavg()[0]
    entry = saved.setdefault(args.label, {"results": {}, "failures": {}, "load_average": {}})
    entry.update({"half": args.half, "count_per_kind": args.count, "python": sys.version.split()[0]})
    for tool, result in results.items():
        entry["results"][tool] = result["summary"]
        entry["failures"][tool] = result["failures"]
        entry["load_average"][tool] = round(load, 2)
    store.write_text(json.dumps(saved, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
