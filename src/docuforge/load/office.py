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

from docuforge.document.model import Document
from docuforge.errors import UnsupportedDocument
from docuforge.load.sheet import Workbook

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
    source: str | Path | bytes,
    kind: str,
    *,
    sheets: list[str] | None = None,
    exclude: frozenset[str] = frozenset(),
    include: frozenset[str] = frozenset(),
    max_cell_count: int | None = None,
    converted_pdf: Path | None = None,
) -> Document | Workbook:
    """An office or text file as read: a Document of flowing blocks, or a spreadsheet's Workbook.

    `sheets`, `exclude`, `include` and `max_cell_count` choose a spreadsheet's sheets and cells;
    `converted_pdf`, if given, receives LibreOffice's PDF of the file, when it made one.
    """
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
            loaded = read(
                modern,
                CONVERTED[kind],
                sheets=sheets,
                exclude=exclude,
                include=include,
                max_cell_count=max_cell_count,
                converted_pdf=converted_pdf,
            )
        (loaded.document if isinstance(loaded, Workbook) else loaded).format = kind
        return loaded
    if kind in SPREADSHEETS:
        from docuforge.load.spreadsheet import read_workbook

        return read_workbook(
            _readable(source),
            kind,
            sheets=sheets,
            exclude=exclude,
            include=include,
            max_cell_count=max_cell_count,
        )
    document = _native(source, kind)
    if kind in PAGED_BY_CONVERSION and libreoffice.available():
        from docuforge.load.paging import locate

        with tempfile.TemporaryDirectory(prefix="docuforge-office-") as folder:
            work = Path(folder)
            pdf = libreoffice.convert(_as_file(source, work / f"input.{kind}"), "pdf", work)
            locate(document, pdf)
            if converted_pdf is not None:
                shutil.copyfile(pdf, converted_pdf)
    return document


def modern_format(kind: str) -> str:
    """The format a file is read as: its own, or the one LibreOffice converts it to."""
    return CONVERTED.get(kind, kind)


def _native(source: str | Path | bytes, kind: str) -> Document:
    if kind == "docx":
        from docuforge.load.word import read_docx

        return read_docx(_readable(source))
    if kind == "pptx":
        from docuforge.load.slides import read_pptx

        return read_pptx(_readable(source))
    if kind in ("html", "htm"):
        from docuforge.load.html import read_html

        return read_html(_readable(source))
    from docuforge.load.text import read_markdown, read_text

    return read_markdown(_readable(source)) if kind in ("md", "markdown") else read_text(_readable(source))


def _readable(source: str | Path | bytes) -> Path | bytes:
    return source if isinstance(source, bytes) else Path(source)


def _as_file(source: str | Path | bytes, target: Path) -> Path:
    """A copy named for its format: LibreOffice reads the extension, and stored uploads have none."""
    if isinstance(source, bytes):
        target.write_bytes(source)
    else:
        shutil.copyfile(source, target)
    return target
