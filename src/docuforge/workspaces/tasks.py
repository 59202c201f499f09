"""The workspace jobs: indexing documents, and answering a set of questions.

Indexing: each document is fetched into the job's directory, then parsed (or read as records),
cut into passages and embedded in the killable process pool; the runner writes the passages to
the vector engine and the document's status to the database. A document that fails is marked
failed and the others go on. Questions: answered a few at a time, each result written as it
comes, so progress, partial results and a retry after a crash all see the answers so far.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import time
import uuid
from pathlib import Path
from typing import Any

import anyio
import numpy as np
from sqlalchemy import delete, select, update

from docuforge.db import utcnow
from docuforge.errors import DocuforgeError, DocumentError, ErrorCode
from docuforge.files import inputs
from docuforge.index.store import Filters, Passage
from docuforge.jobs import processes
from docuforge.jobs.registry import DeletedJob, JobContext, TaskResult, task
from docuforge.models import QuestionResult, Workspace, WorkspaceDocument, WorkspaceJob
from docuforge.observability import get_logger
from docuforge.workspaces import vectors
from docuforge.workspaces.fragments import fragment_confidence
from docuforge.workspaces.schemas import AskRequest

log = get_logger(__name__)

# ---------------------------------------------------------------- in the worker process


def prepare_in_worker(
    source: str,
    extension: str | None,
    kind: str,
    document_id: str,
    filename: str,
    size: int,
    out: str,
) -> dict[str, Any]:
    """Parse or read the file, cut it into passages and embed them; written to `out`."""
    from docuforge.index import records
    from docuforge.index.passages import passages
    from docuforge.index.retrieval import default_embedder

    pages = 1
    if kind in ("json", "csv"):
        data = Path(source).read_bytes()
        try:
            rows = records.json_records(data) if kind == "json" else records.csv_records(data)
        except records.RecordsError as error:
            raise DocumentError(f"{filename}: {error}", code=ErrorCode.DOCUMENT_CORRUPT) from None
        found = records.record_passages(rows, document_id, filename, kind)
    else:
        from docuforge.parsing.pipeline import parse

        document = parse(
            Path(source),
            extension=extension,
            on_page=lambda done, total: processes.report(("progress", 0.8 * done / max(1, total))),
        )
        pages = len(document.pages)
        found = passages(document, document_id, filename, kind, size=size)
    embedder = default_embedder()
    vectors_out = np.zeros((len(found), 384), dtype=np.float32)
    batch = 64
    for start in range(0, len(found), batch):
        vectors_out[start : start + batch] = embedder([p.text for p in found[start : start + batch]])
    np.save(Path(out) / "embeddings.npy", vectors_out)
    (Path(out) / "passages.json").write_text(json.dumps([p.model_dump(mode="json") for p in found]))
    return {"pages": pages, "passages": len(found)}


# ---------------------------------------------------------------- in the runner


async def _set(ctx: JobContext, document_id: uuid.UUID, **values: Any) -> None:
    async with ctx.database.session() as session:
        await session.execute(
            update(WorkspaceDocument).where(WorkspaceDocument.id == document_id).values(**values)
        )


async def _duplicate_of(ctx: JobContext, document: WorkspaceDocument, content_hash: str) -> uuid.UUID | None:
    async with ctx.database.session() as session:
        return (
            await session.execute(
                select(WorkspaceDocument.id).where(
                    WorkspaceDocument.workspace_id == document.workspace_id,
                    WorkspaceDocument.content_hash == content_hash,
                    WorkspaceDocument.id != document.id,
                )
            )
        ).scalar_one_or_none()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


async def _index_one(
    ctx: JobContext, document: WorkspaceDocument, share: tuple[float, float]
) -> dict[str, Any]:
    folder = ctx.workdir / document.id.hex
    folder.mkdir()
    if document.file_id is not None:
        fetch_input = {"file_id": str(document.file_id), "extension": document.extension}
    else:
        fetch_input = {"url": document.url, "extension": document.extension}
    source, extension = await inputs.fetch(dataclasses.replace(ctx, input=fetch_input, workdir=folder))
    if document.content_hash is None:
        content_hash = await anyio.to_thread.run_sync(_sha256, source)
        earlier = await _duplicate_of(ctx, document, content_hash)
        if earlier is not None:
            async with ctx.database.session() as session:
                gone = await session.get(WorkspaceDocument, document.id)
                if gone is not None:
                    await session.delete(gone)
            return {"id": str(document.id), "status": "duplicate", "duplicate_of": str(earlier)}
        from docuforge.workspaces.documents import document_type

        kind = document_type(extension) if document.extension is None else document.type
        await _set(
            ctx,
            document.id,
            content_hash=content_hash,
            size=source.stat().st_size,
            type=kind,
            extension=extension,
        )
        document.type = kind
    low, high = share

    def on_message(message: tuple[str, float]) -> None:
        if message[0] == "progress":
            ctx.progress(low + (high - low) * message[1])

    result = await ctx.run_cpu(
        prepare_in_worker,
        str(source),
        extension,
        document.type,
        str(document.id),
        document.filename,
        ctx.settings.workspaces.passage_size,
        str(folder),
        on_message=on_message,
    )
    found = [Passage.model_validate(p) for p in json.loads((folder / "passages.json").read_text())]
    embeddings = np.load(folder / "embeddings.npy")
    retriever = vectors.retriever(ctx.settings)
    collection = vectors.collection(document.workspace_id)
    only = Filters(document_ids=[str(document.id)])
    # A retried job may have written some of them already: replace, never duplicate.
    await anyio.to_thread.run_sync(retriever.remove, collection, only)
    await anyio.to_thread.run_sync(retriever.add, collection, found, embeddings)
    async with ctx.database.session() as session:
        still = await session.get(WorkspaceDocument, document.id)
        if still is None:  # removed while it was being indexed
            await anyio.to_thread.run_sync(retriever.remove, collection, only)
            return {"id": str(document.id), "status": "removed"}
        still.status, still.error = "ready", None
        still.pages, still.passages = result["pages"], result["passages"]
    return {"id": str(document.id), "status": "ready", "passages": result["passages"]}


async def forget_job(job: DeletedJob) -> None:
    """A deleted or expired workspace job takes its answers and its link to the workspace along."""
    await job.session.execute(delete(QuestionResult).where(QuestionResult.job_id == job.job_id))
    await job.session.execute(delete(WorkspaceJob).where(WorkspaceJob.job_id == job.job_id))


@task("workspaces.index", reducto_type="WorkspaceIndex", on_delete=forget_job)
async def index_job(ctx: JobContext) -> TaskResult:
    ids = [uuid.UUID(ident) for ident in ctx.config["document_ids"]]
    outcomes: list[dict[str, Any]] = []
    pages = 0
    for position, document_id in enumerate(ids):
        async with ctx.database.session() as session:
            document = await session.get(WorkspaceDocument, document_id)
            if document is None or document.status == "ready":
                continue
            document.status = "indexing"
        try:
            outcome = await _index_one(ctx, document, (position / len(ids), (position + 1) / len(ids)))
        except asyncio.CancelledError:
            with anyio.CancelScope(shield=True):
                await _stop_pending(ctx, ids[position:], "the indexing job was cancelled or stopped")
            raise
        except DocuforgeError as error:
            await _set(ctx, document_id, status="failed", error=error.message)
            outcome = {"id": str(document_id), "status": "failed", "error": error.message}
        except Exception as error:
            log.exception("indexing a workspace document failed", document_id=str(document_id))
            await _set(ctx, document_id, status="failed", error=f"indexing failed: {type(error).__name__}")
            outcome = {"id": str(document_id), "status": "failed", "error": "indexing failed"}
        outcomes.append(outcome)
        ctx.progress((position + 1) / len(ids))
    async with ctx.database.session() as session:
        rows = await session.execute(select(WorkspaceDocument.pages).where(WorkspaceDocument.id.in_(ids)))
        pages = sum(value or 0 for value in rows.scalars())
    return TaskResult(
        response={"response_type": "workspaces.index", "workspace_id": ctx.config["workspace_id"]},
        payload={"documents": outcomes},
        num_pages=pages,
    )


async def _stop_pending(ctx: JobContext, ids: list[uuid.UUID], reason: str) -> None:
    try:
        async with ctx.database.session() as session:
            await session.execute(
                update(WorkspaceDocument)
                .where(WorkspaceDocument.id.in_(ids), WorkspaceDocument.status.in_(("pending", "indexing")))
                .values(status="failed", error=reason)
            )
    except Exception:
        log.warning("could not mark the documents of a stopped indexing job", exc_info=True)


@task("workspaces.questions", reducto_type="WorkspaceQuestions", on_delete=forget_job)
async def questions_job(ctx: JobContext) -> TaskResult:
    from docuforge.workspaces import service

    config = ctx.config
    questions: list[dict[str, Any]] = config["questions"]
    async with ctx.database.session() as session:
        workspace = await session.get(Workspace, uuid.UUID(config["workspace_id"]))
        if workspace is None:
            raise DocuforgeError("the workspace was deleted", code=ErrorCode.NOT_FOUND, status_code=404)
        done_rows = await session.execute(
            select(QuestionResult.position).where(QuestionResult.job_id == ctx.job_id)
        )
        done = set(done_rows.scalars())
    limit = asyncio.Semaphore(ctx.settings.workspaces.question_concurrency)
    finished = len(done)
    ctx.progress(finished / len(questions))

    async def one(position: int, item: dict[str, Any]) -> None:
        nonlocal finished
        async with limit:
            started = time.monotonic()
            request = AskRequest(
                question=item["question"],
                model=config.get("model"),
                top_k=config.get("top_k"),
                document_type=item.get("document_type"),
                engine=config.get("engine"),
            )
            row = QuestionResult(
                job_id=ctx.job_id,
                position=position,
                question_id=str(item.get("id") or position + 1),
                question=item["question"],
                expected_fragments=list(item.get("expected_fragments") or []),
            )
            try:
                answered = await service.ask(ctx.settings, workspace, request)
            except DocuforgeError as error:
                row.error, row.answer, row.citations, row.retrieval_confidence = error.message, "", [], 0.0
                row.engine = request.engine or "offline"
            else:
                row.answer = answered.answer
                row.citations = [c.model_dump(mode="json") for c in answered.citations]
                row.retrieval_confidence = answered.confidence
                row.engine = answered.engine
            row.fragment_confidence, row.fragments_found = fragment_confidence(
                row.expected_fragments, row.answer, [c["text"] for c in row.citations]
            )
            row.seconds = round(time.monotonic() - started, 4)
            row.created_at = utcnow()
            async with ctx.database.session() as session:
                session.add(row)
            finished += 1
            ctx.progress(finished / len(questions))

    await asyncio.gather(*(one(i, q) for i, q in enumerate(questions) if i not in done))
    async with ctx.database.session() as session:
        scores = list(
            (
                await session.execute(
                    select(QuestionResult.fragment_confidence).where(QuestionResult.job_id == ctx.job_id)
                )
            ).scalars()
        )
    scored = [s for s in scores if s is not None]
    return TaskResult(
        response={
            "response_type": "workspaces.questions",
            "workspace_id": config["workspace_id"],
            "questions": len(questions),
            "mean_fragment_confidence": round(sum(scored) / len(scored), 4) if scored else None,
        }
    )
