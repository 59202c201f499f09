"""Office files and text formats: read natively for their structure; boxed by LibreOffice when present.

Word, PowerPoint, Excel, CSV, HTML, Markdown and text files carry their structure (heading
styles, list levels, merged cells, slide titles) in the file, so they are read directly rather
than laid out from pixels. Without pages of their own, their blocks' boxes give their place in
the flow (`Document.layout == "flow"`); where LibreOffice is installed, a DOCX or HTML file is
also laid out on pages by it and each block gets its box on the page where it starts. Legacy
binary formats (.doc, .ppt, .xls), RTF and OpenDocument files are converted by LibreOffice,
where it is installed, into the modern format.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from docuforge.document.model import Block, BlockType, Document, Page
from docuforge.errors import DocumentError, ErrorCode, UnsupportedDocument
from docuforge.parse.options import ParseOptions
from docuforge.parse.reading_order import order

SPREADSHEETS = frozenset({"xlsx", "xlsm", "csv", "tsv"})
TEXT = frozenset({"txt", "text", "json", "xml", "log"})
NATIVE = SPREADSHEETS | TEXT | {"docx", "pptx", "html", "htm", "md", "markdown"}
# Formats LibreOffice turns into one that is read natively.
CONVERTED = {
    "doc": "docx", "rtf": "docx", "odt": "docx", "ppt": "pptx", "odp": "pptx", "xls": "xlsx", "ods": "xlsx",
}  # fmt: skip
# Files without pages that LibreOffice lays out on pages, where it is installed, for page boxes.
PAGED_BY_CONVERSION = frozenset({"docx", "html", "htm"})


def read(
    source: str | Path | bytes, kind: str, options: ParseOptions, converted_pdf: Path | None = None
) -> Document:
    """The Document of an office or text file; `converted_pdf`, if given, receives LibreOffice's PDF."""
    if kind not in NATIVE and kind not in CONVERTED:
        raise UnsupportedDocument(f"{kind!r} documents are not supported")
    from docuforge.load import libreoffice

    if kind in CONVERTED:
        if not libreoffice.available():
            raise UnsupportedDocument(
                f".{kind} files need LibreOffice to be read; install it "
                "(apt-get install libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui) "
                f"or send the file as .{CONVERTED[kind]}"
            )
        with tempfile.TemporaryDirectory(prefix="docuforge-office-") as folder:
            work = Path(folder)
            path = _as_file(source, work / f"input.{kind}")
            modern = libreoffice.convert(path, CONVERTED[kind], work)
            document = read(modern, CONVERTED[kind], options, converted_pdf)
        document.format = kind
        return document
    document = _native(source, kind, options)
    if kind in PAGED_BY_CONVERSION and libreoffice.available():
        from docuforge.load.paging import locate

        with tempfile.TemporaryDirectory(prefix="docuforge-office-") as folder:
            work = Path(folder)
            pdf = libreoffice.convert(_as_file(source, work / f"input.{kind}"), "pdf", work)
            locate(document, pdf)
            if converted_pdf is not None:
                shutil.copyfile(pdf, converted_pdf)
    return document


def _native(source: str | Path | bytes, kind: str, options: ParseOptions) -> Document:
    if kind in SPREADSHEETS:
        return _spreadsheet(source, kind, options)
    if kind == "docx":
        from docuforge.load.word import read_docx

        return read_docx(_readable(source))
    if kind == "pptx":
        from docuforge.load.slides import read_pptx

        document = read_pptx(_readable(source))
        for page in document.pages:
            _order_slide(page)
        return _select(document, options)
    if kind in ("html", "htm"):
        from docuforge.load.html import read_html

        return read_html(_readable(source))
    from docuforge.load.text import read_markdown, read_text

    return read_markdown(_readable(source)) if kind in ("md", "markdown") else read_text(_readable(source))


def _order_slide(page: Page) -> None:
    """A slide's shapes in the reading order of a page's blocks: side by side left to right, in
    columns top to bottom; the title first, speaker notes last. A shape's paragraphs (blocks
    that share its box) stay together in their order."""
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


def _spreadsheet(source: str | Path | bytes, kind: str, options: ParseOptions) -> Document:
    from docuforge.load.spreadsheet import read_spreadsheet

    sheet = options.spreadsheet
    names = options.sheet_names()
    document = read_spreadsheet(
        _readable(source),
        kind,
        sheets=names or None,
        clustering=sheet.clustering,
        exclude=sheet.exclude,
        include=sheet.include,
        max_cell_count=sheet.max_cell_count,
        split_tables=sheet.split_tables,
        split_rows=sheet.split_rows,
        split_cols=sheet.split_cols,
    )
    return document if names else _select(document, options)


def _select(document: Document, options: ParseOptions) -> Document:
    """Keep the pages (slides, sheets) page_range asks for, renumbered as the output's pages."""
    if not options.page_range:
        return document
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
    return document


def _readable(source: str | Path | bytes) -> Path | bytes:
    return source if isinstance(source, bytes) else Path(source)


def _as_file(source: str | Path | bytes, target: Path) -> Path:
    """A copy named for its format: LibreOffice reads the extension, and stored uploads have none."""
    if isinstance(source, bytes):
        target.write_bytes(source)
    else:
        shutil.copyfile(source, target)
    return target
