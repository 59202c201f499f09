"""POST /parse (synchronous) and POST /parse_async."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from docuforge.auth.deps import CanWrite
from docuforge.db import SessionDep, commit
from docuforge.deps import RunnerDep, SettingsDep, StorageDep
from docuforge.observability import get_logger
from docuforge.reducto.parse import service
from docuforge.reducto.parse.schemas import AsyncParseResponse, ParseRequest, ParseResponse
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router

router = make_router(RouteGroup.processing, tags=["parse"])
log = get_logger(__name__)


def _note_unsupported(request: ParseRequest) -> None:
    unsupported = request.options().unsupported()
    if unsupported:
        log.info("parse options accepted but not applied", options=unsupported)


@router.post(
    "/parse", response_model=ParseResponse, responses={200: {"model": ParseResponse | AsyncParseResponse}}
)
async def parse(
    body: ParseRequest,
    request: Request,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> JSONResponse:
    """Parse a document and answer when it is done (with an `async` key: answer a job_id at once)."""
    _note_unsupported(body)
    job = await service.submit(session, runner, storage, settings, principal, body)
    await commit(session)  # the runner must see the job before we wait for it
    if body.async_ is not None:
        return JSONResponse({"job_id": str(job.id)})
    return JSONResponse(await service.wait(request.app.state.db, job, storage, settings))


@router.post("/parse_async", response_model=AsyncParseResponse)
async def parse_async(
    body: ParseRequest,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> AsyncParseResponse:
    """Start parsing a document; follow it at GET /job/{job_id}."""
    _note_unsupported(body)
    job = await service.submit(session, runner, storage, settings, principal, body)
    return AsyncParseResponse(job_id=str(job.id))
