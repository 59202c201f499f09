"""Financial statements: detect them in a Document, read their line items, validate, consolidate, export.

Reads only the Document, so it runs as a library::

    from docuforge.finance import read_statements
    statements = read_statements(docuforge.parse("annual-report.pdf", parse_options()))
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from docuforge.document import Document
from docuforge.finance.detect import DetectOptions, detect_page, group_pages
from docuforge.finance.model import Check, Detection, Period, Statement, StatementLine, StatementType
from docuforge.finance.read import ReadOptions, read_statement
from docuforge.finance.rows import page_rows
from docuforge.parsing.options import ParseOptions


def parse_options() -> ParseOptions:
    """Parse options statements need: every word with its box (indentation and columns come from them)."""
    return ParseOptions(word_boxes=True)


class FinanceOptions(BaseModel):
    detect: DetectOptions = Field(default_factory=DetectOptions)
    read: ReadOptions = Field(default_factory=ReadOptions)


def detect(document: Document, options: FinanceOptions | None = None) -> list[Detection]:
    """Each statement in the document with its type, pages, confidence and evidence."""
    options = options or FinanceOptions()
    per_page = [
        detect_page(page_rows(document, page, options.read.rows), page.number, options.detect)
        for page in document.pages
    ]
    return group_pages(per_page)


def read_statements(document: Document, options: FinanceOptions | None = None) -> list[Statement]:
    """Detect, read and validate every statement in the document."""
    options = options or FinanceOptions()
    rows = {page.number: page_rows(document, page, options.read.rows) for page in document.pages}
    detections = group_pages([detect_page(rows[n], n, options.detect) for n in rows])
    statements = []
    for detection in detections:
        statement = read_statement([rows[n] for n in detection.pages], detection, options.read)
        if statement.lines:
            statements.append(statement)
    return statements


__all__ = [
    "Check",
    "Detection",
    "FinanceOptions",
    "Period",
    "Statement",
    "StatementLine",
    "StatementType",
    "detect",
    "parse_options",
    "read_statements",
]
