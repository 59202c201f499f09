"""Question sets, and the jobs that answer them: submit, follow, list, export, clean up."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.principal import Principal
from docuforge.auth.tenancy import get_owned
from docuforge.config import Settings
from docuforge.db import utcnow
from docuforge.errors import InvalidRequest, NotFound
from docuforge.jobs import service as jobs
from docuforge.jobs.runners import Runner
from docuforge.models import Job, QuestionResult, QuestionSet, Workspace, WorkspaceJob
from docuforge.workspaces.schemas import (
    Citation,
    QuestionIn,
    QuestionJobCreate,
    QuestionJobView,
    QuestionResultView,
    QuestionSetCreate,
    QuestionSetView,
)

CSV_COLUMNS = [
    "question_id",
    "question",
    "answer",
    "fragment_confidence",
    "retrieval_confidence",
    "sources",
    "expected_fragments",
    "fragments_found",
    "engine",
    "error",
]


def _numbered(questions: list[QuestionIn], settings: Settings) -> list[dict[str, Any]]:
    if len(questions) > settings.workspaces.max_questions:
        raise InvalidRequest(f"at most {settings.workspaces.max_questions} questions at a time")
    out = []
    seen: set[str] = set()
    for position, question in enumerate(questions, 1):
        ident = question.id or str(position)
        if ident in seen:
            raise InvalidRequest(f"question id {ident!r} is used twice")
        seen.add(ident)
        out.append({**question.model_dump(), "id": ident})
    return out


def set_view(question_set: QuestionSet) -> QuestionSetView:
    return QuestionSetView(
        id=str(question_set.id),
        name=question_set.name,
        questions=[QuestionIn.model_validate(q) for q in question_set.questions],
        created_at=question_set.created_at,
    )


async def create_set(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    workspace: Workspace,
    body: QuestionSetCreate,
) -> QuestionSet:
    question_set = QuestionSet(
        id=uuid.uuid4(),
        organization_id=principal.organization_id,
        workspace_id=workspace.id,
        name=body.name,
        questions=_numbered(body.questions, settings),
    )
    session.add(question_set)
    await session.flush()
    return question_set


async def get_set(
    session: AsyncSession, principal: Principal, workspace: Workspace, set_id: str | uuid.UUID
) -> QuestionSet:
    question_set = await get_owned(session, QuestionSet, set_id, principal)
    if question_set.workspace_id != workspace.id:
        raise NotFound(f"question_set {set_id} not found")
    return question_set


async def list_sets(session: AsyncSession, workspace: Workspace) -> list[QuestionSet]:
    rows = await session.execute(
        select(QuestionSet).where(QuestionSet.workspace_id == workspace.id).order_by(QuestionSet.created_at)
    )
    return list(rows.scalars())


async def submit(
    session: AsyncSession,
    runner: Runner,
    settings: Settings,
    principal: Principal,
    workspace: Workspace,
    body: QuestionJobCreate,
) -> Job:
    """Run a saved set or the questions given, as a job."""
    if (body.question_set_id is None) == (body.questions is None):
        raise InvalidRequest("send either question_set_id or questions")
    question_set = None
    if body.question_set_id is not None:
        question_set = await get_set(session, principal, workspace, body.question_set_id)
        questions = question_set.questions
    else:
        assert body.questions is not None
        if not body.questions:
            raise InvalidRequest("questions is empty")
        questions = _numbered(body.questions, settings)
    config = {
        "workspace_id": str(workspace.id),
        "question_set_id": str(question_set.id) if question_set else None,
        "questions": questions,
        "model": body.model,
        "engine": body.engine,
        "top_k": body.top_k,
    }
    job = await jobs.submit(
        session, runner, settings, principal, type="workspaces.questions", config=config, input={}
    )
    session.add(
        WorkspaceJob(
            job_id=job.id,
            organization_id=principal.organization_id,
            workspace_id=workspace.id,
            kind="questions",
            question_set_id=question_set.id if question_set else None,
        )
    )
    await session.flush()
    return job


async def get_job(session: AsyncSession, principal: Principal, workspace: Workspace, job_id: str) -> Job:
    job = await jobs.get_job(session, principal, job_id)
    link = await session.get(WorkspaceJob, job.id)
    if link is None or link.workspace_id != workspace.id or link.kind != "questions":
        raise NotFound(f"question job {job_id} not found")
    return job


async def results(session: AsyncSession, job: Job) -> list[QuestionResult]:
    rows = await session.execute(
        select(QuestionResult).where(QuestionResult.job_id == job.id).order_by(QuestionResult.position)
    )
    return list(rows.scalars())


def result_view(row: QuestionResult) -> QuestionResultView:
    return QuestionResultView(
        question_id=row.question_id,
        question=row.question,
        answer=row.answer,
        citations=[Citation.model_validate(c) for c in row.citations],
        fragment_confidence=row.fragment_confidence,
        retrieval_confidence=row.retrieval_confidence,
        expected_fragments=row.expected_fragments,
        fragments_found=row.fragments_found,
        engine=row.engine,
        error=row.error,
    )


def estimated_completion(job: Job, now: dt.datetime) -> dt.datetime | None:
    """At the pace so far: started + elapsed / progress."""
    if job.status == "completed":
        return job.finished_at
    if job.status != "running" or job.started_at is None or job.progress <= 0:
        return None
    elapsed = (now - job.started_at).total_seconds()
    return job.started_at + dt.timedelta(seconds=elapsed / job.progress)


def job_view(job: Job, answered: int, rows: list[QuestionResult] | None = None) -> QuestionJobView:
    error = jobs.error_of(job)
    return QuestionJobView(
        job_id=str(job.id),
        status=job.status if job.status != "created" else "pending",  # type: ignore[arg-type]
        progress=round(1.0 if job.status == "completed" else job.progress, 4),
        estimated_completion=estimated_completion(job, utcnow()),
        question_set_id=(job.config or {}).get("question_set_id"),
        total=len((job.config or {}).get("questions") or []),
        answered=answered,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        error=error["message"] if error else None,
        results=[result_view(row) for row in rows] if rows is not None else None,
    )


async def answered_counts(session: AsyncSession, job_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not job_ids:
        return {}
    rows = await session.execute(
        select(QuestionResult.job_id, func.count())
        .where(QuestionResult.job_id.in_(job_ids))
        .group_by(QuestionResult.job_id)
    )
    return {job_id: int(count) for job_id, count in rows}


async def list_jobs(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    workspace: Workspace,
    *,
    limit: int,
    offset: int,
    status: str | None = None,
    question_set_id: str | None = None,
) -> tuple[list[QuestionJobView], int]:
    """The workspace's question jobs, newest first."""
    statement = (
        select(Job)
        .join(WorkspaceJob, WorkspaceJob.job_id == Job.id)
        .where(
            WorkspaceJob.workspace_id == workspace.id,
            WorkspaceJob.kind == "questions",
            Job.deletion.is_(None),
        )
    )
    if status:
        statement = statement.where(
            Job.status.in_(("created", "pending") if status == "pending" else (status,))
        )
    if question_set_id:
        try:
            statement = statement.where(WorkspaceJob.question_set_id == uuid.UUID(question_set_id))
        except ValueError:
            raise InvalidRequest("question_set_id is not a valid id") from None
    total = (await session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
    rows = list(
        (
            await session.execute(
                statement.order_by(Job.created_at.desc(), Job.id.desc()).limit(limit).offset(offset)
            )
        ).scalars()
    )
    counts = await answered_counts(session, [row.id for row in rows])
    return [job_view(row, counts.get(row.id, 0)) for row in rows], int(total)


def _source(citation: dict[str, Any]) -> str:
    where = f"p.{citation.get('page', 1)}"
    if citation.get("row"):
        where += f" row {citation['row']}"
    return f"{citation.get('filename', '')} {where}"


def export_csv(rows: list[QuestionResult]) -> str:
    """One line per question; `sources` names each cited file and page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.question_id,
                row.question,
                row.answer,
                "" if row.fragment_confidence is None else row.fragment_confidence,
                row.retrieval_confidence,
                "; ".join(_source(c) for c in row.citations),
                " | ".join(row.expected_fragments),
                " | ".join(row.fragments_found),
                row.engine,
                row.error or "",
            ]
        )
    return buffer.getvalue()


def export_json(job: Job, rows: list[QuestionResult]) -> str:
    body = {
        "job_id": str(job.id),
        "status": job.status,
        "workspace_id": (job.config or {}).get("workspace_id"),
        "question_set_id": (job.config or {}).get("question_set_id"),
        "results": [result_view(row).model_dump(mode="json") for row in rows],
    }
    return json.dumps(body, ensure_ascii=False, indent=2)
