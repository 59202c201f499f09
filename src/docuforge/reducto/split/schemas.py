"""Reducto's split request and response (spec §4.3, §5.4)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from docuforge.reducto.parse.options import ParseOptions
from docuforge.reducto.shared_schemas import OperationRequest


class SplitCategory(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(description="The section's name, as the answer gives it back.")
    description: str = Field(description="What the section's pages hold.")
    partition_key: str | None = Field(None, description="Split the section by this field's values.")


class SplitSettings(BaseModel):
    model_config = ConfigDict(extra="ignore")
    allow_page_overlap: bool = Field(True, description="A page may belong to two sections.")
    auto_partition: bool = Field(True, description="Pages without the partition value join the running one.")
    deep_split: bool = Field(False, description="Answer each page with its evidence and confidence.")
    force_url_result: bool | None = Field(None, description="Answer the result as a URL.")
    table_cutoff: Literal["truncate", "preserve"] = Field(
        "truncate", description="preserve: never cut a table continued across pages."
    )


class SplitRequest(OperationRequest):
    """Reducto's SplitConfig."""

    split_description: list[SplitCategory] = Field(description="The sections to find (at least one).")
    split_rules: str | None = Field(None, description="Rules in words; quoted phrases mark section starts.")
    parsing: ParseOptions = Field(
        default_factory=ParseOptions, description="How to parse (not for jobid://)."
    )
    settings: SplitSettings = Field(default_factory=SplitSettings)


class AsyncSplitResponse(BaseModel):
    job_id: str


class SplitResponse(BaseModel):
    model_config = ConfigDict(extra="allow")
    response_type: Literal["split"] = "split"
    result: dict[str, Any] = Field(description="SplitResult, DeepSplitResult or a URLResult.")
    usage: dict[str, Any]
    duration: float | None = None
    job_id: str | None = None
