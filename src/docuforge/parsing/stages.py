"""The parse pipeline's stages: one signature, `stage(ctx) -> None`, over one Context.

Document stages run once per document, in order; page stages run for each page of a PDF or an
image as it is finished. A stage named in `ParseOptions.skip_stages` does not run, so an
ablation can show what it buys; the stages a Document cannot be built without are not optional.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docuforge.document.model import Block, BlockType, Document, Page
from docuforge.document.raw import RawPage
from docuforge.errors import DocumentError, ErrorCode
from docuforge.load.detect import IMAGE_FORMATS
from docuforge.load.sheet import Workbook
from docuforge.parsing.budget import Budget
from docuforge.parsing.checkboxes import label_checkboxes, marks_from_pdf
from docuforge.parsing.furniture import assign_heading_levels, mark_furniture
from docuforge.parsing.layout import build_page
from docuforge.parsing.merge import join_column_tables, merge_tables
from docuforge.parsing.options import ParseOptions
from docuforge.parsing.reading_order import order

Source = str | Path | bytes


@dataclass
class Context:
    """What the stages share: the input, the options, the Document being built, the current page."""

    source: Source
    kind: str  # the input's format, as load/detect.py found it
    options: ParseOptions
    on_page: Callable[[int, int], None] | None = None
    max_pages: int = 5000
    converted_pdf: Path | None = None
    budget: Budget = field(default_factory=lambda: Budget(None))
    document: Document = field(default_factory=Document)
    loaded: Document | Workbook | None = None  # an office file as load/ read it
    # The page being finished, for page stages:
    raw: RawPage | None = None
    number: int = 0  # 1-based in the output
    ocr: bool = False  # its words came from OCR
    page: Page | None = None
    body: float | None = None  # the body text size, carried from page to page

    @property
    def paged(self) -> bool:
        """Whether the input has pages of its own (a PDF, an image), laid out from words and pixels."""
        return self.kind == "pdf" or self.kind in IMAGE_FORMATS


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[Context], None]


def run(stages: list[Stage], ctx: Context) -> None:
    """Run each stage the options do not skip, in order."""
    skipped = ctx.options.skip_stages
    for stage in stages:
        if stage.name not in skipped:
            stage.run(ctx)


# ---------------------------------------------------------------- page stages


def checkbox_marks(ctx: Context) -> None:
    """Checkbox glyphs of a text layer as marks (OCR finds its own in the pixels)."""
    assert ctx.raw is not None
    if not ctx.ocr:
        marks_from_pdf(ctx.raw)


def layout(ctx: Context) -> None:
    """Words and rules into blocks: lines, paragraphs, headings, lists, tables, figures, order."""
    assert ctx.raw is not None
    page, found = build_page(ctx.raw, ctx.number, ctx.body, ctx.options.word_boxes)
    ctx.body = found if ctx.body is None else 0.8 * ctx.body + 0.2 * found
    page.ocr = ctx.ocr
    ctx.page = page


def checkboxes(ctx: Context) -> None:
    """A checkbox mark beside a label becomes a checked or empty box in the label's text."""
    assert ctx.page is not None
    label_checkboxes(ctx.page)


def column_tables(ctx: Context) -> None:
    """A table cut in two by a page's columns is joined back into one."""
    assert ctx.page is not None
    join_column_tables(ctx.page)


def ocr_confidence(ctx: Context) -> None:
    """An OCR block's confidence is the mean of its lines' (a text layer's is certain)."""
    assert ctx.page is not None
    if ctx.ocr:
        for block in ctx.page.blocks:
            if block.lines:
                block.confidence = sum(line.confidence for line in block.lines) / len(block.lines)


PAGE_STAGES = [
    Stage("checkbox_marks", checkbox_marks),
    Stage("layout", layout),
    Stage("checkboxes", checkboxes),
    Stage("column_tables", column_tables),
    Stage("ocr_confidence", ocr_confidence),
]


