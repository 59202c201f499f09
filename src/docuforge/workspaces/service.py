"""Workspaces: create, list, read, update, delete; ask and search them."""

from __future__ import annotations

import uuid
from typing import Any

import anyio
from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.principal import Principal
from docuforge.auth.tenancy import get_owned, scoped
from docuforge.config import Settings
from docuforge.db import on_commit
from docuforge.errors import Conflict, DocuforgeError, ErrorCode, JobStateError, NotFound
from docuforge.index.store import Filters, Hit
from docuforge.jobs import service as jobs
from docuforge.models import Job, Workspace, WorkspaceDocument, WorkspaceJob
from docuforge.observability import get_logger
from docuforge.workspaces import vectors
from docuforge.workspaces.answer import answer as extractive_answer
from docuforge.workspaces.schemas import (
    AskRequest,
    AskResponse,
    Box,
    Citation,
    DocumentCounts,
    RetrievalSettings,
    SearchHit,
    SearchRequest,
    WorkspaceCreate,
    WorkspaceUpdate,
    WorkspaceView,
)

log = get_logger(__name__)
ACTIVE_JOB = ("created", "pending", "running")


async def create(session: AsyncSession, principal: Principal, body: WorkspaceCreate) -> Workspace:
    workspace = Workspace(
        id=uuid.uuid4(),
        organization_id=principal.organization_id,
        name=body.name,
        description=body.description,
        prompt=body.prompt,
        model=body.model,
        retrieval=body.retrieval.model_dump(exclude_none=True) if body.retrieval else {},
        created_by=principal.subject,
    )
    session.add(workspace)
    await session.flush()
    return workspace


async def get(session: AsyncSession, principal: Principal, workspace_id: str | uuid.UUID) -> Workspace:
    return await get_owned(session, Workspace, workspace_id, principal)


async def find(session: AsyncSession, principal: Principal, ident: str) -> Workspace:
    """The organization's workspace by id, or by its name when that names exactly one."""
    try:
        return await get(session, principal, str(uuid.UUID(ident)))
    except ValueError:
        pass
    named = Workspace.organization_id == principal.organization_id, Workspace.name == ident
    found = list((await session.execute(select(Workspace).where(*named))).scalars())
    if len(found) != 1:
        raise NotFound(f"no single workspace named {ident!r}; give its id (docuforge workspaces list)")
    return found[0]


def _counts() -> Any:
    status = WorkspaceDocument.status
    return (
        select(
            WorkspaceDocument.workspace_id.label("workspace_id"),
            func.count(WorkspaceDocument.id).label("total"),
            func.sum(case((status == "pending", 1), else_=0)).label("pending"),
            func.sum(case((status == "indexing", 1), else_=0)).label("indexing"),
            func.sum(case((status == "ready", 1), else_=0)).label("ready"),
            func.sum(case((status == "failed", 1), else_=0)).label("failed"),
        )
        .group_by(WorkspaceDocument.workspace_id)
        .subquery()
    )


def _status_filter(statement: Select[Any], counts: Any, status: str) -> Select[Any]:
    total = func.coalesce(counts.c.total, 0)
    active = func.coalesce(counts.c.pending, 0) + func.coalesce(counts.c.indexing, 0)
    ready = func.coalesce(counts.c.ready, 0)
    if status == "empty":
        return statement.where(total == 0)
    if status == "indexing":
        return statement.where(active > 0)
    if status == "ready":
        return statement.where(active == 0, ready > 0)
    return statement.where(total > 0, active == 0, ready == 0)


def view(workspace: Workspace, counts: DocumentCounts) -> WorkspaceView:
    total = counts.pending + counts.indexing + counts.ready + counts.failed
    if total == 0:
        status = "empty"
    elif counts.pending + counts.indexing:
        status = "indexing"
    elif counts.ready:
        status = "ready"
    else:
        status = "failed"
    return WorkspaceView(
        id=str(workspace.id),
        name=workspace.name,
        description=workspace.description,
        prompt=workspace.prompt,
        model=workspace.model,
        retrieval=RetrievalSettings.model_validate(workspace.retrieval or {}),
        status=status,  # type: ignore[arg-type]
        document_count=total,
        documents=counts,
        created_at=workspace.created_at,
        updated_at=workspace.updated_at,
    )


async def counts_of(session: AsyncSession, workspace_ids: list[uuid.UUID]) -> dict[uuid.UUID, DocumentCounts]:
    if not workspace_ids:
        return {}
    rows = await session.execute(
        select(WorkspaceDocument.workspace_id, WorkspaceDocument.status, func.count())
        .where(WorkspaceDocument.workspace_id.in_(workspace_ids))
        .group_by(WorkspaceDocument.workspace_id, WorkspaceDocument.status)
    )
    found: dict[uuid.UUID, DocumentCounts] = {ident: DocumentCounts() for ident in workspace_ids}
    for workspace_id, status, count in rows:
        if status in DocumentCounts.model_fields:
            setattr(found[workspace_id], status, int(count))
    return found


async def read(session: AsyncSession, workspace: Workspace) -> WorkspaceView:
    return view(workspace, (await counts_of(session, [workspace.id]))[workspace.id])


