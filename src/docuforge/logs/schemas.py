"""The wire shapes of /logs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import BaseModel, Field

from docuforge.logs.records import LogFormat


class LogIngestRequest(BaseModel):
    file_id: str = Field(description="An upload's file_id (from /upload), as reducto://... or bare.")
    log_format: str = Field(
        "auto", description=f"One of {', '.join(f.value for f in LogFormat)} (or json, nginx...)."
    )
    default_timezone: str | None = Field(
        None, description="Zone of timestamps written without one (IANA name)."
    )


class LogJobResponse(BaseModel):
    message: str = "Job queued successfully"
    job_id: uuid.UUID
    status: str = "QUEUED"


class LogRecordOut(BaseModel):
    job_id: str
    seq: int = Field(description="The record's ordinal in its file, from 0.")
    timestamp: dt.datetime | None = Field(description="UTC.")
    zone: str | None = Field(description="The source's UTC offset (Z, +02:00), or null when it wrote none.")
    level: str | None
    message: str
    logger: str | None = None
    service: str | None = None
    host: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)
    line: int
    end_line: int


class LogRecordPage(BaseModel):
    records: list[LogRecordOut]
    next_cursor: str | None = None


class TimelinePoint(BaseModel):
    start: dt.datetime
    count: int
    levels: dict[str, int]


class TemplateCount(BaseModel):
    template: str | None
    count: int
    level: str | None


class LogSummary(BaseModel):
    job_ids: list[str]
    records: int
    malformed: int
    first_timestamp: dt.datetime | None
    last_timestamp: dt.datetime | None
    levels: dict[str, int]
    bucket_seconds: int
    timeline: list[TimelinePoint]
    templates: list[TemplateCount]


class MalformedLine(BaseModel):
    job_id: str
    line: int
    reason: str
    raw: str


class MalformedPage(BaseModel):
    lines: list[MalformedLine]
