"""Blob storage: uploads, results and page images, on a local directory or an S3-compatible store.

Both backends stream in both directions (a 2 GB upload never sits in memory) and hand out
time-limited URLs to read or write one object: S3 presigned URLs, or HMAC-signed URLs that the
service itself serves (``files/signed_urls.py``).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from typing import Literal, Protocol

from docuforge.config import Settings, StorageBackend
from docuforge.errors import DocumentError, ErrorCode, InvalidRequest, PayloadTooLarge

Method = Literal["GET", "PUT"]
CHUNK = 256 * 1024
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-=/]{0,511}$")


@dataclass(frozen=True, slots=True)
class BlobInfo:
    key: str
    size: int
    # Changes whenever the object is replaced (S3's ETag; inode, mtime and size on a disk).
    version: str | None = None


class BlobStore(Protocol):
    async def write(self, key: str, chunks: AsyncIterable[bytes], *, max_bytes: int | None = None) -> int:
        """Store the stream under key and return its size; raise PayloadTooLarge past max_bytes."""

    def read(self, key: str, *, version: str | None = None) -> AsyncIterator[bytes]:
        """Stream the object's bytes; NotFound if it does not exist, BlobReplaced if not `version`."""

    async def stat(self, key: str) -> BlobInfo | None: ...

    async def delete(self, key: str) -> None: ...

    async def move(self, source: str, target: str, *, version: str) -> str:
        """Move source's object to target if it is still `version` (else BlobReplaced); its new version."""

    def url(
        self, key: str, method: Method = "GET", expires_in: int | None = None, content_type: str | None = None
    ) -> str:
        """A link that reads (GET) or writes (PUT) this one object; a GET serves `content_type`."""

    async def check(self) -> None:
        """Raise if the store cannot be reached (readiness probe)."""

    async def close(self) -> None: ...


class BlobReplaced(DocumentError):
    """The object is not the one recorded (a presigned URL was used again after completion)."""

    code = ErrorCode.DOCUMENT_CORRUPT


def check_key(key: str) -> str:
    """Keys are relative paths of safe characters; anything else is refused before it reaches a disk."""
    if not _KEY.match(key) or any(part in ("", ".", "..") for part in key.split("/")):
        raise InvalidRequest(f"invalid blob key: {key!r}")
    return key


async def limit_stream(chunks: AsyncIterable[bytes], max_bytes: int | None) -> AsyncIterator[bytes]:
    total = 0
    async for chunk in chunks:
        total += len(chunk)
        if max_bytes is not None and total > max_bytes:
            raise PayloadTooLarge(f"the upload exceeds the limit of {max_bytes} bytes")
        yield chunk


async def iterate(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), CHUNK):
        yield data[start : start + CHUNK]
    if not data:
        yield b""


async def write_bytes(store: BlobStore, key: str, data: bytes) -> int:
    return await store.write(key, iterate(data))


async def read_bytes(store: BlobStore, key: str, max_bytes: int | None = None) -> bytes:
    """The whole object, for blobs known to be small (results, configs)."""
    return b"".join([chunk async for chunk in limit_stream(store.read(key), max_bytes)])


def open_store(settings: Settings) -> BlobStore:
    if settings.storage.backend is StorageBackend.s3:
        from docuforge.storage.s3 import S3Store

        return S3Store(settings)
    from docuforge.storage.local import LocalStore

    return LocalStore(settings)
