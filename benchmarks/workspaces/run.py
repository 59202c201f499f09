"""Workspaces benchmark: retrieval recall@5 and offline answer accuracy on questions written
from the bench documents, `ask` latency over a workspace of 1,000+ documents, indexing speed.

The real documents (the ones the questions are about, and the rest of the bench's text PDFs as
distractors) are parsed, cut into passages, embedded and stored in an embedded Chroma exactly as
a workspace's indexing job does; generated documents bring the workspace to --documents. Every
question is then asked of the whole workspace. Tuning and reporting halves are scored apart.

    .venv/bin/python benchmarks/workspaces/run.py [--documents 1000] [--skip-ablations]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from docuforge.document.model import BBox, Block, BlockType, Document, Page
from docuforge.index.chroma import ChromaStore
from docuforge.index.embeddings import limit_threads
from docuforge.index.passages import passages
from docuforge.index.retrieval import RetrievalOptions, Retriever
from docuforge.index.store import Hit, Passage
from docuforge.workspaces.answer import AnswerOptions, answer
from docuforge.workspaces.fragments import found, normalize

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BENCH = ROOT.parent / "shared" / "bench"
RESULTS = ROOT / "benchmarks" / "results"
COLLECTION = "ws-benchmark"
# Text-layer PDFs of the bench besides those the questions are about: they compete for retrieval.
DISTRACTOR_GLOBS = ["docling/pdf/*.pdf", "icdar2013_tables/*.pdf", "pdfplumber_tables/*.pdf"]
OCR_EXTENSIONS = {".png", ".jpg", ".jpeg"}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def real_documents(questions: list[dict[str, Any]], bench: Path) -> list[Path]:
    chosen = {bench / q["doc"] for q in questions}
    for pattern in DISTRACTOR_GLOBS:
        chosen.update(bench.glob(pattern))
    return sorted(path for path in chosen if path.exists())


def _parsed(path: Path, bench: Path, cache: Path | None) -> Document:
    """The parsed document, from `cache` when an earlier run kept it there (the answer engine can
    then be measured again without parsing again; indexing figures are taken only without it)."""
    import docuforge

    kept = cache / (path.relative_to(bench).as_posix().replace("/", "__") + ".json") if cache else None
    if kept is not None and kept.exists():
        return Document.model_validate_json(kept.read_text())
    document = docuforge.parse(path)
    if kept is not None:
        cache.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
        kept.write_text(document.model_dump_json())
    return document


def index_real(
    retriever: Retriever, paths: list[Path], bench: Path, cache: Path | None = None
) -> dict[str, Any]:
    pages = parse_s = embed_s = store_s = 0.0
    count = 0
    started = time.perf_counter()
    for path in paths:
        t0 = time.perf_counter()
        document = _parsed(path, bench, cache)
        t1 = time.perf_counter()
        found_passages = passages(document, path.relative_to(bench).as_posix(), path.name)
        vectors = retriever.embedder([p.text for p in found_passages]) if found_passages else None
        t2 = time.perf_counter()
        if found_passages:
            retriever.add(COLLECTION, found_passages, vectors)
        t3 = time.perf_counter()
        pages += len(document.pages)
        count += len(found_passages)
        parse_s, embed_s, store_s = parse_s + t1 - t0, embed_s + t2 - t1, store_s + t3 - t2
    total = time.perf_counter() - started
    return {
        "documents": len(paths),
        "pages": int(pages),
        "passages": count,
        "seconds": round(total, 2),
        "pages_per_second": round(pages / total, 2),
        "parse_seconds": round(parse_s, 2),
        "embed_seconds": round(embed_s, 2),
        "store_seconds": round(store_s, 2),
    }


_ORGS = ["Northwind Holdings", "Contoso Transit", "Fabrikam Energy", "Tailspin Logistics", "Litware Health",
         "Adatum Water", "Proseware Rail", "Woodgrove Civic", "Lucerne Ports", "Margie Mobility"]  # fmt: skip
_TOPICS = ["road resurfacing", "school catering", "street lighting", "waste collection",
           "hospital cleaning", "bridge inspection", "office furniture", "network equipment",
           "fleet leasing", "park maintenance"]  # fmt: skip
_CITIES = [
    "Avondale",
    "Brookfield",
    "Cedar Falls",
    "Dunmore",
    "Eastvale",
    "Fairhaven",
    "Glenrock",
    "Harborview",
]


def generated_document(number: int, rng: random.Random) -> Document:
    """A plausible tender of 1-2 pages: what a workspace full of documents looks like."""
    org, topic, city = rng.choice(_ORGS), rng.choice(_TOPICS), rng.choice(_CITIES)
    sentences = [
        f"Tender {number:05d} concerns {topic} for the municipality of {city}.",
        f"The contracting authority is {org}, acting for the {city} district council.",
        f"The estimated value of the contract is EUR {rng.randint(50, 9000) * 1000:,} excluding VAT.",
        f"Offers must be submitted before {rng.randint(1, 28)} {rng.choice(['March', 'June', 'October'])} "
        f"{rng.randint(2026, 2029)}.",
        f"The contract runs for {rng.randint(12, 60)} months with an option to extend once.",
        f"A performance guarantee of {rng.randint(2, 10)}% of the contract price is required.",
        f"Penalties of {rng.randint(1, 9) / 10:.1f}% per day of delay apply, "
        f"capped at {rng.randint(5, 15)}%.",
        f"Bidders must show an annual turnover of at least EUR {rng.randint(1, 40)} million.",
        f"The {topic} services cover {rng.randint(3, 90)} sites across {city}.",
        "Award is made on the most economically advantageous tender: price 60%, quality 40%.",
        f"Questions may be sent to the procurement office of {org} until ten days before the deadline.",
        f"In {rng.randint(2015, 2025)} the district spent EUR {rng.randint(1, 900)} thousand on {topic}.",
    ]
    pages = []
    for page_number in range(1, rng.randint(1, 2) + 1):
        blocks = []
        for index in range(rng.randint(2, 3)):
            text = " ".join(rng.sample(sentences, rng.randint(2, 4)))
            top = 0.1 + 0.17 * index
            box = BBox(left=0.1, top=top, width=0.8, height=0.12, page=page_number, original_page=page_number)
            blocks.append(Block(id=f"p{page_number}-b{index}", type=BlockType.TEXT, bbox=box, content=text))
        pages.append(
            Page(number=page_number, original_number=page_number, width=612, height=792, blocks=blocks)
        )
    return Document(pages=pages, total_pages=len(pages))


def index_generated(retriever: Retriever, count: int) -> dict[str, Any]:
    rng = random.Random(20261207)
    started = time.perf_counter()
    pages = 0
    batch: list[Passage] = []
    for number in range(count):
        document = generated_document(number, rng)
        pages += len(document.pages)
        batch += passages(document, f"generated/{number:05d}", f"tender-{number:05d}.pdf")
        if len(batch) >= 256 or number == count - 1:
            retriever.add(COLLECTION, batch)
            batch = []
    total = time.perf_counter() - started
    return {
        "documents": count,
        "pages": pages,
        "seconds": round(total, 2),
        "pages_per_second": round(pages / total, 2),
    }


def _hits_contain(hits: list[Hit], fragments: list[str]) -> tuple[bool, bool]:
    """(every fragment is in some hit, one hit holds every fragment)."""
    texts = [normalize(f"{h.filename}\n{h.text}") for h in hits]
    union = all(any(found(f, t) for t in texts) for f in fragments)
    single = any(all(found(f, t) for f in fragments) for t in texts)
    return union, single


def evaluate(
    retriever: Retriever,
    questions: list[dict[str, Any]],
    options: RetrievalOptions,
    answer_options: AnswerOptions,
    timed: bool = False,
    cached: dict[str, list[Hit]] | None = None,
    keep: dict[str, list[Hit]] | None = None,
) -> dict[str, Any]:
    """Ask every question; `cached` hits replace retrieval, `keep` receives the hits retrieved."""
    rows, latencies = [], []
    for q in questions:
        t0 = time.perf_counter()
        hits = cached[q["id"]] if cached is not None else retriever.search(COLLECTION, q["question"], options)
        result = answer(q["question"], hits, answer_options)
        latencies.append(time.perf_counter() - t0)
        if keep is not None:
            keep[q["id"]] = hits
        union, single = _hits_contain(hits[:5], q["expected_fragments"])
        from_doc = any(h.document_id == q["doc"] for h in hits[:5])
        text = normalize(result.answer)
        correct = all(found(f, text) for f in q["expected_fragments"])
        rows.append({"id": q["id"], "split": q["split"], "recall": union, "single": single, "doc": from_doc,
                     "correct": correct, "answer": result.answer[:300], "kind": result.kind})  # fmt: skip
    out: dict[str, Any] = {"rows": rows}
    for split in ("tune", "report"):
        chosen = [r for r in rows if r["split"] == split]
        n = len(chosen) or 1
        out[split] = {
            "questions": len(chosen),
            "recall_at_5": round(sum(r["recall"] for r in chosen) / n, 4),
            "recall_at_5_one_passage": round(sum(r["single"] for r in chosen) / n, 4),
            "document_at_5": round(sum(r["doc"] for r in chosen) / n, 4),
            "answer_accuracy": round(sum(r["correct"] for r in chosen) / n, 4),
        }
    if timed:
        ordered = sorted(latencies)
        out["latency_ms"] = {
            "p50": round(statistics.median(ordered) * 1000, 1),
            "p95": round(ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000, 1),
            "max": round(ordered[-1] * 1000, 1),
            "asks": len(ordered),
        }
    return out


RUNS: dict[str, tuple[RetrievalOptions, AnswerOptions]] = {
    "hybrid": (RetrievalOptions(), AnswerOptions()),
    "dense only": (RetrievalOptions(mode="dense"), AnswerOptions()),
    "lexical only": (RetrievalOptions(mode="lexical"), AnswerOptions()),
    "no typed values": (RetrievalOptions(), AnswerOptions(typed_values=False)),
    "top_k 10": (RetrievalOptions(top_k=10), AnswerOptions()),
    "no year or heading rules": (RetrievalOptions(), AnswerOptions(skip_years=False, short_penalty=0)),
    "no row labels": (RetrievalOptions(), AnswerOptions(row_labels=False)),
    "no term normalization": (RetrievalOptions(), AnswerOptions(normalize_terms=False)),
}


def answers_only(cache: Path, questions: list[dict[str, Any]], extra: dict[str, AnswerOptions]) -> None:
    """Re-score the answer engine on the hits a full run retrieved (saved with --hits-cache): the
    answer engine can be tuned in seconds, without indexing again. Writes nothing to results."""
    saved = json.loads(cache.read_text())
    runs = dict(RUNS)
    for name, answer_options in extra.items():
        runs[name] = (RetrievalOptions(), answer_options)
    for name, (retrieval, answer_options) in runs.items():
        key = retrieval.model_dump_json()
        if key not in saved:
            continue
        hits = {qid: [Hit.model_validate(h) for h in found] for qid, found in saved[key].items()}
        result = evaluate(None, questions, retrieval, answer_options, cached=hits)  # type: ignore[arg-type]
        tune, report = result["tune"]["answer_accuracy"], result["report"]["answer_accuracy"]
        print(f"{name:28s} tune {tune:.3f}  report {report:.3f}")
        if name == "hybrid":
            for row in result["rows"]:
                if not row["correct"] and row["split"] == "tune":
                    print("   miss", row["id"], row["kind"], row["answer"][:140].replace("\n", " "))


def llm_run(
    cache: Path, questions: list[dict[str, Any]], base_url: str, split: str, limit: int | None = None
) -> dict[str, Any]:
    """The LLM answer engine on the hybrid run's saved hits, for one half: how often the model's
    own answer held (cited passages that support it), and the accuracy with the offline engine
    answering where it did not, as the service does."""
    from docuforge.llm.types import LlmOptions
    from docuforge.workspaces.llm_answer import answer_with_llm

    saved = json.loads(cache.read_text())[RetrievalOptions().model_dump_json()]
    options = LlmOptions(base_url=base_url, timeout=600, max_retries=0)
    chosen = [q for q in questions if q["split"] == split][:limit]
    held = correct_llm = correct_served = 0
    seconds = []
    for q in chosen:
        hits = [Hit.model_validate(h) for h in saved[q["id"]]]
        t0 = time.perf_counter()
        result = answer_with_llm(q["question"], hits, options)
        seconds.append(time.perf_counter() - t0)
        served = result or answer(q["question"], hits, AnswerOptions())
        good = all(found(f, normalize(served.answer)) for f in q["expected_fragments"])
        held += result is not None
        correct_llm += bool(result is not None and good)
        correct_served += good
        print(
            q["id"],
            "llm" if result else "offline",
            good,
            round(seconds[-1], 1),
            served.answer[:80],
            flush=True,
        )
    n = len(chosen) or 1
    return {
        "split": split,
        "questions": len(chosen),
        "model_answers_held": round(held / n, 4),
        "accuracy_model_answers_only": round(correct_llm / n, 4),
        "accuracy_served": round(correct_served / n, 4),
        "seconds_per_question_p50": round(statistics.median(seconds), 2),
    }


def llm_status(report: dict[str, Any]) -> str:
    run = report.get("llm_run")
    if not run:
        return "not measured in this run (see --llm)"
    return (
        f"{run['model']} on the local llama.cpp server, the first {run['questions']} questions of the "
        f"{run['split']} half: "
        f"accuracy {run['accuracy_served']:.3f} as served (the model's answer where its citations "
        f"hold it: {run['model_answers_held']:.0%} of questions; the offline engine elsewhere), "
        f"{run['accuracy_model_answers_only']:.3f} from the model's own answers; "
        f"{run['seconds_per_question_p50']} s per question (p50)"
    )


def markdown(report: dict[str, Any]) -> str:
    main = report["runs"]["hybrid"]
    real, generated = report["indexing"]["real"], report["indexing"]["generated"]
    report_half = main["report"]
    lines = [
        "# Workspaces benchmark",
        "",
        f"{report['questions']} questions written from `../shared/bench` documents (papers, reports, "
        f"financial tables, forms): {report['split_sizes']['tune']} for tuning, "
        f"{report['split_sizes']['report']} for reporting. Workspace: {report['workspace']['documents']} "
        f"documents ({real['documents']} real, {generated['documents']} generated), "
        f"{report['workspace']['passages']} passages, embedded Chroma. Machine: {report['machine']}.",
        "",
        "## Reporting half (hybrid retrieval, offline extractive engine)",
        "",
        "| metric | value | target |",
        "|---|---|---|",
        f"| recall@5 (the fragments in the top 5 passages) | {report_half['recall_at_5']:.3f} | >= 0.90 |",
        f"| recall@5, one passage holding every fragment | {report_half['recall_at_5_one_passage']:.3f} | |",
        f"| right document in the top 5 | {report_half['document_at_5']:.3f} | |",
        f"| offline answer fragment accuracy | {report_half['answer_accuracy']:.3f} | >= 0.80 |",
        f"| ask p50 / p95 (ms, {main['latency_ms']['asks']} asks) | {main['latency_ms']['p50']} / "
        f"{main['latency_ms']['p95']} | p95 < 1000 |",
        f"| LLM engine | {llm_status(report)} | |",
        "",
        "## Every run (tune / report)",
        "",
        "| run | recall@5 tune | recall@5 report | accuracy tune | accuracy report |",
        "|---|---|---|---|---|",
    ]
    for name, run in report["runs"].items():
        lines.append(
            f"| {name} | {run['tune']['recall_at_5']:.3f} | {run['report']['recall_at_5']:.3f} | "
            f"{run['tune']['answer_accuracy']:.3f} | {run['report']['answer_accuracy']:.3f} |"
        )
    lines += [
        "",
        "## Indexing",
        "",
        f"- Real documents: {real['documents']} documents, {real['pages']} pages, {real['passages']} "
        f"passages in {real['seconds']} s: **{real['pages_per_second']} pages/s** (parse "
        f"{real['parse_seconds']} s, embed {real['embed_seconds']} s, store {real['store_seconds']} s).",
        f"- Generated documents (no parsing: passages, embeddings, store): {generated['documents']} "
        f"documents, {generated['pages']} pages in {generated['seconds']} s: "
        f"{generated['pages_per_second']} pages/s.",
        f"- Peak memory of the process (parser, MiniLM, Chroma, BM25): {report['peak_rss_mb']:.0f} MB.",
        "",
        "The machine is shared (2 cores, several other jobs); timings vary with its load.",
        "",
    ]
    return "\n".join(lines)


def quick_markdown(report: dict[str, Any]) -> str:
    lines = [
        "## Question documents only (a quick run of the answer engine after the full run)",
        "",
        f"Workspace: the {report['indexing']['real']['documents']} documents the questions are about "
        f"({report['workspace']['passages']} passages), no distractors; same questions and halves.",
        "",
        "| run | recall@5 tune | recall@5 report | accuracy tune | accuracy report |",
        "|---|---|---|---|---|",
    ]
    for name, run in report["runs"].items():
        lines.append(
            f"| {name} | {run['tune']['recall_at_5']:.3f} | {run['report']['recall_at_5']:.3f} | "
            f"{run['tune']['answer_accuracy']:.3f} | {run['report']['answer_accuracy']:.3f} |"
        )
    hybrid = report["runs"]["hybrid"]["latency_ms"]
    lines += ["", f"ask p50 / p95 here: {hybrid['p50']} / {hybrid['p95']} ms.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000, help="Documents in the workspace, at least.")
    parser.add_argument("--bench", type=Path, default=BENCH)
    parser.add_argument("--skip-ablations", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="Only the first 3 documents: check the script.")
    parser.add_argument(
        "--question-documents-only",
        action="store_true",
        help="Only the documents the questions are about, no distractors, nothing generated: a quick run "
        "of the answer engine, added to the results beside the full run.",
    )
    parser.add_argument(
        "--hits-cache",
        type=Path,
        help="Save every run's retrieved hits here (a full run), or, with --answers-only, read them back.",
    )
    parser.add_argument(
        "--documents-cache",
        type=Path,
        help="Keep parsed documents here and reuse them (parse timings then mean nothing).",
    )
    parser.add_argument(
        "--answers-only",
        action="store_true",
        help="Score the answer engine on the hits in --hits-cache; index nothing, write no results.",
    )
    parser.add_argument(
        "--llm",
        help="With --answers-only: the OpenAI-compatible base URL of an LLM server (e.g. llama.cpp's "
        "at http://127.0.0.1:8080/v1); scores the LLM answer engine on the reporting half.",
    )
    parser.add_argument(
        "--llm-model", default="SmolLM2-135M-Instruct (Q4_1 GGUF)", help="Named in the results."
    )
    parser.add_argument(
        "--llm-limit", type=int, help="Only the first N questions of the half (a tiny model is slow here)."
    )
    args = parser.parse_args()
    limit_threads(1)
    questions = json.loads((HERE / "questions.json").read_text())["questions"]
    if args.answers_only:
        if not args.hits_cache:
            parser.error("--answers-only needs --hits-cache")
        if args.llm:
            run = llm_run(args.hits_cache, questions, args.llm, "report", args.llm_limit)
            run["model"] = args.llm_model
            full = json.loads((RESULTS / "workspaces.json").read_text())
            full["llm_run"] = run
            (RESULTS / "workspaces.json").write_text(json.dumps(full, indent=1, ensure_ascii=False) + "\n")
            text = markdown(full)
            if "question_documents_only" in full:
                text += "\n" + quick_markdown(full["question_documents_only"])
            (RESULTS / "workspaces.md").write_text(text)
            print(json.dumps(run, indent=1))
            return
        answers_only(args.hits_cache, questions, {})
        return
    kept: dict[str, dict[str, list[Hit]]] = {}
    with tempfile.TemporaryDirectory(prefix="docuforge-ws-bench-") as tmp:
        retriever = Retriever(ChromaStore(path=Path(tmp) / "chroma"))
        retriever.embedder(["warm up"])
        paths = real_documents(questions, args.bench)
        if args.question_documents_only:
            paths = sorted({args.bench / q["doc"] for q in questions})
            args.documents = 0
        if args.smoke:
            paths = [args.bench / q for q in dict.fromkeys(q["doc"] for q in questions)][:3]
            questions = [q for q in questions if args.bench / q["doc"] in paths]
        real = index_real(retriever, paths, args.bench, args.documents_cache)
        print("real documents indexed", real, flush=True)
        generated = index_generated(retriever, max(0, args.documents - len(paths)))
        print("generated documents indexed", generated, flush=True)
        total_passages = retriever.store.count(COLLECTION)
        retriever.search(COLLECTION, "warm up the lexical index")
        runs: dict[str, Any] = {}
        for name, (retrieval, answer_options) in RUNS.items():
            if name != "hybrid" and args.skip_ablations:
                continue
            keep = kept.setdefault(retrieval.model_dump_json(), {})
            runs[name] = evaluate(
                retriever, questions, retrieval, answer_options, timed=name == "hybrid", keep=keep
            )
            if name == "hybrid":
                print("hybrid", {k: runs["hybrid"][k] for k in ("tune", "report", "latency_ms")}, flush=True)
    if args.hits_cache:
        serial = {key: {qid: [h.model_dump(mode="json") for h in hits] for qid, hits in found.items()}
                  for key, found in kept.items()}  # fmt: skip
        args.hits_cache.write_text(json.dumps(serial))
    report = {
        "questions": len(questions),
        "split_sizes": {s: sum(q["split"] == s for q in questions) for s in ("tune", "report")},
        "workspace": {"documents": real["documents"] + generated["documents"], "passages": total_passages},
        "indexing": {"real": real, "generated": generated},
        "runs": runs,
        "peak_rss_mb": round(_rss_mb(), 1),
        "machine": f"{platform.machine()} {platform.processor() or ''} shared, 2 cores".strip(),
    }
    if args.smoke:
        print(markdown(report))
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.question_documents_only:
        full = json.loads((RESULTS / "workspaces.json").read_text())
        full["question_documents_only"] = report
        (RESULTS / "workspaces.json").write_text(json.dumps(full, indent=1, ensure_ascii=False) + "\n")
        (RESULTS / "workspaces.md").write_text(markdown(full) + "\n" + quick_markdown(report))
        print(quick_markdown(report))
        return
    (RESULTS / "workspaces.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    (RESULTS / "workspaces.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
