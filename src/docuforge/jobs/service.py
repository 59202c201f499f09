"""Submitting jobs and reading them back the way Reducto's API shows them."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.admission import service as admission
from docuforge.auth.principal import Principal
from docuforge.auth.tenancy import get_owned, scoped
from docuforge.config import Settings
from docuforge.db import on_commit, utcnow
from docuforge.errors import Conflict, ErrorCode, Gone, InvalidRequest, JobStateError
from docuforge.jobs import registry
from docuforge.jobs.runners import Runner
from docuforge.models import Job
from docuforge.storage import BlobStore, read_bytes
from docuforge.webhooks import service as webhooks

# The views of a job's status: GET /job/{id} knows four words, GET /jobs a few more (spec §5.10).
_SINGLE = {
    "created": "Idle",
    "pending": "Pending",
    "running": "Pending",
    "completed": "Completed",
    "failed": "Failed",
    "cancelled": "Failed",
}
_LISTED = {
    "created": "Idle",
    "pending": "Pending",
    "running": "InProgress",
    "completed": "Completed",
    "failed": "Failed",
    "cancelled": "Cancelled",
}


def effective_timeout(settings: Settings, requested: float | None) -> float:
    return min(float(requested or settings.jobs.default_timeout), settings.jobs.max_timeout)


async def submit(
    session: AsyncSession,
    runner: Runner,
    settings: Settings,
    principal: Principal,
    *,
    type: str,
    config: dict[str, Any],
    input: dict[str, Any],
    webhook: dict[str, Any] | None = None,
    queue: str = "standard",
    timeout: float | None = None,
    file_id: uuid.UUID | None = None,
    waiting_for_upload: bool = False,
) -> Job:
    """Create the job row; the runner hears of it only once the row is committed."""
    registry.get(type)
    await admission.admit(session, settings, principal.organization_id)
    now = utcnow()
    job = Job(
        id=uuid.uuid4(),
        organization_id=principal.organization_id,
        type=type,
        status="created" if waiting_for_upload else "pending",
        queue="batch" if queue == "batch" else "standard",
        timeout=effective_timeout(settings, timeout),
        max_attempts=settings.jobs.max_attempts,
        config=config,
        input=input,
        file_id=file_id,
        webhook=webhook,
        created_by=principal.subject,
        created_at=now,
        available_at=now,
        queued_at=None if waiting_for_upload else now,
    )
    session.add(job)
    await session.flush()
    if not waiting_for_upload:
        enqueue(session, runner, job)
    return job


_publishing: set[asyncio.Task[bool]] = set()


def enqueue(session: AsyncSession, runner: Runner, job: Job) -> None:
    """Tell the runner once the transaction commits, without making the request wait for a broker."""
    job_id, queue = job.id, job.queue

    async def publish() -> None:
        task = asyncio.create_task(runner.publish(job_id, queue))
        _publishing.add(task)
        task.add_done_callback(_publishing.discard)

    on_commit(session, publish)


async def get_job(session: AsyncSession, principal: Principal, job_id: str | uuid.UUID) -> Job:
    job = await get_owned(session, Job, job_id, principal)
    if job.deletion == "deleting":
        raise Conflict("the job is being deleted", code=ErrorCode.JOB_DELETION_IN_PROGRESS)
    if job.deletion == "deleted":
        raise Gone("the job was deleted", code=ErrorCode.JOB_DELETED)
    return job


def wants_url(job: Job, settings: Settings) -> bool:
    config = job.config or {}
    forced = bool((config.get("settings") or {}).get("force_url_result") or config.get("force_url_result"))
    return forced or (job.result_size or 0) > settings.jobs.inline_result_limit


async def result_of(job: Job, storage: BlobStore, settings: Settings) -> dict[str, Any] | None:
    """The finished job's answer: its envelope, with the large part inline or as a signed URL."""
    if job.status != "completed" or job.response is None:
        return None
    response = dict(job.response)
    if job.result_key:
        if wants_url(job, settings):
            response["result"] = {
                "type": "url",
                "url": storage.url(job.result_key, expires_in=settings.storage.url_expiry),
                "result_id": str(job.id),
            }
        else:
            response["result"] = json.loads(await read_bytes(storage, job.result_key))
    return response


def error_of(job: Job) -> dict[str, Any] | None:
    if job.status not in ("failed", "cancelled"):
        return None
    name = job.error_code or str(ErrorCode.PROCESSING_FAILED)
    status = {
        "JOB_CANCELLED": 499,
        "TIMEOUT": 504,
        "DOCUMENT_PASSWORD_PROTECTED": 442,
        "DOCUMENT_UNSUPPORTED": 415,
        "DOCUMENT_TOO_LARGE": 413,
        "URL_NOT_ALLOWED": 400,
        "INVALID_REQUEST": 400,
        "INVALID_CONFIG": 400,
    }.get(name, 422 if name.startswith("DOCUMENT") or name.startswith("IMAGE") else 500)
    return {"code": status, "message": job.error_message or name, "name": name, "job_id": str(job.id)}


