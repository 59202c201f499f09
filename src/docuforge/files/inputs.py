"""A job's document input, in every form Reducto accepts, checked when the job is submitted and
fetched into the job's work directory when it runs.

Accepted: `reducto://<id>` (an upload), an upload object `{"file_id": ...}`, `jobid://<id>` (an
earlier parse, whose result is reused), and http(s) URLs (fetched through the SSRF guard).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge import outbound
from docuforge.auth.principal import Principal
from docuforge.config import Settings
from docuforge.errors import ErrorCode, InvalidRequest, JobStateError
from docuforge.files import service
from docuforge.jobs.registry import JobContext
from docuforge.load import detect as formats
from docuforge.models import File
from docuforge.storage import BlobStore

JOB_SCHEME = "jobid://"


def _single(value: Any) -> Any:
    if isinstance(value, list):
        if len(value) != 1:
            raise InvalidRequest("this endpoint takes one document; send the others as jobs of their own")
        return value[0]
    return value


def file_input(file: File) -> dict[str, Any]:
    """What a job keeps of an uploaded file: enough to fetch exactly the bytes that were completed."""
    kept = {"file_id": str(file.id), "extension": file.extension, "filename": file.filename}
    if file.version is not None:
        kept["version"] = file.version
    return kept


async def resolve(
    session: AsyncSession, storage: BlobStore, settings: Settings, principal: Principal, value: Any
) -> dict[str, Any]:
    """Check an input at submission; returns what the job row keeps in `input`."""
    value = _single(value)
    if isinstance(value, dict):
        value = value.get("file_id") or value.get("url") or ""
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest("input must be a reducto:// file id, a jobid:// reference or an http(s) URL")
    value = value.strip()
    if value.startswith(service.SCHEME):
        file = await service.get_file(session, principal, value)
        file = await service.ensure_uploaded(session, storage, file)
        return file_input(file)
    if value.startswith(JOB_SCHEME):
        from docuforge.jobs import service as jobs

        earlier = await jobs.get_job(session, principal, value.removeprefix(JOB_SCHEME))
        if earlier.status != "completed":
            raise JobStateError(
                f"jobid:// needs a completed job; {earlier.id} is not", code=ErrorCode.JOB_NOT_COMPLETE
            )
        return {"job_id": str(earlier.id), "job_type": earlier.type}
    if value.lower().startswith(("http://", "https://")):
        await outbound.resolve(value, settings.ingest.url_allowlist)
        return {"url": value, "extension": formats.from_filename(value.split("?", 1)[0])}
    if "://" in value:
        raise outbound.UrlNotAllowed(f"unsupported input scheme in {value.split('://', 1)[0]!r}://")
    # A bare id, as people paste them.
    return await resolve(session, storage, settings, principal, service.SCHEME + value)


async def fetch(ctx: JobContext) -> tuple[Path, str | None]:
    """The input document as a local file in the job's work directory, and its extension."""
    target = ctx.workdir / "input"
    if "file_id" in ctx.input:
        key = f"uploads/{ctx.organization_id}/{uuid.UUID(ctx.input['file_id'])}"
        async with await anyio.open_file(target, "wb") as handle:
            async for chunk in ctx.storage.read(key, version=ctx.input.get("version")):
                await handle.write(chunk)
        return target, ctx.input.get("extension")
    if "url" in ctx.input:
        ingest = ctx.settings.ingest
        async with outbound.stream_get(
            ctx.input["url"],
            allowlist=ingest.url_allowlist,
            timeout=ingest.url_timeout,
            max_redirects=ingest.url_max_redirects,
        ) as response:
            head = b""
            async with await anyio.open_file(target, "wb") as handle:
                async for chunk in outbound.read_limited(response, ingest.url_max_bytes):
                    if len(head) < 8192:
                        head += chunk[: 8192 - len(head)]
                    await handle.write(chunk)
            disposition = response.headers.get("content-disposition", "")
            named = disposition.split("filename=", 1)[1].strip('"; ') if "filename=" in disposition else None
        return target, ctx.input.get("extension") or formats.from_filename(named) or formats.sniff(head)
    raise InvalidRequest("this job has no document input to fetch")
