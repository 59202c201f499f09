"""The "logs" job: read an uploaded log file in a worker process into Parquet, kept as blobs.

Parsing runs in the killable process pool (a hostile file costs a worker process, and cancelling
stops it at once); progress is the share of the file's bytes read.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio

from docuforge.errors import DocuforgeError, ServiceUnavailable
from docuforge.files import inputs
from docuforge.jobs import processes
from docuforge.jobs.registry import DeletedJob, JobContext, TaskResult, task
from docuforge.logs import cache
from docuforge.logs import storage as log_storage
from docuforge.logs.records import ParseOptions


def ingest_in_worker(source: str, options_json: str, out_dir: str, job_id: str) -> dict[str, Any]:
    from docuforge.logs.ingest import ingest

    return ingest(
        Path(source),
        Path(out_dir),
        job_id,
        ParseOptions.model_validate_json(options_json),
        on_progress=lambda fraction: processes.report(("progress", fraction)),
    )


@contextlib.asynccontextmanager
async def _blob_errors_retried(doing: str) -> AsyncIterator[None]:
    """A blob store that fails (network, S3 5xx) fails this attempt only: the job is retried with
    backoff, as seed 002's flow chart has it; errors about the input itself are not retried."""
    try:
        yield
    except DocuforgeError:
        raise
    except Exception as error:
        raise ServiceUnavailable(f"{doing} failed: {type(error).__name__}: {error}"[:500]) from error


async def forget_cached(job: DeletedJob) -> None:
    """A deleted job's Parquet copies leave the query cache with it."""
    await anyio.to_thread.run_sync(
        cache.forget, cache.directory(job.settings), job.organization_id, job.job_id
    )


@task("logs", reducto_type="Logs", on_delete=forget_cached)
async def logs_job(ctx: JobContext) -> TaskResult:
    options = ParseOptions.model_validate(ctx.config.get("options") or {})
    async with _blob_errors_retried("reading the log file"):
        source, _extension = await inputs.fetch(ctx)
    out_dir = ctx.workdir / "parquet"

    def on_message(message: tuple[str, float]) -> None:
        if message[0] == "progress":
            ctx.progress(0.98 * message[1])  # the rest is storing the Parquet

    stats = await ctx.run_cpu(
        ingest_in_worker,
        str(source),
        options.model_dump_json(),
        str(out_dir),
        str(ctx.job_id),
        on_message=on_message,
    )
    async with _blob_errors_retried("storing the records"):
        artifacts = await log_storage.store(
            ctx.storage, ctx.organization_id, uuid.UUID(str(ctx.job_id)), out_dir
        )
    response = {"response_type": "logs", **stats}
    return TaskResult(response=response, payload=stats, artifacts=artifacts)
