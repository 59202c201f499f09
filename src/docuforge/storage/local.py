"""Blobs in a local directory, with HMAC-signed URLs the service serves itself."""

from __future__ import annotations

import hashlib
import hmac
import os
import time
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path
from urllib.parse import quote, urlencode

import anyio

from docuforge.config import Settings
from docuforge.errors import NotFound
from docuforge.storage import CHUNK, BlobInfo, BlobReplaced, Method, check_key, limit_stream

URL_PREFIX = "/blobs/"


def signature(secret: bytes, method: str, key: str, expires: int) -> str:
    message = f"{method}\n{key}\n{expires}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def verify(secret: bytes, method: str, key: str, expires: int, sig: str) -> bool:
    if expires < time.time():
        return False
    return hmac.compare_digest(signature(secret, method, key, expires), sig)


def _version(info: os.stat_result) -> str:
    return f"{info.st_ino:x}-{info.st_mtime_ns:x}-{info.st_size:x}"


class LocalStore:
    def __init__(self, settings: Settings) -> None:
        self.root = settings.blob_dir
        self.root.mkdir(parents=True, exist_ok=True)
        self._secret = settings.derived_key("blob-url")
        self._base_url = settings.server.base_url
        self._default_expiry = settings.storage.url_expiry

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    async def write(self, key: str, chunks: AsyncIterable[bytes], *, max_bytes: int | None = None) -> int:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write aside and rename: a reader never sees half an object, and a failed upload leaves nothing.
        tmp = target.parent / f".tmp-{uuid.uuid4().hex}"
        size = 0
        try:
            async with await anyio.open_file(tmp, "wb") as handle:
                async for chunk in limit_stream(chunks, max_bytes):
                    await handle.write(chunk)
                    size += len(chunk)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return size

    async def read(self, key: str, *, version: str | None = None) -> AsyncIterator[bytes]:
        path = self.path(key)
        try:
            handle = await anyio.open_file(path, "rb")
        except FileNotFoundError:
            raise NotFound(f"blob {key} does not exist") from None
        async with handle:
            # The open file's own identity: a replacement (always a rename) is another inode.
            if version is not None and _version(os.fstat(handle.wrapped.fileno())) != version:
                raise BlobReplaced(f"blob {key} was replaced after it was recorded")
            while chunk := await handle.read(CHUNK):
                yield chunk

    async def stat(self, key: str) -> BlobInfo | None:
        try:
            info = self.path(key).stat()
        except FileNotFoundError:
            return None
        return BlobInfo(key=key, size=info.st_size, version=_version(info))

    async def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    async def move(self, source: str, target: str, *, version: str) -> str:
        path, destination = self.path(source), self.path(target)
        try:
            if _version(path.stat()) != version:
                raise BlobReplaced(f"blob {source} was replaced after it was recorded")
        except FileNotFoundError:
            raise NotFound(f"blob {source} does not exist") from None
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, destination)  # a rename keeps the inode: the version stays the same
        return _version(destination.stat())

    def url(
        self, key: str, method: Method = "GET", expires_in: int | None = None, content_type: str | None = None
    ) -> str:
        # content_type is not needed here: the service serves each object by what its bytes are.
        expires = int(time.time()) + (expires_in or self._default_expiry)
        query = urlencode(
            {"expires": expires, "sig": signature(self._secret, method, check_key(key), expires)}
        )
        return f"{self._base_url}{URL_PREFIX}{quote(key)}?{query}"

    def verify(self, method: str, key: str, expires: int, sig: str) -> bool:
        return verify(self._secret, method, key, expires, sig)

    async def check(self) -> None:
        # Readiness means we can write: a full or read-only disk fails here rather than on an upload.
        probe = self.root / f".health-{os.getpid()}"
        await anyio.Path(probe).write_bytes(b"ok")
        await anyio.Path(probe).unlink()

    async def close(self) -> None:
        return None