def finish_page(ctx: Context, raw: RawPage, number: int, ocr: bool) -> Page:
    """Run the page stages over one page's words and add the page to the Document."""
    ctx.raw, ctx.number, ctx.ocr, ctx.page = raw, number, ocr, None
    run(PAGE_STAGES, ctx)
    assert ctx.page is not None
    ctx.document.pages.append(ctx.page)
    return ctx.page


# ---------------------------------------------------------------- document stages: office files


def sheet_tables(ctx: Context) -> None:
    """A spreadsheet's sheets as pages: islands of cells as tables, lone lines as titles and notes."""
    if not isinstance(ctx.loaded, Workbook):
        return
    from docuforge.parsing.sheet_tables import sheet_pages

    sheet = ctx.options.spreadsheet
    ctx.document = sheet_pages(
        ctx.loaded,
        clustering=sheet.clustering,
        bold_headers="styling" not in sheet.exclude,
        split_rows=sheet.split_rows if sheet.split_tables else None,
        split_cols=sheet.split_cols if sheet.split_tables else None,
    )


def slide_order(ctx: Context) -> None:
    """A slide's shapes in the reading order of a page's blocks: side by side left to right, in
    columns top to bottom; the title first, speaker notes last. A shape's paragraphs (blocks
    that share its box) stay together in their order."""
    from docuforge.load.office import modern_format

    if ctx.paged or modern_format(ctx.kind) != "pptx":
        return
    for page in ctx.document.pages:
        _order_slide(page)


def _order_slide(page: Page) -> None:
    shapes: list[list[Block]] = []
    for block in page.blocks:
        if shapes and block.bbox == shapes[-1][0].bbox and not block.extra.get("slide_title"):
            shapes[-1].append(block)
        else:
            shapes.append([block])
    first = [s for s in shapes if s[0].extra.get("slide_title")]
    last = [s for s in shapes if s[0].type is BlockType.COMMENT]
    rest = [s for s in shapes if s not in first and s not in last]

    def points(shape: list[Block]) -> tuple[float, float, float, float]:
        box = shape[0].bbox
        return (
            box.left * page.width,
            box.top * page.height,
            (box.left + box.width) * page.width,
            (box.top + box.height) * page.height,
        )

    page.blocks = [block for shape in first + order(rest, points) + last for block in shape]
    for index, block in enumerate(page.blocks):
        block.id = f"p{page.number}-b{index}"


def select_pages(ctx: Context) -> None:
    """Keep the slides or sheets page_range asks for, renumbered as the output's pages (a PDF's or
    an image's pages are chosen as they are read; sheets chosen by name, as they are loaded)."""
    from docuforge.load.office import SPREADSHEETS, modern_format

    options = ctx.options
    modern = modern_format(ctx.kind)
    if ctx.paged or not options.page_range or modern not in SPREADSHEETS | {"pptx"}:
        return
    if modern in SPREADSHEETS and options.sheet_names():
        return
    document = ctx.document
    wanted = {index + 1 for index in options.pages(document.total_pages)}
    kept = [page for page in document.pages if page.original_number in wanted]
    if not kept:
        raise DocumentError(
            f"page_range selects none of the document's {document.total_pages} pages",
            code=ErrorCode.INVALID_CONFIG,
            status_code=400,
        )
    for number, page in enumerate(kept, start=1):
        page.number = number
        for block in page.blocks:
            block.bbox.page = number
    document.pages = kept


# ---------------------------------------------------------------- document stages: pages of their own


def furniture(ctx: Context) -> None:
    """Running headers, footers and page numbers found by their repetition across pages."""
    if ctx.paged:
        mark_furniture(ctx.document)


def headings(ctx: Context) -> None:
    """Section headers get levels from their sizes and numbering across the document."""
    if ctx.paged:
        assign_heading_levels(ctx.document)


def table_merging(ctx: Context) -> None:
    """A table continued on the next page is joined to it (options.merge_tables)."""
    if ctx.paged and ctx.options.merge_tables:
        merge_tables(ctx.document)
