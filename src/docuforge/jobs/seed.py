"""Jobs as the log-ingest service (seed 002) shows them: upper-case statuses, percent progress,
retry counts and every timestamp; read from the job table Reducto's views read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.principal import Principal
from docuforge.auth.tenancy import scoped
from docuforge.errors import InvalidRequest
from docuforge.models import Job

STATUS = {
    "created": "CREATED",
    "pending": "QUEUED",
    "running": "PROCESSING",
    "completed": "COMPLETED",
    "failed": "FAILED",
    "cancelled": "FAILED",
}
_INTERNAL: dict[str, tuple[str, ...]] = {
    "CREATED": ("created",),
    "QUEUED": ("pending",),
    "PROCESSING": ("running",),
    "COMPLETED": ("completed",),
    "FAILED": ("failed", "cancelled"),
}


def job_type(job: Job) -> str:
    return job.type.replace(".", "_").upper()


def source(job: Job) -> str:
    if "url" in job.input:
        return "url"
    if "job_id" in job.input:
        return "job"
    return str(job.config.get("source") or "api") if isinstance(job.config, dict) else "api"


def _percent(job: Job) -> int:
    return 100 if job.status == "completed" else round(100 * (job.progress or 0.0))


def retry_count(job: Job) -> int:
    """Attempts after the first; a queued job that has failed before is waiting for its retry."""
    attempts = job.attempts or 0
    return attempts if job.status == "pending" else max(0, attempts - 1)


def view(job: Job) -> dict[str, Any]:
    """A job as GET /jobs/{id} answers it."""
    return {
        "job_id": str(job.id),
        "job_type": job_type(job),
        "source": source(job),
        "status": STATUS[job.status],
        "progress": _percent(job),
        "retry_count": retry_count(job),
        "created_at": job.created_at,
        "queued_at": job.queued_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "error_message": job.error_message,
    }


def item(job: Job) -> dict[str, Any]:
    return {
        "job_id": str(job.id),
        "job_type": job_type(job),
        "status": STATUS[job.status],
        "progress": _percent(job),
    }


async def list_jobs(
    session: AsyncSession,
    principal: Principal,
    status: str | None,
    job_type: str | None,
    limit: int,
    offset: int,
) -> list[Job]:
    """The organization's jobs, newest first, by seed status and job type."""
    statement = scoped(select(Job), Job, principal).where(Job.deletion.is_(None))
    if status:
        wanted = _INTERNAL.get(status.upper())
        if wanted is None:
            raise InvalidRequest(f"unknown status {status!r}: use {', '.join(_INTERNAL)}")
        statement = statement.where(Job.status.in_(wanted))
    if job_type:
        statement = statement.where(func.lower(func.replace(Job.type, ".", "_")) == job_type.lower())
    statement = statement.order_by(Job.created_at.desc(), Job.id.desc()).limit(limit).offset(offset)
    return list((await session.execute(statement)).scalars())
