"""Golden outputs of the parse engine: a fixed sample parsed to Document JSON, Markdown and FullResult.

    python -m benchmarks.parse.golden --out benchmarks/.cache/golden/before
    ...change the engine...
    python -m benchmarks.parse.golden --out benchmarks/.cache/golden/after
    diff -r benchmarks/.cache/golden/before benchmarks/.cache/golden/after

A refactoring that keeps behaviour leaves every file byte-identical. The sample mixes born-digital
PDFs with tables, scanned PDFs and images (OCR), office files and text formats, some with
non-default options (OCR forced, citations and word boxes, page ranges, chunk modes, table
formats, merged tables, spreadsheet splitting), so each stage and each wire option is crossed.
The inputs are read in place from ../shared/bench (never copied here) or written by this script;
the outputs stay under benchmarks/.cache, outside the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.parse.corpus import BENCH

DOCLING = BENCH / "docling"
ICDAR = BENCH / "icdar2013_tables"
OLMOCR = BENCH / "olmocr_bench_sample" / "pdfs"

CITED = {
    "settings": {"return_ocr_data": True, "return_citations": True},
    "retrieval": {"chunking": {"chunk_mode": "variable", "chunk_size": 800}},
    "formatting": {"table_output_format": "html", "add_page_markers": True},
}

# (label, input, wire options as Reducto's `parsing` object would carry them)
SAMPLE: list[tuple[str, Path | str, dict[str, Any]]] = [
    ("arxiv-table", DOCLING / "pdf" / "2305.03393v1-pg9.pdf", {}),
    ("arxiv-table-ocr", DOCLING / "pdf" / "2305.03393v1-pg9.pdf", {"settings": {"extraction_mode": "ocr"}}),
    (
        "handbook",
        DOCLING / "pdf" / "amt_handbook_sample.pdf",
        {"settings": {"extract_document_properties": True}},
    ),
    ("redbook-cited", DOCLING / "pdf" / "redp5110_sampled.pdf", CITED),
    (
        "mislabeled",
        DOCLING / "pdf" / "table_mislabeled_as_picture.pdf",
        {"formatting": {"table_output_format": "md"}},
    ),
    (
        "multi-page-range",
        DOCLING / "pdf" / "multi_page.pdf",
        {
            "settings": {"page_range": {"start": 2, "end": 3}},
            "retrieval": {"chunking": {"chunk_mode": "page"}},
        },
    ),
    ("rtl", DOCLING / "pdf" / "right_to_left_01.pdf", {}),
    (
        "code-metadata",
        DOCLING / "pdf" / "code_and_formula.pdf",
        {"settings": {"extraction_mode": "metadata"}},
    ),
    ("icdar-eu-001", ICDAR / "eu-001.pdf", {}),
    ("icdar-eu-004", ICDAR / "eu-004.pdf", {"formatting": {"table_output_format": "json"}}),
    ("icdar-eu-014", ICDAR / "eu-014.pdf", {}),
    ("icdar-us-003", ICDAR / "us-003.pdf", {"formatting": {"table_output_format": "jsonbbox"}}),
    ("icdar-us-015", ICDAR / "us-015.pdf", {"formatting": {"merge_tables": True}}),
    ("icdar-us-027", ICDAR / "us-027.pdf", {"retrieval": {"chunking": {"chunk_mode": "section"}}}),
    (
        "nics",
        BENCH / "pdfplumber_tables" / "nics-background-checks-2015-11.pdf",
        {"formatting": {"merge_tables": True}},
    ),
    (
        "scotus",
        BENCH / "pdfplumber_tables" / "scotus-transcript-p1.pdf",
        {"retrieval": {"chunking": {"chunk_mode": "block"}}},
    ),
    ("earnings", OLMOCR / "earnings.pdf", {}),
    (
        "crazy-table",
        OLMOCR / "discoverworld_crazy_table4.pdf",
        {"formatting": {"table_output_format": "csv"}},
    ),
    ("multi-column", OLMOCR / "multi_column_miss.pdf", {}),
    ("scan", DOCLING / "ocr" / "ocr_test.pdf", {"settings": {"return_ocr_data": True}}),
    ("scan-rotated-90", DOCLING / "ocr" / "ocr_test_rotated_90.pdf", {}),
    ("webp", DOCLING / "ocr" / "webp-test.webp", {}),
    ("funsd-form", BENCH / "funsd_test" / "images" / "82092117.png", CITED),
    ("word-tables", DOCLING / "office" / "word_tables.docx", {}),
    (
        "word-lists",
        DOCLING / "office" / "docx_lists.docx",
        {"retrieval": {"chunking": {"chunk_mode": "variable"}}},
    ),
    ("slides", DOCLING / "office" / "powerpoint_sample.pptx", {"settings": {"page_range": [2, 3]}}),
    ("xlsx", DOCLING / "office" / "xlsx_01.xlsx", {"spreadsheet": {"split_large_tables": {"size": 10}}}),
    ("xlsx-title", DOCLING / "office" / "xlsx_05_table_with_title.xlsx", {}),
    ("xlsx-edge", DOCLING / "office" / "xlsx_06_edge_cases_.xlsx", {"spreadsheet": {"clustering": "fast"}}),
    (
        "xlsm",
        DOCLING / "office" / "xlsx_02_sample_sales_data.xlsm",
        {"spreadsheet": {"clustering": "disabled"}},
    ),
    ("csv", "csv", {}),
    ("markdown", "md", {"retrieval": {"chunking": {"chunk_mode": "section"}}}),
    ("html", "html", {}),
]

WRITTEN = {
    "csv": "Region,Q1,Q2,Q3\nNorth,10,12,9\nSouth,7,8,11\nEast,,4,5\n",
    "md": "# Report\n\nIntro text.\n\n## Figures\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n",
    "html": "<html><head><title>T</title></head><body><h1>Title</h1><p>Body text.</p>"
    "<table><tr><th>k</th><th>v</th></tr><tr><td>x</td><td>1</td></tr></table></body></html>",
}


def options(wire: dict[str, Any]) -> tuple[Any, Any]:
    """(engine options, wire options) for a `parsing` object, in this tree's API."""
    try:
        from docuforge.reducto.parse.options import ParseOptions, engine_options
    except ImportError:  # before the engine had options of its own: the wire schema was them
        from docuforge.parsing.options import ParseOptions

        parsed = ParseOptions.model_validate(wire)
        return parsed, parsed
    parsed = ParseOptions.model_validate(wire)
    return engine_options(parsed), parsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", default="", help="comma-separated labels")
    args = parser.parse_args()
    import docuforge
    from docuforge.render.html import to_html

    only = {label for label in args.only.split(",") if label}
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="golden-") as folder:
        for label, source, wire in SAMPLE:
            if only and label not in only:
                continue
            if isinstance(source, str):
                path = Path(folder) / f"input.{source}"
                path.write_text(WRITTEN[source])
            else:
                path = source
            engine, wire_options = options(wire)
            started = time.perf_counter()
            document = docuforge.parse(path, engine)
            took = time.perf_counter() - started
            out = args.out / label
            out.mkdir(exist_ok=True)
            (out / "document.json").write_text(document.model_dump_json(indent=1))
            (out / "document.md").write_text(docuforge.to_markdown(document))
            (out / "document.html").write_text(to_html(document))
            result = docuforge.to_full_result(document, wire_options)
            (out / "full_result.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
            print(f"{label}: {len(document.pages)} pages, {took:.2f}s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
