"""One OCR engine over a list of inputs, in its own process, on the cores it is given.

    python -m benchmarks.ocr.worker --engine docuforge --jobs JOBS.json --out OUT.json --cores 1

JOBS.json is a list of {"path": ..., "options": {...} | null}. For every input the worker records
the plain text it read, the Markdown and the tables (Docuforge engines only), the pages, whether
they were OCRed, and the wall time of one conversion. It runs in a fresh process so that its peak
RSS (RUSAGE_SELF, and RUSAGE_CHILDREN for the Tesseract processes it starts) belongs to one engine.

Engines:
- docuforge: `docuforge.parse` with its default OCR engine (RapidOCR), full pipeline;
- docuforge-fast: the same with `OcrOptions(engine="rapidocr-fast")` (PP-OCRv6's tiny recogniser);
- docuforge-tesseract: the same with `OcrOptions(engine="tesseract")`;
- bare-rapidocr: `RapidOCR(params={"Global.use_cls": False})` on the image, lines sorted top to bottom;
- bare-tesseract: Debian's `tesseract IMAGE stdout`, default page segmentation.
Bare engines get PDF pages rendered at 200 dpi, as the pipeline renders them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

ENGINES = ("docuforge", "docuforge-fast", "docuforge-tesseract", "bare-rapidocr", "bare-tesseract")
_THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "ORT_NUM_THREADS",
    "OMP_THREAD_LIMIT",
)


def _pin(cores: set[int]) -> None:
    # Set before numpy/onnxruntime load: their thread pools are sized once, at import.
    os.sched_setaffinity(0, cores)
    if len(cores) == 1:
        for name in _THREAD_VARS:
            os.environ[name] = "1"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", required=True, choices=ENGINES)
    parser.add_argument("--jobs", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--cores", default="1", help="comma-separated CPU ids to pin to")
    parser.add_argument("--warmup", action="store_true", help="convert the first input once, untimed")
    parser.add_argument("--label", default="", help="prefix of the progress lines")
    args = parser.parse_args()
    _pin({int(c) for c in args.cores.split(",")})

    import resource
    import time

    from benchmarks.ocr import engines

    jobs = json.loads(open(args.jobs).read())
    began = time.perf_counter()
    convert = engines.make(args.engine)
    load_s = time.perf_counter() - began
    if args.warmup and jobs:
        convert(jobs[0]["path"], jobs[0].get("options"))

    results = []
    for index, job in enumerate(jobs):
        began = time.perf_counter()
        try:
            result = convert(job["path"], job.get("options"))
            result["error"] = None
        except Exception as exc:  # one file failing is a result to report, not the end of the run
            result = {"text": "", "error": f"{type(exc).__name__}: {exc}"[:400]}
        result["seconds"] = round(time.perf_counter() - began, 4)
        result["path"] = job["path"]
        results.append(result)
        status = result["error"] or f"{result['seconds']:.2f} s"
        name = os.path.basename(job["path"])
        print(
            f"  {args.label} {args.engine} [{index + 1}/{len(jobs)}] {name}: {status}",
            file=sys.stderr,
            flush=True,
        )

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    summary = {
        "engine": args.engine,
        "cores": args.cores,
        "load_s": round(load_s, 3),
        "peak_rss_mb": round(own, 1),
        "peak_rss_children_mb": round(children, 1),
        "results": results,
    }
    with open(args.out, "w") as handle:
        json.dump(summary, handle)


if __name__ == "__main__":
    main()
