"""parse(): a document in, a Document out: a list of same-shaped stages over one Context.

The first stage reads the input: a PDF's or an image's pages one at a time (OCR where a page
needs it), each finished by the page stages; an office file through load/. The stages after it
work on the whole Document. Each is named, and ParseOptions.skip_stages switches it off.
"""

from __future__ import annotations

import collections
import functools
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from docuforge.document.model import Document
from docuforge.document.raw import RawPage
from docuforge.errors import DocumentError, ErrorCode, PayloadTooLarge
from docuforge.load import detect
from docuforge.load.detect import IMAGE_FORMATS
from docuforge.load.images import ImageSource
from docuforge.load.pdf import PdfSource
from docuforge.parsing import stages
from docuforge.parsing.budget import Budget
from docuforge.parsing.ocr import OcrEngineName, page_worker
from docuforge.parsing.ocr.options import OcrOptions
from docuforge.parsing.options import ParseOptions
from docuforge.parsing.quality import add_picture_text, ocr_reason, text_beside_pictures
from docuforge.parsing.scan import read_page
from docuforge.parsing.stages import Context, Stage, finish_page

OCR_ENGINES = tuple(name.value for name in OcrEngineName)

DEFAULT_MAX_PAGES = 5000
Source = str | Path | bytes

OCR_DPI = 200  # pixels per inch pages are read at: small print stays legible, time stays bounded
OCR_MAX_PIXELS = 40_000_000  # a PDF page is rendered no larger than this (A0 at 160 dpi) for OCR


def parse(
    source: Source,
    options: ParseOptions | None = None,
    *,
    on_page: Callable[[int, int], None] | None = None,
    extension: str | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    converted_pdf: Path | None = None,
) -> Document:
    """Parse a document (a path or its bytes) into a Document.

    on_page(done, total) is called after each page; raising from it stops the parse.
    options.ocr says how image pages are read: the engine ("rapidocr", the default, "rapidocr-fast"
    or "tesseract"), its runtime, threads and page workers (the service and the command line build
    it from Settings). converted_pdf, if given, receives the PDF that LibreOffice made of an office
    file, when it made one.
    """
    options = options or ParseOptions()
    kind = detect.source_format(source, options.file_format, extension)
    if options.ocr.engine not in OCR_ENGINES:
        raise DocumentError(
            f"unknown OCR engine {options.ocr.engine!r}; use one of {', '.join(OCR_ENGINES)}",
            code=ErrorCode.INVALID_CONFIG,
            status_code=400,
        )
    ctx = Context(
        source,
        kind,
        options,
        on_page=on_page,
        max_pages=max_pages,
        converted_pdf=converted_pdf,
        budget=Budget(options.time_budget),
    )
    stages.run(STAGES, ctx)
    if not ctx.paged and on_page is not None:
        on_page(len(ctx.document.pages), len(ctx.document.pages))
    return ctx.document


def read(ctx: Context) -> None:
    """The input's pages: a PDF's or an image's read and finished one by one; an office file loaded."""
    if ctx.kind == "pdf":
        _parse_pdf(ctx)
    elif ctx.kind in IMAGE_FORMATS:
        _parse_image(ctx)
    else:
        _load_office(ctx)


def _load_office(ctx: Context) -> None:
    from docuforge.load import office

    sheet = ctx.options.spreadsheet
    loaded = office.read(
        ctx.source,
        ctx.kind,
        sheets=ctx.options.sheet_names() or None,
        exclude=sheet.exclude,
        include=sheet.include,
        max_cell_count=sheet.max_cell_count,
        converted_pdf=ctx.converted_pdf,
    )
    ctx.loaded = loaded
    if isinstance(loaded, Document):
        ctx.document = loaded


# The document stages, in order; the page stages are stages.PAGE_STAGES.
STAGES = [
    Stage("read", read),
    Stage("sheet_tables", stages.sheet_tables),
    Stage("slide_order", stages.slide_order),
    Stage("select_pages", stages.select_pages),
    Stage("furniture", stages.furniture),
    Stage("headings", stages.headings),
    Stage("merge_tables", stages.table_merging),
]


def missing_pages(document: Document, options: ParseOptions) -> list[int]:
    """The 1-based source pages a spent time budget left unparsed (none for office formats)."""
    paged = document.format == "pdf" or document.format in IMAGE_FORMATS
    if options.time_budget is None or not paged:
        return []
    return [index + 1 for index in options.pages(document.total_pages)[len(document.pages) :]]


def _selected(options: ParseOptions, total: int, max_pages: int) -> list[int]:
    selected = options.pages(total)
    if not selected:
        raise DocumentError(
            f"page_range selects none of the document's {total} pages",
            code=ErrorCode.INVALID_CONFIG,
            status_code=400,
        )
    if len(selected) > max_pages:
        raise PayloadTooLarge(f"{len(selected)} pages is more than the limit of {max_pages}; use page_range")
    return selected


