"""What a document's first pages look like: title, text, and layout signals turned into words.

A signal (many tables, slide-like pages, form fields, a receipt's totals) adds the words people use
to describe such documents, so a category's criteria ("has itemized charges", "a slide deck") meet
the layout as well as the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docuforge.document.model import BlockType, Document, Page

_AMOUNT = re.compile(r"(?:[$€£¥]\s?\d|\d[\d,]*\.\d{2}\b)")
_TOTAL = re.compile(r"\b(?:sub\s?total|total|amount due|balance due|change|cash|tax|vat)\b", re.I)
_PAPER = re.compile(r"\b(?:abstract|references|introduction|et al\.|doi|arxiv|conclusions?)\b", re.I)
_BLANK = re.compile(r"_{3,}|\.{5,}|:\s*$")
_NUMBER = re.compile(r"^[\s$€£(+-]*\d[\d,.\s%)]*$")

# Each signal and the words it stands for.
SIGNAL_WORDS: dict[str, str] = {
    "tables": "table tables tabular rows columns grid data",
    "numeric_tables": "numbers figures amounts financial statement numeric values totals",
    "form": "form fields fill blank application checkbox boxes labels entries",
    "slides": "slide slides presentation deck bullet points",
    "receipt": "receipt purchase store shop total paid itemized items transaction",
    "spreadsheet": "spreadsheet workbook sheet cells rows columns",
    "paper": "scientific paper research article study academic abstract references citations",
    "scan": "scanned image photo",
}


@dataclass
class Features:
    title: str = ""
    text: str = ""
    pages: list[int] = field(default_factory=list)
    signals: dict[str, str] = field(default_factory=dict)  # signal -> the evidence for it

    def signal_text(self) -> str:
        return " ".join(SIGNAL_WORDS[name] for name in self.signals)


def _title(pages: list[Page]) -> str:
    for page in pages[:2]:
        for block in page.blocks:
            if block.type in (BlockType.TITLE, BlockType.SECTION_HEADER) and block.content.strip():
                return block.content.strip()
    for page in pages[:1]:
        for block in page.blocks:
            if block.type not in (BlockType.HEADER, BlockType.PAGE_NUMBER) and block.content.strip():
                return block.content.strip().splitlines()[0][:120]
    return ""


def _numeric_share(pages: list[Page]) -> float:
    cells = [c.text for p in pages for b in p.blocks if b.table for c in b.table.cells if c.text.strip()]
    return sum(bool(_NUMBER.match(text)) for text in cells) / len(cells) if cells else 0.0


def extract(document: Document, pages: list[int] | None = None, max_pages: int = 5) -> Features:
    """Features of the chosen pages (1-based original numbers; default: the first `max_pages`)."""
    chosen = [p for p in document.pages if pages is None or p.original_number in pages][:max_pages]
    text = "\n".join(b.content for p in chosen for b in p.blocks)
    features = Features(title=_title(chosen), text=text, pages=[p.original_number for p in chosen])
    if not chosen:
        return features
    blocks = [b for p in chosen for b in p.blocks]
    tables = [b for b in blocks if b.type == BlockType.TABLE]
    table_area = sum(b.bbox.width * b.bbox.height for b in tables)
    words = len(text.split())
    if document.layout == "cell" or document.format in ("xlsx", "xls", "xlsm", "csv", "ods", "tsv"):
        features.signals["spreadsheet"] = f"a {document.format} workbook"
    if tables and (len(tables) >= 2 * len(chosen) or table_area / len(chosen) > 0.3):
        features.signals["tables"] = f"{len(tables)} tables on {len(chosen)} pages"
    if tables and _numeric_share(chosen) > 0.4:
        features.signals["numeric_tables"] = "tables of numbers"
    checkboxes = sum(len(b.extra.get("checkboxes") or []) for b in blocks)  # type: ignore[arg-type]
    key_values = sum(b.type == BlockType.KEY_VALUE for b in blocks)
    blanks = sum(bool(_BLANK.search(line)) for b in blocks for line in b.content.splitlines())
    if checkboxes >= 2 or key_values + blanks >= 6:
        features.signals["form"] = f"{key_values} label-value pairs, {blanks} blanks, {checkboxes} checkboxes"
    wide = sum(p.width > 1.2 * p.height for p in chosen)
    if document.format in ("pptx", "ppt", "odp", "key") or (
        wide == len(chosen) and words / len(chosen) < 150
    ):
        features.signals["slides"] = f"{wide} wide pages, {words // len(chosen)} words a page"
    narrow = chosen[0].width < 0.6 * chosen[0].height
    totals = len(_TOTAL.findall(text))
    amounts = len(_AMOUNT.findall(text))
    if totals >= 2 and amounts >= 3 and (narrow or words < 400):
        features.signals["receipt"] = f"{totals} total lines, {amounts} amounts"
    if len(_PAPER.findall(text)) >= 3:
        features.signals["paper"] = "abstract, references or citations"
    if all(p.ocr for p in chosen):
        features.signals["scan"] = "pages read by OCR"
    return features
