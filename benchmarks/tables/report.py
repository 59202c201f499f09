"""benchmarks/results/tables_unseen.md from tables_unseen.json (written by benchmarks.tables.run).

python -m benchmarks.tables.report
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parents[1] / "results"
KIND_NOTES = {
    "spanning": "group headers over 3-6 sub-columns",
    "numeric": "unruled, many narrow numeric columns; invoices",
    "footnote": "superscripts and footnote marks",
    "partial": "rule under the header or frame only; title and outside labels",
    "rtl": "Hebrew and Arabic",
    "rotated": "turned a quarter turn (whole page, or beside upright text)",
    "multiline": "header cells on 2-4 lines",
    "wrapped": "wrapped cell text",
    "hyphen": "line-end hyphen that belongs to the text",
}


def _cell(result: dict[str, Any] | None, kind: str, key: str) -> str:
    if not result or kind not in result or key not in result[kind]:
        return "—"
    value = result[kind][key]
    return f"{value:.0f}" if key == "ms" else f"{value:.3f}"


def build(data: dict[str, Any]) -> str:
    before = data.get("before", {}).get("results", {}).get("docuforge")
    after_entry = data.get("after", {})
    after = after_entry.get("results", {}).get("docuforge")
    peers = data.get("peers", {}).get("results", {})
    kinds = [k for k in KIND_NOTES if (after and k in after) or (before and k in before)]
    columns = [("Docuforge before", before), ("Docuforge after", after), *peers.items()]
    out = [
        "# Tables on documents nobody tuned on: drawn tables with exact grids",
        "",
        "Samples: `benchmarks/tables/drawn.py`, nine kinds, 24 seeds each; even seeds are the tuning",
        "half, odd seeds the **reporting half: every figure here is the reporting half** (12 pages per",
        "kind). Scorer: `benchmarks/tables/scoring.py` (cell accuracy = expected cells found at their",
        "aligned position in the best-matching table of the page; exact = the whole grid; content",
        "recall = the expected tokens found in the page's tables). Right-to-left tables may be laid",
        "either way round for the cell accuracy; `rtl_order` says whether the first column is the",
        "rightmost. Peers run from `benchmarks/.venv-peers` (`benchmarks/setup_peers.sh`) in the same",
        "session: pdfplumber's `extract_tables()` with its defaults (ruling lines), and with its text",
        "strategy; pymupdf4llm's Markdown tables. Command: `python -m benchmarks.tables.run --ablation`.",
        "",
    ]
    for key, title in (
        ("cell_accuracy", "Cell accuracy"),
        ("exact", "Exact-grid rate"),
        ("content_recall", "Content recall"),
        ("ms", "ms per page"),
    ):
        out += [
            f"## {title}",
            "",
            "| kind | " + " | ".join(name for name, _ in columns) + " |",
            "|---|" + "---|" * len(columns),
        ]
        for kind in kinds:
            out.append(
                f"| {kind} ({KIND_NOTES[kind]}) | "
                + " | ".join(_cell(r, kind, key) for _, r in columns)
                + " |"
            )
        if key != "ms":
            means = []
            for _, result in columns:
                if result and "mean" in result and key in result["mean"]:
                    means.append(f"**{result['mean'][key]:.3f}**")
                else:
                    means.append("—")
            out.append("| **mean** | " + " | ".join(means) + " |")
        out.append("")
    if after and "rtl" in after:
        out += [
            f"RTL column order (first column the rightmost): before {_cell(before, 'rtl', 'rtl_order')}, "
            f"after {_cell(after, 'rtl', 'rtl_order')}.",
            "",
        ]
    ablations = {
        name.removeprefix("docuforge without "): r
        for name, r in after_entry.get("results", {}).items()
        if name.startswith("docuforge without ")
    }
    if ablations:
        out += [
            "## Ablation: cell accuracy (exact-grid rate) with one mechanism switched off",
            "",
            "Switches: `docuforge.parsing.mechanisms`.",
            "",
            "| kind | all on | " + " | ".join(f"no {n}" for n in ablations) + " |",
            "|---|---|" + "---|" * len(ablations),
        ]
        for kind in [*kinds, "mean"]:
            row = [f"{after[kind]['cell_accuracy']:.3f} ({after[kind]['exact']:.2f})"]
            for result in ablations.values():
                row.append(f"{result[kind]['cell_accuracy']:.3f} ({result[kind]['exact']:.2f})")
            out.append(f"| {kind} | " + " | ".join(row) + " |")
        out.append("")
    for label in ("before", "after", "peers"):
        entry = data.get(label)
        if entry:
            loads = ", ".join(f"{tool}: {load}" for tool, load in entry.get("load_average", {}).items())
            out.append(
                f"- `{label}` run: Python {entry.get('python')}, 1-minute load average at its end: {loads}."
            )
    notes = data.get("notes")
    if notes:
        out += ["", *notes]
    return "\n".join(out) + "\n"


def main() -> None:
    data = json.loads((RESULTS / "tables_unseen.json").read_text())
    (RESULTS / "tables_unseen.md").write_text(build(data))


if __name__ == "__main__":
    main()
