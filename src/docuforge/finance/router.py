"""/statements (CRUD, read jobs, exports) and /consolidations, scoped to the caller's organization."""

from __future__ import annotations

import uuid

from fastapi import Query, Response, status

from docuforge.auth.deps import CanRead, CanWrite
from docuforge.db import SessionDep
from docuforge.deps import SettingsDep, StorageDep
from docuforge.errors import DocuforgeError, ErrorCode, JobStateError
from docuforge.finance import service
from docuforge.finance.model import StatementType
from docuforge.finance.schemas import (
    ConsolidationOut,
    ConsolidationRequest,
    ExportFormat,
    JobAccepted,
    ReadRequest,
    StatementIn,
    StatementList,
    StatementOut,
    StatementPatch,
)
from docuforge.jobs.deps import RunnerDep
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router

router = make_router(RouteGroup.default, tags=["statements"])


def _download(data: bytes, media_type: str, name: str) -> Response:
    return Response(
        data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.post("/statements/read", response_model=JobAccepted, status_code=status.HTTP_202_ACCEPTED)
async def read_statements(
    body: ReadRequest,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> JobAccepted:
    """Detect, read and validate the financial statements of a document as a job (GET /job/{id})."""
    job = await service.submit_read(session, runner, storage, settings, principal, body)
    return JobAccepted(job_id=str(job.id))


@router.get("/statements", response_model=StatementList)
async def list_statements(
    principal: CanRead,
    session: SessionDep,
    company: str | None = Query(None, description="Company name (case-insensitive)."),
    statement_type: StatementType | None = Query(None, alias="type"),
    period: str | None = Query(None, description="A period: 2024, FY2024, 2024Q3, 2024-12-31..."),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=2**31 - 1),
) -> StatementList:
    """Stored statements, newest first, filtered by company, type and period."""
    rows, total = await service.list_statements(
        session,
        principal,
        company=company,
        statement_type=statement_type,
        period=period,
        limit=limit,
        offset=offset,
    )
    return StatementList(statements=[service.to_out(r) for r in rows], total=total)


@router.post("/statements", response_model=StatementOut, status_code=status.HTTP_201_CREATED)
async def create_statement(body: StatementIn, principal: CanWrite, session: SessionDep) -> StatementOut:
    """Store a statement sent as JSON; its checks are computed."""
    return service.to_out(await service.create_statement(session, principal, body))


@router.get("/statements/{statement_id}", response_model=StatementOut)
async def get_statement(statement_id: uuid.UUID, principal: CanRead, session: SessionDep) -> StatementOut:
    """One statement with its lines, citations and checks."""
    return service.to_out(await service.get_statement(session, principal, statement_id))


@router.patch("/statements/{statement_id}", response_model=StatementOut)
async def update_statement(
    statement_id: uuid.UUID, body: StatementPatch, principal: CanWrite, session: SessionDep
) -> StatementOut:
    """Correct a statement (company, type, scale, lines); its checks are run again."""
    return service.to_out(await service.update_statement(session, principal, statement_id, body))


@router.delete("/statements/{statement_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_statement(statement_id: uuid.UUID, principal: CanWrite, session: SessionDep) -> Response:
    """Delete a statement."""
    await service.delete_statement(session, principal, statement_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/statements/{statement_id}/export")
async def export_statement(
    statement_id: uuid.UUID, principal: CanRead, session: SessionDep, format: ExportFormat = Query("xlsx")
) -> Response:
    """The statement as an Excel workbook (formulas for totals and variances), CSV or JSON."""
    row = await service.get_statement(session, principal, statement_id)
    data, media_type, ext = service.export_statement(row, format)
    return _download(data, media_type, f"statement-{statement_id}.{ext}")


@router.post("/consolidations", response_model=ConsolidationOut, status_code=status.HTTP_201_CREATED)
async def create_consolidation(
    body: ConsolidationRequest,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    settings: SettingsDep,
    response: Response,
) -> ConsolidationOut:
    """Consolidate a company's statements across periods: at once, or as a job when `async` or `notify`
    is given (answered 202; GET /consolidations/{id} follows it)."""
    row = await service.create_consolidation(session, runner, settings, principal, body)
    if row.status == "pending":
        response.status_code = status.HTTP_202_ACCEPTED
    return await service.get_consolidation(session, principal, row.id)


@router.get("/consolidations/{consolidation_id}", response_model=ConsolidationOut)
async def get_consolidation(
    consolidation_id: uuid.UUID, principal: CanRead, session: SessionDep
) -> ConsolidationOut:
    """A consolidation: its status and, once completed, its aligned lines, variances and trends."""
    return await service.get_consolidation(session, principal, consolidation_id)


@router.get("/consolidations/{consolidation_id}/export")
async def export_consolidation(
    consolidation_id: uuid.UUID, principal: CanRead, session: SessionDep, format: ExportFormat = Query("xlsx")
) -> Response:
    """The consolidation as an Excel workbook (one sheet per statement type), CSV or JSON."""
    out = await service.get_consolidation(session, principal, consolidation_id)
    if out.status == "pending":
        raise JobStateError(
            f"consolidation {consolidation_id} is not done yet", code=ErrorCode.JOB_NOT_COMPLETE
        )
    if out.result is None:
        raise DocuforgeError(
            f"consolidation {consolidation_id} failed: {out.error}",
            status_code=422,
            code=ErrorCode.PROCESSING_FAILED,
            headers={"x-should-retry": "false"},
        )
    data, media_type, ext = service.export_consolidation(out.result, format)
    return _download(data, media_type, f"consolidation-{consolidation_id}.{ext}")