async def list_workspaces(
    session: AsyncSession,
    principal: Principal,
    *,
    limit: int,
    offset: int,
    name: str | None = None,
    status: str | None = None,
) -> tuple[list[WorkspaceView], int]:
    """Newest first, filtered by a part of the name and by status."""
    counts = _counts()
    statement = scoped(select(Workspace), Workspace, principal).outerjoin(
        counts, counts.c.workspace_id == Workspace.id
    )
    if name:
        statement = statement.where(func.lower(Workspace.name).contains(name.lower(), autoescape=True))
    if status:
        statement = _status_filter(statement, counts, status)
    total = (await session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
    rows = list(
        (
            await session.execute(
                statement.order_by(Workspace.created_at.desc(), Workspace.id.desc())
                .limit(limit)
                .offset(offset)
            )
        ).scalars()
    )
    found = await counts_of(session, [row.id for row in rows])
    return [view(row, found[row.id]) for row in rows], int(total)


async def update(session: AsyncSession, workspace: Workspace, body: WorkspaceUpdate) -> Workspace:
    changes = body.model_dump(exclude_unset=True)
    if "name" in changes and changes["name"] is None:
        changes.pop("name")
    if "retrieval" in changes:
        merged = {
            **(workspace.retrieval or {}),
            **(body.retrieval.model_dump(exclude_none=True) if body.retrieval else {}),
        }
        workspace.retrieval = merged if body.retrieval is not None else {}
        changes.pop("retrieval")
    for field, value in changes.items():
        setattr(workspace, field, value)
    await session.flush()
    return workspace


async def active_jobs(session: AsyncSession, workspace: Workspace) -> list[Job]:
    rows = await session.execute(
        select(Job)
        .join(WorkspaceJob, WorkspaceJob.job_id == Job.id)
        .where(WorkspaceJob.workspace_id == workspace.id, Job.status.in_(ACTIVE_JOB))
    )
    return list(rows.scalars())


async def delete(
    session: AsyncSession, settings: Settings, principal: Principal, workspace: Workspace, force: bool
) -> int:
    """Delete the workspace, its documents and its index; refused while jobs run unless forced."""
    running = await active_jobs(session, workspace)
    if running and not force:
        raise Conflict(
            f"{len(running)} job(s) of this workspace are still running; retry when they end, "
            "or delete with ?force=true to cancel them"
        )
    for job in running:
        try:
            await jobs.cancel(session, principal, str(job.id))
        except JobStateError:
            pass  # it ended meanwhile
    collection = vectors.collection(workspace.id)
    await session.delete(workspace)
    await session.flush()

    async def drop_index() -> None:
        try:
            await anyio.to_thread.run_sync(vectors.retriever(settings).drop, collection)
        except Exception:
            log.warning("could not drop a deleted workspace's index", collection=collection, exc_info=True)

    on_commit(session, drop_index)
    return len(running)


def citation(hit: Hit) -> Citation:
    return Citation(
        document_id=hit.document_id,
        filename=hit.filename,
        page=hit.page,
        bbox=Box(**hit.bbox.model_dump()) if hit.bbox else None,
        text=hit.text,
        row=hit.row,
        score=hit.score,
    )


async def search(settings: Settings, workspace: Workspace, body: SearchRequest) -> list[SearchHit]:
    options = vectors.retrieval_options(workspace.retrieval, settings, body.top_k)
    filters = Filters.model_validate(body.filters.model_dump() if body.filters else {})
    hits = await anyio.to_thread.run_sync(
        vectors.retriever(settings).search, vectors.collection(workspace.id), body.query, options, filters
    )
    return [SearchHit(**citation(hit).model_dump(), document_type=hit.document_type) for hit in hits]


async def ask(settings: Settings, workspace: Workspace, body: AskRequest) -> AskResponse:
    """Retrieve the passages, then answer from them with the engine the request or workspace names."""
    options = vectors.retrieval_options(workspace.retrieval, settings, body.top_k)
    filters = Filters(document_types=[body.document_type] if body.document_type else None)
    hits = await anyio.to_thread.run_sync(
        vectors.retriever(settings).search, vectors.collection(workspace.id), body.question, options, filters
    )
    engine = body.engine or ("llm" if body.model else "offline")
    if engine == "llm":
        return await _ask_llm(settings, workspace, body, hits)
    found = extractive_answer(body.question, hits)
    return AskResponse(
        answer=found.answer,
        citations=[citation(hit) for hit in found.cited],
        confidence=found.confidence,
        engine="offline",
        value=found.value,
        kind=found.kind,
    )


async def _ask_llm(
    settings: Settings, workspace: Workspace, body: AskRequest, hits: list[Hit]
) -> AskResponse:
    """The model's cited answer, verified against the passages; the offline answer when it is not."""
    from docuforge.workspaces.llm_answer import answer_with_llm

    options = settings.llm.options()
    if options is None:
        raise DocuforgeError(
            "no LLM is configured (DOCUFORGE_LLM__PROVIDER); ask with the offline engine",
            code=ErrorCode.INVALID_CONFIG,
            status_code=400,
        )
    model = body.model or workspace.model or options.model
    options = options.model_copy(update={"model": model})
    found = await anyio.to_thread.run_sync(
        answer_with_llm, body.question, hits, options, workspace.prompt, settings.llm.max_tokens
    )
    if found is None:
        fallback = extractive_answer(body.question, hits)
        return AskResponse(
            answer=fallback.answer,
            citations=[citation(hit) for hit in fallback.cited],
            confidence=fallback.confidence,
            engine=f"offline (llm:{model} answer not supported by the passages)",
            value=fallback.value,
            kind=fallback.kind,
        )
    return AskResponse(
        answer=found.answer,
        citations=[citation(hit) for hit in found.cited],
        confidence=found.confidence,
        engine=f"llm:{model}",
    )
