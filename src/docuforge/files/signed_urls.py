"""Serves the local store's signed URLs: GET reads an object, PUT writes one (presigned uploads)."""

from __future__ import annotations

import mimetypes

from fastapi import Query, Request
from fastapi.responses import FileResponse
from sqlalchemy import select

from docuforge.db import SessionDep
from docuforge.deps import SettingsDep, StorageDep
from docuforge.errors import NotFound, PermissionDenied
from docuforge.files.service import completed_key
from docuforge.load import detect as formats
from docuforge.models import File
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router
from docuforge.storage.local import URL_PREFIX, LocalStore

router = make_router(
    RouteGroup.upload, prefix=URL_PREFIX.rstrip("/"), tags=["blobs"], include_in_schema=False
)


def _local(store: object) -> LocalStore:
    if not isinstance(store, LocalStore):
        raise NotFound("signed blob URLs are served by the storage backend, not by this service")
    return store


def _authorize(store: LocalStore, method: str, key: str, expires: int, sig: str) -> None:
    # One answer for a bad, expired or foreign signature: nothing to learn by probing.
    if not store.verify(method, key, expires, sig):
        raise PermissionDenied("the link is invalid or has expired")


@router.get("/{key:path}")
async def read_blob(
    key: str, storage: StorageDep, expires: int = Query(), sig: str = Query()
) -> FileResponse:
    store = _local(storage)
    _authorize(store, "GET", key, expires, sig)
    path = store.path(key)
    if not path.is_file():
        raise NotFound("the object does not exist")
    # Keys carry no extension (uploads are named by id): the bytes say what the object is.
    with path.open("rb") as handle:
        kind = formats.sniff(handle.read(8192))
    return FileResponse(
        path, media_type=media_type(kind, key), headers={"Cache-Control": "private, no-store"}
    )


def media_type(kind: str | None, key: str) -> str:
    guessed = mimetypes.guess_type(f"x.{kind}")[0] if kind else None
    return guessed or mimetypes.guess_type(key)[0] or "application/octet-stream"


@router.put("/{key:path}")
async def write_blob(
    key: str,
    request: Request,
    storage: StorageDep,
    settings: SettingsDep,
    session: SessionDep,
    expires: int = Query(),
    sig: str = Query(),
) -> dict[str, object]:
    store = _local(storage)
    _authorize(store, "PUT", key, expires, sig)
    # A presigned upload URL is single-use: once its file is complete, the object is what was completed.
    status = await session.scalar(select(File.status).where(File.key == completed_key(key)))
    if status is not None and status != "pending":
        raise PermissionDenied("this upload link was already used: its file is complete")
    size = await store.write(key, request.stream(), max_bytes=settings.ingest.max_upload_bytes)
    return {"key": key, "size": size}
