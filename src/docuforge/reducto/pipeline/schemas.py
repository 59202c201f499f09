"""Saved pipelines and Reducto's pipeline request and response (spec §4.6, §5.7)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from docuforge.reducto.edit.schemas import EditOptions, EditWidget
from docuforge.reducto.extract.schemas import CitationSettings
from docuforge.reducto.parse.options import ParseOptions
from docuforge.reducto.shared_schemas import OperationRequest, UploadRef
from docuforge.reducto.split.schemas import SplitCategory, SplitSettings


class SplitStep(BaseModel):
    model_config = ConfigDict(extra="forbid")
    split_description: list[SplitCategory] = Field(min_length=1, description="The sections to find.")
    split_rules: str | None = None
    settings: SplitSettings = Field(default_factory=SplitSettings)


class ExtractStep(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    schema_: dict[str, Any] = Field(alias="schema", description="JSON Schema of what to extract.")
    system_prompt: str | None = None
    per_split: bool = Field(
        False, description="With a split step: extract from every split (and partition) on its own."
    )
    citations: CitationSettings = Field(default_factory=CitationSettings)


class EditStep(BaseModel):
    model_config = ConfigDict(extra="forbid")
    edit_instructions: str = Field("", description="What to fill; the run's input may give them instead.")
    edit_options: EditOptions = Field(default_factory=EditOptions)
    form_schema: list[EditWidget] | None = None
    document_url: str | UploadRef | None = Field(
        None, description="A form to fill on every run; the run's input is then the instructions."
    )


class PipelineSteps(BaseModel):
    """What a pipeline does: parse, then split and/or extract; or edit."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    parse: ParseOptions = Field(default_factory=ParseOptions, description="How to parse the input.")
    split: SplitStep | None = None
    extract: ExtractStep | None = None
    edit: EditStep | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> PipelineSteps:
        if self.edit is not None and (self.split is not None or self.extract is not None):
            raise ValueError("an edit pipeline fills a form; it cannot also split or extract")
        if self.extract is not None and self.extract.per_split and self.split is None:
            raise ValueError("extract.per_split needs a split step")
        return self


class PipelineCreate(PipelineSteps):
    name: str = Field(min_length=1, max_length=200, description="Unique in the organization.")
    description: str | None = None


class PipelineRead(BaseModel):
    pipeline_id: str
    name: str
    description: str | None = None
    steps: list[str] = Field(description="parse, split, extract, edit: in the order they run.")
    config: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime


class PipelineList(BaseModel):
    pipelines: list[PipelineRead]


class PipelineRunSettings(BaseModel):
    model_config = ConfigDict(extra="ignore")
    document_password: str | None = None


class PipelineRequest(OperationRequest):
    """Reducto's PipelineConfig."""

    pipeline_id: str = Field(description="The id POST /pipelines answered.")
    settings: PipelineRunSettings = Field(default_factory=PipelineRunSettings)


class AsyncPipelineResponse(BaseModel):
    job_id: str


class PipelineResponse(BaseModel):
    model_config = ConfigDict(extra="allow")
    response_type: Literal["pipeline"] = "pipeline"
    job_id: str
    usage: dict[str, Any]
    result: dict[str, Any] = Field(description="parse, split, extract and edit: each step's own response.")
