"""Reducto's parse request and response (spec §4.1, §5.2)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from docuforge.reducto.parse.options import ParseOptions


class UploadRef(BaseModel):
    model_config = ConfigDict(extra="ignore")
    file_id: str
    presigned_url: str | None = None


class AsyncConfig(BaseModel):
    """`async`: metadata for the webhook, priority, and the webhook itself (direct or svix)."""

    model_config = ConfigDict(extra="ignore")
    metadata: Any = None
    priority: bool | None = None
    webhook: dict[str, Any] | None = None


class ParseRequest(ParseOptions):
    """Reducto's ParseConfig: the document, the parse options, and how to run."""

    input: str | list[str] | UploadRef | None = Field(
        None, description="reducto://<file id>, an upload object, jobid://<parse job id>, or an http(s) URL."
    )
    document_url: str | UploadRef | None = Field(
        None, description="The legacy name of `input` (SDK 0.12 and older)."
    )
    async_: AsyncConfig | None = Field(None, alias="async")
    queue_priority: Literal["auto", "standard", "batch"] | None = None
    webhook: dict[str, Any] | None = Field(
        None, description="Legacy top-level webhook (mode, url, channels)."
    )

    @model_validator(mode="after")
    def _has_input(self) -> ParseRequest:
        if self.input is None and self.document_url is None:
            raise ValueError("input is required")
        return self

    @property
    def document(self) -> Any:
        value = self.input if self.input is not None else self.document_url
        return value.model_dump() if isinstance(value, UploadRef) else value

    def options(self) -> ParseOptions:
        return ParseOptions.model_validate(
            self.model_dump(include={"enhance", "formatting", "retrieval", "settings", "spreadsheet"})
        )


class AsyncParseResponse(BaseModel):
    job_id: str


class ParseUsage(BaseModel):
    num_pages: int
    credits: float | None = None


class ParseResponse(BaseModel):
    """The synchronous answer; the same object is a completed job's `result`."""

    model_config = ConfigDict(extra="allow")
    response_type: Literal["parse"] = "parse"
    job_id: str
    duration: float
    usage: ParseUsage
    result: dict[str, Any] = Field(
        description="FullResult {type: full, chunks, ocr?} or URLResult {type: url, url, result_id}."
    )
    pdf_url: str | None = None
    studio_link: str | None = None
    document_properties: dict[str, str | None] | None = None


class PageInfo(BaseModel):
    number: int = Field(description="1-based page in the result (bbox.page).")
    original_number: int = Field(description="1-based page in the source document (bbox.original_page).")
    width: float = Field(description="Points (1/72 inch), as displayed.")
    height: float
    image: bool = Field(description="Whether GET /job/{id}/pages/{number}.png can draw this page.")


class PageIndex(BaseModel):
    format: str = Field(description="What the source was: pdf, png, docx...")
    pages: list[PageInfo]
