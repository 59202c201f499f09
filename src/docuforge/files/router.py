"""POST /upload (multipart or presigned), DELETE /upload/{file_id}, the two-phase ingest, and GET /files
(the organization's uploads, for picking one again)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Request

from docuforge.auth.deps import CanRead, CanWrite
from docuforge.db import SessionDep
from docuforge.deps import SettingsDep, StorageDep
from docuforge.errors import InvalidRequest, PayloadTooLarge
from docuforge.files import inputs, service
from docuforge.files.multipart import MultipartStream
from docuforge.files.schemas import (
    BundleMember,
    DeleteUploadResponse,
    FileList,
    IngestComplete,
    IngestCompleteResponse,
    IngestInit,
    IngestInitResponse,
    UploadResponse,
)
from docuforge.jobs import service as jobs
from docuforge.jobs.deps import RunnerDep
from docuforge.load import detect as formats
from docuforge.logs import service as logs
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router
from docuforge.webhooks import service as webhooks

router = make_router(RouteGroup.upload, tags=["files"])
# A listing is an ordinary request: the ordinary time limit and budget, not an upload's.
listing = make_router(RouteGroup.default, tags=["files"])


@router.post("/upload", response_model=UploadResponse, response_model_exclude_none=True)
async def upload(
    request: Request,
    principal: CanWrite,
    session: SessionDep,
    storage: StorageDep,
    settings: SettingsDep,
    extension: Annotated[
        str | None, Query(description="The file's type (pdf or .pdf); else from its name or bytes.")
    ] = None,
) -> UploadResponse:
    """Upload a document (multipart field `file`), or send no file to get a presigned URL to PUT it to."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > settings.ingest.max_upload_bytes + 64 * 1024:
            raise PayloadTooLarge(f"the upload exceeds the limit of {settings.ingest.max_upload_bytes} bytes")
        part = await MultipartStream(request).file("file")
        if part is None:
            raise InvalidRequest("the multipart body has no 'file' field")
        filename, chunks = part
        file, members = await service.store_upload(
            session, storage, settings, principal, filename, chunks, extension
        )
        return UploadResponse(
            file_id=service.file_id(file),
            size=file.size,
            extension=file.extension,
            files=[
                BundleMember(
                    file_id=service.file_id(member),
                    filename=member.filename or "",
                    size=member.size or 0,
                    extension=member.extension,
                )
                for member in members
            ]
            or None,
        )
    file, url = await service.presign_upload(session, storage, settings, principal, extension)
    return UploadResponse(file_id=service.file_id(file), presigned_url=url, extension=file.extension)


@router.delete("/upload/{file_id:path}", response_model=DeleteUploadResponse)
async def delete_upload(
    file_id: str, principal: CanWrite, session: SessionDep, storage: StorageDep
) -> DeleteUploadResponse:
    """Delete an uploaded file (and, for a bundle, its members)."""
    await service.delete_file(session, storage, principal, file_id)
    return DeleteUploadResponse(file_id=file_id)


@router.post("/ingest/files/init", response_model=IngestInitResponse, status_code=201)
async def ingest_init(
    body: IngestInit,
    principal: CanWrite,
    session: SessionDep,
    storage: StorageDep,
    settings: SettingsDep,
    runner: RunnerDep,
) -> IngestInitResponse:
    """Announce a file: a job waits for it, and a presigned URL takes its bytes."""
    if body.size > settings.ingest.max_upload_bytes:
        raise PayloadTooLarge(f"files are limited to {settings.ingest.max_upload_bytes} bytes")
    assert body.name is not None
    extension = body.format or formats.from_filename(body.name)
    job_type, config = body.type, body.config
    if body.log_format is not None:  # seed 002: a log file, read by a logs job once uploaded
        job_type, config = logs.JOB_TYPE, logs.config_for(settings, body.log_format)
    file, url = await service.presign_upload(session, storage, settings, principal, extension)
    file.filename, file.size = body.name, body.size
    job = await jobs.submit(
        session,
        runner,
        settings,
        principal,
        type=job_type,
        config=config,
        input={"file_id": str(file.id)},
        file_id=file.id,
        webhook=await webhooks.spec_from_request(
            body.config.get("async"), body.config.get("webhook"), settings
        ),
        queue=str(body.config.get("queue_priority") or "standard"),
        timeout=(body.config.get("settings") or {}).get("timeout"),
        waiting_for_upload=True,
    )
    return IngestInitResponse(
        job_id=job.id,
        file_id=service.file_id(file),
        presigned_url=url,
        expires_in=settings.storage.url_expiry,
    )


@router.post("/ingest/files/complete", response_model=IngestCompleteResponse)
async def ingest_complete(
    body: IngestComplete, principal: CanWrite, session: SessionDep, storage: StorageDep, runner: RunnerDep
) -> IngestCompleteResponse:
    """The bytes are up: check they are all there, then queue the job."""
    job = await jobs.get_job(session, principal, body.job_id)
    if job.file_id is None:
        raise InvalidRequest("this job was not created by /ingest/files/init")
    file = await service.get_file(session, principal, str(job.file_id))
    await service.ensure_uploaded(
        session, storage, file, expected_size=file.size if file.status == "pending" else None
    )
    job.input = {**job.input, **inputs.file_input(file)}
    job = await jobs.start_created(session, runner, job)
    # A log job answers in seed 002's words; other jobs in Reducto's.
    status = "QUEUED" if job.type == logs.JOB_TYPE else "Pending"
    return IngestCompleteResponse(job_id=job.id, file_id=service.file_id(file), status=status)


@listing.get("/files", response_model=FileList)
async def list_files(
    principal: CanRead,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200, description="Files per page.")] = 50,
    # Bounded: a database takes no OFFSET past a 64-bit integer.
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="Files to skip.")] = 0,
    status: Annotated[
        Literal["ready", "pending"] | None, Query(description="Only files in this state.")
    ] = None,
    extension: Annotated[
        str | None, Query(max_length=16, description="Only files of this type (pdf or .pdf).")
    ] = None,
) -> FileList:
    """The organization's uploaded files, newest first: name, size, type and when."""
    rows, total = await service.list_files(
        session, principal, limit=limit, offset=offset, status=status, extension=extension
    )
    return FileList(files=await service.file_views(session, rows), total=total, limit=limit, offset=offset)
