"""Uploads: streamed or presigned, ZIP bundles expanded, file ids in Reducto's `reducto://` form."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.principal import Principal
from docuforge.auth.tenancy import get_owned, scoped
from docuforge.config import Settings
from docuforge.errors import DocumentError, ErrorCode, NotFound, UnsupportedDocument
from docuforge.files.bundles import BundleReader
from docuforge.files.schemas import FileView
from docuforge.load import detect as formats
from docuforge.models import File
from docuforge.storage import BlobStore

SCHEME = "reducto://"
_HEAD = 8192


def file_id(file: File) -> str:
    return f"{SCHEME}{file.id}.{file.extension}" if file.extension else f"{SCHEME}{file.id}"


def parse_file_id(text: str) -> uuid.UUID:
    """reducto://<uuid>[.ext], or the bare uuid."""
    bare = text.strip().removeprefix(SCHEME).split("/", 1)[0].split(".", 1)[0]
    try:
        return uuid.UUID(bare)
    except ValueError:
        raise NotFound(f"file {text} not found") from None


async def get_file(session: AsyncSession, principal: Principal, text: str) -> File:
    return await get_owned(session, File, parse_file_id(text), principal)


UPLOADS = "uploads/"
# Where a presigned PUT lands. Completion moves the object to the file's own key, so a later PUT
# to the same URL writes a key nothing reads: the stored file stays what was completed.
INCOMING = "incoming/"


def _key(organization_id: uuid.UUID, ident: uuid.UUID) -> str:
    return f"{UPLOADS}{organization_id}/{ident}"


def incoming_key(file: File) -> str:
    """The key a file's presigned upload URL writes to."""
    return INCOMING + file.key.removeprefix(UPLOADS)


def completed_key(key: str) -> str:
    """The file key an upload key completes to (a key that is not an upload key, itself)."""
    return UPLOADS + key.removeprefix(INCOMING) if key.startswith(INCOMING) else key


class _Head:
    """Passes a stream through, keeping its first bytes for format sniffing."""

    def __init__(self, chunks: AsyncIterator[bytes]) -> None:
        self.chunks = chunks
        self.head = b""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.chunks:
            if len(self.head) < _HEAD:
                self.head += chunk[: _HEAD - len(self.head)]
            yield chunk


async def store_upload(
    session: AsyncSession,
    storage: BlobStore,
    settings: Settings,
    principal: Principal,
    filename: str | None,
    chunks: AsyncIterator[bytes],
    extension: str | None = None,
) -> tuple[File, list[File]]:
    """Stream an upload into storage; a ZIP bundle's members become files of their own."""
    ident = uuid.uuid4()
    key = _key(principal.organization_id, ident)
    head = _Head(chunks)
    size = await storage.write(key, head.__aiter__(), max_bytes=settings.ingest.max_upload_bytes)
    if size == 0:
        await storage.delete(key)
        raise DocumentError("the uploaded file is empty", code=ErrorCode.DOCUMENT_EMPTY)
    if extension and formats.normalize(extension) is None:
        await storage.delete(key)
        raise UnsupportedDocument(f"{extension!r} is not a file extension")
    # A useless ?extension= (the SDK sends none) should not hide what the bytes say.
    try:
        kind = formats.upload_kind(extension, filename if filename != "upload" else None, head.head)
    except UnsupportedDocument:
        await storage.delete(key)
        raise
    file = File(
        id=ident,
        organization_id=principal.organization_id,
        key=key,
        filename=filename,
        extension=kind,
        size=size,
        status="ready",
        created_by=principal.subject,
    )
    session.add(file)
    await session.flush()
    members: list[File] = []
    if kind == "zip":
        try:
            members = await _expand_bundle(session, storage, settings, principal, file)
        except DocumentError:
            await storage.delete(key)
            raise
    return file, members


async def _expand_bundle(
    session: AsyncSession, storage: BlobStore, settings: Settings, principal: Principal, bundle: File
) -> list[File]:
    with tempfile.TemporaryDirectory(prefix="docuforge-zip-") as tmp:
        local = Path(tmp) / "bundle.zip"
        async with await anyio.open_file(local, "wb") as handle:
            async for chunk in storage.read(bundle.key):
                await handle.write(chunk)
        reader = BundleReader(local, settings.ingest)
        await anyio.to_thread.run_sync(reader.check)
        members: list[File] = []
        try:
            async for name, data in reader.members_with_data():
                ident = uuid.uuid4()
                key = _key(principal.organization_id, ident)
                head = _Head(data)
                size = await storage.write(key, head.__aiter__())
                members.append(
                    File(
                        id=ident,
                        organization_id=principal.organization_id,
                        key=key,
                        filename=name,
                        extension=formats.detect(None, name, head.head),
                        size=size,
                        status="ready",
                        bundle_id=bundle.id,
                        created_by=principal.subject,
                    )
                )
        except BaseException:
            for member in members:
                await storage.delete(member.key)
            raise
    session.add_all(members)
    await session.flush()
    return members


