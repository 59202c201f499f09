"""ChunkOptions: how a Document is cut into chunks for retrieval."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from docuforge.document.model import BlockType
from docuforge.render.tables import TableFormat

ChunkMode = Literal["variable", "section", "page", "disabled", "block", "page_sections"]


class ChunkOptions(BaseModel):
    """What a chunk holds and how its content is written."""

    model_config = ConfigDict(extra="forbid")

    mode: ChunkMode = Field(
        "disabled",
        description="variable (by structure toward size), section, page, page_sections, block, "
        "or disabled (one chunk for the whole document).",
    )
    size: int | None = Field(None, ge=50, description="Target characters per chunk (variable mode).")
    overlap: int = Field(0, ge=0, description="Characters shared with the neighbouring chunk.")
    table_format: TableFormat = Field(
        "dynamic", description="How tables are written: html, md, json, jsonbbox, csv, or dynamic."
    )
    page_markers: bool = Field(False, description="Mark page starts and ends in chunk content.")
    filter_blocks: list[BlockType] = Field(
        default_factory=list, description="Block types left out of content and embed."
    )
    embedding_optimized: bool = Field(
        False, description="Write `embed` for embedding models (tables as text)."
    )
