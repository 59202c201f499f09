"""Reducto's extract request and response (spec §4.2, §5.3)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from docuforge.extraction.options import DEFAULT_PROMPT
from docuforge.reducto.parse.options import ParseOptions
from docuforge.reducto.parse.schemas import AsyncConfig, UploadRef


class Instructions(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    schema_: Any = Field(None, alias="schema", description="The JSON Schema to fill.")
    system_prompt: str = Field(DEFAULT_PROMPT, description="Instructions to the LLM engine.")


class CitationSettings(BaseModel):
    model_config = ConfigDict(extra="ignore")
    enabled: bool = Field(False, description="Answer each leaf as {value, citations}.")
    numerical_confidence: bool = Field(True, description="Numeric confidences beside high/low.")
    parent_block: Literal["full", "bbox_only"] = Field(
        "full", description="full: the cited block's text in parentBlock.content; bbox_only: its box only."
    )


class ExtractSettings(BaseModel):
    model_config = ConfigDict(extra="ignore")
    array_extract: bool = Field(
        False, description="LLM engine: read long documents in segments, merge arrays."
    )
    citations: CitationSettings = Field(default_factory=CitationSettings)
    deep_extract: bool = Field(
        False,
        description="A second, more thorough pass over the fields left empty: labels matched by meaning "
        "too (MiniLM) and accepted at a lower score; with the llm engine, the offline reading fills "
        "what the model left empty.",
    )
    force_url_result: bool = Field(False, description="Answer the result as a URL.")
    include_images: bool = Field(
        False,
        description="Not applied: no provider path here sends page images; listed in the response's "
        "custom.unsupported_options.",
    )
    optimize_for_latency: bool = Field(
        False, description="Skip the costly passes: no meaning matching and no deep pass."
    )
    page_range: Any = Field(None, description="Pages to parse (as parsing.settings.page_range).")
    engine: Literal["offline", "llm"] | None = Field(
        None,
        description="Docuforge: which engine answers (offline: no LLM; llm: the configured provider). "
        "Default: DOCUFORGE_EXTRACT__ENGINE.",
    )


class ExtractRequest(BaseModel):
    """Reducto's ExtractConfig: the document, the schema, parse options and extract settings."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    input: str | list[str] | UploadRef | None = Field(
        None,
        description="reducto://<file id>, an upload object, jobid://<parse or extract job id>, or a URL.",
    )
    document_url: str | list[str] | UploadRef | None = Field(None, description="The legacy name of `input`.")
    instructions: Instructions = Field(default_factory=Instructions)
    schema_: Any = Field(None, alias="schema", description="Legacy (SDK 0.12): the schema at the top level.")
    system_prompt: str | None = Field(None, description="Legacy: the prompt at the top level.")
    parsing: ParseOptions = Field(default_factory=ParseOptions)
    settings: ExtractSettings = Field(default_factory=ExtractSettings)
    async_: AsyncConfig | None = Field(None, alias="async")
    queue_priority: Literal["auto", "standard", "batch"] | None = None
    webhook: dict[str, Any] | None = Field(
        None, description="Legacy top-level webhook (mode, url, channels)."
    )

    @model_validator(mode="after")
    def _has_input_and_schema(self) -> ExtractRequest:
        if self.input is None and self.document_url is None:
            raise ValueError("input is required")
        if self.json_schema is None:
            raise ValueError("instructions.schema is required")
        return self

    @property
    def json_schema(self) -> Any:
        return self.instructions.schema_ if self.instructions.schema_ is not None else self.schema_

    @property
    def prompt(self) -> str:
        return self.system_prompt or self.instructions.system_prompt

    @property
    def document(self) -> Any:
        value = self.input if self.input is not None else self.document_url
        return value.model_dump() if isinstance(value, UploadRef) else value

    def parse_options(self) -> ParseOptions:
        data = self.parsing.model_dump(mode="json", exclude_none=True)
        settings = data.setdefault("settings", {})
        if self.settings.page_range is not None and settings.get("page_range") is None:
            settings["page_range"] = self.settings.page_range
        settings["return_citations"] = True  # word boxes: each citation hugs its value
        return ParseOptions.model_validate(data)

    @property
    def deep(self) -> bool:
        """Whether the deep pass runs: asked for, and not overruled by optimize_for_latency."""
        return self.settings.deep_extract and not self.settings.optimize_for_latency

    def unsupported(self) -> list[str]:
        found = ["settings.include_images"] if self.settings.include_images else []
        if self.settings.deep_extract and not self.deep:
            found.append("settings.deep_extract (optimize_for_latency skips it)")
        return found + self.parsing.unsupported()


class AsyncExtractResponse(BaseModel):
    job_id: str


class ExtractUsage(BaseModel):
    num_fields: int
    num_pages: int
    credits: float | None = None


class ExtractResponse(BaseModel):
    """The synchronous answer (extract: result is [value]; v3_extract: result is the cited object)."""

    model_config = ConfigDict(extra="allow")
    response_type: Literal["extract", "v3_extract"]
    job_id: str
    duration: float
    usage: ExtractUsage
    result: Any
    confidence: Literal["high", "low"] | None = None
    engine: Literal["offline", "llm"] = Field(description="Docuforge: the engine that answered.")
    custom: dict[str, Any] | None = Field(
        None, description="Docuforge: unsupported_options, the options asked for that were not applied."
    )
