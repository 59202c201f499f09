"""Documents without pages (DOCX, HTML, Markdown, text) as one Document page of blocks in order.

Their blocks have no place on a page, so each box gives the block's place in the flow instead:
the full width, and from top to bottom the share of the text before it and its own share
(`Document.layout == "flow"`). Where LibreOffice is installed, real page boxes replace these.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docuforge.document.model import BBox, Block, BlockType, Cell, Document, DocumentProperties, Page, Table
from docuforge.errors import DocumentError, ErrorCode

MAX_EXPANDED = 1024**3  # bytes an office ZIP may inflate to
MAX_RATIO = 200  # inflation ratio past which a ZIP is a bomb, not a document


@dataclass
class Draft:
    type: BlockType
    content: str = ""
    level: int | None = None
    table: Table | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def weight(self) -> int:
        if self.table is not None:
            return max(1, sum(len(c.text) + 1 for c in self.table.cells))
        return max(1, len(self.content))


def document(drafts: list[Draft], kind: str) -> Document:
    """The Document of blocks in flow order, on one page, boxed by their share of the text."""
    drafts = [d for d in drafts if d.content.strip() or (d.table is not None and d.table.cells)]
    if not drafts:
        raise DocumentError("the document has no content", code=ErrorCode.DOCUMENT_EMPTY)
    total = sum(d.weight for d in drafts)
    page = Page(number=1, original_number=1, width=612, height=792)
    before = 0
    for index, draft in enumerate(drafts):
        box = BBox(
            left=0.0,
            top=round(before / total, 5),
            width=1.0,
            height=round(draft.weight / total, 5),
            page=1,
            original_page=1,
        )
        before += draft.weight
        page.blocks.append(
            Block(
                id=f"p1-b{index}",
                type=draft.type,
                bbox=box,
                content="" if draft.table is not None else draft.content.strip(),
                level=draft.level,
                table=draft.table,
                extra=draft.extra,
            )
        )
    return Document(pages=[page], format=kind, total_pages=1, layout="flow")


def table(rows: list[list[tuple[str, int, int, bool]]]) -> Table | None:
    """A Table from rows of (text, row_span, col_span, header) as written, spans placed on a grid."""
    taken: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    n_cols = 0
    for r, row in enumerate(rows):
        c = 0
        for text, row_span, col_span, header in row:
            while (r, c) in taken:
                c += 1
            row_span = max(1, min(row_span, len(rows) - r))
            col_span = max(1, col_span)
            for dr in range(row_span):
                for dc in range(col_span):
                    taken.add((r + dr, c + dc))
            cells.append(
                Cell(row=r, col=c, row_span=row_span, col_span=col_span, text=text.strip(), header=header)
            )
            c += col_span
            n_cols = max(n_cols, c)
    if not cells:
        return None
    return Table(n_rows=len(rows), n_cols=n_cols, cells=cells)


def chart_table(categories: list[str], series: list[tuple[str, list[object]]]) -> Table | None:
    """The table of the data a chart plots: a row per category, a column per series."""
    if not series:
        return None
    rows = [[("", 1, 1, True)] + [(name, 1, 1, True) for name, _ in series]]
    for index in range(max(len(categories), max(len(values) for _, values in series))):
        label = categories[index] if index < len(categories) else str(index + 1)
        cells = [(label, 1, 1, False)]
        for _, values in series:
            value = values[index] if index < len(values) else None
            text = "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
            cells.append((text, 1, 1, False))
        rows.append(cells)
    return table(rows)


def open_zip(source: Path | bytes) -> zipfile.ZipFile:
    """An office file's ZIP, refused before anything is inflated if it is corrupt or a bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise DocumentError(
            f"the file is not a valid office document: {error}", code=ErrorCode.DOCUMENT_CORRUPT
        ) from None
    expanded = sum(info.file_size for info in archive.infolist())
    packed = sum(info.compress_size for info in archive.infolist()) or 1
    if expanded > MAX_EXPANDED or (expanded > 50 * 1024**2 and expanded / packed > MAX_RATIO):
        archive.close()
        raise DocumentError(
            f"the office file would inflate to {expanded:,} bytes; refused as a ZIP bomb",
            code=ErrorCode.DOCUMENT_TOO_LARGE,
            status_code=413,
        )
    return archive


def properties(core: object) -> DocumentProperties:
    """An OOXML file's core properties (python-docx and python-pptx share their shape)."""

    def text(name: str) -> str | None:
        value = getattr(core, name, None)
        if value is None or value == "":
            return None
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    return DocumentProperties(
        title=text("title"),
        author=text("author"),
        subject=text("subject"),
        keywords=text("keywords"),
        last_modified_by=text("last_modified_by"),
        created_at=text("created"),
        modified_at=text("modified"),
    )
