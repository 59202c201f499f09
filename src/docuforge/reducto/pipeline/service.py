"""Saving pipelines, listing them, and submitting their runs."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.principal import Principal
from docuforge.auth.tenancy import scoped
from docuforge.config import Settings
from docuforge.errors import Conflict, ErrorCode, NotFound
from docuforge.extraction.schema import parse_schema
from docuforge.jobs.runners import Runner
from docuforge.models import Job, Pipeline
from docuforge.reducto import submission
from docuforge.reducto.pipeline.schemas import PipelineCreate, PipelineRead, PipelineRequest, PipelineSteps
from docuforge.storage import BlobStore

_STEPS = ("parse", "split", "extract", "edit")


def read(pipeline: Pipeline) -> PipelineRead:
    steps = PipelineSteps.model_validate(pipeline.config)
    names = ["edit"] if steps.edit else [s for s in _STEPS[:3] if s == "parse" or getattr(steps, s)]
    return PipelineRead(
        pipeline_id=str(pipeline.id),
        name=pipeline.name,
        description=pipeline.description,
        steps=names,
        config=pipeline.config,
        created_at=pipeline.created_at,
        updated_at=pipeline.updated_at,
    )


async def create(session: AsyncSession, principal: Principal, body: PipelineCreate) -> Pipeline:
    config = PipelineSteps.model_validate(body.model_dump(exclude={"name", "description"}, by_alias=True))
    if config.extract is not None:
        parse_schema(config.extract.schema_)  # a schema the extractors cannot fill is refused now
    pipeline = Pipeline(
        id=uuid.uuid4(),
        organization_id=principal.organization_id,
        name=body.name,
        description=body.description,
        config=config.model_dump(mode="json", by_alias=True, exclude_none=True),
        created_by=principal.subject,
    )
    session.add(pipeline)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict(f"a pipeline named {body.name!r} exists already", code=ErrorCode.CONFLICT) from None
    return pipeline


async def list_pipelines(session: AsyncSession, principal: Principal) -> list[Pipeline]:
    statement = scoped(select(Pipeline), Pipeline, principal).order_by(Pipeline.created_at.desc())
    return list((await session.execute(statement)).scalars())


async def get(session: AsyncSession, principal: Principal, pipeline_id: str) -> Pipeline:
    """The organization's pipeline; an unknown id is PIPELINE_NOT_FOUND (never another tenant's)."""
    try:
        key = uuid.UUID(pipeline_id)
    except ValueError:
        key = None
    found = await session.get(Pipeline, key) if key else None
    if found is None or found.organization_id != principal.organization_id:
        raise NotFound(f"no pipeline {pipeline_id!r}", code=ErrorCode.PIPELINE_NOT_FOUND)
    return found


async def find(session: AsyncSession, principal: Principal, ident: str) -> Pipeline:
    """The organization's pipeline by id or, failing that, by name."""
    try:
        return await get(session, principal, ident)
    except NotFound:
        named = Pipeline.organization_id == principal.organization_id, Pipeline.name == ident
        row = await session.execute(select(Pipeline).where(*named))
        found = row.scalar_one_or_none()
        if found is None:
            raise NotFound(f"no pipeline {ident!r}", code=ErrorCode.PIPELINE_NOT_FOUND) from None
        return found


async def delete(session: AsyncSession, principal: Principal, pipeline_id: str) -> None:
    await session.delete(await get(session, principal, pipeline_id))


def _is_document(value: object) -> bool:
    if isinstance(value, dict | list):
        return True
    text = str(value).strip()
    return "://" in text or (len(text) < 80 and " " not in text)


async def submit(
    session: AsyncSession,
    runner: Runner,
    storage: BlobStore,
    settings: Settings,
    principal: Principal,
    request: PipelineRequest,
) -> Job:
    pipeline = await get(session, principal, request.pipeline_id)
    steps = PipelineSteps.model_validate(pipeline.config)
    document = request.document
    if steps.edit and steps.edit.document_url is not None and not _is_document(document):
        # An edit pipeline that holds its form: the input is the instructions (Reducto's reading).
        steps.edit.edit_instructions = str(document)
        stored = steps.edit.document_url
        document = stored.model_dump() if hasattr(stored, "model_dump") else stored
    config = {
        **request.stored(),
        "pipeline": steps.model_dump(mode="json", by_alias=True, exclude_none=True),
        "pipeline_name": pipeline.name,
    }
    return await submission.submit(
        session,
        runner,
        storage,
        settings,
        principal,
        type="pipeline",
        document=document,
        config=config,
        async_config=request.async_dict(),
        timeout=steps.parse.settings.timeout,
        allow_jobid=steps.edit is None,
    )
