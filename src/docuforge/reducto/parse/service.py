"""Submitting parse jobs, and waiting for one when the request is synchronous."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.principal import Principal
from docuforge.config import Settings
from docuforge.db import Database
from docuforge.errors import DocuforgeError, ErrorCode, RequestTimeout
from docuforge.files import inputs
from docuforge.jobs import service as jobs
from docuforge.jobs.runners import Runner
from docuforge.models import Job
from docuforge.reducto.parse.schemas import ParseRequest
from docuforge.storage import BlobStore
from docuforge.webhooks import service as webhooks

_SECRET_SETTINGS = ("document_password",)


def stored_config(request: ParseRequest) -> dict[str, Any]:
    """What the job keeps: the options as sent, `async` and the queue included."""
    return request.model_dump(mode="json", by_alias=True, exclude_none=True)


async def submit(
    session: AsyncSession,
    runner: Runner,
    storage: BlobStore,
    settings: Settings,
    principal: Principal,
    request: ParseRequest,
) -> Job:
    resolved = await inputs.resolve(session, storage, settings, principal, request.document)
    if "job_id" in resolved and resolved.get("job_type") != "parse":
        raise DocuforgeError("jobid:// must name a parse job", code=ErrorCode.INVALID_CONFIG, status_code=400)
    hook = await webhooks.spec_from_request(
        request.async_.model_dump() if request.async_ else None, request.webhook, settings
    )
    queue = "batch" if request.queue_priority == "batch" else "standard"
    return await jobs.submit(
        session,
        runner,
        settings,
        principal,
        type="parse",
        config=stored_config(request),
        input=resolved,
        webhook=hook,
        queue=queue,
        timeout=request.settings.timeout,
    )


async def wait(database: Database, job: Job, storage: BlobStore, settings: Settings) -> dict[str, Any]:
    """Hold the request until the job ends; its answer, or its error raised as the HTTP error."""
    deadline = time.monotonic() + job.timeout + 30
    delay = 0.05
    while True:
        async with database.session() as session:
            current = await session.get(Job, job.id)
        assert current is not None
        if current.status == "completed":
            result = await jobs.result_of(current, storage, settings)
            assert result is not None
            return result
        if current.status in ("failed", "cancelled"):
            error = jobs.error_of(current)
            assert error is not None
            # The job ran (and retried what was transient) already: the same request would end
            # the same way, a cancelled one included (499, as the job shows it, never a 409).
            raise DocuforgeError(
                error["message"],
                code=ErrorCode(error["name"]),
                status_code=error["code"],
                transient=False,
            )
        if time.monotonic() > deadline:
            raise RequestTimeout(
                f"the parse did not finish in time; follow job {job.id} at GET /job/{job.id}"
            )
        await asyncio.sleep(delay)
        delay = min(0.5, delay * 1.5)
