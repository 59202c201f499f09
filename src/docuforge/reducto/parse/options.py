"""Reducto's `parsing` options on the wire, group by group, and their translation to the engine's.

The models validate the `/parse` request body (and the `parsing` object of extract, split and
pipeline requests) with Reducto's documented defaults; unknown keys are ignored, as Reducto's SDK
expects. `engine_options` and `chunk_options` turn them into the engine's typed options; options
the engine does not honour are accepted and listed by `ParseOptions.unsupported()`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from docuforge.chunk.options import ChunkMode, ChunkOptions
from docuforge.document.model import BlockType
from docuforge.parsing.ocr.options import OcrOptions
from docuforge.parsing.options import PageSpan, PageSpec, SpreadsheetOptions
from docuforge.parsing.options import ParseOptions as EngineOptions
from docuforge.render.tables import TableFormat


class _Options(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class TableAgentic(_Options):
    scope: Literal["table"]
    mode: Literal["default", "auto", "max"] | None = None
    prompt: str | None = None


class FigureAgentic(_Options):
    scope: Literal["figure"]
    advanced_chart_agent: bool | None = None
    prompt: str | None = None


class TextAgentic(_Options):
    scope: Literal["text"]
    prompt: str | None = None


class Enhance(_Options):
    agentic: list[Annotated[TableAgentic | FigureAgentic | TextAgentic, Field(discriminator="scope")]] = (
        Field(
            default_factory=list,
            description="Model passes over tables, figures or key-value text (needs an LLM).",
        )
    )
    advanced_chart_agent: bool = Field(False, description="Extract chart data (needs a vision model).")
    intelligent_ordering: bool = Field(False, description="Model-assisted reading order (needs an LLM).")
    summarize_figures: bool = Field(
        True, description="Describe figures; offline, a figure's content is the text found inside it."
    )


class Formatting(_Options):
    add_page_markers: bool = Field(False, description="Mark page starts and ends in chunk content.")
    include: list[
        Literal["change_tracking", "highlight", "comments", "hyperlinks", "signatures", "ignore_watermarks"]
    ] = Field(default_factory=list, description="Extra content to include.")
    merge_tables: bool = Field(False, description="Join a table continued on the next page into one table.")
    table_output_format: TableFormat = Field(
        "dynamic",
        description="How tables are written: html, md, json, jsonbbox, csv, or dynamic "
        "(md when a table has at most 30 cells and 4 merged cells, html otherwise).",
    )


class Chunking(_Options):
    chunk_mode: ChunkMode = Field(
        "disabled",
        description="variable (by structure toward chunk_size), section, page, page_sections, block, "
        "or disabled (one chunk for the whole document).",
    )
    chunk_size: int | None = Field(None, ge=50, description="Target characters per chunk (variable mode).")
    chunk_overlap: int = Field(0, ge=0, description="Characters shared with the neighbouring chunk.")


class Retrieval(_Options):
    chunking: Chunking = Field(default_factory=Chunking)
    embedding_optimized: bool = Field(
        False, description="Write `embed` for embedding models (tables as text)."
    )
    filter_blocks: list[BlockType] = Field(
        default_factory=list, description="Block types left out of content and embed (kept in blocks)."
    )


class PageRange(_Options):
    start: int | None = Field(None, ge=1)
    end: int | None = Field(None, ge=1)


class Settings(_Options):
    document_password: str | None = Field(None, description="Password of an encrypted PDF.")
    embed_pdf_metadata: bool = False
    embed_pdf_metadata_dpi: int = 100
    extract_document_properties: bool = Field(False, description="Return the PDF's title, author, dates...")
    extraction_mode: Literal["ocr", "hybrid", "metadata"] = Field(
        "hybrid", description="hybrid reads text layers and OCRs image pages; ocr OCRs every page."
    )
    force_file_extension: str | None = Field(None, description="Treat the input as this type, e.g. '.pdf'.")
    force_url_result: bool = Field(False, description="Return the result as a URL even when small.")
    model: Literal["r-1", "legacy"] | None = None
    ocr_system: Literal["standard", "legacy"] = "standard"
    page_range: PageRange | list[PageRange] | list[int] | list[str] | None = Field(
        None,
        description="1-based pages to process: {start, end}, a list of them, page numbers, or sheet names.",
    )
    persist_results: bool = False
    return_citations: bool = Field(False, description="Word boxes in each block's extra.word_citations.")
    return_images: list[Literal["figure", "table", "page"]] = Field(
        default_factory=list, description="Crop these as images and link them from the blocks."
    )
    return_ocr_data: bool = Field(False, description="Return every word and line with its box (result.ocr).")
    timeout: float | None = Field(None, gt=0, description="Seconds the job may run.")
    time_budget: float | None = Field(
        None,
        gt=0,
        description="Docuforge extension: seconds the parse may take; when they run out, no further "
        "page is started and the pages finished so far are returned, marked partial with the pages "
        "missing (PDFs and images).",
    )


class SplitLargeTables(_Options):
    enabled: bool = True
    size: int | dict[str, int | None] = 50


class Spreadsheet(_Options):
    clustering: Literal["accurate", "fast", "disabled"] = "accurate"
    exclude: list[Literal["hidden_sheets", "hidden_rows", "hidden_cols", "styling", "spreadsheet_images"]] = (
        Field(default_factory=list)
    )
    include: list[Literal["cell_colors", "formula", "dropdowns"]] = Field(default_factory=list)
    max_cell_count: int | None = None
    split_large_tables: SplitLargeTables = Field(default_factory=SplitLargeTables)


class ParseOptions(_Options):
    """Everything that shapes a parse, as Reducto's `parsing` options."""

    enhance: Enhance = Field(default_factory=Enhance)
    formatting: Formatting = Field(default_factory=Formatting)
    retrieval: Retrieval = Field(default_factory=Retrieval)
    settings: Settings = Field(default_factory=Settings)
    spreadsheet: Spreadsheet = Field(default_factory=Spreadsheet)

    @field_validator("enhance", "formatting", "retrieval", "settings", "spreadsheet", mode="before")
    @classmethod
    def _none_is_default(cls, value: Any) -> Any:
        return {} if value is None else value

    def unsupported(self) -> list[str]:
        """Options set to something the engine does not do yet (accepted, reported, not failed)."""
        found: list[str] = []
        if self.enhance.agentic:
            found.append("enhance.agentic")
        if self.enhance.advanced_chart_agent:
            found.append("enhance.advanced_chart_agent")
        if self.enhance.intelligent_ordering:
            found.append("enhance.intelligent_ordering")
        for name in self.formatting.include:
            found.append(f"formatting.include={name}")
        if self.settings.embed_pdf_metadata:
            found.append("settings.embed_pdf_metadata")
        if "page" in self.settings.return_images:
            # Reducto's result has no place for a whole page's image (blocks carry image_url).
            found.append("settings.return_images=page")
        return found


