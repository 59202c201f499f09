"""The query cache of log Parquet fetched from an object store: bounded by size and age, least
recently used first, never a copy in use, and a deleted job's copies go with it."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from docuforge.config import Settings
from docuforge.jobs import registry
from docuforge.logs import cache
from docuforge.storage.local import LocalStore

ORG = uuid.UUID(int=1)


def put(root: Path, job: uuid.UUID, name: str, size: int, used: float) -> Path:
    path = cache.job_folder(root, ORG, job) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    os.utime(path, (used, used))
    return path


def test_least_recently_used_go_until_the_cache_fits(tmp_path: Path) -> None:
    now = time.time()
    jobs = [uuid.UUID(int=n) for n in range(4)]
    old = put(tmp_path, jobs[0], "records.parquet", 400, now - 5000)
    older = put(tmp_path, jobs[1], "records.parquet", 400, now - 9000)
    recent = put(tmp_path, jobs[2], "records.parquet", 400, now - 1000)
    in_use = put(tmp_path, jobs[3], "records.parquet", 400, now - 10)
    removed = cache.prune(tmp_path, cache.CacheLimits(max_bytes=900, max_age_seconds=86400), now=now)
    assert removed == [older, old]
    assert recent.exists() and in_use.exists()
    assert not cache.job_folder(tmp_path, ORG, jobs[0]).exists()  # its emptied folder goes too
    # Copies in use stay even over the size: a query is about to open them.
    removed = cache.prune(tmp_path, cache.CacheLimits(max_bytes=0, max_age_seconds=86400), now=now)
    assert removed == [recent] and in_use.exists()


def test_copies_unused_past_the_age_go_and_abandoned_downloads(tmp_path: Path) -> None:
    now = time.time()
    job = uuid.UUID(int=7)
    stale = put(tmp_path, job, "records.parquet", 10, now - 3 * 86400)
    fresh = put(tmp_path, job, "rollup.parquet", 10, now - 600)
    abandoned = put(tmp_path, job, "malformed.abc.part", 10, now - 2 * cache.PARTIAL_SECONDS)
    writing = put(tmp_path, job, "records.def.part", 10, now - 5)
    removed = cache.prune(tmp_path, cache.CacheLimits(max_bytes=10**9, max_age_seconds=86400), now=now)
    assert sorted(removed) == sorted([stale, abandoned])
    assert fresh.exists() and writing.exists()


async def test_fetch_downloads_once_touches_and_prunes(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    store = LocalStore(settings)
    await store.write("logs/a/records.parquet", _chunks(b"parquet bytes"))
    root = tmp_path / "cache"
    now = time.time()
    evicted = put(root, uuid.UUID(int=9), "records.parquet", 100, now - 10_000)
    target = cache.job_folder(root, ORG, uuid.UUID(int=10)) / "records.parquet"
    limits = cache.CacheLimits(max_bytes=50, max_age_seconds=86400)
    assert await cache.fetch(store, "logs/a/records.parquet", target, limits) == target
    assert target.read_bytes() == b"parquet bytes" and not evicted.exists()
    assert not list(target.parent.glob("*.part"))
    os.utime(target, (now - 4000, now - 4000))
    await store.delete("logs/a/records.parquet")  # a hit never reads the store again
    assert await cache.fetch(store, "logs/a/records.parquet", target, limits) == target
    assert target.stat().st_mtime > now - 60  # touched: it is the most recently used now


async def test_a_deleted_log_job_leaves_the_cache(tmp_path: Path) -> None:
    import docuforge.logs.tasks  # noqa: F401 - registers the "logs" job type

    settings = Settings(data_dir=tmp_path / "data")
    root = cache.directory(settings)
    job, other = uuid.UUID(int=20), uuid.UUID(int=21)
    kept = put(root, other, "records.parquet", 10, time.time())
    put(root, job, "records.parquet", 10, time.time())
    await registry.deleted("logs", registry.DeletedJob(settings, None, ORG, job))
    assert not cache.job_folder(root, ORG, job).exists() and kept.exists()
    await registry.deleted("parse", registry.DeletedJob(settings, None, ORG, other))  # keeps nothing here
    assert kept.exists()


async def _chunks(data: bytes):  # type: ignore[no-untyped-def]
    yield data
