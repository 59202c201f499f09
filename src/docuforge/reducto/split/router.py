"""POST /split (synchronous) and POST /split_async."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from docuforge.auth.deps import CanWrite
from docuforge.db import SessionDep, commit
from docuforge.deps import SettingsDep, StorageDep
from docuforge.jobs.deps import RunnerDep
from docuforge.reducto import submission
from docuforge.reducto.split import service
from docuforge.reducto.split.schemas import AsyncSplitResponse, SplitRequest, SplitResponse
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router

router = make_router(RouteGroup.processing, tags=["split"])


@router.post("/split", response_model=SplitResponse)
async def split(
    body: SplitRequest,
    request: Request,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> JSONResponse:
    """Split a packet into the named sections: pages, partitions, confidence, table of contents."""
    job = await service.submit(session, runner, storage, settings, principal, body)
    await commit(session)
    return JSONResponse(await submission.wait(request.app.state.db, job, storage, settings))


@router.post("/split_async", response_model=AsyncSplitResponse)
async def split_async(
    body: SplitRequest,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> AsyncSplitResponse:
    """Start splitting a packet; follow it at GET /job/{job_id}."""
    job = await service.submit(session, runner, storage, settings, principal, body)
    return AsyncSplitResponse(job_id=str(job.id))
