"""Reducto's classify request and response (spec §4.5, §5.6)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from docuforge.reducto.shared_schemas import OperationRequest, PageRange

DEFAULT_PAGES = 5
MAX_PAGES = 25


class ClassificationCategory(BaseModel):
    model_config = ConfigDict(extra="ignore")
    category: str = Field(description="The label, e.g. 'invoice'.")
    criteria: list[str] = Field(description="Traits a member of the category shows.")


class ClassifyRequest(OperationRequest):
    """Reducto's ClassifyConfig."""

    classification_schema: list[ClassificationCategory] | None = Field(
        None, description="The categories and their criteria (at least one)."
    )
    category_groups: dict[str, list[str]] | None = Field(
        None, description="Groups of categories; the answer names the group in extra_metadata.grouping."
    )
    document_metadata: str | None = Field(None, description="Text about the document, read with it.")
    force_url_result: bool | None = Field(None, description="Answer the result as a URL.")
    model: Literal["default", "accurate"] = Field(
        "default", description="accurate also scores every page alone (Deep Classify)."
    )
    page_range: PageRange | list[PageRange] | list[int] | None = Field(
        None, description=f"1-based pages to read; default the first {DEFAULT_PAGES}, at most {MAX_PAGES}."
    )
    priority: bool | None = None


class AsyncClassifyResponse(BaseModel):
    job_id: str


class ClassifyResult(BaseModel):
    category: str


class CriterionConfidence(BaseModel):
    criterion: str
    confidence: Literal["high", "low"]


class CategoryConfidence(BaseModel):
    category: str
    confidence: float
    criteria_confidence: list[CriterionConfidence]


class ResponseConfidence(BaseModel):
    categories: list[CategoryConfidence]


class ClassifyUsage(BaseModel):
    num_categories: int
    num_pages: int
    credits: float | None = None


class ClassifyResponse(BaseModel):
    model_config = ConfigDict(extra="allow")
    response_type: Literal["classify"] = "classify"
    job_id: str
    result: ClassifyResult | dict = Field(description="{category} or a URLResult.")
    duration: float | None = None
    extra_metadata: dict[str, str] | None = None
    response_confidence: ResponseConfidence | None = None
    usage: ClassifyUsage | None = None
