"""Request pieces several Reducto operations share: the document input, `async`, page ranges."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from docuforge.reducto.parse.options import PageRange
from docuforge.reducto.parse.schemas import AsyncConfig, UploadRef

__all__ = ["AsyncConfig", "DocumentInput", "OperationRequest", "PageRange", "UploadRef", "document_value"]

DocumentInput = str | list[str] | UploadRef


def document_value(value: Any) -> Any:
    return value.model_dump() if isinstance(value, UploadRef) else value


class OperationRequest(BaseModel):
    """What split, classify and pipeline requests have in common; unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    input: DocumentInput = Field(
        description="reducto://<file id>, an upload object, jobid://<parse job id>, or an http(s) URL."
    )
    async_: AsyncConfig | None = Field(None, alias="async", description="Webhook, metadata, priority.")

    @property
    def document(self) -> Any:
        return document_value(self.input)

    def async_dict(self) -> dict[str, Any] | None:
        return self.async_.model_dump() if self.async_ else None

    def stored(self) -> dict[str, Any]:
        """What the job keeps: the request as sent."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)
