"""Extraction benchmarks: SROIE key fields, FUNSD key-value links, generated invoices; speed.

    python -m benchmarks.extract.run [--llm BASE_URL] [--only sroie,funsd,synthetic]

Writes benchmarks/results/extract.json and extract.md. Parsing is cached (documents.py) and
timed apart: the speed figures are of extraction on top of a parse.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from typing import Any

from benchmarks.extract import documents, scoring, synthetic
from docuforge.document.model import Document
from docuforge.extraction import Engine, ExtractOptions, extract
from docuforge.extraction.candidates import read_layout

RESULTS = documents.ROOT / "benchmarks" / "results"

# What a user would write for receipts: names and descriptions, nothing tuned to SROIE's labels.
SROIE_SCHEMA = {
    "type": "object",
    "properties": {
        "company": {"type": "string", "description": "Name of the store or company that issued the receipt"},
        "date": {"type": "string", "format": "date", "description": "Date of the purchase"},
        "address": {"type": "string", "description": "Address of the store"},
        "total": {"type": "number", "description": "Total amount paid, after rounding"},
    },
}


def _run(document: Document, schema: dict, options: ExtractOptions, llm: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = extract(document, schema, options, llm=llm)
    return result.value, time.perf_counter() - started


def sroie(engines: dict[str, tuple[ExtractOptions, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    receipts = documents.sroie()
    for engine, (options, llm) in engines.items():
        halves = {"tuning": scoring.Tally(), "reporting": scoring.Tally(), "all": scoring.Tally()}
        address_f1: list[float] = []
        seconds: list[float] = []
        failures = 0
        for index, (image, truth) in enumerate(receipts):
            document, _ = documents.parsed(image, "sroie")
            try:
                value, spent = _run(document, SROIE_SCHEMA, options, llm)
            except Exception:  # an LLM failure scores the receipt as empty, and is counted
                value, spent, failures = {}, 0.0, failures + 1
            seconds.append(spent / max(1, len(document.pages)))
            half = "tuning" if index % 2 == 0 else "reporting"
            checks = {
                "company": scoring.same("company", value.get("company"), truth.get("company"), "text"),
                "date": scoring.same(
                    "date", value.get("date"), scoring.iso_date(truth.get("date", "")), "date"
                ),
                "address": scoring.same("address", value.get("address"), truth.get("address"), "text"),
                "total": scoring.same("total", value.get("total"), truth.get("total"), "number"),
            }
            for field, ok in checks.items():
                for tally in (halves[half], halves["all"]):
                    tally.add(field, value.get(field), truth.get(field), ok)
            address_f1.append(scoring.token_f1(value.get("address"), truth.get("address")))
        out[engine] = {
            **{name: tally.report() for name, tally in halves.items()},
            "address_token_f1": round(statistics.mean(address_f1), 4),
            "ms_per_page": round(1000 * statistics.mean(seconds), 1),
            "failures": failures,
        }
    out["n"] = len(receipts)
    return out


def _near(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return scoring.token_f1(a[0], b[0]) >= 0.8 and scoring.token_f1(a[1], b[1]) >= 0.8


def funsd() -> dict[str, Any]:
    """Question→answer links: the offline engine's label/value pairs against FUNSD's linked entities."""
    found = correct = truth_links = hit = near_hit = near_correct = 0
    seconds = []
    for image, annotation in documents.funsd():
        document, _ = documents.parsed(image, "funsd")
        started = time.perf_counter()
        layout = read_layout(document)
        seconds.append(time.perf_counter() - started)
        entities = {e["id"]: e for e in annotation["form"]}
        links = set()
        for entity in annotation["form"]:
            for a, b in entity.get("linking", []):
                q, ans = entities.get(a), entities.get(b)
                if (
                    q
                    and ans
                    and q["label"] == "question"
                    and ans["label"] == "answer"
                    and ans["text"].strip()
                ):
                    links.add((scoring.norm_text(q["text"]).rstrip(":"), scoring.norm_text(ans["text"])))
        truth_links += len(links)
        # One answer per question: of the pairs a label heads, the one its layout makes likeliest.
        best: dict[object, Any] = {}
        for pair in layout.pairs:
            if pair.source == "prefix" or pair.value is None:
                continue
            key = (pair.label_span.segment.order, pair.label_span.start) if pair.label_span else id(pair)
            if key not in best or pair.prior > best[key].prior:
                best[key] = pair
        predicted = {
            (scoring.norm_text(pair.label).rstrip(":"), scoring.norm_text(pair.value.text))
            for pair in best.values()
        }
        found += len(predicted)
        matched_truth = {link for link in links if link in predicted}
        hit += len(matched_truth)
        correct += sum(1 for link in predicted if link in links)
        # Lenient: both sides at token F1 >= 0.8, so one OCR slip or a line more does not decide.
        near_hit += sum(1 for link in links if any(_near(link, p) for p in predicted))
        near_correct += sum(1 for p in predicted if any(_near(link, p) for link in links))
    precision = correct / found if found else 0.0
    recall = hit / truth_links if truth_links else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    near_p = near_correct / found if found else 0.0
    near_r = near_hit / truth_links if truth_links else 0.0
    near_f1 = 2 * near_p * near_r / (near_p + near_r) if near_p + near_r else 0.0
    return {
        "lenient": {"precision": round(near_p, 4), "recall": round(near_r, 4), "f1": round(near_f1, 4)},
        "n": len(documents.funsd()),
        "links": truth_links,
        "pairs_proposed": found,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "ms_per_page": round(1000 * statistics.mean(seconds), 1),
    }


def synthetic_set(engines: dict[str, tuple[ExtractOptions, Any]], count: int) -> dict[str, Any]:
    folder = documents.CACHE / "synthetic"
    folder.mkdir(parents=True, exist_ok=True)
    generated = [synthetic.generate(seed) for seed in range(count)]
    kinds = {
        "issue_date": "date",
        "due_date": "date",
        "subtotal": "number",
        "tax": "number",
        "total": "number",
    }
    out: dict[str, Any] = {"n": count, "templates": sorted({g.template for g in generated})}
    for engine, (options, llm) in engines.items():
        halves = {"tuning": scoring.Tally(), "reporting": scoring.Tally()}
        seconds = []
        for item in generated:
            path = folder / f"{item.name}.pdf"
            path.write_bytes(item.pdf)
            document, _ = documents.parsed(path, "synthetic")
            try:
                value, spent = _run(document, synthetic.SCHEMA, options, llm)
            except Exception:
                value, spent = {}, 0.0
            seconds.append(spent / max(1, len(document.pages)))
            tally = halves[item.split]
            for field, truth in item.truth.items():
                got = value.get(field)
                if field == "line_items":
                    got = got or []
                    for i, row in enumerate(truth):
                        mine = got[i] if i < len(got) and isinstance(got[i], dict) else {}
                        for key, expected in row.items():
                            kind = "number" if key in ("quantity", "unit_price", "amount") else "text"
                            tally.add(
                                f"line_items.{key}",
                                mine.get(key),
                                expected,
                                scoring.same(key, mine.get(key), expected, kind),
                            )
                    continue
                tally.add(field, got, truth, scoring.same(field, got, truth, kinds.get(field, "text")))
        out[engine] = {name: tally.report() for name, tally in halves.items()}
        out[engine]["ms_per_page"] = round(1000 * statistics.mean(seconds), 1)
    return out


SROIE_INTRO = (
    "Field accuracy: company and address exact after case and spacing normalisation, date as ISO, "
    "total to the cent; F1 is micro over the four fields. The engines were developed looking at the "
    "even-numbered receipts (tuning half); the odd-numbered ones are the reporting half."
)
FUNSD_INTRO = (
    "Question-to-answer links of the annotation against the offline engine's label/value pairs "
    "(exact text after normalisation, so OCR slips count as misses)."
)
SYNTHETIC_INTRO = (
    "Three fonts, three table styles, several wordings per label, three amount conventions. "
    "Reporting half (odd seeds) shown; the tuning half is in extract.json."
)


def _row(*cells: object) -> str:
    return "| " + " | ".join("" if c is None else str(c) for c in cells) + " |"


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "# Extraction benchmarks",
        "",
        f"Machine: {results['machine']}. Run: `python -m benchmarks.extract.run`.",
        "",
    ]
    if "sroie" in results:
        lines += ["## SROIE key fields (25 receipts, ICDAR 2019; our OCR)", "", SROIE_INTRO, ""]
        lines += [
            _row("engine", "half", "company", "date", "address", "total", "F1", "address token F1", "ms/page")
        ]
        lines += [_row(*["---"] * 9)]
        for engine, r in results["sroie"].items():
            if engine == "n":
                continue
            for half in ("reporting", "tuning", "all"):
                f = r[half]["fields"]
                accuracy = [f[k]["accuracy"] for k in ("company", "date", "address", "total")]
                extra = (r["address_token_f1"], r["ms_per_page"]) if half == "all" else ("", "")
                lines.append(_row(engine, half, *accuracy, r[half]["f1"], *extra))
        lines.append("")
    if "funsd" in results:
        f = results["funsd"]
        lines += ["## FUNSD key-value linking (25 forms; our OCR)", "", FUNSD_INTRO, ""]
        lines += [_row("links", "pairs proposed", "precision", "recall", "F1", "ms/page"), _row(*["---"] * 6)]
        lines += [
            _row(f["links"], f["pairs_proposed"], f["precision"], f["recall"], f["f1"], f["ms_per_page"]),
            "",
        ]
        if "lenient" in f:
            near = f["lenient"]
            lines += [
                f"Lenient (label and answer each at token F1 >= 0.8): precision {near['precision']}, "
                f"recall {near['recall']}, F1 {near['f1']}.",
                "",
            ]
    if "synthetic" in results:
        s = results["synthetic"]
        title = f"## Generated invoices and purchase orders ({s['n']}; templates {', '.join(s['templates'])})"
        lines += [title, "", SYNTHETIC_INTRO, ""]
        for engine, r in s.items():
            if engine in ("n", "templates"):
                continue
            rep = r["reporting"]
            lines += [
                f"**{engine}**: F1 {rep['f1']} (precision {rep['precision']}, recall {rep['recall']}); "
                f"tuning half F1 {r['tuning']['f1']}; {r['ms_per_page']} ms/page of extraction.",
                "",
                _row("field", "accuracy"),
                _row("---", "---"),
            ]
            lines += [_row(name, row["accuracy"]) for name, row in rep["fields"].items()]
            lines.append("")
    if results.get("parse_ms_per_page"):
        timings = ", ".join(f"{k} {v} ms" for k, v in results["parse_ms_per_page"].items())
        lines += [
            "## Speed",
            "",
            f"Parse per page (cached, measured once, on a shared machine): {timings}.",
            "",
        ]
    if results.get("notes"):
        lines += ["## Notes", "", *[f"- {n}" for n in results["notes"]], ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--llm", help="OpenAI-compatible base URL of an LLM server for the llm engine")
    parser.add_argument("--only", default="sroie,funsd,synthetic")
    parser.add_argument("--synthetic", type=int, default=40)
    args = parser.parse_args()
    engines: dict[str, tuple[ExtractOptions, Any]] = {"offline": (ExtractOptions(), None)}
    if args.llm:
        from docuforge.llm import LlmOptions, client

        llm = client(LlmOptions(base_url=args.llm, model="smollm2-135m", timeout=300, max_retries=0))
        engines["llm"] = (ExtractOptions(engine=Engine.llm, max_tokens=256), llm)
    wanted = set(args.only.split(","))
    target = RESULTS / "extract.json"
    results: dict[str, Any] = json.loads(target.read_text()) if target.exists() else {}
    results["machine"] = (
        f"{platform.processor() or platform.machine()}, {__import__('os').cpu_count()} cores (shared)"
    )
    if "sroie" in wanted:
        results["sroie"] = sroie(engines)
    if "funsd" in wanted:
        results["funsd"] = funsd()
    if "synthetic" in wanted:
        results["synthetic"] = synthetic_set(engines, args.synthetic)
    parse_times: dict[str, float] = {}
    for group in ("sroie", "funsd", "synthetic"):
        timings = [float(p.read_text()) for p in (documents.CACHE / group).glob("*.seconds")]
        if timings:
            parse_times[group] = round(1000 * statistics.mean(timings), 1)
    results["parse_ms_per_page"] = parse_times
    RESULTS.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "extract.md").write_text(markdown(results))
    print((RESULTS / "extract.md").read_text())


if __name__ == "__main__":
    main()
