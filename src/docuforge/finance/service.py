"""Stored statements and consolidations: CRUD scoped to the organization, jobs submitted, exports."""

from __future__ import annotations

import uuid
from typing import Any

import anyio
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.principal import Principal
from docuforge.auth.tenancy import get_owned, scoped
from docuforge.config import Settings
from docuforge.errors import InvalidRequest
from docuforge.files import inputs
from docuforge.finance.consolidate import Consolidation as ConsolidationResult
from docuforge.finance.excel import to_xlsx
from docuforge.finance.export import consolidation_csv, statements_csv
from docuforge.finance.model import Statement, StatementType
from docuforge.finance.periods import parse_period
from docuforge.finance.schemas import (
    ConsolidationOut,
    ConsolidationRequest,
    ExportFormat,
    ReadRequest,
    StatementIn,
    StatementOut,
    StatementPatch,
)
from docuforge.finance.validate import recheck
from docuforge.jobs import service as jobs
from docuforge.jobs.runners import Runner
from docuforge.models import Consolidation, FinancialStatement, Job
from docuforge.storage import BlobStore
from docuforge.webhooks import service as webhooks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def newest_period(statement: Statement) -> str | None:
    details = statement.period_details or [parse_period(p) for p in statement.periods]
    if not details:
        return None
    return max(details, key=lambda d: (d.end_date or f"{d.year or 0:04d}", d.quarter or 0)).key


def new_row(
    statement: Statement,
    organization_id: uuid.UUID,
    *,
    job_id: uuid.UUID | None = None,
    file_id: uuid.UUID | None = None,
    created_by: str | None = None,
) -> FinancialStatement:
    return FinancialStatement(
        id=uuid.uuid4(),
        organization_id=organization_id,
        statement_type=statement.statement_type.value,
        company=statement.company,
        period=newest_period(statement),
        periods=list(statement.periods),
        currency=statement.currency,
        scale=statement.scale,
        title=statement.title,
        confidence=statement.confidence,
        body=statement.model_dump(mode="json"),
        job_id=job_id,
        file_id=file_id,
        created_by=created_by,
    )


def to_statement(row: FinancialStatement) -> Statement:
    """The library's Statement for a row (the row's own columns win over its stored body)."""
    statement = Statement.model_validate(row.body)
    statement.company, statement.currency, statement.scale = row.company, row.currency, row.scale
    statement.statement_type = StatementType(row.statement_type)
    return statement


def to_out(row: FinancialStatement) -> StatementOut:
    statement = to_statement(row)
    return StatementOut(
        id=row.id,
        statement_type=statement.statement_type,
        company=row.company,
        currency=row.currency,
        scale=row.scale,
        period=row.period,
        periods=statement.periods,
        lines=statement.lines,
        checks=statement.checks,
        title=row.title,
        confidence=row.confidence,
        pages=statement.pages,
        job_id=row.job_id,
        created_at=row.created_at,
    )


async def list_statements(
    session: AsyncSession,
    principal: Principal,
    *,
    company: str | None,
    statement_type: StatementType | None,
    period: str | None,
    limit: int,
    offset: int,
) -> tuple[list[FinancialStatement], int]:
    query = scoped(select(FinancialStatement), FinancialStatement, principal)
    if company:
        query = query.where(func.lower(FinancialStatement.company) == company.lower())
    if statement_type:
        query = query.where(FinancialStatement.statement_type == statement_type.value)
    if period:
        query = query.where(FinancialStatement.period == parse_period(period).key)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(FinancialStatement.created_at.desc(), FinancialStatement.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), int(total or 0)


async def get_statement(
    session: AsyncSession, principal: Principal, ident: uuid.UUID | str
) -> FinancialStatement:
    return await get_owned(session, FinancialStatement, ident, principal)


async def create_statement(
    session: AsyncSession, principal: Principal, body: StatementIn
) -> FinancialStatement:
    statement = Statement(
        **body.model_dump(exclude={"checks"}),
        period_details=[parse_period(p) for p in body.periods],
        confidence=1.0,
    )
    statement.checks = recheck(statement.lines, statement.periods, statement.statement_type)
    row = new_row(statement, principal.organization_id, created_by=principal.subject)
    session.add(row)
    await session.flush()
    return row


async def update_statement(
    session: AsyncSession, principal: Principal, ident: uuid.UUID, patch: StatementPatch
) -> FinancialStatement:
    row = await get_statement(session, principal, ident)
    statement = to_statement(row)
    changes = patch.model_dump(exclude_unset=True)
    for name in ("company", "currency", "scale", "statement_type"):
        if name in changes:
            setattr(statement, name, getattr(patch, name))
    if patch.lines is not None:
        statement.lines = patch.lines
    statement.checks = recheck(statement.lines, statement.periods, statement.statement_type)
    row.company, row.currency, row.scale = statement.company, statement.currency, statement.scale
    row.statement_type = statement.statement_type.value
    row.body = statement.model_dump(mode="json")
    await session.flush()
    return row


