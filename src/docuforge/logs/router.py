"""POST /logs, and the queries over a log job's records (or over several jobs')."""

from __future__ import annotations

import datetime as dt
import tempfile
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio
from fastapi import Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from docuforge.auth.deps import CanRead, CanWrite
from docuforge.db import SessionDep
from docuforge.deps import SettingsDep, StorageDep
from docuforge.errors import InvalidRequest, NotFound
from docuforge.files import inputs
from docuforge.jobs.deps import RunnerDep
from docuforge.logs import query, service
from docuforge.logs.deps import LogJobDep
from docuforge.logs.schemas import (
    LogIngestRequest,
    LogJobResponse,
    LogRecordPage,
    LogSummary,
    MalformedPage,
)
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router

router = make_router(tags=["logs"])
processing = make_router(RouteGroup.processing, tags=["logs"])


def when(value: str | None, name: str) -> dt.datetime | None:
    try:
        return query.when(value, name)
    except query.QueryError as error:
        raise InvalidRequest(str(error)) from None


def record_filter(
    since: str | None, until: str | None, level: list[str], q: str | None, field: list[str]
) -> query.RecordFilter:
    levels = [part.strip().lower() for value in level for part in value.split(",") if part.strip()]
    fields: dict[str, str] = {}
    for pair in field:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise InvalidRequest(f"field filters are name=value, not {pair!r}")
        fields[name] = value
    return query.RecordFilter(
        since=when(since, "since"), until=when(until, "until"), levels=levels, text=q or None, fields=fields
    )


Since = Annotated[str | None, Query(description="From this time (ISO 8601) or this span back (15m, 1h, 7d).")]
Until = Annotated[str | None, Query(description="Before this time (ISO 8601) or this span back.")]
Levels = Annotated[
    list[str], Query(description="trace, debug, info, warn, error, fatal (repeat or comma-separate).")
]
Text = Annotated[str | None, Query(description="Case-insensitive text the message contains.")]
Fields = Annotated[
    list[str],
    Query(description="name=value equality on logger, service, host or an attribute (a.b for nested)."),
]


async def _run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs))
    except query.QueryError as error:
        raise InvalidRequest(str(error)) from None


def _connection(settings: SettingsDep) -> Any:
    return query.connect(settings.logfiles.query_threads)


@processing.post("/logs", response_model=LogJobResponse, status_code=202)
async def ingest_log(
    body: LogIngestRequest,
    principal: CanWrite,
    session: SessionDep,
    storage: StorageDep,
    settings: SettingsDep,
    runner: RunnerDep,
) -> LogJobResponse:
    """Read an uploaded log file into queryable records; answers the job to follow."""
    config = service.config_for(settings, body.log_format, body.default_timezone)
    file_input = await inputs.resolve(session, storage, settings, principal, body.file_id)
    if "file_id" not in file_input:
        raise InvalidRequest("file_id must name an upload (reducto://...)")
    job = await service.submit(session, runner, settings, principal, file_input, config)
    return LogJobResponse(job_id=job.id)


@router.get("/logs/records", response_model=LogRecordPage)
async def records_across_jobs(
    principal: CanRead,
    session: SessionDep,
    storage: StorageDep,
    settings: SettingsDep,
    job_id: Annotated[list[str], Query(description="Jobs to read (default: every completed log job).")] = [],  # noqa: B006
    service_name: Annotated[
        str | None, Query(alias="service", description="Only this service's records.")
    ] = None,
    since: Since = None,
    until: Until = None,
    level: Levels = [],  # noqa: B006
    q: Text = None,
    field: Fields = [],  # noqa: B006
    order: Literal["newest", "oldest"] = "newest",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: str | None = None,
) -> LogRecordPage:
    """Records across your organization's log jobs, by service, time range and the rest."""
    wanted = record_filter(since, until, level, q, field)
    if service_name:
        wanted.fields["service"] = service_name
    found = await service.jobs_for(
        session, settings, principal, job_id, service_name, wanted.since, wanted.until
    )
    if not found:
        return LogRecordPage(records=[])
    paths, _, _ = await service.files_of(storage, settings, found)
    rows, next_cursor = await _run(
        query.records,
        paths,
        wanted,
        order=order,
        limit=limit,
        cursor=cursor,
        connection=_connection(settings),
    )
    return LogRecordPage.model_validate({"records": _records(rows), "next_cursor": next_cursor})


