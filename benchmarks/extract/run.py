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


# The offline engine's switchable mechanisms: each row of the ablation turns one off.
MECHANISMS = (
    "total_evidence",
    "name_lines",
    "address_block",
    "table_headers",
    "dates_not_labels",
    "split_headers",
)


def ablations() -> dict[str, tuple[ExtractOptions, Any]]:
    """offline as shipped, without each mechanism in turn, without any (the engine before them),
    and with the costly passes on (dense matching; the deep pass)."""
    runs: dict[str, tuple[ExtractOptions, Any]] = {"offline": (ExtractOptions(), None)}
    for name in MECHANISMS:
        runs[f"offline -{name}"] = (ExtractOptions(**{name: False}), None)
    runs["offline, none of them"] = (ExtractOptions(**dict.fromkeys(MECHANISMS, False)), None)
    runs["offline +dense"] = (ExtractOptions(dense=True), None)
    runs["offline +deep"] = (ExtractOptions(deep=True), None)
    return runs


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


def _f1(found: int, correct: int, truth: int, hit: int) -> dict[str, float]:
    precision = correct / found if found else 0.0
    recall = hit / truth if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def funsd() -> dict[str, Any]:
    """FUNSD linking per half (even forms: tuning, odd: reporting), with each layout switch off."""
    variants = {
        "offline": {},
        "offline -table_headers": {"columns": False},
        "offline -dates_not_labels": {"dates": False},
        "offline, none of them": {"columns": False, "dates": False},
    }
    out: dict[str, Any] = {"n": len(documents.funsd())}
    for name, switches in variants.items():
        out[name] = {half: _funsd_links(switches, half) for half in ("tuning", "reporting", "all")}
    return out


def _funsd_links(switches: dict[str, bool], half: str) -> dict[str, Any]:
    """Question→answer links: the offline engine's label/value pairs against FUNSD's linked entities."""
    found = correct = truth_links = hit = near_hit = near_correct = 0
    seconds = []
    for index, (image, annotation) in enumerate(documents.funsd()):
        if half != "all" and (index % 2 == 0) != (half == "tuning"):
            continue
        document, _ = documents.parsed(image, "funsd")
        started = time.perf_counter()
        layout = read_layout(document, **switches)
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
            if pair.source == "column":  # a column header answers for every cell under it
                best[id(pair)] = pair
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
    return {
        "lenient": _f1(found, near_correct, truth_links, near_hit),
        "forms": len(seconds),
        "links": truth_links,
        "pairs_proposed": found,
        **_f1(found, correct, truth_links, hit),
        "ms_per_page": round(1000 * statistics.mean(seconds), 1) if seconds else None,
    }


def synthetic_set(
    engines: dict[str, tuple[ExtractOptions, Any]],
    count: int,
    only: dict[str, str] | None = None,
    limit: dict[str, int] | None = None,
) -> dict[str, Any]:
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
        done = 0
        for item in generated:
            if only and engine in only and item.split != only[engine]:
                continue
            if limit and engine in limit and done >= limit[engine]:
                continue
            done += 1
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
        out[engine] = {name: tally.report() for name, tally in halves.items() if tally.fields}
        out[engine]["ms_per_page"] = round(1000 * statistics.mean(seconds), 1)
        out[engine]["documents"] = done
    return out