async def delete_statement(session: AsyncSession, principal: Principal, ident: uuid.UUID) -> None:
    row = await get_statement(session, principal, ident)
    await session.delete(row)
    await session.flush()


async def submit_read(
    session: AsyncSession,
    runner: Runner,
    storage: BlobStore,
    settings: Settings,
    principal: Principal,
    request: ReadRequest,
) -> Job:
    resolved = await inputs.resolve(session, storage, settings, principal, request.input)
    if "job_id" in resolved and resolved.get("job_type") != "parse":
        raise InvalidRequest("jobid:// must name a parse job")
    if request.notify is not None:
        _require_smtp(settings)
    hook = await webhooks.spec_from_request(
        request.async_.model_dump() if request.async_ else None, None, settings
    )
    config = request.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"input"})
    file_id = uuid.UUID(resolved["file_id"]) if "file_id" in resolved else None
    return await jobs.submit(
        session,
        runner,
        settings,
        principal,
        type="statements",
        config=config,
        input=resolved,
        webhook=hook,
        file_id=file_id,
    )


def _require_smtp(settings: Settings) -> None:
    if not settings.smtp.host:
        raise InvalidRequest("email notification asked for, but this server has no SMTP server configured")


async def create_consolidation(
    session: AsyncSession,
    runner: Runner,
    settings: Settings,
    principal: Principal,
    request: ConsolidationRequest,
) -> Consolidation:
    rows = [await get_statement(session, principal, ident) for ident in request.statement_ids]
    companies = {(r.company or "").strip().lower() for r in rows if r.company}
    if len(companies) > 1:
        raise InvalidRequest(
            f"a consolidation takes one company's statements; these are of {sorted(companies)}"
        )
    currencies = {r.currency for r in rows if r.currency}
    if len(currencies) > 1:
        raise InvalidRequest(
            f"these statements are in different currencies ({', '.join(sorted(currencies))})"
        )
    if request.notify is not None:
        _require_smtp(settings)
    consolidation = Consolidation(
        id=uuid.uuid4(),
        organization_id=principal.organization_id,
        name=request.name,
        company=next((r.company for r in rows if r.company), None),
        statement_ids=[str(r.id) for r in rows],
        status="pending",
        created_by=principal.subject,
    )
    session.add(consolidation)
    await session.flush()
    if request.async_ is None and request.notify is None:
        # small and quick: computed in the request (a thread: numpy frees the GIL), no job needed
        from docuforge.finance.tasks import consolidate_in_worker

        bodies = [to_statement(r).model_dump(mode="json") for r in rows]
        consolidation.result = await anyio.to_thread.run_sync(
            consolidate_in_worker, bodies, request.options.model_dump()
        )
        consolidation.status = "completed"
        await session.flush()
        return consolidation
    hook = await webhooks.spec_from_request(
        request.async_.model_dump() if request.async_ else None, None, settings
    )
    config = request.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"statement_ids"})
    job = await jobs.submit(
        session,
        runner,
        settings,
        principal,
        type="consolidate",
        config=config,
        input={"consolidation_id": str(consolidation.id)},
        webhook=hook,
    )
    consolidation.job_id = job.id
    await session.flush()
    return consolidation


async def get_consolidation(
    session: AsyncSession, principal: Principal, ident: uuid.UUID
) -> ConsolidationOut:
    row = await get_owned(session, Consolidation, ident, principal)
    status, error = row.status, None
    if row.status == "pending" and row.job_id is not None:
        job = await session.get(Job, row.job_id)
        if job is not None and job.status in ("failed", "cancelled"):
            status, error = "failed", job.error_message or job.status
    return ConsolidationOut(
        id=row.id,
        name=row.name,
        company=row.company,
        status=status,
        statement_ids=[uuid.UUID(i) for i in row.statement_ids],
        job_id=row.job_id,
        error=error,
        result=ConsolidationResult.model_validate(row.result) if row.result else None,
        created_at=row.created_at,
    )


def export_consolidation(result: ConsolidationResult, fmt: ExportFormat) -> tuple[bytes, str, str]:
    """The bytes, media type and file extension of a consolidation in the format asked."""
    if fmt == "xlsx":
        return to_xlsx(result), XLSX, "xlsx"
    if fmt == "csv":
        return consolidation_csv(result).encode(), "text/csv", "csv"
    return result.model_dump_json(indent=2).encode(), "application/json", "json"


def export_statement(row: FinancialStatement, fmt: ExportFormat) -> tuple[bytes, str, str]:
    statement = to_statement(row)
    if fmt == "xlsx":
        from docuforge.finance.consolidate import ConsolidationOptions, consolidate

        # one statement is a consolidation of one: the same workbook, formulas and all
        result = consolidate([statement], ConsolidationOptions(embeddings=False))
        return to_xlsx(result), XLSX, "xlsx"
    if fmt == "csv":
        return statements_csv([statement]).encode(), "text/csv", "csv"
    body: dict[str, Any] = to_out(row).model_dump(mode="json")
    import json

    return json.dumps(body, indent=2).encode(), "application/json", "json"
