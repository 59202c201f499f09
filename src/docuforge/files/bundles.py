"""ZIP bundles: each member becomes a file, unless the archive is hostile.

Refused, with ARCHIVE_REJECTED: members whose path is absolute or climbs out (zip-slip),
symbolic links, more members than allowed, more expanded bytes than allowed (counted as they
are read, not taken from the headers), members compressed beyond a sane ratio (zip bombs), and
archives nested more than one level deep.
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import anyio

from docuforge.config import IngestSettings
from docuforge.errors import DocumentError, ErrorCode

CHUNK = 1024 * 1024
_RATIO_FLOOR = 64 * 1024  # small members may compress well without being bombs


class ArchiveRejected(DocumentError):
    code = ErrorCode.ARCHIVE_REJECTED


@dataclass(frozen=True)
class Member:
    path: str  # inside the bundle, nested archives as "inner.zip/doc.pdf"
    size: int


def _safe_name(name: str) -> str:
    if "\x00" in name or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise ArchiveRejected(f"the archive holds an absolute path: {name!r}")
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if any(part == ".." for part in parts):
        raise ArchiveRejected(f"the archive holds a path that climbs out of it: {name!r}")
    return "/".join(part for part in parts if part not in ("", "."))


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


class BundleReader:
    """Checks an archive on disk and walks its members (and those of archives one level in)."""

    def __init__(self, path: Path, limits: IngestSettings) -> None:
        self.path = path
        self.limits = limits
        self.members = 0
        self.expanded = 0

    def _entries(self, archive: zipfile.ZipFile, depth: int) -> Iterator[zipfile.ZipInfo]:
        for info in archive.infolist():
            name = _safe_name(info.filename)
            if info.is_dir() or not name:
                continue
            if _is_symlink(info):
                raise ArchiveRejected(f"the archive holds a symbolic link: {name!r}")
            self.members += 1
            if self.members > self.limits.zip_max_members:
                raise ArchiveRejected(f"the archive holds more than {self.limits.zip_max_members} files")
            if info.file_size >= _RATIO_FLOOR and info.file_size > self.limits.zip_max_ratio * max(
                1, info.compress_size
            ):
                raise ArchiveRejected(
                    f"{name!r} is compressed {info.file_size // max(1, info.compress_size)}:1 (a zip bomb?)"
                )
            if name.lower().endswith(".zip") and depth >= 1:
                raise ArchiveRejected(f"archives nested more than one level deep are refused: {name!r}")
            yield info

    def _count(self, amount: int) -> None:
        self.expanded += amount
        if self.expanded > self.limits.zip_max_expanded_bytes:
            raise ArchiveRejected(
                f"the archive expands to more than {self.limits.zip_max_expanded_bytes} bytes"
            )

    def check(self) -> list[Member]:
        """Walk everything once without keeping it: refuse early, before anything is stored."""
        listed: list[Member] = []
        for path, size, _ in self._walk(read=False):
            listed.append(Member(path=path, size=size))
        return listed

    def _walk(self, read: bool) -> Iterator[tuple[str, int, zipfile.ZipExtFile | None]]:
        self.members = self.expanded = 0
        try:
            with zipfile.ZipFile(self.path) as outer:
                for info in self._entries(outer, depth=0):
                    name = _safe_name(info.filename)
                    if name.lower().endswith(".zip"):
                        with outer.open(info) as nested_file, zipfile.ZipFile(nested_file) as nested:
                            for inner in self._entries(nested, depth=1):
                                inner_name = f"{name}/{_safe_name(inner.filename)}"
                                with nested.open(inner) as handle:
                                    yield inner_name, inner.file_size, handle if read else self._drain(handle)
                        continue
                    with outer.open(info) as handle:
                        yield name, info.file_size, handle if read else self._drain(handle)
        except zipfile.BadZipFile as error:
            raise ArchiveRejected(f"not a readable ZIP archive: {error}") from None
        except (RuntimeError, NotImplementedError) as error:  # encrypted members, unknown compression
            raise ArchiveRejected(f"cannot read the archive: {error}") from None

    def _drain(self, handle: zipfile.ZipExtFile) -> None:
        # The headers may lie about sizes; count what really comes out.
        while chunk := handle.read(CHUNK):
            self._count(len(chunk))

    async def members_with_data(self) -> AsyncIterator[tuple[str, AsyncIterator[bytes]]]:
        """Each member with a stream of its bytes (run `check` first)."""
        walk = self._walk(read=True)
        while True:
            item = await anyio.to_thread.run_sync(next, walk, None)
            if item is None:
                return
            name, _, handle = item
            assert handle is not None
            yield name, self._stream(handle)

    async def _stream(self, handle: zipfile.ZipExtFile) -> AsyncIterator[bytes]:
        while chunk := await anyio.to_thread.run_sync(handle.read, CHUNK):
            self._count(len(chunk))
            yield chunk
