"""POST /edit (synchronous) and POST /edit_async."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from docuforge.auth.deps import CanWrite
from docuforge.db import SessionDep, commit
from docuforge.deps import SettingsDep, StorageDep
from docuforge.jobs.deps import RunnerDep
from docuforge.reducto import submission
from docuforge.reducto.edit import service
from docuforge.reducto.edit.schemas import AsyncEditResponse, EditRequest, EditResponse
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router

router = make_router(RouteGroup.processing, tags=["edit"])


@router.post("/edit", response_model=EditResponse)
async def edit(
    body: EditRequest,
    request: Request,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> JSONResponse:
    """Fill a PDF form from instructions; answers the filled PDF's URL and every widget's value."""
    job = await service.submit(session, runner, storage, settings, principal, body, with_webhook=False)
    await commit(session)
    return JSONResponse(await submission.wait(request.app.state.db, job, storage, settings))


@router.post("/edit_async", response_model=AsyncEditResponse)
async def edit_async(
    body: EditRequest,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> AsyncEditResponse:
    """Start filling a PDF form; follow it at GET /job/{job_id}."""
    job = await service.submit(session, runner, storage, settings, principal, body, with_webhook=True)
    return AsyncEditResponse(job_id=str(job.id))
