"""Classification accuracy on bench documents labelled by kind (benchmarks/results/classification.*).

    python -m benchmarks.classification.run [--per-kind 8] [--no-embeddings]

Each document is parsed once (first five pages), then classified into the seven kinds with and
without layout signals and embeddings (the ablation the engine's switches allow).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections import Counter
from pathlib import Path

from benchmarks.classification.corpus import CATEGORIES, documents, half
from docuforge.classification import Category, ClassifyOptions, classify
from docuforge.document.model import Document
from docuforge.parsing.options import PageSpan, ParseOptions
from docuforge.parsing.pipeline import parse

RESULTS = Path(__file__).resolve().parents[1] / "results"
CACHE = Path(__file__).resolve().parents[1] / ".cache" / "classification"


def parsed(path: Path, options: ParseOptions) -> tuple[Document, float]:
    """The parsed document, kept in benchmarks/.cache so that a rerun classifies without parsing."""
    cached = CACHE / (hashlib.sha256(str(path).encode()).hexdigest()[:16] + ".json")
    if cached.is_file():
        return Document.model_validate_json(cached.read_text()), 0.0
    started = time.monotonic()
    document = parse(path, options)
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(document.model_dump_json())
    return document, time.monotonic() - started


VARIANTS = {
    "words + layout + embeddings": {"layout_signals": True, "embeddings": True},
    "words + layout": {"layout_signals": True, "embeddings": False},
    "words only": {"layout_signals": False, "embeddings": False},
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-kind", type=int, default=8)
    args = parser.parse_args()
    categories = [Category(name=c["name"], criteria=c["criteria"]) for c in CATEGORIES]
    options = ParseOptions(page_range=[PageSpan(start=1, end=5)])
    rows = []
    for index, (kind, path) in enumerate(documents(args.per_kind)):
        document, parse_s = parsed(path, options)
        row = {
            "doc": str(path.relative_to(path.parents[2])),
            "kind": kind,
            "half": half(index),
            "parse_s": round(parse_s, 2),
        }
        for name, switches in VARIANTS.items():
            started = time.monotonic()
            found = classify(document, categories, ClassifyOptions(**switches))
            row[name] = {
                "category": found.category,
                "confidence": found.confidence,
                "s": round(time.monotonic() - started, 3),
            }
        rows.append(row)
        print(kind, row["doc"], {n: row[n]["category"] for n in VARIANTS}, flush=True)
    summary = {}
    for name in VARIANTS:
        summary[name] = {}
        for part in ("tune", "report", "all"):
            chosen = [r for r in rows if part == "all" or r["half"] == part]
            right = sum(r[name]["category"] == r["kind"] for r in chosen)
            summary[name][part] = {
                "correct": right,
                "total": len(chosen),
                "accuracy": round(right / max(1, len(chosen)), 3),
            }
        per_kind = Counter(r["kind"] for r in rows)
        summary[name]["per_kind"] = {
            k: round(sum(r[name]["category"] == k for r in rows if r["kind"] == k) / n, 3)
            for k, n in per_kind.items()
        }
        summary[name]["confusions"] = Counter(
            f"{r['kind']} -> {r[name]['category']}" for r in rows if r[name]["category"] != r["kind"]
        ).most_common()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "classification.json").write_text(
        json.dumps({"summary": summary, "documents": rows}, indent=2)
    )
    lines = [
        "# Classification: accuracy on bench documents labelled by kind",
        "",
        f"{len(rows)} documents from `../shared/bench`, {len(CATEGORIES)} kinds (receipt, form, "
        "scientific paper, "
        "financial table, slide deck, spreadsheet, text document), labelled by the family of their source "
        "(benchmarks/classification/corpus.py). The first five pages are read. Documents alternate between a "
        "tuning half and a reporting half. The one choice made on the tuning half: classify's default model "
        "leaves the sentence embeddings out (they cost accuracy there; `model: accurate` adds them).",
        "",
        "| variant | report half | tune half | all |",
        "|---|---|---|---|",
    ]
    for name, parts in summary.items():
        cells = [
            f"{parts[p]['accuracy']:.3f} ({parts[p]['correct']}/{parts[p]['total']})"
            for p in ("report", "tune", "all")
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    best = next(iter(VARIANTS))
    lines += ["", f"Per kind ({best}):", "", "| kind | accuracy |", "|---|---|"]
    lines += [f"| {k} | {v:.3f} |" for k, v in summary[best]["per_kind"].items()]
    lines += [
        "",
        f"Confusions ({best}): "
        + (", ".join(f"{c} ({n})" for c, n in summary[best]["confusions"]) or "none"),
    ]
    (RESULTS / "classification.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