@router.get("/logs/summary", response_model=LogSummary)
async def summary_across_jobs(
    principal: CanRead,
    session: SessionDep,
    storage: StorageDep,
    settings: SettingsDep,
    job_id: Annotated[list[str], Query(description="Jobs to read (default: every completed log job).")] = [],  # noqa: B006
    service_name: Annotated[
        str | None, Query(alias="service", description="Only this service's records.")
    ] = None,
    since: Since = None,
    until: Until = None,
    level: Levels = [],  # noqa: B006
    bucket_seconds: Annotated[
        int | None, Query(ge=1, description="Timeline step (default: ~120 steps).")
    ] = None,
) -> LogSummary:
    """Counts by level and time, top message templates, across your organization's log jobs."""
    wanted = record_filter(since, until, level, None, [])
    if service_name:
        wanted.fields["service"] = service_name
    found = await service.jobs_for(
        session, settings, principal, job_id, service_name, wanted.since, wanted.until
    )
    if not found:
        raise NotFound("no completed log job matches")
    paths, malformed, rollups = await service.files_of(storage, settings, found)
    result = await _run(
        query.summary,
        paths,
        malformed,
        wanted,
        bucket_seconds=bucket_seconds,
        rollup_paths=rollups,
        connection=_connection(settings),
    )
    return LogSummary.model_validate({**result, "job_ids": [str(job.id) for job in found]})


def _records(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "timestamp": row.pop("ts")} for row in rows]


@router.get("/logs/{job_id}/records", response_model=LogRecordPage)
async def job_records(
    log: LogJobDep,
    settings: SettingsDep,
    since: Since = None,
    until: Until = None,
    level: Levels = [],  # noqa: B006
    q: Text = None,
    field: Fields = [],  # noqa: B006
    order: Annotated[Literal["newest", "oldest"], Query(description="Newest or oldest first.")] = "newest",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page.")] = None,
) -> LogRecordPage:
    """A page of a log job's records: time range, levels, text, field equality; cursor pagination."""
    wanted = record_filter(since, until, level, q, field)
    rows, next_cursor = await _run(
        query.records,
        log.records,
        wanted,
        order=order,
        limit=limit,
        cursor=cursor,
        connection=_connection(settings),
    )
    return LogRecordPage.model_validate({"records": _records(rows), "next_cursor": next_cursor})


@router.get("/logs/{job_id}/summary", response_model=LogSummary)
async def job_summary(
    log: LogJobDep,
    settings: SettingsDep,
    since: Since = None,
    until: Until = None,
    level: Levels = [],  # noqa: B006
    bucket_seconds: Annotated[
        int | None, Query(ge=1, description="Timeline step (default: ~120 steps).")
    ] = None,
    top: Annotated[int, Query(ge=1, le=200, description="Message templates to list.")] = 20,
) -> LogSummary:
    """Counts by level and time bucket, top message templates (numbers and ids masked), first/last time."""
    wanted = record_filter(since, until, level, None, [])
    result = await _run(
        query.summary,
        log.records,
        log.malformed,
        wanted,
        bucket_seconds=bucket_seconds,
        top=top,
        rollup_paths=log.rollups,
        connection=_connection(settings),
    )
    return LogSummary.model_validate({**result, "job_ids": [str(log.job.id)]})


@router.get("/logs/{job_id}/malformed", response_model=MalformedPage)
async def job_malformed(
    log: LogJobDep,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> MalformedPage:
    """The lines that could not be read, with their numbers and why."""
    lines = await _run(
        query.malformed_lines, log.malformed, limit=limit, offset=offset, connection=_connection(settings)
    )
    return MalformedPage.model_validate({"lines": lines})


_MEDIA = {"csv": "text/csv", "jsonl": "application/x-ndjson", "parquet": "application/vnd.apache.parquet"}


@router.get("/logs/{job_id}/export", response_class=FileResponse)
async def job_export(
    log: LogJobDep,
    settings: SettingsDep,
    format: Annotated[
        Literal["csv", "jsonl", "parquet"], Query(description="csv, jsonl or parquet.")
    ] = "jsonl",
    since: Since = None,
    until: Until = None,
    level: Levels = [],  # noqa: B006
    q: Text = None,
    field: Fields = [],  # noqa: B006
) -> FileResponse:
    """The job's records (filtered like /records), oldest first, as a CSV, JSON lines or Parquet file."""
    wanted = record_filter(since, until, level, q, field)
    folder = Path(tempfile.mkdtemp(prefix="docuforge-export-"))
    target = folder / f"{log.job.id}.{format}"
    await _run(query.export, log.records, wanted, format, target, connection=_connection(settings))

    def cleanup() -> None:
        target.unlink(missing_ok=True)
        folder.rmdir()

    return FileResponse(
        target, media_type=_MEDIA[format], filename=target.name, background=BackgroundTask(cleanup)
    )
