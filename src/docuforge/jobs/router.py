"""GET /job/{id}, GET /jobs, POST /cancel/{id}, DELETE /job/{id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse

from docuforge.auth.deps import CanRead, CanWrite
from docuforge.db import SessionDep
from docuforge.deps import SettingsDep, StorageDep
from docuforge.jobs import seed, service
from docuforge.jobs.schemas import (
    CancelResponse,
    DeleteResponse,
    JobList,
    JobResponse,
    SeedJob,
    SeedJobItem,
)
from docuforge.routing import router as make_router

router = make_router(tags=["jobs"])


@router.get("/job/{job_id}", response_model=JobResponse, response_model_exclude_none=True)
async def get_job(
    job_id: str, principal: CanRead, session: SessionDep, storage: StorageDep, settings: SettingsDep
) -> JSONResponse:
    """A job's status and, once completed, its result (inline, or a signed URL when large)."""
    job = await service.get_job(session, principal, job_id)
    return JSONResponse(await service.view(job, storage, settings))


@router.get("/jobs/{job_id}", response_model=SeedJob)
async def get_seed_job(job_id: str, principal: CanRead, session: SessionDep) -> SeedJob:
    """A job as the log-ingest service shows it: status, percent progress, retries, timestamps."""
    job = await service.get_job(session, principal, job_id)
    return SeedJob.model_validate(seed.view(job))


@router.get("/jobs", response_model=JobList)
async def list_jobs(
    principal: CanRead,
    session: SessionDep,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    exclude_configs: Annotated[bool, Query(description="Leave raw_config empty.")] = False,
    status: Annotated[
        str | None, Query(description="Seed 002 view: CREATED, QUEUED, PROCESSING, COMPLETED or FAILED.")
    ] = None,
    job_type: Annotated[str | None, Query(description="Seed 002 view: job type (LOGS, PARSE...).")] = None,
    offset: Annotated[
        int | None, Query(ge=0, le=2**31 - 1, description="Seed 002 view: jobs to skip.")
    ] = None,
) -> JobList | JSONResponse:
    """Your organization's jobs, newest first; given status, job_type or offset, a seed 002 list."""
    if status is not None or job_type is not None or offset is not None:
        rows = await seed.list_jobs(session, principal, status, job_type, limit, offset or 0)
        items = [SeedJobItem.model_validate(seed.item(job)).model_dump(mode="json") for job in rows]
        return JSONResponse(items)
    jobs, next_cursor = await service.list_jobs(session, principal, cursor, limit)
    return JobList.model_validate(
        {"jobs": [service.listed(job, exclude_configs) for job in jobs], "next_cursor": next_cursor}
    )


@router.post("/cancel/{job_id}", response_model=CancelResponse)
async def cancel_job(job_id: str, principal: CanWrite, session: SessionDep) -> CancelResponse:
    """Cancel a job: one not yet started never runs; a running one stops at its next checkpoint."""
    job = await service.cancel(session, principal, job_id)
    return CancelResponse(
        job_id=str(job.id), status="Cancelled" if job.status == "cancelled" else "Cancelling"
    )


@router.delete("/job/{job_id}", response_model=DeleteResponse, status_code=202)
async def delete_job(
    job_id: str,
    principal: CanWrite,
    session: SessionDep,
    include_persisted: Annotated[
        bool, Query(description="Accepted for compatibility; results always go.")
    ] = False,
) -> DeleteResponse:
    """Delete a job and its results: 409 while that is under way, then 410."""
    job = await service.delete(session, principal, job_id)
    return DeleteResponse(job_id=str(job.id))
