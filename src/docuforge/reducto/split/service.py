"""Submitting split jobs."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.principal import Principal
from docuforge.config import Settings
from docuforge.errors import InvalidRequest
from docuforge.jobs.runners import Runner
from docuforge.models import Job
from docuforge.reducto import submission
from docuforge.reducto.split.schemas import SplitRequest
from docuforge.storage import BlobStore


def check(request: SplitRequest) -> None:
    if not request.split_description:
        raise InvalidRequest("split_description needs at least one section")
    names = [s.name for s in request.split_description]
    if len(set(names)) != len(names):
        raise InvalidRequest("split_description names a section twice")


async def submit(
    session: AsyncSession,
    runner: Runner,
    storage: BlobStore,
    settings: Settings,
    principal: Principal,
    request: SplitRequest,
) -> Job:
    check(request)
    return await submission.submit(
        session,
        runner,
        storage,
        settings,
        principal,
        type="split",
        document=request.document,
        config=request.stored(),
        async_config=request.async_dict(),
        timeout=request.parsing.settings.timeout,
    )
