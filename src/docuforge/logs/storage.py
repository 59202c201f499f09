"""Where a job's Parquet lives: blobs in the store; a local path for DuckDB to read.

On the local store DuckDB reads the blob files where they lie. On S3 the files are fetched once
into a cache under the data dir and read there: it needs no DuckDB extension (httpfs would have
to be downloaded at run time or pinned to DuckDB's exact version), works offline, and a job's
Parquet never changes once written, so a cached copy never goes stale (cache.py bounds its size).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import anyio

from docuforge.logs.cache import CacheLimits, fetch, job_folder
from docuforge.storage import CHUNK, BlobStore

FILES = ("records.parquet", "malformed.parquet", "rollup.parquet")


def key(organization_id: uuid.UUID, job_id: uuid.UUID, name: str) -> str:
    return f"logs/{organization_id}/{job_id}/{name}"


async def _chunks(path: Path):  # type: ignore[no-untyped-def]
    async with await anyio.open_file(path, "rb") as handle:
        while chunk := await handle.read(CHUNK):
            yield chunk


async def store(storage: BlobStore, organization_id: uuid.UUID, job_id: uuid.UUID, folder: Path) -> list[str]:
    """Upload the job's Parquet files; returns their keys (deleted with the job)."""
    keys = []
    for name in FILES:
        blob = key(organization_id, job_id, name)
        await storage.write(blob, _chunks(folder / name))
        keys.append(blob)
    return keys


async def local_files(
    storage: BlobStore,
    cache_dir: Path,
    organization_id: uuid.UUID,
    job_id: uuid.UUID,
    bounds: CacheLimits | None = None,
) -> tuple[Path, Path, Path]:
    """(records, malformed, rollup) Parquet of a job as local files DuckDB can read."""
    paths = []
    for name in FILES:
        blob = key(organization_id, job_id, name)
        direct = getattr(storage, "path", None)
        if direct is not None:  # the local store: read in place
            paths.append(direct(blob))
            continue
        target = job_folder(cache_dir, organization_id, job_id) / name
        paths.append(await fetch(storage, blob, target, bounds))
    return paths[0], paths[1], paths[2]
