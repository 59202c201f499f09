"""POST /extract (synchronous) and POST /extract_async."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from docuforge.auth.deps import CanWrite
from docuforge.db import SessionDep, commit
from docuforge.deps import SettingsDep, StorageDep
from docuforge.jobs.deps import RunnerDep
from docuforge.observability import get_logger
from docuforge.reducto.extract import service
from docuforge.reducto.extract.schemas import AsyncExtractResponse, ExtractRequest, ExtractResponse
from docuforge.reducto.parse.service import wait
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router

router = make_router(RouteGroup.processing, tags=["extract"])
log = get_logger(__name__)


def _note_unsupported(request: ExtractRequest) -> None:
    unsupported = request.unsupported()
    if unsupported:
        log.info("extract options accepted but not applied", options=unsupported)


@router.post(
    "/extract",
    response_model=ExtractResponse,
    responses={200: {"model": ExtractResponse | AsyncExtractResponse}},
)
async def extract(
    body: ExtractRequest,
    request: Request,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> JSONResponse:
    """Fill a JSON Schema from a document and answer when done (with an `async` key: a job_id at once)."""
    _note_unsupported(body)
    job = await service.submit(session, runner, storage, settings, principal, body)
    await commit(session)
    if body.async_ is not None:
        return JSONResponse({"job_id": str(job.id)})
    return JSONResponse(await wait(request.app.state.db, job, storage, settings))


@router.post("/extract_async", response_model=AsyncExtractResponse)
async def extract_async(
    body: ExtractRequest,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> AsyncExtractResponse:
    """Start an extraction; follow it at GET /job/{job_id}."""
    _note_unsupported(body)
    job = await service.submit(session, runner, storage, settings, principal, body)
    return AsyncExtractResponse(job_id=str(job.id))
