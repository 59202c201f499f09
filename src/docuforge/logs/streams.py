"""A log file as a stream of bytes: plain, gzip or zstd, told apart by their magic numbers.

The count of *compressed* bytes read is the job's progress: it is what the file's size measures.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import zstandard

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
READ_SIZE = 1024 * 1024


class CountingReader(io.RawIOBase):
    """Counts the bytes read from the file underneath (for progress)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        read = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        self.count += read or 0
        return read

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.count += len(data)
        return data

    def close(self) -> None:
        self.raw.close()
        super().close()


def compression_of(head: bytes) -> str | None:
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(ZSTD_MAGIC):
        return "zstd"
    return None


class LogStream:
    """The decompressed bytes of a log file, with how much of the file has been read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self._counter = CountingReader(open(path, "rb"))
        with open(path, "rb") as probe:
            self.compression = compression_of(probe.read(4))
        self.stream: BinaryIO
        if self.compression == "gzip":
            self.stream = gzip.GzipFile(fileobj=io.BufferedReader(self._counter, READ_SIZE))  # type: ignore[assignment]
        elif self.compression == "zstd":
            reader = zstandard.ZstdDecompressor().stream_reader(self._counter, read_size=READ_SIZE)
            self.stream = io.BufferedReader(reader, READ_SIZE)  # type: ignore[arg-type]
        else:
            self.stream = io.BufferedReader(self._counter, READ_SIZE)  # type: ignore[assignment]

    @property
    def bytes_read(self) -> int:
        return self._counter.count

    def fraction(self) -> float:
        return min(1.0, self.bytes_read / self.size) if self.size else 1.0

    def close(self) -> None:
        self.stream.close()
        self._counter.close()

    def __enter__(self) -> LogStream:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def head(path: Path, size: int = 64 * 1024) -> bytes:
    """The first decompressed bytes of a file (for sniffing its format)."""
    with LogStream(path) as log:
        return log.stream.read(size)


def lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes, bool]]:
    """(line number from 1, the line without its end, whether it was cut at max_bytes).

    An endless line is read a chunk at a time and its rest skipped, never held whole.
    """
    readline = stream.readline
    number = 0
    while raw := readline(max_bytes):
        number += 1
        cut = False
        if len(raw) == max_bytes and not raw.endswith(b"\n"):
            cut = True
            while rest := readline(max_bytes):
                if rest.endswith(b"\n"):
                    break
        yield number, raw.rstrip(b"\r\n"), cut