def page_specs(spec: PageRange | list[PageRange] | list[int] | list[str] | None) -> list[PageSpec] | None:
    """settings.page_range as the engine's list of spans, page numbers and strings."""
    if spec is None:
        return None
    items = spec if isinstance(spec, list) else [spec]
    return [
        PageSpan(start=item.start, end=item.end) if isinstance(item, PageRange) else item for item in items
    ]


def engine_options(options: ParseOptions, ocr: OcrOptions | None = None) -> EngineOptions:
    """The engine's options for these wire options; `ocr` from the service's Settings."""
    settings = options.settings
    sheet = options.spreadsheet
    size = sheet.split_large_tables.size
    rows, cols = (size, None) if isinstance(size, int) else (size.get("row"), size.get("column"))
    return EngineOptions(
        ocr_mode=settings.extraction_mode,
        ocr=ocr or OcrOptions(),
        page_range=page_specs(settings.page_range),
        password=settings.document_password,
        file_format=settings.force_file_extension,
        document_properties=settings.extract_document_properties,
        word_boxes=settings.return_ocr_data or settings.return_citations,
        merge_tables=options.formatting.merge_tables,
        time_budget=settings.time_budget,
        spreadsheet=SpreadsheetOptions(
            clustering=sheet.clustering,
            exclude=frozenset(sheet.exclude),
            include=frozenset(sheet.include),
            max_cell_count=sheet.max_cell_count,
            split_tables=sheet.split_large_tables.enabled,
            split_rows=rows,
            split_cols=cols,
        ),
    )


def chunk_options(options: ParseOptions) -> ChunkOptions:
    """How the FullResult's chunks are cut and written, from the wire options."""
    chunking = options.retrieval.chunking
    return ChunkOptions(
        mode=chunking.chunk_mode,
        size=chunking.chunk_size,
        overlap=chunking.chunk_overlap,
        table_format=options.formatting.table_output_format,
        page_markers=options.formatting.add_page_markers,
        filter_blocks=options.retrieval.filter_blocks,
        embedding_optimized=options.retrieval.embedding_optimized,
    )
