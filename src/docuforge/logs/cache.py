"""The local copies of log Parquet fetched from S3 to be queried: bounded by size and age.

A job's files never change once written, so a copy never goes stale; it only takes room. Every
use touches the copy, and after each fetch the least recently used copies go until the cache is
under its size, as do those unused for longer than its age. A copy used in the last minutes is
never removed (a query may be about to open it). Deleting a job (or its retention) removes its
copies at once.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import anyio

from docuforge.config import Settings
from docuforge.storage import BlobStore

IN_USE_SECONDS = 300.0  # a copy touched this recently is being queried: never evicted
PARTIAL_SECONDS = 3600.0  # a half-written download this old was abandoned


@dataclass(frozen=True)
class CacheLimits:
    max_bytes: int
    max_age_seconds: float


def directory(settings: Settings) -> Path:
    return settings.logfiles.cache_dir or settings.data_dir / "cache" / "logs"


def limits(settings: Settings) -> CacheLimits:
    return CacheLimits(settings.logfiles.cache_max_bytes, settings.logfiles.cache_max_age)


def job_folder(cache_dir: Path, organization_id: uuid.UUID, job_id: uuid.UUID) -> Path:
    return cache_dir / str(organization_id) / str(job_id)


async def fetch(storage: BlobStore, blob: str, target: Path, bounds: CacheLimits | None) -> Path:
    """The blob as a local file at target, downloaded on first use; a cache hit is touched."""
    if await anyio.to_thread.run_sync(_touch, target):
        return target
    await anyio.to_thread.run_sync(lambda: target.parent.mkdir(parents=True, exist_ok=True))
    partial = target.with_suffix(f".{uuid.uuid4().hex}.part")
    try:
        async with await anyio.open_file(partial, "wb") as handle:
            async for chunk in storage.read(blob):
                await handle.write(chunk)
        os.replace(partial, target)  # readers never see a half-written file
    finally:
        partial.unlink(missing_ok=True)
    if bounds is not None:
        # target is cache_dir/organization/job/name
        await anyio.to_thread.run_sync(prune, target.parents[2], bounds)
    return target


def _touch(target: Path) -> bool:
    """Mark a cached copy as just used; False when there is none."""
    try:
        os.utime(target)
    except FileNotFoundError:
        return False
    return True


def prune(cache_dir: Path, bounds: CacheLimits, now: float | None = None) -> list[Path]:
    """Remove copies unused for longer than the age, then the least recently used ones until the
    cache fits its size; returns what was removed."""
    now = time.time() if now is None else now
    files: list[tuple[float, int, Path]] = []
    removed: list[Path] = []
    for root, _dirs, names in os.walk(cache_dir):
        for name in names:
            path = Path(root) / name
            try:
                status = path.stat()
            except FileNotFoundError:
                continue
            if name.endswith(".part"):
                if now - status.st_mtime > PARTIAL_SECONDS:
                    path.unlink(missing_ok=True)
                    removed.append(path)
                continue
            files.append((status.st_mtime, status.st_size, path))
    files.sort()
    total = sum(size for _, size, _ in files)
    for used, size, path in files:
        idle = now - used
        if idle <= IN_USE_SECONDS:
            break  # sorted by last use: every later copy is in use too
        if idle > bounds.max_age_seconds or total > bounds.max_bytes:
            path.unlink(missing_ok=True)
            removed.append(path)
            total -= size
    for folder in {path.parent for path in removed}:
        for empty in (folder, folder.parent):
            try:
                empty.rmdir()  # only when nothing is left in it
            except OSError:
                break
    return removed


def forget(cache_dir: Path, organization_id: uuid.UUID, job_id: uuid.UUID) -> None:
    """Remove a deleted job's copies."""
    folder = job_folder(cache_dir, organization_id, job_id)
    shutil.rmtree(folder, ignore_errors=True)
    try:
        folder.parent.rmdir()
    except OSError:
        pass
