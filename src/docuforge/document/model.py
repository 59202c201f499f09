"""The Document: what every stage enriches and every consumer reads.

Pure data, no I/O. Boxes are normalized to [0, 1] of the page as it is displayed (rotation
applied), origin top-left, pages 1-based. Everything round-trips through JSON.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field


class BlockType(enum.StrEnum):
    """Reducto's twelve block types, spelled exactly as its API spells them."""

    HEADER = "Header"
    FOOTER = "Footer"
    TITLE = "Title"
    SECTION_HEADER = "Section Header"
    PAGE_NUMBER = "Page Number"
    LIST_ITEM = "List Item"
    FIGURE = "Figure"
    TABLE = "Table"
    KEY_VALUE = "Key Value"
    TEXT = "Text"
    COMMENT = "Comment"
    SIGNATURE = "Signature"


FURNITURE = frozenset({BlockType.HEADER, BlockType.FOOTER, BlockType.PAGE_NUMBER})


class _Model(BaseModel):
    model_config = ConfigDict(frozen=False, extra="forbid")


class BBox(_Model):
    left: float
    top: float
    width: float
    height: float
    page: int = Field(ge=1, description="1-based page within the output.")
    original_page: int = Field(ge=1, description="1-based page within the source document.")

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


class Word(_Model):
    text: str
    bbox: BBox
    confidence: float = 1.0
    bold: bool = Field(False, description="Set in a bold font (text layers only; OCR leaves it False).")


class Line(_Model):
    text: str
    bbox: BBox
    confidence: float = 1.0
    words: list[Word] = Field(default_factory=list, description="Filled when word boxes were asked for.")


class Cell(_Model):
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    text: str = ""
    bbox: BBox | None = None
    header: bool = False


class Table(_Model):
    n_rows: int
    n_cols: int
    cells: list[Cell]
    ruled: bool = Field(False, description="Found from drawn lines (else from text alignment).")

    def grid(self) -> list[list[Cell | None]]:
        """rows x cols, each position pointing at the cell that covers it (spans repeat)."""
        grid: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, min(self.n_rows, cell.row + cell.row_span)):
                for c in range(cell.col, min(self.n_cols, cell.col + cell.col_span)):
                    grid[r][c] = cell
        return grid


class Block(_Model):
    id: str = Field(description="Stable within the document: p<page>-b<index>.")
    type: BlockType
    bbox: BBox
    content: str = Field("", description="Plain text; tables and lists are rendered by the renderers.")
    confidence: float = 1.0
    level: int | None = Field(None, description="Heading level, 1 for a title.")
    lines: list[Line] = Field(default_factory=list)
    table: Table | None = None
    caption: str | None = Field(None, description="For figures and tables: the caption that belongs to them.")
    caption_of: str | None = Field(
        None, description="For a caption: the id of the figure or table it describes."
    )
    continued_from: str | None = Field(
        None, description="A table continued from this block on an earlier page."
    )
    extra: dict[str, object] = Field(default_factory=dict)


class Page(_Model):
    number: int = Field(ge=1, description="1-based position in the output.")
    original_number: int = Field(ge=1, description="1-based page in the source document.")
    width: float = Field(description="Points (1/72 inch), as displayed.")
    height: float
    rotation: int = 0
    blocks: list[Block] = Field(default_factory=list)
    ocr: bool = Field(False, description="The text of this page came from OCR.")
    name: str | None = Field(None, description="A sheet's or slide's own name, where the source has one.")


class DocumentProperties(_Model):
    author: str | None = None
    created_at: str | None = None
    creator: str | None = None
    keywords: str | None = None
    last_modified_by: str | None = None
    modified_at: str | None = None
    producer: str | None = None
    subject: str | None = None
    title: str | None = None


class Document(_Model):
    pages: list[Page] = Field(default_factory=list)
    format: str = Field("pdf", description="What the source was: pdf, png, docx...")
    layout: str = Field(
        "page",
        description="What boxes measure: page (normalized to the page), cell (spreadsheets: column/row "
        "index and spans, page = sheet) or flow (sources without pages: each block's share of the text, "
        "top to bottom, on page 1).",
    )
    total_pages: int = Field(0, description="Pages in the source, whether processed or not.")
    properties: DocumentProperties = Field(default_factory=DocumentProperties)
    warnings: list[str] = Field(default_factory=list)

    def blocks(self) -> Iterator[Block]:
        for page in self.pages:
            yield from page.blocks


class Chunk(_Model):
    content: str = Field(description="Markdown of the chunk's blocks.")
    embed: str = Field(description="Text to embed for retrieval.")
    blocks: list[Block]
