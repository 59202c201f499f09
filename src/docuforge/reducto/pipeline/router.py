"""POST/GET /pipelines (saved pipelines) and POST /pipeline, /pipeline_async (runs)."""

from __future__ import annotations

from docuforge.auth.deps import CanRead, CanWrite
from docuforge.db import SessionDep
from docuforge.reducto.endpoints import add_operation
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


add_operation(
    runs,
    path="/pipeline",
    name="run_pipeline",
    request_model=PipelineRequest,
    response_model=PipelineResponse,
    async_response_model=AsyncPipelineResponse,
    submit=service.submit,
    docs=(
        "Run a saved pipeline on a document and answer every step's result.",
        "Start a saved pipeline on a document; follow it at GET /job/{job_id}.",
    ),
)