async def view(job: Job, storage: BlobStore, settings: Settings) -> dict[str, Any]:
    """GET /job/{id}: AsyncJobResponse, with the Enhanced fields that apply."""
    body: dict[str, Any] = {
        "status": _SINGLE[job.status],
        "type": registry.reducto_type(job.type),
        "created_at": job.created_at.isoformat(),
    }
    if job.status in ("pending", "running", "created"):
        body["progress"] = round(job.progress, 4)
    if job.status == "completed":
        body["result"] = await result_of(job, storage, settings)
        body["progress"] = 1.0
    error = error_of(job)
    if error is not None:
        body["reason"] = error["message"]
        body["error"] = error
    if job.duration is not None:
        body["duration"] = job.duration
    if job.num_pages is not None:
        body["num_pages"] = job.num_pages
    return body


def listed(job: Job, exclude_configs: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "job_id": str(job.id),
        "status": _LISTED[job.status],
        "type": registry.reducto_type(job.type),
        "created_at": job.created_at.isoformat(),
        "raw_config": "" if exclude_configs else json.dumps(_public(job.config), separators=(",", ":")),
    }
    if job.duration is not None:
        item["duration"] = job.duration
    if job.num_pages is not None:
        item["num_pages"] = item["total_pages"] = job.num_pages
    if job.input.get("url"):
        item["source"] = job.input["url"]
    return item


def _public(config: dict[str, Any]) -> dict[str, Any]:
    """The request as sent, with the document password masked."""
    settings = config.get("settings")
    if isinstance(settings, dict) and settings.get("document_password"):
        return {**config, "settings": {**settings, "document_password": "********"}}
    return config


def _cursor(job: Job) -> str:
    raw = f"{job.created_at.isoformat()}|{job.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _read_cursor(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created, ident = raw.split("|", 1)
        return dt.datetime.fromisoformat(created), uuid.UUID(ident)
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequest("invalid cursor") from None


async def list_jobs(
    session: AsyncSession, principal: Principal, cursor: str | None, limit: int
) -> tuple[list[Job], str | None]:
    """Newest first; the cursor is opaque and stable under inserts."""
    statement = scoped(select(Job), Job, principal).where(Job.deletion.is_(None))
    if cursor:
        created, ident = _read_cursor(cursor)
        statement = statement.where(
            or_(Job.created_at < created, and_(Job.created_at == created, Job.id < ident))
        )
    rows = list(
        (
            await session.execute(statement.order_by(Job.created_at.desc(), Job.id.desc()).limit(limit + 1))
        ).scalars()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (_cursor(rows[-1]) if more and rows else None)


async def cancel(session: AsyncSession, principal: Principal, job_id: str) -> Job:
    """A job that has not started never will; a running one stops at its next checkpoint."""
    job = await get_job(session, principal, job_id)
    now = utcnow()
    stopped = await session.execute(
        update(Job)
        .where(Job.id == job.id, Job.status.in_(("created", "pending")))
        .values(
            status="cancelled",
            finished_at=now,
            error_code=str(ErrorCode.JOB_CANCELLED),
            error_message="the job was cancelled",
        )
    )
    if stopped.rowcount == 1:
        await session.refresh(job)
        await webhooks.enqueue_job_event(session, job)
        return job
    flagged = await session.execute(
        update(Job).where(Job.id == job.id, Job.status == "running").values(cancel_requested=True)
    )
    if flagged.rowcount == 1:
        await session.refresh(job)
        return job
    await session.refresh(job)
    raise JobStateError(f"the job already ended ({_LISTED[job.status]})")


async def delete(session: AsyncSession, principal: Principal, job_id: str) -> Job:
    """Stop the job if it runs, then its results go; until they are gone GET answers 409, then 410."""
    job = await get_job(session, principal, job_id)
    await session.execute(
        update(Job)
        .where(Job.id == job.id, Job.status.in_(("created", "pending")))
        .values(status="cancelled", finished_at=utcnow(), error_code=str(ErrorCode.JOB_CANCELLED))
    )
    await session.execute(
        update(Job).where(Job.id == job.id, Job.status == "running").values(cancel_requested=True)
    )
    await session.execute(update(Job).where(Job.id == job.id).values(deletion="deleting"))
    return job


async def start_created(session: AsyncSession, runner: Runner, job: Job) -> Job:
    """created -> pending, for a job whose upload has arrived."""
    started = await session.execute(
        update(Job)
        .where(Job.id == job.id, Job.status == "created")
        .values(status="pending", queued_at=utcnow())
    )
    if started.rowcount != 1:
        await session.refresh(job)
        raise JobStateError(f"the job is not waiting for its upload (it is {_LISTED[job.status]})")
    await session.refresh(job)
    enqueue(session, runner, job)
    return job


async def jobs_by_id(session: AsyncSession, job_ids: list[uuid.UUID]) -> list[Job | None]:
    """The jobs with these ids, in their order (None for one that is gone): for the command line,
    which follows the jobs it started itself."""
    return [await session.get(Job, job_id) for job_id in job_ids]
