"""Submitting classify jobs."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.principal import Principal
from docuforge.config import Settings
from docuforge.errors import InvalidRequest
from docuforge.jobs.runners import Runner
from docuforge.models import Job
from docuforge.reducto import submission
from docuforge.reducto.classify.schemas import ClassifyRequest
from docuforge.storage import BlobStore


async def submit(
    session: AsyncSession,
    runner: Runner,
    storage: BlobStore,
    settings: Settings,
    principal: Principal,
    request: ClassifyRequest,
) -> Job:
    if not request.classification_schema:
        raise InvalidRequest("classification_schema needs at least one category")
    names = [c.category for c in request.classification_schema]
    if len(set(names)) != len(names):
        raise InvalidRequest("classification_schema names a category twice")
    return await submission.submit(
        session,
        runner,
        storage,
        settings,
        principal,
        type="classify",
        document=request.document,
        config=request.stored(),
        async_config=request.async_dict(),
    )
