"""Submitting edit jobs."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.principal import Principal
from docuforge.config import Settings
from docuforge.errors import InvalidRequest
from docuforge.jobs.runners import Runner
from docuforge.models import Job
from docuforge.reducto import submission
from docuforge.reducto.edit.schemas import EditRequest
from docuforge.storage import BlobStore


async def submit(
    session: AsyncSession,
    runner: Runner,
    storage: BlobStore,
    settings: Settings,
    principal: Principal,
    request: EditRequest,
    *,
    with_webhook: bool,
) -> Job:
    if not request.edit_instructions.strip() and not any(w.value for w in request.form_schema or []):
        raise InvalidRequest("edit_instructions is empty and form_schema gives no values: nothing to fill")
    return await submission.submit(
        session,
        runner,
        storage,
        settings,
        principal,
        type="edit",
        document=request.document,
        config=request.model_dump(mode="json", exclude_none=True),
        legacy_webhook=request.webhook if with_webhook else None,
        allow_jobid=False,
    )
