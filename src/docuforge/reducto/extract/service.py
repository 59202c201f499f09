"""Submitting extract jobs; a synchronous request waits for its job like parse does."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.principal import Principal
from docuforge.config import Settings
from docuforge.errors import DocuforgeError, ErrorCode
from docuforge.extraction.schema import parse_schema
from docuforge.files import inputs
from docuforge.jobs import service as jobs
from docuforge.jobs.runners import Runner
from docuforge.models import Job
from docuforge.reducto.extract.schemas import ExtractRequest
from docuforge.storage import BlobStore
from docuforge.webhooks import service as webhooks

REUSABLE = ("parse", "extract")  # jobs whose Document a jobid:// input may reuse


def engine_of(request: ExtractRequest, settings: Settings) -> str:
    return request.settings.engine or settings.extract.engine


async def submit(
    session: AsyncSession,
    runner: Runner,
    storage: BlobStore,
    settings: Settings,
    principal: Principal,
    request: ExtractRequest,
) -> Job:
    parse_schema(request.json_schema)  # a bad schema is the request's fault: 400 now, not a failed job
    engine = engine_of(request, settings)
    if engine == "llm" and settings.llm.provider == "none":
        raise DocuforgeError(
            "the llm engine needs an LLM provider: set DOCUFORGE_LLM__PROVIDER (or use engine offline)",
            code=ErrorCode.INVALID_CONFIG,
            status_code=400,
            headers={"x-should-retry": "false"},
        )
    resolved = await inputs.resolve(session, storage, settings, principal, request.document)
    if "job_id" in resolved and resolved.get("job_type") not in REUSABLE:
        raise DocuforgeError(
            "jobid:// must name a parse or extract job", code=ErrorCode.INVALID_CONFIG, status_code=400
        )
    hook = await webhooks.spec_from_request(
        request.async_.model_dump() if request.async_ else None, request.webhook, settings
    )
    config: dict[str, Any] = request.model_dump(mode="json", by_alias=True, exclude_none=True)
    config["engine"] = engine
    return await jobs.submit(
        session,
        runner,
        settings,
        principal,
        type="extract",
        config=config,
        input=resolved,
        webhook=hook,
        queue="batch" if request.queue_priority == "batch" else "standard",
        timeout=request.parsing.settings.timeout,
    )
