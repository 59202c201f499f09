"""POST /parse (synchronous) and POST /parse_async."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from fastapi.responses import JSONResponse, Response

from docuforge.auth.deps import CanRead, CanWrite
from docuforge.db import SessionDep, commit
from docuforge.deps import SettingsDep, StorageDep
from docuforge.jobs.deps import RunnerDep
from docuforge.observability import get_logger
from docuforge.reducto.parse import pages, service
from docuforge.reducto.parse.schemas import AsyncParseResponse, PageIndex, ParseRequest, ParseResponse
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router

router = make_router(RouteGroup.processing, tags=["parse"])
pages_router = make_router(tags=["parse"])
# A job's pages never change: a browser may keep them, no shared cache may (they are documents).
_PAGE_CACHE = "private, max-age=86400"
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


@pages_router.get("/job/{job_id}/pages", response_model=PageIndex)
async def page_index(
    job_id: str, principal: CanRead, session: SessionDep, storage: StorageDep
) -> JSONResponse:
    """A completed parse's, extract's or statements read's pages: their sizes, and whether each can be
    shown as an image."""
    index = await pages.page_index(session, storage, principal, job_id)
    return JSONResponse(index, headers={"Cache-Control": _PAGE_CACHE})


@pages_router.get(
    "/job/{job_id}/pages/{number}.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
async def page_image(
    job_id: str,
    number: Annotated[int, Path(ge=1)],
    principal: CanRead,
    session: SessionDep,
    storage: StorageDep,
) -> Response:
    """A page of a completed parse, extract or statements read as a PNG, to draw boxes over (bbox times
    image size)."""
    png = await pages.page_image(session, storage, principal, job_id, number)
    return Response(png, media_type="image/png", headers={"Cache-Control": _PAGE_CACHE})
