"""Reducto's job views (spec §5.10)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class ErrorDetail(BaseModel):
    code: int
    message: str
    name: str
    job_id: str | None = None


class JobResponse(BaseModel):
    """GET /job/{id}: Pending (queued or running), Idle (waiting for its upload), Completed or Failed."""

    model_config = ConfigDict(extra="allow")
    status: Literal["Pending", "Completed", "Failed", "Idle"]
    progress: float | None = None
    result: Any = None
    reason: str | None = None
    error: ErrorDetail | None = None
    type: str | None = None
    created_at: dt.datetime | None = None
    duration: float | None = None
    num_pages: int | None = None


class JobItem(BaseModel):
    job_id: str
    status: Literal["Pending", "Completed", "Failed", "Idle", "InProgress", "Completing", "Cancelled"]
    type: str
    created_at: dt.datetime
    raw_config: str
    duration: float | None = None
    num_pages: int | None = None
    total_pages: int | None = None
    source: Any = None


class JobList(BaseModel):
    jobs: list[JobItem]
    next_cursor: str | None = None


class CancelResponse(BaseModel):
    job_id: str
    status: str


class DeleteResponse(BaseModel):
    job_id: str


SeedStatus = Literal["CREATED", "QUEUED", "PROCESSING", "COMPLETED", "FAILED"]


class SeedJob(BaseModel):
    """GET /jobs/{id}: the log-ingest service's view of a job (seed 002), from the same job table."""

    job_id: str
    job_type: str
    source: str
    status: SeedStatus
    progress: int
    retry_count: int
    created_at: dt.datetime
    queued_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    error_message: str | None = None


class SeedJobItem(BaseModel):
    job_id: str
    job_type: str
    status: SeedStatus
    progress: int