async def presign_upload(
    session: AsyncSession, storage: BlobStore, settings: Settings, principal: Principal, extension: str | None
) -> tuple[File, str]:
    """A file row waiting for its bytes, and the URL to PUT them to."""
    ident = uuid.uuid4()
    file = File(
        id=ident,
        organization_id=principal.organization_id,
        key=_key(principal.organization_id, ident),
        extension=formats.normalize(extension),
        status="pending",
        created_by=principal.subject,
    )
    session.add(file)
    await session.flush()
    return file, storage.url(incoming_key(file), "PUT", expires_in=settings.storage.url_expiry)


async def ensure_uploaded(
    session: AsyncSession, storage: BlobStore, file: File, expected_size: int | None = None
) -> File:
    """A presigned file is usable once its bytes are there; learn its size and kind then."""
    if file.status == "ready":
        return file
    incoming = incoming_key(file)
    info = await storage.stat(incoming)
    moved = info is None
    if moved:
        # Moved by an earlier completion whose transaction then failed: nothing else writes here.
        info = await storage.stat(file.key)
    if info is None:
        raise DocumentError(
            "nothing has been uploaded to this file's presigned URL yet", code=ErrorCode.DOCUMENT_EMPTY
        )
    if expected_size is not None and info.size != expected_size:
        raise DocumentError(
            f"the upload has {info.size} bytes, not the {expected_size} announced",
            code=ErrorCode.DOCUMENT_CORRUPT,
        )
    if info.size == 0:
        raise DocumentError("the uploaded file is empty", code=ErrorCode.DOCUMENT_EMPTY)
    head = b""
    async for chunk in storage.read(info.key, version=info.version):
        head += chunk
        if len(head) >= _HEAD:
            break
    # The same judgement as a streamed upload; the file stays pending, so a corrected PUT may follow.
    file.extension = formats.upload_kind(file.extension, file.filename, head[:_HEAD])
    file.size = info.size
    file.version = info.version if moved else await storage.move(incoming, file.key, version=info.version)
    file.status = "ready"
    await session.flush()
    return file


async def delete_file(session: AsyncSession, storage: BlobStore, principal: Principal, text: str) -> File:
    file = await get_file(session, principal, text)
    members = list((await session.execute(select(File).where(File.bundle_id == file.id))).scalars())
    for doomed in [*members, file]:
        await storage.delete(doomed.key)
        # A presigned URL may have been used again after completion (or never completed).
        await storage.delete(incoming_key(doomed))
        await session.delete(doomed)
    await session.flush()
    return file


async def list_files(
    session: AsyncSession,
    principal: Principal,
    *,
    limit: int,
    offset: int,
    status: str | None = None,
    extension: str | None = None,
) -> tuple[list[File], int]:
    """The organization's uploads, newest first."""
    query = scoped(select(File), File, principal)
    if status:
        query = query.where(File.status == status)
    if extension:
        query = query.where(File.extension == (formats.normalize(extension) or extension.lower()))
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(File.created_at.desc(), File.id).limit(limit).offset(offset))
    return list(rows), int(total or 0)


def file_view(file: File, bundles: dict[uuid.UUID, File]) -> FileView:
    bundle = bundles.get(file.bundle_id) if file.bundle_id else None
    return FileView(
        file_id=file_id(file),
        filename=file.filename,
        size=file.size,
        extension=file.extension,
        status="pending" if file.status == "pending" else "ready",
        bundle_id=file_id(bundle) if bundle is not None else None,
        created_at=file.created_at,
    )


async def file_views(session: AsyncSession, rows: list[File]) -> list[FileView]:
    """The rows as the API shows them; a member names its bundle by the bundle's own file_id."""
    wanted = {row.bundle_id for row in rows if row.bundle_id is not None}
    bundles: dict[uuid.UUID, File] = {}
    if wanted:
        found = await session.scalars(select(File).where(File.id.in_(wanted)))
        bundles = {bundle.id: bundle for bundle in found}
    return [file_view(row, bundles) for row in rows]
