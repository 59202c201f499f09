"""ParseOptions: what the parse engine honours, typed, each field described once.

These are the engine's own options, not an HTTP schema: the library takes them as they are, the
command line builds them from its flags and Settings, and the HTTP API translates its wire
options into them. A field's description is its help text wherever it is shown.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from docuforge.parsing.ocr.options import OcrOptions

OcrMode = Literal["hybrid", "ocr", "metadata"]
Clustering = Literal["accurate", "fast", "disabled"]
SheetExclusion = Literal["hidden_sheets", "hidden_rows", "hidden_cols", "styling", "spreadsheet_images"]
SheetInclusion = Literal["cell_colors", "formula", "dropdowns"]
# The stages a parse can do without (parse/stages.py), to be switched off for an ablation.
OptionalStage = Literal[
    "checkbox_marks", "checkboxes", "column_tables", "ocr_confidence", "slide_order", "furniture", "headings",
    "merge_tables",
]  # fmt: skip


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PageSpan(_Options):
    """1-based pages from start to end, both included; an open end runs to the document's edge."""

    start: int | None = Field(None, ge=1)
    end: int | None = Field(None, ge=1)


# A span, a 1-based page number, or a string: "3", "2-5", "-4", "7-", or a spreadsheet's sheet name.
PageSpec = PageSpan | int | str


class SpreadsheetOptions(_Options):
    """How a workbook's sheets become tables."""

    clustering: Clustering = Field(
        "accurate",
        description="How a sheet's cells are grouped into tables: accurate (by blank rows and columns, "
        "titles and styling), fast (blank rows and columns only) or disabled (one table per sheet).",
    )
    exclude: frozenset[SheetExclusion] = Field(
        frozenset(), description="Left out: hidden sheets, rows or columns, styling, images."
    )
    include: frozenset[SheetInclusion] = Field(
        frozenset(), description="Added to cells: their colours, formulas, dropdown choices."
    )
    max_cell_count: int | None = Field(None, description="Refuse a sheet with more cells than this.")
    split_tables: bool = Field(True, description="Cut a long table into tables of split_rows rows.")
    split_rows: int | None = Field(50, description="Rows per table when long tables are cut.")
    split_cols: int | None = Field(None, description="Columns per table when wide tables are cut.")


class ParseOptions(_Options):
    """Everything that shapes a parse."""

    ocr_mode: OcrMode = Field(
        "hybrid",
        description="When to OCR a PDF page: hybrid (pages without a sound text layer), ocr (every "
        "page) or metadata (never). Images are always OCRed.",
    )
    ocr: OcrOptions = Field(default_factory=OcrOptions, description="Which OCR engine reads scans, and how.")
    page_range: list[PageSpec] | None = Field(
        None, description="Pages to parse: spans, 1-based numbers, '3-9' strings, or sheet names."
    )
    password: str | None = Field(None, description="Password of an encrypted PDF.")
    file_format: str | None = Field(
        None, description="Treat the input as this format (pdf, docx, png...) whatever its name or bytes."
    )
    document_properties: bool = Field(False, description="Read the PDF's title, author, dates...")
    word_boxes: bool = Field(
        False, description="Keep every word's box under its block's lines (citations, OCR data)."
    )
    merge_tables: bool = Field(False, description="Join a table continued on the next page into one table.")
    time_budget: float | None = Field(
        None,
        gt=0,
        description="Seconds the parse may take; when they run out no further page is started and the "
        "pages finished so far are returned, with a warning naming those missing (PDFs and images).",
    )
    spreadsheet: SpreadsheetOptions = Field(default_factory=SpreadsheetOptions)
    skip_stages: frozenset[OptionalStage] = Field(
        frozenset(), description="Pipeline stages not to run, by name (for ablations)."
    )

    def pages(self, total: int) -> list[int]:
        """The 0-based source pages to process, in order, from page_range."""
        return select_pages(self.page_range, total)

    def sheet_names(self) -> list[str]:
        """The sheet names page_range asks for (strings that are not page numbers or ranges)."""
        return [item for item in self.page_range or [] if isinstance(item, str) and not _is_page_spec(item)]


_RANGE = re.compile(r"^\s*(\d+)?\s*-\s*(\d+)?\s*$")


def select_pages(spec: list[PageSpec] | None, total: int) -> list[int]:
    """The 0-based pages of a document of `total` pages that `spec` chooses, in order, once each."""
    if not spec:
        return list(range(total))
    chosen: list[int] = []
    for item in spec:
        if isinstance(item, PageSpan):
            start = item.start or 1
            end = item.end or total
            chosen.extend(range(start - 1, min(end, total)))
        elif isinstance(item, int):
            if 1 <= item <= total:
                chosen.append(item - 1)
        elif isinstance(item, str):
            match = _RANGE.match(item)
            if item.strip().isdigit():
                number = int(item)
                if 1 <= number <= total:
                    chosen.append(number - 1)
            elif match:
                start, end = int(match.group(1) or 1), int(match.group(2) or total)
                chosen.extend(range(start - 1, min(end, total)))
            # Other strings name spreadsheet sheets; documents with pages have none.
    seen: set[int] = set()
    return [page for page in chosen if not (page in seen or seen.add(page))]


def _is_page_spec(item: str) -> bool:
    stripped = item.replace(" ", "")
    return stripped.isdigit() or (stripped.count("-") == 1 and stripped.replace("-", "").isdigit())
