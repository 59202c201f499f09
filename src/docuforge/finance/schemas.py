"""Request and response bodies of /statements and /consolidations."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from docuforge.finance.consolidate import Consolidation as ConsolidationResult
from docuforge.finance.consolidate import ConsolidationOptions
from docuforge.finance.model import Check, StatementLine, StatementType

ExportFormat = Literal["xlsx", "csv", "json"]


class Notify(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(description="Who hears when the work is done.")
    attach: bool = Field(True, description="Attach the Excel workbook (else link to it).")


class AsyncOptions(BaseModel):
    """As for every job: metadata and a webhook (direct URL or svix channels)."""

    model_config = ConfigDict(extra="ignore")
    metadata: Any = None
    webhook: dict[str, Any] | None = None


class ReadRequest(BaseModel):
    """Detect, read and validate every financial statement in a document, as a job."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    input: str = Field(description="reducto://<file id>, jobid://<parse job id> or an http(s) URL.")
    company: str | None = Field(None, description="The company, when the document does not name it clearly.")
    notify: Notify | None = None
    async_: AsyncOptions | None = Field(None, alias="async")


class JobAccepted(BaseModel):
    job_id: str


class StatementIn(BaseModel):
    """A statement sent as JSON (the shape the reader returns)."""

    model_config = ConfigDict(extra="forbid")

    statement_type: StatementType
    company: str | None = None
    currency: str | None = None
    scale: int = 1
    periods: list[str] = Field(default_factory=list)
    lines: list[StatementLine] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    title: str | None = None


class StatementPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    company: str | None = None
    statement_type: StatementType | None = None
    currency: str | None = None
    scale: int | None = None
    lines: list[StatementLine] | None = Field(None, description="Replaces the lines; checks are run again.")


class StatementOut(BaseModel):
    """A stored statement: the issue's JSON shape plus its id and where it came from."""

    id: uuid.UUID
    statement_type: StatementType
    company: str | None
    currency: str | None
    scale: int
    period: str | None = Field(description="The newest period's key.")
    periods: list[str]
    lines: list[StatementLine]
    checks: list[Check]
    title: str | None = None
    confidence: float
    pages: list[int] = Field(default_factory=list)
    job_id: uuid.UUID | None = None
    created_at: dt.datetime


class StatementList(BaseModel):
    statements: list[StatementOut]
    total: int


class ConsolidationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    statement_ids: list[uuid.UUID] = Field(
        min_length=1, description="Statements of one company, any periods."
    )
    name: str | None = None
    options: ConsolidationOptions = Field(default_factory=ConsolidationOptions)
    notify: Notify | None = None
    async_: AsyncOptions | None = Field(None, alias="async")


class ConsolidationOut(BaseModel):
    id: uuid.UUID
    name: str | None
    company: str | None
    status: str = Field(description="pending, completed or failed.")
    statement_ids: list[uuid.UUID]
    job_id: uuid.UUID | None
    error: str | None = None
    result: ConsolidationResult | None = None
    created_at: dt.datetime
