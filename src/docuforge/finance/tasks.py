"""The "statements" job (detect, read and validate a document's statements) and the "consolidate" job.

Parsing and reading run in the killable worker pool; rows are written by the task in its own session,
and a retried job replaces what its earlier attempt stored.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy import delete, select

from docuforge.errors import DocumentError, ErrorCode
from docuforge.files import inputs
from docuforge.finance import notify
from docuforge.finance.schemas import Notify
from docuforge.jobs.registry import JobContext, TaskResult, task
from docuforge.models import Consolidation, FinancialStatement, Job
from docuforge.reducto.parse.tasks import _upload_file, document_key, parse_in_worker
from docuforge.storage import read_bytes

# ---------------------------------------------------------------- in the worker process


def read_in_worker(document_path: str) -> list[dict[str, Any]]:
    """Detect, read and validate every statement of a stored Document."""
    from docuforge.document.model import Document
    from docuforge.finance import read_statements

    document = Document.model_validate_json(Path(document_path).read_text())
    return [s.model_dump(mode="json") for s in read_statements(document)]


def consolidate_in_worker(statements: list[dict[str, Any]], options: dict[str, Any]) -> dict[str, Any]:
    from docuforge.finance.consolidate import ConsolidationOptions, consolidate
    from docuforge.finance.model import Statement

    result = consolidate(
        [Statement.model_validate(s) for s in statements], ConsolidationOptions.model_validate(options)
    )
    return result.model_dump(mode="json")


def workbook_in_worker(result: dict[str, Any], out: str) -> None:
    from docuforge.finance.consolidate import Consolidation as Result
    from docuforge.finance.excel import to_xlsx

    Path(out).write_bytes(to_xlsx(Result.model_validate(result)))


# ---------------------------------------------------------------- in the runner


async def _document(ctx: JobContext) -> tuple[Path, int]:
    """The input's Document on disk (parsed now, or an earlier parse job's), and its page count."""
    path = ctx.workdir / "document.json"
    if "job_id" in ctx.input:
        earlier_id = uuid.UUID(ctx.input["job_id"])
        assert ctx.database is not None
        async with ctx.database.session() as session:
            earlier = await session.get(Job, earlier_id)
        if earlier is None or earlier.organization_id != ctx.organization_id or earlier.type != "parse":
            raise DocumentError(
                "the jobid:// input is not a parse job of this organization", code=ErrorCode.NOT_FOUND
            )
        await anyio.Path(path).write_bytes(
            await read_bytes(ctx.storage, document_key(ctx.organization_id, earlier_id))
        )
        return path, earlier.num_pages or 0
    from docuforge.finance import parse_options

    source, extension = await inputs.fetch(ctx)

    def on_message(message: tuple[str, float]) -> None:
        if message[0] == "progress":
            ctx.progress(0.8 * message[1])

    parsed = await ctx.run_cpu(
        parse_in_worker,
        str(source),
        extension,
        parse_options().model_copy(update={"ocr": ctx.settings.ocr.options()}).model_dump_json(),
        str(ctx.workdir),
        on_message=on_message,
    )
    # Kept like a parse's: GET /job/{id}/pages draws the pages a statement's values are boxes on.
    await _upload_file(ctx, document_key(ctx.organization_id, ctx.job_id), path)
    return path, parsed["pages"]


async def _email(ctx: JobContext, subject: str, text: str, workbook: Path | None, link: str | None) -> None:
    wanted = ctx.config.get("notify")
    if not wanted:
        return
    settings = ctx.settings.smtp
    options = Notify.model_validate(wanted)
    attachments = []
    data = await anyio.Path(workbook).read_bytes() if workbook is not None else None
    if data is not None and options.attach and len(data) <= settings.max_attachment_bytes:
        attachments.append((workbook.name, data, notify.XLSX))
    elif link:
        text += f"\nThe workbook: {link}\n"
    await notify.send(settings, notify.build_message(settings, options.email, subject, text, attachments))


@task("statements", reducto_type="Statements")
async def statements_job(ctx: JobContext) -> TaskResult:
    document_path, pages = await _document(ctx)
    found = await ctx.run_cpu(read_in_worker, str(document_path))
    ctx.progress(0.9)
    company = ctx.config.get("company")
    file_id = uuid.UUID(ctx.input["file_id"]) if "file_id" in ctx.input else None
    from docuforge.finance.model import Statement
    from docuforge.finance.service import new_row, to_out

    statements = [Statement.model_validate(s) for s in found]
    out = []
    assert ctx.database is not None
    async with ctx.database.session() as session:
        await session.execute(delete(FinancialStatement).where(FinancialStatement.job_id == ctx.job_id))
        for statement in statements:
            if company:
                statement.company = company
            row = new_row(
                statement, ctx.organization_id, job_id=ctx.job_id, file_id=file_id, created_by="job"
            )
            session.add(row)
            await session.flush()
            await session.refresh(row)
            out.append(to_out(row).model_dump(mode="json"))
    workbook = None
    if statements and ctx.config.get("notify"):
        consolidated = await ctx.run_cpu(consolidate_in_worker, found, {"embeddings": False})
        workbook = ctx.workdir / "statements.xlsx"
        await ctx.run_cpu(workbook_in_worker, consolidated, str(workbook))
    summary = (
        "\n".join(
            f"- {s['statement_type']}: {len(s['lines'])} lines, periods {', '.join(s['periods'])}, "
            f"{sum(c['ok'] for c in s['checks'])}/{len(s['checks'])} checks pass"
            for s in out
        )
        or "No financial statement was found."
    )
    await _email(
        ctx,
        f"Docuforge: {len(out)} financial statement(s) read",
        f"Job {ctx.job_id} finished.\n\n{summary}\n",
        workbook,
        None,
    )
    response = {
        "response_type": "statements",
        "statement_ids": [s["id"] for s in out],
        "usage": {"num_pages": pages, "credits": float(pages)},
    }
    kept = [] if "job_id" in ctx.input else [document_key(ctx.organization_id, ctx.job_id)]
    return TaskResult(response=response, payload={"statements": out}, num_pages=pages, artifacts=kept)


@task("consolidate", reducto_type="Consolidate")
async def consolidate_job(ctx: JobContext) -> TaskResult:
    consolidation_id = uuid.UUID(ctx.input["consolidation_id"])
    assert ctx.database is not None
    async with ctx.database.session() as session:
        row = await session.get(Consolidation, consolidation_id)
        if row is None or row.organization_id != ctx.organization_id:
            raise DocumentError("the consolidation is gone", code=ErrorCode.NOT_FOUND)
        ids = [uuid.UUID(i) for i in row.statement_ids]
        rows = (
            await session.scalars(
                select(FinancialStatement).where(
                    FinancialStatement.id.in_(ids), FinancialStatement.organization_id == ctx.organization_id
                )
            )
        ).all()
        from docuforge.finance.service import to_statement

        bodies = [to_statement(r).model_dump(mode="json") for r in rows]
    if len(bodies) != len(ids):
        raise DocumentError("a statement of this consolidation was deleted", code=ErrorCode.NOT_FOUND)
    ctx.progress(0.1)
    result = await ctx.run_cpu(consolidate_in_worker, bodies, ctx.config.get("options") or {})
    ctx.progress(0.8)
    async with ctx.database.session() as session:
        row = await session.get(Consolidation, consolidation_id)
        assert row is not None
        row.result = result
        row.status = "completed"
    workbook = None
    if ctx.config.get("notify"):
        workbook = ctx.workdir / f"consolidation-{consolidation_id}.xlsx"
        await ctx.run_cpu(workbook_in_worker, result, str(workbook))
    link = f"{ctx.settings.server.base_url}/consolidations/{consolidation_id}/export?format=xlsx"
    lines = sum(len(s["lines"]) for s in result["statements"])
    await _email(
        ctx,
        f"Docuforge: consolidation of {result.get('company') or 'statements'} ready",
        f"Consolidation {consolidation_id} finished: {len(result['statements'])} statement type(s), "
        f"{lines} lines.\n",
        workbook,
        link,
    )
    response = {"response_type": "consolidation", "consolidation_id": str(consolidation_id)}
    return TaskResult(response=response, payload=json.loads(json.dumps(result)))
