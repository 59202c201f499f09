"""The Document contract (pure pydantic, no I/O): pages, typed blocks with boxes, tables, chunks."""

from docuforge.document.model import (
    FURNITURE,
    BBox,
    Block,
    BlockType,
    Cell,
    Chunk,
    Document,
    DocumentProperties,
    Line,
    Page,
    Table,
    Word,
)

__all__ = [
    "FURNITURE",
    "BBox",
    "Block",
    "BlockType",
    "Cell",
    "Chunk",
    "Document",
    "DocumentProperties",
    "Line",
    "Page",
    "Table",
    "Word",
]
