"""One converter per tool, run in that tool's own environment, one core, one process per tool.

    python benchmarks/parse/tools.py --tool docuforge --files FILES.json --out DIR [--runs 3]

FILES.json is a list of PDF paths. Each file is converted `--runs` times; the Markdown of the
last run lands in DIR/<index>.md and DIR/timings.json gets, per file, every wall time and the
page count, plus the load time (import and set-up) and the process's peak RSS. The process
pins itself to one core and to one thread per native library before anything is imported, so
the figures are per core whatever the tool would otherwise spread over.

Only the standard library is imported at the top: this file also runs in benchmarks/.venv-peers,
where Docuforge is not installed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "ORT_NUM_THREADS"):
    os.environ[_name] = "1"

Converter = Callable[[str], tuple[str, int]]


def _docuforge() -> Converter:
    import docuforge

    def convert(path: str) -> tuple[str, int]:
        document = docuforge.parse(path)
        return docuforge.to_markdown(document), len(document.pages)

    return convert


def _pdf_pages(path: str) -> int:
    import pymupdf

    with pymupdf.open(path) as document:
        return document.page_count


def _pymupdf4llm() -> Converter:
    import pymupdf4llm

    def convert(path: str) -> tuple[str, int]:
        # Born-digital inputs: OCR off, so the figure is its layout and table work, not Tesseract's.
        try:
            markdown = pymupdf4llm.to_markdown(path, use_ocr=False, show_progress=False)
        except TypeError:  # versions without the use_ocr switch
            markdown = pymupdf4llm.to_markdown(path, show_progress=False)
        return markdown, _pdf_pages(path)

    return convert


def _markitdown() -> Converter:
    from markitdown import MarkItDown

    converter = MarkItDown()

    def convert(path: str) -> tuple[str, int]:
        return converter.convert(path).text_content, _pdf_pages(path)

    return convert


TOOLS: dict[str, Callable[[], Converter]] = {
    "docuforge": _docuforge,
    "pymupdf4llm": _pymupdf4llm,
    "markitdown": _markitdown,
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tool", required=True, choices=sorted(TOOLS))
    parser.add_argument("--files", required=True, type=Path, help="JSON list of input paths")
    parser.add_argument("--out", required=True, type=Path, help="folder for the Markdown and timings.json")
    parser.add_argument("--runs", type=int, default=3, help="conversions per file; the median is reported")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    files = json.loads(args.files.read_text())
    args.out.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    convert = TOOLS[args.tool]()
    load_s = time.perf_counter() - started

    results = []
    for index, path in enumerate(files):
        times: list[float] = []
        markdown, pages, error = "", 0, None
        for _ in range(args.runs):
            began = time.perf_counter()
            try:
                markdown, pages = convert(path)
            except Exception as exc:  # a tool failing on one file is a result, not the end of the run
                error = f"{type(exc).__name__}: {exc}"[:300]
                break
            times.append(time.perf_counter() - began)
        (args.out / f"{index}.md").write_text(markdown)
        results.append({"file": path, "pages": pages, "times_s": times, "error": error})
        print(f"\r{args.tool}: {index + 1}/{len(files)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    summary = {"tool": args.tool, "load_s": load_s, "peak_rss_mb": peak_kib / 1024, "files": results}
    (args.out / "timings.json").write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
