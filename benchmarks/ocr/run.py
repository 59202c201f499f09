"""OCR benchmark: Docuforge's OCR (RapidOCR and Tesseract back ends) against the bare engines.

    taskset -c 1 .venv/bin/python -m benchmarks.ocr.run            # everything (20-30 minutes)
    .venv/bin/python -m benchmarks.ocr.run --sets sroie,rotations --engines docuforge --limit 5

Every (engine, set) pair runs in a fresh worker process (benchmarks/ocr/worker.py) pinned to
core 1, one conversion per file; the speed set also runs each engine on both cores. Inputs are
read in place from ../shared/bench. Sets:

- sroie: 25 receipts; bag-of-words F1 (peers' normalisation) and CER against the GT lines of
  box/*.csv in file order (CER is inflated by that order; word F1 is the headline);
- funsd: 25 forms; word F1 against the annotated words (annotation order, so no CER);
- rotations: docling's ocr_test.pdf at 0/90/180/270 degrees and webp-test.webp; rapidfuzz
  ratio/100 of the whitespace-collapsed text against the one GT sentence; for Docuforge also the
  receipts, forms and speed pages each turned all four ways, and how many turns orientation settles;
- olmocr: the olmOCR-bench sample PDFs without a text layer, Docuforge in its default hybrid mode;
  the share of olmOCR unit tests passed (benchmarks/parse/scoring.py's checker) and the word
  recall of the "present" test texts;
- tables: docling-eval's synthetic table images (the largest table found against the one GT
  table: cell-text F1, grid shape, TEDS) and OmniDocBench's demo pages with tables (each GT
  HTML table against the best-matching table found on the page: TEDS, cell-text F1);
- layout: OmniDocBench's 18 demo pages and docling-eval's 6 CVAT page images; the tables,
  figures and titles found against the human layout boxes, matched one to one at IoU >= 0.5
  (precision, recall);
- office: docling's office files, similarity to docling's Markdown (agreement, not accuracy);
- speed: 10 pages of text PDFs rendered at 200 dpi to PNG; seconds per page on one core and on
  both, peak RSS, and CER/word F1 against the PDF's own text layer; for Docuforge also the ten
  pages as one TIFF on both cores (pages read side by side).

Results go to benchmarks/results/ocr.json and ocr.md.
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
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.ocr import scoring
from benchmarks.parse import scoring as parse_scoring
from benchmarks.parse.corpus import BENCH, ROOT

CACHE = ROOT / "benchmarks" / ".cache" / "ocr"
RESULTS = ROOT / "benchmarks" / "results"
ENGINES = ("docuforge", "docuforge-fast", "docuforge-tesseract", "bare-rapidocr", "bare-tesseract")
DOCUFORGE = ENGINES[:3]
SETS = ("sroie", "funsd", "rotations", "columns", "olmocr", "tables", "layout", "office", "speed")
# Which engines each set makes sense for: tables, layout and office need the pipeline's structure.
SET_ENGINES = {"tables": DOCUFORGE, "layout": DOCUFORGE, "office": ("docuforge",)}
DATE = time.strftime("%Y-%m-%d")  # the day of the run
ONE_CORE, BOTH_CORES = "1", "0,1"


def run_worker(engine: str, name: str, jobs: list[dict[str, Any]], cores: str, warmup: bool = False) -> dict:
    work = CACHE / "runs" / f"{name}-{engine}-{cores.replace(',', '')}"
    work.mkdir(parents=True, exist_ok=True)
    (work / "jobs.json").write_text(json.dumps(jobs))
    command = [sys.executable, "-m", "benchmarks.ocr.worker", "--engine", engine, "--cores", cores]
    command += ["--jobs", str(work / "jobs.json"), "--out", str(work / "out.json"), "--label", name]
    if warmup:
        command.append("--warmup")
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    subprocess.run(command, check=True, cwd=ROOT, env=env)
    return json.loads((work / "out.json").read_text())


def peak_rss(out: dict) -> float:
    return max(out["peak_rss_mb"], out["peak_rss_children_mb"])


def mean(values: list[float]) -> float | None:
    return round(statistics.mean(values), 3) if values else None


def errors(out: dict) -> list[str]:
    return [f"{Path(r['path']).name}: {r['error']}" for r in out["results"] if r["error"]]


# --- sets: inputs, then scoring -----------------------------------------------------------------


def sroie_inputs(limit: int | None) -> list[tuple[Path, str]]:
    pairs = []
    for image in sorted((BENCH / "sroie_receipts" / "img").glob("*.jpg"))[:limit]:
        box = BENCH / "sroie_receipts" / "box" / f"{image.stem}.csv"
        # x1,y1,...,x4,y4 then the text, which may itself hold commas: split off eight fields only.
        rows = [line.split(",", 8) for line in box.read_text(encoding="utf-8", errors="replace").splitlines()]
        lines = [row[8] for row in rows if len(row) == 9]
        pairs.append((image, "\n".join(line for line in lines if line)))
    return pairs


def funsd_inputs(limit: int | None) -> list[tuple[Path, str]]:
    pairs = []
    for image in sorted((BENCH / "funsd_test" / "images").glob("*.png"))[:limit]:
        form = json.loads((BENCH / "funsd_test" / "annotations" / f"{image.stem}.json").read_text())["form"]
        pairs.append(
            (image, " ".join(w["text"] for e in form for w in e.get("words", []) if w["text"].strip()))
        )
    return pairs


def text_set(name: str, engine: str, pairs: list[tuple[Path, str]], with_cer: bool) -> dict[str, Any]:
    out = run_worker(engine, name, [{"path": str(p)} for p, _ in pairs], ONE_CORE)
    per_file = {}
    for (path, truth), result in zip(pairs, out["results"], strict=True):
        entry = {"word_f1": round(scoring.word_f1(result["text"], truth), 4), "s": result["seconds"]}
        if with_cer:
            entry["cer"] = round(scoring.cer(result["text"], truth), 4)
        per_file[path.name] = entry
    summary = {"files": len(pairs), "word_f1": mean([e["word_f1"] for e in per_file.values()])}
    if with_cer:
        summary["cer"] = mean([e["cer"] for e in per_file.values()])
    summary["s_per_image"] = mean([e["s"] for e in per_file.values()])
    summary["peak_rss_mb"] = round(peak_rss(out))
    return {**summary, "errors": errors(out), "per_file": per_file}


def score_sroie(engine: str, limit: int | None) -> dict[str, Any]:
    return text_set("sroie", engine, sroie_inputs(limit), with_cer=True)


def score_funsd(engine: str, limit: int | None) -> dict[str, Any]:
    # FUNSD's words are in annotation order, not reading order: CER would measure the order.
    return text_set("funsd", engine, funsd_inputs(limit), with_cer=False)


def score_rotations(engine: str, limit: int | None) -> dict[str, Any]:
    base = BENCH / "docling" / "ocr"
    files = [base / f"ocr_test{s}.pdf" for s in ("", "_rotated_90", "_rotated_180", "_rotated_270")]
    files.append(base / "webp-test.webp")
    out = run_worker(engine, "rotations", [{"path": str(p)} for p in files], ONE_CORE)
    scores = {}
    for path, result in zip(files, out["results"], strict=True):
        truth = parse_scoring.normalize((base / f"{path.stem}.tesseract.full_page.md").read_text())
        scores[path.name] = round(scoring.ratio(parse_scoring.normalize(result["text"]), truth), 3)
    entry: dict[str, Any] = {"similarity": scores, "mean": mean(list(scores.values())), "errors": errors(out)}
    if engine.startswith("docuforge"):
        # Orientation alone, on the receipts, forms and text pages each turned all four ways.
        pages = [p for p, _ in sroie_inputs(limit) + funsd_inputs(limit) + speed_pages(limit)]
        jobs = [{"path": str(p), "options": {"orientation": True}} for p in pages]
        out = run_worker(engine, "orientation", jobs, ONE_CORE, warmup=True)
        done = [r for r in out["results"] if not r["error"]]
        wrong = [
            f"{Path(r['path']).name} turned {k}: {t}"
            for r in done
            for k, t in enumerate(r["turns"])
            if t != (4 - k) % 4
        ]
        entry["turned"] = {
            "pages": len(pages),
            "settled": f"{4 * len(done) - len(wrong)}/{4 * len(pages)}",
            "s_per_page": round(sum(r["seconds"] for r in done) / max(4 * len(done), 1), 3),
            "wrong": wrong,
            "errors": errors(out),
        }
    return entry


def score_columns(engine: str, limit: int | None) -> dict[str, Any]:
    """One- against two-column scans: the synthetic corpus's pages 1-5 and 41-45 as 150 dpi images.

    The ground truth is exact (the synthetic corpus's own text, in reading order), so the gap
    between the two CERs is what reading two columns costs.
    """
    from benchmarks.parse import corpus

    corpus.build()
    truth = {page["page"]: page["text"] for page in corpus.synth_truth()}
    files = [corpus.CACHE / "scan" / f"synth_scan_{kind}.pdf" for kind in ("1col", "2col")]
    out = run_worker(engine, "columns", [{"path": str(p)} for p in files], ONE_CORE)
    scores = {}
    for path, pages, result in zip(
        files, ([1, 2, 3, 4, 5], [41, 42, 43, 44, 45]), out["results"], strict=True
    ):
        expected = "\n\n".join(truth[n] for n in pages)
        scores[path.stem] = {
            "cer": round(scoring.cer(result["text"], expected), 4),
            "word_f1": round(scoring.word_f1(result["text"], expected), 4),
            "s_per_page": round(result["seconds"] / len(pages), 3),
        }
    return {**scores, "errors": errors(out)}


def olmocr_image_only() -> list[Path]:
    from benchmarks.parse.run import has_text_layer

    pdfs = sorted((BENCH / "olmocr_bench_sample" / "pdfs").rglob("*.pdf"))
    return [p for p in pdfs if not has_text_layer(p)]


def score_olmocr(engine: str, limit: int | None) -> dict[str, Any]:
    base = BENCH / "olmocr_bench_sample"
    files = olmocr_image_only()[:limit]
    out = run_worker(engine, "olmocr", [{"path": str(p)} for p in files], ONE_CORE)
    # Docuforge is scored on its Markdown (table tests need it), the bare engines on their text.
    texts = {p.name: r.get("markdown") or r["text"] for p, r in zip(files, out["results"], strict=True)}
    by_name = {p.relative_to(base / "pdfs").as_posix(): p.name for p in files}
    tests = [
        json.loads(line)
        for n in ("dataset.jsonl", "blanks.jsonl")
        for line in (base / n).open()
        if line.strip()
    ]
    passed, by_kind, recalls = [], defaultdict(list), []
    for test in tests:
        name = by_name.get(test["pdf"])
        if name is None:
            continue
        result = parse_scoring.olmocr_test(texts[name], test)
        if result is None:
            continue
        passed.append(result)
        by_kind[test["type"]].append(result)
        if test["type"] == "present":
            recalls.append(scoring.word_recall(texts[name], test["text"]))
    return {
        "pdfs": sorted(by_name),
        "pass_rate": round(sum(passed) / len(passed), 3) if passed else None,
        "tests": len(passed),
        **{kind: f"{sum(v)}/{len(v)}" for kind, v in sorted(by_kind.items())},
        "present_word_recall": mean(recalls),
        "ocr_pages": sum(r.get("ocr_pages", 0) for r in out["results"]),
        "s_per_page": mean([r["seconds"] / max(r.get("pages", 1), 1) for r in out["results"]]),
        "errors": errors(out),
    }


def _as_cells(table: dict[str, Any]) -> list[scoring.Cell]:
    return [tuple(cell) for cell in table["cells"]]  # type: ignore[misc]


def score_tables(engine: str, limit: int | None) -> dict[str, Any]:
    sdg = sorted((BENCH / "docling_eval_sdg_tables").glob("*.png"))[:limit]
    omni_base = BENCH / "omnidocbench_demo"
    pages = json.loads((omni_base / "OmniDocBench_demo.json").read_text())
    omni: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        for det in page["layout_dets"]:
            if det.get("category_type") == "table" and det.get("html"):
                omni[page["page_info"]["image_path"]].append(det["html"])
    omni_files = [omni_base / "images" / name for name in sorted(omni)][:limit]
    out = run_worker(engine, "tables", [{"path": str(p)} for p in sdg + omni_files], ONE_CORE)
    results = dict(zip(sdg + omni_files, out["results"], strict=True))

    sdg_scores = {}
    for path in sdg:
        data = json.loads(path.with_suffix(".json").read_text())["tables"][0]["data"]
        truth = [
            (c["start_row_offset_idx"], c["start_col_offset_idx"], c["row_span"], c["col_span"], c["text"])
            for c in data["table_cells"]
        ]
        found = results[path].get("tables") or []
        best = max(found, key=lambda t: t["area"], default=None)
        cells = _as_cells(best) if best else []
        sdg_scores[path.name[-40:]] = {
            "cell_f1": round(scoring.cell_f1(cells, truth), 3),
            "teds": round(scoring.teds(cells, truth), 3) if best else 0.0,
            "shape_gt": [data["num_rows"], data["num_cols"]],
            "shape_found": [best["n_rows"], best["n_cols"]] if best else None,
            "shape_match": bool(best)
            and [best["n_rows"], best["n_cols"]] == [data["num_rows"], data["num_cols"]],
            "tables_found": len(found),
        }
    omni_scores = {}
    for path in omni_files:
        found = [_as_cells(t) for t in results[path].get("tables") or []]
        for k, html in enumerate(omni[path.name]):
            truth = parse_scoring.html_cells(html)
            # Each GT table against the table found on the page that resembles it most.
            best = max(found, key=lambda cells, truth=truth: scoring.teds(cells, truth), default=None)
            omni_scores[f"{path.stem[:40]}#{k}"] = {
                "teds": round(scoring.teds(best, truth), 3) if best else 0.0,
                "cell_f1": round(scoring.cell_f1(best, truth), 3) if best else 0.0,
                "tables_found_on_page": len(found),
            }
    return {
        "sdg_cell_f1": mean([s["cell_f1"] for s in sdg_scores.values()]),
        "sdg_teds": mean([s["teds"] for s in sdg_scores.values()]),
        "sdg_shape_match": f"{sum(s['shape_match'] for s in sdg_scores.values())}/{len(sdg_scores)}",
        "omnidoc_teds": mean([s["teds"] for s in omni_scores.values()]),
        "omnidoc_cell_f1": mean([s["cell_f1"] for s in omni_scores.values()]),
        "omnidoc_tables": len(omni_scores),
        "errors": errors(out),
        "sdg": sdg_scores,
        "omnidoc": omni_scores,
    }


# Layout classes as each ground truth names them; Docuforge's Title and Section Header are titles.
LAYOUT_CLASSES = ("table", "figure", "title")
OMNI_LAYOUT = {"table": "table", "figure": "figure", "title": "title"}
CVAT_LAYOUT = {"table": "table", "picture": "figure", "section_header": "title", "title": "title"}
DOCUFORGE_LAYOUT = {"Table": "table", "Figure": "figure", "Title": "title", "Section Header": "title"}
Boxes = list[tuple[str, tuple[float, float, float, float]]]


def layout_truth(limit: int | None) -> dict[Path, Boxes]:
    """Each page image's human layout boxes of the scored classes, in pixels of the image."""
    import xml.etree.ElementTree as ET

    truth: dict[Path, Boxes] = {}
    omni = BENCH / "omnidocbench_demo"
    for page in json.loads((omni / "OmniDocBench_demo.json").read_text()):
        boxes: Boxes = []
        for det in page["layout_dets"]:
            kind = OMNI_LAYOUT.get(det.get("category_type", ""))
            if kind and not det.get("ignore"):
                xs, ys = det["poly"][0::2], det["poly"][1::2]
                boxes.append((kind, (min(xs), min(ys), max(xs), max(ys))))
        truth[omni / "images" / page["page_info"]["image_path"]] = boxes
    cvat = BENCH / "docling_eval_cvat"
    # The benchmark corpus, not user input.
    for image in ET.parse(cvat / "case_03_annotations.xml").getroot().iter("image"):  # noqa: S314
        boxes = []
        for box in image.iter("box"):
            kind = CVAT_LAYOUT.get(box.get("label", ""))
            if kind:
                boxes.append((kind, tuple(float(box.get(k, 0)) for k in ("xtl", "ytl", "xbr", "ybr"))))  # type: ignore[misc]
        path = cvat / "case_03" / str(image.get("name"))
        if path.exists():
            truth[path] = boxes
    return dict(sorted(truth.items())[:limit])


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    shared = max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - shared
    return shared / union if union > 0 else 0.0


def matched(found: list[tuple[float, ...]], truth: list[tuple[float, ...]], least: float = 0.5) -> int:
    """Pairs of boxes matched one to one, the best overlaps first, each at IoU >= least."""
    pairs = sorted(
        ((_iou(f, t), i, j) for i, f in enumerate(found) for j, t in enumerate(truth)), reverse=True
    )
    used_found, used_truth, count = set(), set(), 0
    for overlap, i, j in pairs:
        if overlap < least:
            break
        if i not in used_found and j not in used_truth:
            used_found.add(i)
            used_truth.add(j)
            count += 1
    return count


def score_layout(engine: str, limit: int | None) -> dict[str, Any]:
    from PIL import Image

    truth = layout_truth(limit)
    out = run_worker(engine, "layout", [{"path": str(p)} for p in truth], ONE_CORE)
    counts = {kind: [0, 0, 0] for kind in LAYOUT_CLASSES}  # found, true, matched
    pages = {}
    for (path, boxes), result in zip(truth.items(), out["results"], strict=True):
        with Image.open(path) as image:
            width, height = image.size  # OmniDocBench's page_info swaps them on some pages
        found: Boxes = [
            (DOCUFORGE_LAYOUT[kind], (left * width, top * height, (left + w) * width, (top + h) * height))
            for kind, page, left, top, w, h in result.get("blocks", [])
            if kind in DOCUFORGE_LAYOUT and page == 1
        ]
        pages[path.name] = {}
        for kind in LAYOUT_CLASSES:
            mine = [box for k, box in found if k == kind]
            theirs = [box for k, box in boxes if k == kind]
            hits = matched(mine, theirs)
            counts[kind][0] += len(mine)
            counts[kind][1] += len(theirs)
            counts[kind][2] += hits
            pages[path.name][kind] = f"{hits}/{len(mine)}/{len(theirs)}"
    summary: dict[str, Any] = {"pages": len(truth)}
    for kind, (n_found, n_true, hits) in counts.items():
        summary[f"{kind}_precision"] = round(hits / n_found, 3) if n_found else None
        summary[f"{kind}_recall"] = round(hits / n_true, 3) if n_true else None
        summary[f"{kind}_counts"] = f"{hits} of {n_found} found, {n_true} true"
    return {**summary, "errors": errors(out), "per_page": pages}


def score_office(engine: str, limit: int | None) -> dict[str, Any]:
    base = BENCH / "docling" / "office"
    files = sorted(p for p in base.iterdir() if not p.name.endswith(".md"))[:limit]
    out = run_worker(engine, "office", [{"path": str(p)} for p in files], ONE_CORE)
    per_file: dict[str, float | None] = {}
    for path, result in zip(files, out["results"], strict=True):
        if result["error"]:
            per_file[path.name] = None
            continue
        truth = (base / f"{path.name}.md").read_text().replace("<!-- image -->", "")
        markdown = result["markdown"]
        per_file[path.name] = round(
            parse_scoring.similarity(parse_scoring.plain(markdown), parse_scoring.plain(truth)), 3
        )
    done = [v for v in per_file.values() if v is not None]
    return {
        "similarity_mean": mean(done),
        "parsed": f"{len(done)}/{len(files)}",
        "per_file": per_file,
        "errors": errors(out),
    }


SPEED_PAGES = (("multi_page", range(4)), ("redp5110_sampled", range(1, 7)))


def speed_pages(limit: int | None) -> list[tuple[Path, str]]:
    """10 pages of docling's text PDFs rendered at 200 dpi (cached), each with its text layer."""
    import pypdfium2 as pdfium

    from benchmarks.ocr.engines import DPI

    (CACHE / "pages").mkdir(parents=True, exist_ok=True)
    pairs = []
    for stem, numbers in SPEED_PAGES:
        document = pdfium.PdfDocument(BENCH / "docling" / "pdf" / f"{stem}.pdf")
        for number in numbers:
            page = document[number]
            image = CACHE / "pages" / f"{stem}-p{number + 1}.png"
            if not image.exists():
                page.render(scale=DPI / 72).to_pil().convert("RGB").save(image)
            pairs.append((image, page.get_textpage().get_text_range()))
        document.close()
    return pairs[:limit]


def score_speed(engine: str, limit: int | None) -> dict[str, Any]:
    pairs = speed_pages(limit)
    entry: dict[str, Any] = {"pages": len(pairs)}
    for label, cores in (("one_core", ONE_CORE), ("two_cores", BOTH_CORES)):
        # The first page is converted once untimed first: model loading is reported apart.
        out = run_worker(engine, "speed", [{"path": str(p)} for p, _ in pairs], cores, warmup=True)
        seconds = [r["seconds"] for r in out["results"] if not r["error"]]
        entry[label] = {
            "s_per_page": round(sum(seconds) / len(seconds), 3) if seconds else None,
            "s_per_page_median": round(statistics.median(seconds), 3) if seconds else None,
            "load_s": out["load_s"],
            "peak_rss_mb": round(peak_rss(out)),
            "errors": errors(out),
        }
        if label == "one_core":
            texts = [r["text"] for r in out["results"]]
            entry["cer"] = mean([scoring.cer(t, truth) for t, (_, truth) in zip(texts, pairs, strict=True)])
            entry["word_f1"] = mean(
                [scoring.word_f1(t, truth) for t, (_, truth) in zip(texts, pairs, strict=True)]
            )
    if engine.startswith("docuforge") and limit is None:
        # The same ten pages as one scanned document: Docuforge reads its pages side by side
        # (one per core), which a page converted alone cannot show.
        out = run_worker(engine, "speed-document", [{"path": str(speed_document(pairs))}], BOTH_CORES, True)
        result = out["results"][0]
        entry["document_two_cores"] = {
            "s_per_page": round(result["seconds"] / len(pairs), 3) if not result["error"] else None,
            "peak_rss_mb": round(peak_rss(out)),
            "errors": errors(out),
        }
    return entry


def speed_document(pairs: list[tuple[Path, str]]) -> Path:
    """The speed pages as one multi-page TIFF (cached)."""
    from PIL import Image

    path = CACHE / "pages" / "speed-document.tiff"
    if not path.exists():
        images = [Image.open(p).convert("RGB") for p, _ in pairs]
        images[0].save(
            path, save_all=True, append_images=images[1:], dpi=(200, 200), compression="tiff_deflate"
        )
    return path


SCORERS = {
    "sroie": score_sroie,
    "funsd": score_funsd,
    "rotations": score_rotations,
    "columns": score_columns,
    "olmocr": score_olmocr,
    "tables": score_tables,
    "layout": score_layout,
    "office": score_office,
    "speed": score_speed,
}


# --- report ------------------------------------------------------------------------------------


def _row(results: dict[str, Any], name: str, key: str, engines: list[str]) -> list[str]:
    return [str(results["sets"].get(name, {}).get(e, {}).get(key, "—")) for e in engines]


def cpu() -> str:
    """The processor and the vector units the OCR models' speed turns on: OpenVINO runs them in
    bf16 where the CPU has AVX512-BF16 or AMX (three to four times faster than fp32 here)."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.machine()
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    fields = {key.strip(): value.strip() for key, value in fields.items()}
    flags = set(fields.get("flags", "").split())
    vector = (("AVX2", "avx2"), ("AVX-512", "avx512f"), ("AVX512-BF16", "avx512_bf16"), ("AMX", "amx_bf16"))
    units = [unit for unit, flag in vector if flag in flags]
    name = fields.get("model name", "")
    return f"{platform.machine()} {name or 'CPU'} ({', '.join(units) or 'no AVX2'})"


def _hosts(results: dict[str, Any]) -> list[str]:
    """Which machine measured which sets (engines named where a set's differ): speed depends on
    the CPU, so figures of different rows are comparable only on the same one."""
    measured: dict[str, list[str]] = {}
    for name, entries in results["sets"].items():
        by_host: dict[str, list[str]] = {}
        for engine, entry in entries.items():
            by_host.setdefault(entry.get("host", f"{results['machine']}; {results['date']}"), []).append(
                engine
            )
        for host, engines in by_host.items():
            label = name if len(by_host) == 1 else f"{name} ({', '.join(engines)})"
            measured.setdefault(host, []).append(label)
    return ["Measured on:", ""] + [f"- {host}: {', '.join(sets)}" for host, sets in measured.items()]


def report(results: dict[str, Any]) -> str:
    engines = list(ENGINES)
    sets = results["sets"]
    head = "| metric | " + " | ".join(engines) + " |"
    rule = "|---|" + "---|" * len(engines)
    lines = [
        "# OCR benchmark",
        "",
        f"Command: `{results['command']}`. Each engine runs in its own "
        "process pinned to core 1 (one conversion per file), except the two-core speed runs; the "
        "machines were shared with other engineers' work, so timings carry noise. Raw numbers: `ocr.json`.",
        "",
        *_hosts(results),
        "",
        "Engines: **docuforge** = `docuforge.parse` with RapidOCR (full pipeline: orientation, OCR, "
        'layout, tables); **docuforge-fast** = the same with `OcrOptions(engine="rapidocr-fast")` '
        "(PP-OCRv6's tiny recogniser); "
        '**docuforge-tesseract** = the same with `OcrOptions(engine="tesseract")`; '
        '**bare-rapidocr** = `RapidOCR(params={"Global.use_cls": False})`, lines sorted top to bottom; '
        "**bare-tesseract** = `tesseract IMAGE stdout`. PDF pages are rendered at 200 dpi.",
        "",
        "## Text recognition",
        "",
        "Word F1: bag-of-words F1 per image (lower-cased, punctuation to spaces, multiset), then the mean; "
        "the normalisation of `../shared/research/peers.md`, whose figures (RapidOCR no-cls 0.948 SROIE / "
        "0.912 FUNSD, Tesseract 0.803 / 0.710) it compares with. CER: edit distance / GT length, "
        "whitespace collapsed; on SROIE it is inflated by the GT's line order.",
        "",
        head,
        rule,
    ]
    for name, keys in (
        ("sroie", ("word_f1", "cer", "s_per_image", "peak_rss_mb")),
        ("funsd", ("word_f1", "s_per_image")),
    ):
        for key in keys:
            lines.append(f"| {name} {key} | " + " | ".join(_row(results, name, key, engines)) + " |")
    rot = sets.get("rotations", {})
    if rot:
        files = list(next(iter(rot.values()))["similarity"])
        lines += [
            "",
            "## Rotations (docling ocr_test; rapidfuzz ratio/100 to the GT sentence)",
            "",
            head,
            rule,
        ]
        for file in files:
            cells = [str(rot.get(e, {}).get("similarity", {}).get(file, "—")) for e in engines]
            lines.append(f"| {file} | " + " | ".join(cells) + " |")
        for key in ("settled", "s_per_page"):
            cells = [str(rot.get(e, {}).get("turned", {}).get(key, "—")) for e in engines]
            lines.append(f"| turned pages {key} | " + " | ".join(cells) + " |")
        lines.append("")
        lines.append(
            "The GT is docling's Tesseract output of one sentence: agreement with docling, but the "
            "sentence is short and unambiguous, so it reads as accuracy here. Turned pages: the SROIE "
            "receipts, FUNSD forms and the speed set's text pages, each turned 0, 90, 180 and 270 "
            "degrees; the turns that orientation alone (`docuforge.parsing.ocr.orientation.analyse`) "
            "settles right, and its seconds a page."
        )
    if "columns" in sets:
        cols = sets["columns"]
        lines += [
            "",
            "## One- and two-column scans (synthetic pages 1-5 and 41-45, 150 dpi images; exact GT)",
            "",
            head,
            rule,
        ]
        for kind in ("synth_scan_1col", "synth_scan_2col"):
            for metric in ("cer", "word_f1", "s_per_page"):
                cells = [str(cols.get(e, {}).get(kind, {}).get(metric, "—")) for e in engines]
                lines.append(f"| {kind} {metric} | " + " | ".join(cells) + " |")
        lines += [
            "",
            "CER against the corpus's own text in reading order: the gap between the two pages' CER "
            "is what reading two columns costs (peers: about 10 points for every engine).",
        ]
    if "olmocr" in sets:
        first = next(iter(sets["olmocr"].values()))
        lines += [
            "",
            f"## olmOCR-bench sample, image-only PDFs ({len(first['pdfs'])}: {', '.join(first['pdfs'])})",
            "",
            "Docuforge in its default hybrid mode; olmOCR's unit tests on these pages, checked by "
            "`benchmarks/parse/scoring.py` (our reading of their semantics, math tests skipped); "
            "present_word_recall: share of the words of the `present` test texts found.",
            "",
            head,
            rule,
        ]
        keys = [k for k in first if k not in ("pdfs", "errors")]
        for key in keys:
            lines.append(f"| {key} | " + " | ".join(_row(results, "olmocr", key, engines)) + " |")
    if "tables" in sets:
        lines += [
            "",
            "## Tables",
            "",
            "docling-eval SDG: 7 synthetic table images, one GT table each (exact by construction); the "
            "largest table Docuforge finds against it. OmniDocBench demo: every human-annotated HTML table "
            "on its 9 pages with tables (mostly Chinese) against the best-matching table found on the page. "
            "cell_f1: F1 of the multisets of non-empty cell texts, exact match after normalisation; TEDS: "
            "tree-edit-distance similarity (our Zhang-Shasha implementation, `benchmarks/ocr/scoring.py`; "
            "text costs by normalised Levenshtein); shape_match: same rows x columns as the GT. "
            "A table not found scores 0.",
            "",
            head,
            rule,
        ]
        for key in (
            "sdg_cell_f1",
            "sdg_teds",
            "sdg_shape_match",
            "omnidoc_teds",
            "omnidoc_cell_f1",
            "omnidoc_tables",
        ):
            lines.append(f"| {key} | " + " | ".join(_row(results, "tables", key, engines)) + " |")
    if "layout" in sets:
        lines += [
            "",
            "## Layout on page images",
            "",
            "OmniDocBench's 18 demo pages and docling-eval's 6 CVAT page images (human boxes): the tables, "
            "figures (CVAT: pictures) and titles (Docuforge: Title and Section Header; CVAT: section headers "
            "too) found, matched one to one to the true boxes at IoU >= 0.5. Counts: matched of found, and "
            "how many are true. Most of CVAT's 29 pictures are small logos and icons on three flyers.",
            "",
            head,
            rule,
        ]
        for kind in LAYOUT_CLASSES:
            for key in ("precision", "recall", "counts"):
                lines.append(
                    f"| {kind} {key} | "
                    + " | ".join(_row(results, "layout", f"{kind}_{key}", engines))
                    + " |"
                )
    if "office" in sets:
        office = sets["office"].get("docuforge", {})
        lines += [
            "",
            "## Office files (docling/office)",
            "",
            "Similarity (normalised Levenshtein, Markdown stripped as in the parse benchmark) to docling's "
            "own Markdown: **agreement with docling, not accuracy**. No OCR involved.",
            "",
            f"Mean {office.get('similarity_mean')} over the files parsed ({office.get('parsed')}).",
            "",
            "| file | similarity |",
            "|---|---|",
        ]
        for file, value in office.get("per_file", {}).items():
            lines.append(f"| {file} | {value if value is not None else 'failed'} |")
        for error in office.get("errors", []):
            lines.append(f"\n- {error}")
    if "speed" in sets:
        lines += [
            "",
            "## Speed (10 pages of docling's text PDFs, multi_page p1-4 and redp5110_sampled p2-7, "
            "rendered at 200 dpi)",
            "",
            "Seconds per page, mean over the pages after one untimed warm-up conversion; model loading is "
            "load_s. Peak RSS: the worker process or its Tesseract children, whichever is larger. CER and "
            "word F1 against the PDF's own text layer (one-core run). Docuforge does the whole pipeline, the "
            "bare engines only OCR. document_two_cores: the ten pages as one 10-page TIFF, converted once "
            "after a warm-up conversion of it; Docuforge reads a document's pages side by side, one per "
            "core (DOCUFORGE_OCR__PAGE_WORKERS), with an engine each, hence the larger RSS.",
            "",
            head,
            rule,
        ]
        speed = sets["speed"]
        for label in ("one_core", "two_cores"):
            for key in ("s_per_page", "s_per_page_median", "load_s", "peak_rss_mb"):
                cells = [str(speed.get(e, {}).get(label, {}).get(key, "—")) for e in engines]
                lines.append(f"| {label} {key} | " + " | ".join(cells) + " |")
        for key in ("s_per_page", "peak_rss_mb"):
            cells = [str(speed.get(e, {}).get("document_two_cores", {}).get(key, "—")) for e in engines]
            lines.append(f"| document_two_cores {key} | " + " | ".join(cells) + " |")
        for key in ("cer", "word_f1"):
            lines.append(f"| {key} | " + " | ".join(_row(results, "speed", key, engines)) + " |")
    failures = [
        f"- {name} / {engine}: {error}"
        for name, by_engine in sets.items()
        for engine, entry in by_engine.items()
        for error in (entry.get("errors", []) if name != "office" else [])
    ]
    if failures:
        lines += ["", "## Errors", "", *failures]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated, from: " + ", ".join(SETS))
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help="comma-separated, from: " + ", ".join(ENGINES)
    )
    parser.add_argument("--limit", type=int, help="at most N inputs per set (quick checks)")
    parser.add_argument("--no-save", action="store_true", help="print, but leave benchmarks/results alone")
    args = parser.parse_args()
    sets = [s for s in args.sets.split(",") if s]
    engines = [e for e in args.engines.split(",") if e]
    unknown = set(sets) - set(SETS) | set(engines) - set(ENGINES)
    if unknown:
        sys.exit(f"unknown set or engine: {', '.join(sorted(unknown))}")

    path = RESULTS / "ocr.json"
    # Runs of a few sets update the saved results in place, so a set can be re-run on its own.
    results: dict[str, Any] = (
        json.loads(path.read_text()) if path.exists() and not args.no_save else {"sets": {}}
    )
    # Runs of a few sets happen on whichever machine a session has: each entry keeps its own.
    for entries in results["sets"].values():
        for entry in entries.values():
            entry.setdefault(
                "host", f"{results.get('machine', 'an unrecorded machine')}; {results.get('date')}"
            )
    results.update(
        machine=f"{cpu()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}, "
        f"{platform.platform()}",
        date=DATE,
        command="taskset -c 1 .venv/bin/python -m benchmarks.ocr.run",
    )
    for name in sets:
        for engine in engines:
            if engine not in SET_ENGINES.get(name, ENGINES):
                continue
            print(f"{name} / {engine}", file=sys.stderr, flush=True)
            began = time.perf_counter()
            try:
                entry = SCORERS[name](engine, args.limit)
            except subprocess.CalledProcessError as exc:  # a crashed worker is reported, the rest goes on
                entry = {"errors": [f"worker failed: {exc}"]}
            entry["wall_s"] = round(time.perf_counter() - began, 1)
            entry["limit"] = args.limit
            entry["host"] = f"{results['machine']}; {DATE}"
            results["sets"].setdefault(name, {})[engine] = entry
            brief = {k: v for k, v in entry.items() if not isinstance(v, dict) and k not in ("pdfs",)}
            print(f"{name} / {engine}: {json.dumps(brief)[:500]}", flush=True)
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
        (RESULTS / "ocr.md").write_text(report(results))
        print("written: benchmarks/results/ocr.json, benchmarks/results/ocr.md", file=sys.stderr)


if __name__ == "__main__":
    main()