def _parse_pdf(ctx: Context) -> None:
    options, on_page, budget = ctx.options, ctx.on_page, ctx.budget
    force_ocr = options.ocr_mode == "ocr"
    never_ocr = options.ocr_mode == "metadata"
    with PdfSource(ctx.source, options.password) as pdf, _Reader(ctx.options.ocr) as reader:
        selected = _selected(options, pdf.page_count, ctx.max_pages)
        document = ctx.document = Document(format="pdf", total_pages=pdf.page_count)
        if options.document_properties:
            document.properties = pdf.properties()
        reader.pages = len(selected)

        def finish(
            number: int, index: int, raw: RawPage, ocr: bool, scan: Callable[[], RawPage] | None
        ) -> None:
            if ocr and scan is not None:
                scanned = scan()
                # The page's own /Rotate is already applied by rendering; report it as the PDF has it.
                scanned.rotation = raw.rotation
                if not scanned.words and raw.words:
                    ocr = False  # nothing legible in the pixels: what the text layer says is all there is
                else:
                    raw = scanned
            elif scan is not None:
                # A few words of text over pictures that fill the page (a poster, a slide saved
                # as images): the pictures' own text is read and set beside the text layer's.
                ocr = add_picture_text(raw, scan())
            elif not raw.words:
                document.warnings.append(f"page {index + 1} has no text layer")
            page = finish_page(ctx, raw, number, ocr)
            if ocr and not page.blocks:
                document.warnings.append(f"page {index + 1} has no text layer and OCR found no text")
            if on_page is not None:
                on_page(number, len(selected))

        for number, index in enumerate(selected, start=1):
            if budget.spent(document, number - 1, selected):
                break
            raw = pdf.page(index)
            reason = "extraction_mode is ocr" if force_ocr else None if never_ocr else ocr_reason(raw)
            ocr = reason is not None
            scan = None
            if ocr or (raw.words and not never_ocr and text_beside_pictures(raw)):
                dpi = _ocr_dpi(raw)
                scan = reader.read(np.asarray(pdf.render(index, dpi / 72.0)), dpi, index)
            reader.then(functools.partial(finish, number, index, raw, ocr, scan))
        reader.drain()


def _ocr_dpi(raw: RawPage) -> float:
    """OCR_DPI, or less for a page so large (a poster, a drawing sheet) that it would not fit."""
    square_inches = max(1.0, raw.display_width * raw.display_height / 72.0**2)
    return min(OCR_DPI, (OCR_MAX_PIXELS / square_inches) ** 0.5)


def _parse_image(ctx: Context) -> None:
    on_page, budget = ctx.on_page, ctx.budget
    with ImageSource(ctx.source, ctx.kind) as images, _Reader(ctx.options.ocr) as reader:
        selected = _selected(ctx.options, images.page_count, ctx.max_pages)
        document = ctx.document = Document(format=ctx.kind, total_pages=images.page_count)
        reader.pages = len(selected)

        def finish(number: int, index: int, scan: Callable[[], RawPage]) -> None:
            page = finish_page(ctx, scan(), number, ocr=True)
            if not page.blocks:
                document.warnings.append(f"page {index + 1}: OCR found no text")
            if on_page is not None:
                on_page(number, len(selected))

        for number, index in enumerate(selected, start=1):
            if budget.spent(document, number - 1, selected):
                break
            image, dpi = images.page(index)
            reader.then(functools.partial(finish, number, index, reader.read(image, dpi, index)))
        reader.drain()


def _page_workers(wanted: int | None) -> tuple[ThreadPoolExecutor, int] | None:
    """The threads that read a document's scanned pages, one core each, and how many there are:
    `wanted` (OcrOptions.page_workers), or the cores, at most 4."""
    return _page_pool(wanted or min(4, len(os.sched_getaffinity(0))))


@functools.cache
def _page_pool(count: int) -> tuple[ThreadPoolExecutor, int] | None:
    if count < 2:
        return None
    return ThreadPoolExecutor(count, thread_name_prefix="docuforge-ocr", initializer=page_worker), count


class _Reader:
    """Reads scanned pages ahead, on the page workers, while this thread lays out those before.

    Pages are finished (laid out, added, reported) in order: `then` queues a page's finishing,
    which runs once as many pages are in flight as there are workers. A document of one page
    is read here, on all cores at once, which is quicker for one page than a worker's one core.
    Leaving early (an error, a cancelled parse) drops the pages not yet started.
    """

    def __init__(self, engine: OcrOptions) -> None:
        self.engine = engine
        self.pages = 0
        self.pending: collections.deque[Callable[[], None]] = collections.deque()
        self.futures: list[Future[RawPage]] = []
        self._pool: tuple[ThreadPoolExecutor, int] | None = None
        self._looked_up = False

    def __enter__(self) -> _Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        for future in self.futures:
            future.cancel()

    def _workers(self) -> tuple[ThreadPoolExecutor, int] | None:
        if not self._looked_up:
            on_cpu = self.pages > 1 and _runtime_on_cpu(self.engine)
            self._pool = _page_workers(self.engine.page_workers) if on_cpu else None
            self._looked_up = True
        return self._pool

    def read(self, image: np.ndarray, dpi: float, index: int) -> Callable[[], RawPage]:
        workers = self._workers()
        if workers is None:
            page = read_page(image, dpi, index, ocr=self.engine)
            return lambda: page
        future = workers[0].submit(read_page, image, dpi, index, ocr=self.engine)
        # Only the pages still to be read are kept, to be dropped if the parse stops.
        self.futures = [f for f in self.futures if not f.done()] + [future]
        return future.result

    def then(self, finish: Callable[[], None]) -> None:
        self.pending.append(finish)
        workers = self._workers()
        while len(self.pending) > (workers[1] if workers else 0):
            self.pending.popleft()()

    def drain(self) -> None:
        while self.pending:
            self.pending.popleft()()


def _runtime_on_cpu(engine: OcrOptions) -> bool:
    """Whether the engine's models run on the CPU, where pages read side by side gain: a GPU
    reads one page at a time faster than the cores could read several."""
    if engine.engine == OcrEngineName.tesseract:
        return True
    from docuforge.parsing.ocr.rapid import runtime

    return runtime(engine) != "cuda"
