"""POST/GET /pipelines (saved pipelines) and POST /pipeline, /pipeline_async (runs)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from docuforge.auth.deps import CanRead, CanWrite
from docuforge.db import SessionDep, commit
from docuforge.deps import SettingsDep, StorageDep
from docuforge.jobs.deps import RunnerDep
from docuforge.reducto import submission
from docuforge.reducto.pipeline import service
from docuforge.reducto.pipeline.schemas import (
    AsyncPipelineResponse,
    PipelineCreate,
    PipelineList,
    PipelineRead,
    PipelineRequest,
    PipelineResponse,
)
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router

router = make_router(tags=["pipelines"])
runs = make_router(RouteGroup.processing, tags=["pipelines"])


@router.post("/pipelines", response_model=PipelineRead, status_code=201)
async def create_pipeline(body: PipelineCreate, principal: CanWrite, session: SessionDep) -> PipelineRead:
    """Save a pipeline: parse options, then split and/or extract, or edit; run it by its id."""
    return service.read(await service.create(session, principal, body))


@router.get("/pipelines", response_model=PipelineList)
async def list_pipelines(principal: CanRead, session: SessionDep) -> PipelineList:
    """Your organization's pipelines, newest first."""
    return PipelineList(pipelines=[service.read(p) for p in await service.list_pipelines(session, principal)])


@router.get("/pipelines/{pipeline_id}", response_model=PipelineRead)
async def get_pipeline(pipeline_id: str, principal: CanRead, session: SessionDep) -> PipelineRead:
    """One saved pipeline."""
    return service.read(await service.get(session, principal, pipeline_id))


@router.delete("/pipelines/{pipeline_id}")
async def delete_pipeline(pipeline_id: str, principal: CanWrite, session: SessionDep) -> dict[str, str]:
    """Delete a saved pipeline (runs already made keep their results)."""
    await service.delete(session, principal, pipeline_id)
    return {"pipeline_id": pipeline_id}


@runs.post("/pipeline", response_model=PipelineResponse)
async def run_pipeline(
    body: PipelineRequest,
    request: Request,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> JSONResponse:
    """Run a saved pipeline on a document and answer every step's result."""
    job = await service.submit(session, runner, storage, settings, principal, body)
    await commit(session)
    return JSONResponse(await submission.wait(request.app.state.db, job, storage, settings))


@runs.post("/pipeline_async", response_model=AsyncPipelineResponse)
async def run_pipeline_async(
    body: PipelineRequest,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> AsyncPipelineResponse:
    """Start a saved pipeline on a document; follow it at GET /job/{job_id}."""
    job = await service.submit(session, runner, storage, settings, principal, body)
    return AsyncPipelineResponse(job_id=str(job.id))
