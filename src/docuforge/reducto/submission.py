"""What every Reducto operation shares: submitting its job, answering synchronously, and, inside the
job, getting the Document it works on (parsed from its input, or an earlier parse's reused).

Split, classify, edit and pipeline jobs all start like a parse: the same inputs, the same webhooks
and queues, the same wait for a synchronous request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.principal import Principal
from docuforge.config import Settings
from docuforge.document.model import Document
from docuforge.errors import DocuforgeError, ErrorCode
from docuforge.files import inputs
from docuforge.jobs import service as jobs
from docuforge.jobs.registry import JobContext
from docuforge.jobs.runners import Runner
from docuforge.models import Job
from docuforge.reducto.parse import tasks as parse_tasks
from docuforge.reducto.parse.options import ParseOptions, engine_options
from docuforge.reducto.parse.service import wait
from docuforge.storage import BlobStore
from docuforge.webhooks import service as webhooks

__all__ = ["document_of", "submit", "wait"]


async def submit(
    session: AsyncSession,
    runner: Runner,
    storage: BlobStore,
    settings: Settings,
    principal: Principal,
    *,
    type: str,
    document: Any,
    config: dict[str, Any],
    async_config: dict[str, Any] | None = None,
    legacy_webhook: dict[str, Any] | None = None,
    timeout: float | None = None,
    allow_jobid: bool = True,
) -> Job:
    """Check the input and queue the job; the runner hears of it after the commit."""
    resolved = await inputs.resolve(session, storage, settings, principal, document)
    if "job_id" in resolved and (not allow_jobid or resolved.get("job_type") != "parse"):
        raise DocuforgeError(
            "jobid:// must name a parse job" if allow_jobid else "this endpoint needs the document itself",
            code=ErrorCode.INVALID_CONFIG,
            status_code=400,
        )
    hook = await webhooks.spec_from_request(async_config, legacy_webhook, settings)
    return await jobs.submit(
        session,
        runner,
        settings,
        principal,
        type=type,
        config=config,
        input=resolved,
        webhook=hook,
        queue="standard",
        timeout=timeout,
    )


async def document_of(ctx: JobContext, options: ParseOptions, share: float = 0.8) -> tuple[Document, Path]:
    """The job's Document: an earlier parse's (jobid://) or its input parsed in a worker process.

    Returns it and the path of its JSON; parse progress fills the first `share` of the job's.
    """
    path = ctx.workdir / "document.json"
    if "job_id" in ctx.input:
        await parse_tasks._earlier_document(ctx, path)  # one way to reuse a parse, the parse job's own
    else:
        source, extension = await inputs.fetch(ctx)

        def on_message(message: tuple[str, float]) -> None:
            if message[0] == "progress":
                ctx.progress(share * message[1])

        await ctx.run_cpu(
            parse_tasks.parse_in_worker,
            str(source),
            extension,
            engine_options(options, ctx.settings.ocr.options()).model_dump_json(),
            str(ctx.workdir),
            on_message=on_message,
        )
    return Document.model_validate_json(path.read_bytes()), path
