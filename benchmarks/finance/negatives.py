"""Documents that hold no financial statement: how many statements the reader claims in them.

    .venv/bin/python -m benchmarks.finance.negatives

Reads the PDFs of ../shared/bench in place (docling's, pdfplumber's, the olmOCR sample, ICDAR 2013's
tables: reports, papers, government statistics) and writes results/finance_negatives.{json,md}.
"""

from __future__ import annotations

import glob
import json
import time
import traceback

import docuforge
from benchmarks.finance.corpus import ROOT
from docuforge.finance import parse_options, read_statements

BENCH = ROOT.parent / "shared" / "bench"
RESULTS = ROOT / "benchmarks" / "results"
SETS = (
    "docling/pdf/*.pdf",
    "pdfplumber_tables/*.pdf",
    "olmocr_bench_sample/**/*.pdf",
    "icdar2013_tables/**/*.pdf",
)


def main() -> None:
    files = sorted(f for pattern in SETS for f in glob.glob(str(BENCH / pattern), recursive=True))
    claimed, crashes, unparsed, pages = [], [], 0, 0
    start = time.perf_counter()
    for path in files:
        try:
            document = docuforge.parse(path, parse_options())
        except Exception:  # the parser's own refusals are not the reader's business here
            unparsed += 1
            continue
        pages += len(document.pages)
        try:
            statements = read_statements(document)
        except Exception:
            crashes.append({"file": path, "error": traceback.format_exc(limit=3)})
            continue
        claimed += [
            {
                "file": path.split("/bench/")[-1],
                "type": s.statement_type.value,
                "pages": s.pages,
                "confidence": s.confidence,
            }
            for s in statements
        ]
    report = {
        "documents": len(files),
        "pages": pages,
        "not_parsed": unparsed,
        "statements_claimed": len(claimed),
        "claimed": claimed,
        "reader_crashes": len(crashes),
        "crashes": crashes,
        "seconds": round(time.perf_counter() - start, 1),
    }
    print(json.dumps(report, indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "finance_negatives.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "finance_negatives.md").write_text(
        "# Finance: documents without statements\n\n"
        f"{report['documents']} PDFs ({pages} pages) from ../shared/bench (docling, pdfplumber, "
        f"olmOCR sample, ICDAR 2013), none a financial statement: {len(claimed)} statements claimed, "
        f"{len(crashes)} reader crashes, {unparsed} not parsed by the parser. "
        f"Parse and read: {report['seconds']} s in all.\n"
    )


if __name__ == "__main__":
    main()
