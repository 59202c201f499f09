"""Documents in a workspace: added by upload, file id, URL or ZIP bundle, deduplicated by the
hash of their bytes, indexed by a job; removed with their index entries."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import anyio
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge import outbound
from docuforge.auth.principal import Principal
from docuforge.auth.tenancy import get_owned
from docuforge.config import Settings
from docuforge.errors import InvalidRequest, NotFound
from docuforge.files import service as files
from docuforge.index.store import Filters
from docuforge.jobs import service as jobs
from docuforge.jobs.runners import Runner
from docuforge.load import detect as formats
from docuforge.models import File, Job, Workspace, WorkspaceDocument, WorkspaceJob
from docuforge.storage import BlobStore
from docuforge.workspaces import vectors
from docuforge.workspaces.schemas import DocumentView

RECORD_TYPES = {"json": "json", "csv": "csv", "tsv": "csv"}


def document_type(extension: str | None) -> str:
    """How a file is indexed: JSON and CSV as records, everything else parsed as a document."""
    return RECORD_TYPES.get(extension or "", "document")


def document_view(document: WorkspaceDocument, duplicate: bool = False) -> DocumentView:
    return DocumentView(
        id=str(document.id),
        filename=document.filename,
        type=document.type,  # type: ignore[arg-type]
        status=document.status,  # type: ignore[arg-type]
        source=document.source,
        size=document.size,
        pages=document.pages,
        passages=document.passages,
        error=document.error,
        duplicate=duplicate,
        created_at=document.created_at,
    )


@dataclass
class Added:
    job: Job | None
    documents: list[tuple[WorkspaceDocument, bool]]  # (document, already there)


async def _hash(storage: BlobStore, key: str) -> str:
    digest = hashlib.sha256()
    async for chunk in storage.read(key):
        digest.update(chunk)
    return digest.hexdigest()


async def _existing(
    session: AsyncSession, workspace: Workspace, content_hash: str
) -> WorkspaceDocument | None:
    return (
        await session.execute(
            select(WorkspaceDocument).where(
                WorkspaceDocument.workspace_id == workspace.id, WorkspaceDocument.content_hash == content_hash
            )
        )
    ).scalar_one_or_none()


async def _from_files(
    session: AsyncSession,
    storage: BlobStore,
    principal: Principal,
    workspace: Workspace,
    stored: list[File],
    source: str,
) -> list[tuple[WorkspaceDocument, bool]]:
    out: list[tuple[WorkspaceDocument, bool]] = []
    seen: dict[str, WorkspaceDocument] = {}
    for file in stored:
        content_hash = await _hash(storage, file.key)
        earlier = seen.get(content_hash) or await _existing(session, workspace, content_hash)
        if earlier is not None:
            out.append((earlier, True))
            continue
        document = WorkspaceDocument(
            id=uuid.uuid4(),
            organization_id=principal.organization_id,
            workspace_id=workspace.id,
            filename=file.filename or f"{file.id}.{file.extension or 'bin'}",
            type=document_type(file.extension),
            extension=file.extension,
            source=source,
            file_id=file.id,
            content_hash=content_hash,
            size=file.size,
            status="pending",
        )
        session.add(document)
        seen[content_hash] = document
        out.append((document, False))
    await session.flush()
    return out


async def _start(
    session: AsyncSession,
    runner: Runner,
    settings: Settings,
    principal: Principal,
    workspace: Workspace,
    documents: list[tuple[WorkspaceDocument, bool]],
) -> Job | None:
    new = [document for document, duplicate in documents if not duplicate]
    if not new:
        return None
    job = await jobs.submit(
        session,
        runner,
        settings,
        principal,
        type="workspaces.index",
        config={"workspace_id": str(workspace.id), "document_ids": [str(d.id) for d in new]},
        input={},
    )
    session.add(
        WorkspaceJob(
            job_id=job.id, organization_id=principal.organization_id, workspace_id=workspace.id, kind="index"
        )
    )
    for document in new:
        document.job_id = job.id
    await session.flush()
    return job


async def add_upload(
    session: AsyncSession,
    runner: Runner,
    storage: BlobStore,
    settings: Settings,
    principal: Principal,
    workspace: Workspace,
    filename: str | None,
    chunks: AsyncIterator[bytes],
) -> Added:
    """A file sent with the request; a ZIP bundle adds each of its members."""
    file, members = await files.store_upload(session, storage, settings, principal, filename, chunks)
    if file.extension == "zip":
        if not members:
            raise InvalidRequest("the ZIP archive holds no files")
        documents = await _from_files(session, storage, principal, workspace, members, "zip")
    else:
        documents = await _from_files(session, storage, principal, workspace, [file], "upload")
    return Added(await _start(session, runner, settings, principal, workspace, documents), documents)


async def add_file(
    session: AsyncSession,
    runner: Runner,
    storage: BlobStore,
    settings: Settings,
    principal: Principal,
    workspace: Workspace,
    file_id: str,
) -> Added:
    """An earlier upload (reducto://...); a bundle's members are added one by one."""
    file = await files.get_file(session, principal, file_id)
    file = await files.ensure_uploaded(session, storage, file)
    members = list((await session.execute(select(File).where(File.bundle_id == file.id))).scalars())
    if file.extension == "zip" and not members:
        raise InvalidRequest("the ZIP archive holds no files")
    chosen, source = (members, "zip") if members else ([file], "file")
    documents = await _from_files(session, storage, principal, workspace, chosen, source)
    return Added(await _start(session, runner, settings, principal, workspace, documents), documents)


async def add_url(
    session: AsyncSession,
    runner: Runner,
    settings: Settings,
    principal: Principal,
    workspace: Workspace,
    url: str,
) -> Added:
    """A document at an http(s) URL; it is fetched (and its hash checked) when the job runs."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise InvalidRequest("url must be an http(s) URL")
    await outbound.resolve(url, settings.ingest.url_allowlist)
    path = url.split("?", 1)[0].rstrip("/")
    filename = path.rsplit("/", 1)[-1] or "document"
    extension = formats.from_filename(filename)
    document = WorkspaceDocument(
        id=uuid.uuid4(),
        organization_id=principal.organization_id,
        workspace_id=workspace.id,
        filename=filename,
        type=document_type(extension),
        extension=extension,
        source="url",
        url=url,
        status="pending",
    )
    session.add(document)
    await session.flush()
    documents = [(document, False)]
    return Added(await _start(session, runner, settings, principal, workspace, documents), documents)


async def list_documents(
    session: AsyncSession,
    workspace: Workspace,
    *,
    limit: int,
    offset: int,
    status: str | None = None,
    type: str | None = None,
) -> tuple[list[WorkspaceDocument], int]:
    statement = select(WorkspaceDocument).where(WorkspaceDocument.workspace_id == workspace.id)
    if status:
        statement = statement.where(WorkspaceDocument.status == status)
    if type:
        statement = statement.where(WorkspaceDocument.type == type)
    total = (await session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
    rows = await session.execute(
        statement.order_by(WorkspaceDocument.created_at, WorkspaceDocument.id).limit(limit).offset(offset)
    )
    return list(rows.scalars()), int(total)


async def get_document(
    session: AsyncSession, principal: Principal, workspace: Workspace, document_id: str
) -> WorkspaceDocument:
    document = await get_owned(session, WorkspaceDocument, document_id, principal)
    if document.workspace_id != workspace.id:
        raise NotFound(f"workspace_document {document_id} not found")
    return document


async def remove(
    session: AsyncSession, settings: Settings, workspace: Workspace, document: WorkspaceDocument
) -> None:
    """Forget the document and take its passages out of the index."""
    await anyio.to_thread.run_sync(
        vectors.retriever(settings).remove,
        vectors.collection(workspace.id),
        Filters(document_ids=[str(document.id)]),
    )
    await session.delete(document)
    await session.flush()


async def current(session: AsyncSession, document: WorkspaceDocument) -> WorkspaceDocument:
    """The document as the database has it now (its indexing job may have moved it on)."""
    return await session.get(WorkspaceDocument, document.id) or document