SROIE_INTRO = (
    "Field accuracy: company and address exact after case and spacing normalisation, date as ISO, "
    "total to the cent; F1 is micro over the four fields. This is SROIE's own task-3 protocol (a field "
    "counts when its text equals the annotation) made no stricter: case, runs of spaces and spaces "
    "around punctuation are ignored, the date compared as a date and the total as a number. The "
    "engines were developed looking at the even-numbered receipts (tuning half); the odd-numbered "
    "ones are the reporting half. Ablation rows turn one offline mechanism off each."
)
FUNSD_INTRO = (
    "Question-to-answer links of the annotation against the offline engine's label/value pairs "
    "(exact text after normalisation, so OCR slips count as misses). A label keeps its likeliest "
    "value, except a table's column header, which answers for every cell of its column (FUNSD links "
    "a header to each). Even-numbered forms are the tuning half, odd-numbered ones the reporting half."
)
SYNTHETIC_INTRO = (
    "Three fonts, three table styles, several wordings per label, three amount conventions. "
    "Even seeds are the tuning half, odd seeds the reporting half; the llm engine was run on the "
    "reporting half only."
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
        lines += [
            f"## SROIE key fields ({results['sroie']['n']} receipts, ICDAR 2019; our OCR)",
            "",
            SROIE_INTRO,
            "",
        ]
        lines += [
            _row("engine", "half", "company", "date", "address", "total", "F1", "address token F1", "ms/page")
        ]
        lines += [_row(*["---"] * 9)]
        for engine, r in results["sroie"].items():
            if engine == "n" or not isinstance(r, dict):
                continue
            for half in ("reporting", "tuning", "all"):
                f = r[half]["fields"]
                accuracy = [f[k]["accuracy"] for k in ("company", "date", "address", "total")]
                extra = (r["address_token_f1"], r["ms_per_page"]) if half == "all" else ("", "")
                lines.append(_row(engine, half, *accuracy, r[half]["f1"], *extra))
        lines.append("")
    if "funsd" in results:
        f = results["funsd"]
        lines += [f"## FUNSD key-value linking ({f.get('n', 25)} forms; our OCR)", "", FUNSD_INTRO, ""]
        lines += [
            _row(
                "layout",
                "half",
                "links",
                "pairs proposed",
                "precision",
                "recall",
                "F1",
                "lenient F1",
                "ms/page",
            ),
            _row(*["---"] * 9),
        ]
        for variant, halves in f.items():
            if not isinstance(halves, dict) or "reporting" not in halves:
                continue
            for half in ("reporting", "tuning", "all"):
                h = halves[half]
                lines.append(
                    _row(
                        variant,
                        half,
                        h["links"],
                        h["pairs_proposed"],
                        h["precision"],
                        h["recall"],
                        h["f1"],
                        h["lenient"]["f1"],
                        h["ms_per_page"] if half == "all" else "",
                    )
                )
        lines.append("")
    if "synthetic" in results:
        s = results["synthetic"]
        title = f"## Generated invoices and purchase orders ({s['n']}; templates {', '.join(s['templates'])})"
        lines += [title, "", SYNTHETIC_INTRO, ""]
        engines = [e for e in s if e not in ("n", "templates")]
        fields = list(s[engines[0]]["reporting"]["fields"]) if engines else []
        lines += [
            _row("engine", "half", "F1", "precision", "recall", *fields, "ms/page"),
            _row(*["---"] * (5 + len(fields) + 1)),
        ]
        for engine in engines:
            r = s[engine]
            for half in ("reporting", "tuning"):
                if half not in r:
                    continue
                h = r[half]
                accuracy = [h["fields"].get(name, {}).get("accuracy") for name in fields]
                documents = r.get("documents")
                lines.append(
                    _row(
                        f"{engine} ({documents} documents)" if engine == "llm" and documents else engine,
                        half,
                        h["f1"],
                        h["precision"],
                        h["recall"],
                        *accuracy,
                        r["ms_per_page"] if half == "reporting" else "",
                    )
                )
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
    parser.add_argument("--llm-only", action="store_true", help="run the llm engine alone (keep the rest)")
    parser.add_argument("--synthetic", type=int, default=40)
    parser.add_argument("--llm-docs", type=int, help="the llm engine reads only the first N of its half")
    args = parser.parse_args()
    engines: dict[str, tuple[ExtractOptions, Any]] = {} if args.llm_only else ablations()
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
    # Engines not run this time keep their earlier figures.
    if "sroie" in wanted:
        results["sroie"] = {**results.get("sroie", {}), **sroie(engines)}
    if "funsd" in wanted and not args.llm_only:
        results["funsd"] = funsd()
    if "synthetic" in wanted:
        keep = ("offline", "offline, none of them", "offline -split_headers", "offline +dense", "llm")
        synthetic_engines = {k: v for k, v in engines.items() if k in keep}
        fresh = synthetic_set(
            synthetic_engines,
            args.synthetic,
            only={"llm": "reporting"},
            limit={"llm": args.llm_docs} if args.llm_docs else None,
        )
        results["synthetic"] = {**results.get("synthetic", {}), **fresh}
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
