"""Reducto's edit request and response (spec §4.4, §5.5)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from docuforge.reducto.shared_schemas import UploadRef, document_value


class WireBox(BaseModel):
    model_config = ConfigDict(extra="ignore")
    left: float
    top: float
    width: float
    height: float
    page: int = Field(ge=1)
    original_page: int | None = None


class EditWidget(BaseModel):
    model_config = ConfigDict(extra="ignore")
    bbox: WireBox
    description: str
    type: Literal["text", "checkbox", "radio", "dropdown", "barcode"]
    fill: bool = True
    font_size: float | None = None
    value: str | None = None


class EditOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")
    color: str | None = Field(None, description="Text colour of the filled values, hex.")
    enable_overflow_pages: bool = Field(False, description="Text that does not fit goes on added pages.")
    flatten: bool = Field(False, description="Turn the filled fields into page content.")
    font_size: float | None = Field(None, gt=0, description="Font size in points (default: fitted).")
    llm_provider_preference: str | None = Field(None, description="Accepted; the offline mapper is used.")


class EditRequest(BaseModel):
    """Reducto's EditConfig."""

    model_config = ConfigDict(extra="ignore")
    document_url: str | UploadRef = Field(description="The PDF: reducto://<file id>, an upload, or a URL.")
    edit_instructions: str = Field(
        description="What to fill, in words: 'the vessel is Northwind, IMO 9321483'."
    )
    edit_options: EditOptions = Field(default_factory=EditOptions)
    form_schema: list[EditWidget] | None = Field(
        None, description="Widgets to fill; a value given is used as is."
    )
    priority: bool | None = None
    webhook: dict[str, Any] | None = Field(None, description="edit_async: mode, url, channels, metadata.")

    @property
    def document(self) -> Any:
        return document_value(self.document_url)


class AsyncEditResponse(BaseModel):
    job_id: str


class EditResponse(BaseModel):
    model_config = ConfigDict(extra="allow")
    response_type: Literal["edit"] = "edit"
    document_url: str = Field(description="A signed URL of the filled PDF.")
    form_schema: list[EditWidget] | None = None
    job_id: str | None = None
    usage: dict[str, Any] | None = None
