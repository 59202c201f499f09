"""parse(): a document in, a Document out, one page at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docuforge.document.model import Document
from docuforge.errors import DocumentError, ErrorCode, PayloadTooLarge, UnsupportedDocument
from docuforge.load import detect
from docuforge.load.pdf import PdfSource
from docuforge.parse.furniture import assign_heading_levels, mark_furniture
from docuforge.parse.layout import build_page
from docuforge.parse.merge import merge_tables
from docuforge.parse.options import ParseOptions

DEFAULT_MAX_PAGES = 5000
Source = str | Path | bytes


def source_format(source: Source, options: ParseOptions, extension: str | None = None) -> str:
    """What the input is: forced, then declared, then its name, then its bytes."""
    forced = detect.normalize(options.settings.force_file_extension)
    if forced:
        return forced
    if isinstance(source, bytes):
        head = source[:8192]
        name = None
    else:
        path = Path(source)
        if not path.is_file():
            raise DocumentError(f"no such file: {path}", code=ErrorCode.NOT_FOUND, status_code=404)
        with path.open("rb") as handle:
            head = handle.read(8192)
        name = path.name
    if not head:
        raise DocumentError("the document is empty", code=ErrorCode.DOCUMENT_EMPTY)
    sniffed = detect.sniff(head)
    # The bytes win over a name that contradicts them; a name wins over bytes that say nothing.
    return sniffed or detect.normalize(extension) or detect.from_filename(name) or "unknown"


def parse(
    source: Source,
    options: ParseOptions | None = None,
    *,
    on_page: Callable[[int, int], None] | None = None,
    extension: str | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> Document:
    """Parse a document (a path or its bytes) into a Document.

    on_page(done, total) is called after each page; raising from it stops the parse.
    """
    options = options or ParseOptions()
    kind = source_format(source, options, extension)
    if kind != "pdf":
        raise UnsupportedDocument(f"{kind!r} documents are not supported yet; PDF is")
    keep_words = options.settings.return_ocr_data or options.settings.return_citations
    with PdfSource(source, options.settings.document_password) as pdf:
        selected = options.pages(pdf.page_count)
        if not selected:
            raise DocumentError(
                f"page_range selects none of the document's {pdf.page_count} pages",
                code=ErrorCode.INVALID_CONFIG,
                status_code=400,
            )
        if len(selected) > max_pages:
            raise PayloadTooLarge(
                f"{len(selected)} pages is more than the limit of {max_pages}; use page_range"
            )
        document = Document(format="pdf", total_pages=pdf.page_count)
        if options.settings.extract_document_properties:
            document.properties = pdf.properties()
        body: float | None = None
        for number, index in enumerate(selected, start=1):
            raw = pdf.page(index)
            page, found = build_page(raw, number, body, keep_words)
            body = found if body is None else 0.8 * body + 0.2 * found
            if not raw.words and not page.blocks:
                document.warnings.append(f"page {index + 1} has no text layer")
            document.pages.append(page)
            if on_page is not None:
                on_page(number, len(selected))
    mark_furniture(document)
    assign_heading_levels(document)
    if options.formatting.merge_tables:
        merge_tables(document)
    return document
