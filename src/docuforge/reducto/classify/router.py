"""POST /classify (synchronous) and POST /classify_async."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from docuforge.auth.deps import CanWrite
from docuforge.db import SessionDep, commit
from docuforge.deps import SettingsDep, StorageDep
from docuforge.jobs.deps import RunnerDep
from docuforge.reducto import submission
from docuforge.reducto.classify import service
from docuforge.reducto.classify.schemas import AsyncClassifyResponse, ClassifyRequest, ClassifyResponse
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router

router = make_router(RouteGroup.processing, tags=["classify"])


@router.post("/classify", response_model=ClassifyResponse)
async def classify(
    body: ClassifyRequest,
    request: Request,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> JSONResponse:
    """Classify a document into one of the given categories, with confidences per category."""
    job = await service.submit(session, runner, storage, settings, principal, body)
    await commit(session)
    return JSONResponse(await submission.wait(request.app.state.db, job, storage, settings))


@router.post("/classify_async", response_model=AsyncClassifyResponse)
async def classify_async(
    body: ClassifyRequest,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> AsyncClassifyResponse:
    """Start classifying a document; follow it at GET /job/{job_id}."""
    job = await service.submit(session, runner, storage, settings, principal, body)
    return AsyncClassifyResponse(job_id=str(job.id))
