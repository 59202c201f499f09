"""Log jobs: submitting them, finding the Parquet of one job or of many, and querying it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.principal import Principal
from docuforge.auth.tenancy import scoped
from docuforge.config import Settings
from docuforge.errors import ErrorCode, InvalidRequest, JobStateError
from docuforge.jobs import service as jobs
from docuforge.jobs.runners import Runner
from docuforge.logs import cache
from docuforge.logs import storage as log_storage
from docuforge.logs.records import log_format
from docuforge.logs.timestamps import zone_of
from docuforge.models import Job
from docuforge.storage import BlobStore

JOB_TYPE = "logs"


def config_for(settings: Settings, fmt: str | None, default_timezone: str | None = None) -> dict[str, Any]:
    """The job's config from what the request said; a bad format or zone is refused before any job."""
    try:
        chosen = log_format(fmt)
    except ValueError:
        raise InvalidRequest(f"unknown log_format {fmt!r}") from None
    zone = default_timezone or settings.logfiles.default_timezone
    try:
        zone_of(zone)
    except (KeyError, ValueError):
        raise InvalidRequest(f"unknown time zone {zone!r}") from None
    return {"log_format": fmt or "auto", "options": {"format": chosen.value, "default_timezone": zone}}


async def submit(
    session: AsyncSession,
    runner: Runner,
    settings: Settings,
    principal: Principal,
    file_input: dict[str, Any],
    config: dict[str, Any],
) -> Job:
    return await jobs.submit(
        session, runner, settings, principal, type=JOB_TYPE, config=config, input=file_input
    )


async def completed_job(session: AsyncSession, principal: Principal, job_id: str) -> Job:
    job = await jobs.get_job(session, principal, job_id)
    if job.type != JOB_TYPE:
        raise InvalidRequest(f"job {job.id} is a {job.type} job, not a log ingestion")
    if job.status != "completed":
        raise JobStateError(
            f"the log job is not completed yet ({job.status})", code=ErrorCode.JOB_NOT_COMPLETE
        )
    return job


async def files_of(
    storage: BlobStore, settings: Settings, found: list[Job]
) -> tuple[list[Path], list[Path], list[Path]]:
    """The records, malformed lines and rollups of these jobs, as local Parquet files."""
    records, malformed, rollups = [], [], []
    for job in found:
        files = await log_storage.local_files(
            storage, cache.directory(settings), job.organization_id, job.id, cache.limits(settings)
        )
        records.append(files[0])
        malformed.append(files[1])
        rollups.append(files[2])
    return records, malformed, rollups


async def jobs_for(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    job_ids: list[str],
    service: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
) -> list[Job]:
    """The organization's completed log jobs a query across jobs reads: those named, or those whose
    records could match the service and time range (from what each job saw while ingesting)."""
    if job_ids:
        return [await completed_job(session, principal, ident) for ident in job_ids]
    statement = (
        scoped(select(Job), Job, principal)
        .where(Job.type == JOB_TYPE, Job.status == "completed", Job.deletion.is_(None))
        .order_by(Job.created_at.desc())
    )
    chosen: list[Job] = []
    limit = settings.logfiles.max_jobs_per_query
    for job in (await session.execute(statement)).scalars():
        response = job.response or {}
        if service is not None and service not in (response.get("services") or []):
            continue
        first, last = response.get("first_timestamp"), response.get("last_timestamp")
        if since is not None and last and dt.datetime.fromisoformat(last) < _aware(since):
            continue
        if until is not None and first and dt.datetime.fromisoformat(first) >= _aware(until):
            continue
        chosen.append(job)
        if len(chosen) >= limit:
            break
    return chosen


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
