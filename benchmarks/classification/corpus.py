"""Bench documents labelled by kind, read in place from ../shared/bench (never copied).

Each kind is taken from the family its source belongs to (SROIE: receipts; FUNSD: forms;
ICDAR 2013 and pdfplumber's reports: statistical and financial tables; papers from docling and
olmOCR's samples; docling's PPTX and XLSX files; docling's DOCX files: text documents). Documents
alternate between a tuning half and a reporting half by their position in the sorted list.
"""

from __future__ import annotations

from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "shared" / "bench"
if not BENCH.is_dir():
    BENCH = Path("/work/shared/bench")

CATEGORIES = [
    {
        "name": "receipt",
        "criteria": [
            "a store receipt for a purchase",
            "items with prices and a total",
            "cash or card payment",
        ],
    },
    {
        "name": "form",
        "criteria": [
            "a form with fields to fill in",
            "labels with blanks or checkboxes",
            "names, dates and signatures",
        ],
    },
    {
        "name": "scientific paper",
        "criteria": [
            "a research article",
            "abstract, references and citations",
            "figures, equations and experiments",
        ],
    },
    {
        "name": "financial table",
        "criteria": [
            "a report of statistical or financial tables",
            "rows and columns of numbers",
            "totals by year, month or region",
        ],
    },
    {"name": "slide deck", "criteria": ["presentation slides", "short bullet points on wide pages"]},
    {"name": "spreadsheet", "criteria": ["a spreadsheet workbook", "sheets of cells in rows and columns"]},
    {
        "name": "text document",
        "criteria": ["a letter, memo, manual or article of paragraphs", "prose text with headings"],
    },
]

_PAPERS = [
    "docling/pdf/2305.03393v1-pg9.pdf",
    "docling/pdf/code_and_formula.pdf",
    "olmocr_bench_sample/pdfs/math_2503_04086.pdf",
    "olmocr_bench_sample/pdfs/olmo2-pg4.pdf",
    "olmocr_bench_sample/pdfs/discoverworld_crazy_table4.pdf",
    "docling/pdf/picture_classification.pdf",
]


def documents(per_kind: int = 8) -> list[tuple[str, Path]]:
    """(kind, path) for up to `per_kind` documents of each kind, in a fixed order."""
    found: list[tuple[str, Path]] = []

    def take(kind: str, paths: list[Path]) -> None:
        found.extend((kind, p) for p in sorted(paths)[:per_kind] if p.is_file())

    take("receipt", list((BENCH / "sroie_receipts").rglob("*.jpg")))
    take("form", list((BENCH / "funsd_test").rglob("*.png")))
    take("scientific paper", [BENCH / p for p in _PAPERS])
    take(
        "financial table",
        [
            *sorted((BENCH / "icdar2013_tables").rglob("*.pdf"))[::8],
            *(BENCH / "pdfplumber_tables").glob("*.pdf"),
        ],
    )
    take("slide deck", list((BENCH / "docling").rglob("*.pptx")))
    take("spreadsheet", [*(BENCH / "docling").rglob("*.xlsx"), *(BENCH / "docling").rglob("*.xlsm")])
    take("text document", list((BENCH / "docling").rglob("*.docx")))
    return found


def half(index: int) -> str:
    return "tune" if index % 2 == 0 else "report"
