"""One behaviour suite for every blob store: local directory and S3 (a real moto server process)."""

from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from tests.fixtures.processes import s3_server

from docuforge.config import Settings
from docuforge.errors import InvalidRequest, NotFound, PayloadTooLarge
from docuforge.storage import BlobReplaced, BlobStore, iterate, open_store, read_bytes, write_bytes


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as url:
        yield url


def store_settings(kind: str, tmp_path: Path, endpoint: str | None) -> Settings:
    storage: dict[str, object] = {"backend": kind}
    if kind == "s3":
        storage["s3"] = {
            "endpoint_url": endpoint,
            "bucket": f"b-{tmp_path.name[-12:].lower().replace('_', '-')}",
            "access_key_id": "testing",
            "secret_access_key": "testing",
            "create_bucket": True,
            "part_size": 5 * 1024 * 1024,
        }
    return Settings(_env_file=None, env="test", data_dir=tmp_path, storage=storage)


@pytest.fixture(params=["local", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BlobStore]:
    endpoint = request.getfixturevalue("s3_endpoint") if request.param == "s3" else None
    blob_store = open_store(store_settings(request.param, tmp_path, endpoint))
    await blob_store.check()
    yield blob_store
    await blob_store.close()


async def generated(total: int, chunk: int = 64 * 1024) -> AsyncIterator[bytes]:
    block = bytes(range(256)) * (chunk // 256)
    sent = 0
    while sent < total:
        piece = block[: min(chunk, total - sent)]
        sent += len(piece)
        yield piece


async def test_write_read_stat_delete(store: BlobStore) -> None:
    assert await write_bytes(store, "uploads/a/report.pdf", b"%PDF-1.7 hello") == 14
    assert await read_bytes(store, "uploads/a/report.pdf") == b"%PDF-1.7 hello"
    info = await store.stat("uploads/a/report.pdf")
    assert info is not None and info.size == 14
    await store.delete("uploads/a/report.pdf")
    assert await store.stat("uploads/a/report.pdf") is None
    with pytest.raises(NotFound):
        await read_bytes(store, "uploads/a/report.pdf")


async def test_empty_object(store: BlobStore) -> None:
    assert await write_bytes(store, "empty.bin", b"") == 0
    assert await read_bytes(store, "empty.bin") == b""


async def test_multipart_stream_round_trips(store: BlobStore) -> None:
    size = 12 * 1024 * 1024 + 123  # three S3 parts of 5 MiB, the last one short
    assert await store.write("big/blob.bin", generated(size)) == size
    sent, received = hashlib.sha256(), hashlib.sha256()
    async for chunk in generated(size):
        sent.update(chunk)
    async for chunk in store.read("big/blob.bin"):
        received.update(chunk)
    assert received.hexdigest() == sent.hexdigest()


async def test_streaming_keeps_memory_flat(store: BlobStore) -> None:
    # 48 MiB in and out must never be held at once: the peak stays near one S3 part.
    size = 48 * 1024 * 1024
    tracemalloc.start()
    try:
        await store.write("flat/blob.bin", generated(size))
        read = 0
        async for chunk in store.read("flat/blob.bin"):
            read += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == size
    assert peak < 16 * 1024 * 1024, f"peak traced memory {peak / 2**20:.1f} MiB"


async def test_size_limit_stops_the_stream_and_leaves_nothing(store: BlobStore) -> None:
    with pytest.raises(PayloadTooLarge):
        await store.write("limited/blob.bin", generated(11 * 1024 * 1024), max_bytes=10 * 1024 * 1024)
    assert await store.stat("limited/blob.bin") is None


async def test_overwrite_replaces(store: BlobStore) -> None:
    await write_bytes(store, "k.txt", b"one")
    await write_bytes(store, "k.txt", b"two!")
    assert await read_bytes(store, "k.txt") == b"two!"


async def test_a_recorded_version_refuses_a_replaced_object(store: BlobStore) -> None:
    await write_bytes(store, "v/doc.pdf", b"%PDF-1.4 completed")
    info = await store.stat("v/doc.pdf")
    assert info is not None and info.version
    assert b"".join([c async for c in store.read("v/doc.pdf", version=info.version)]) == b"%PDF-1.4 completed"
    await write_bytes(store, "v/doc.pdf", b"%PDF-1.4 swapped in")  # a presigned PUT, used again
    with pytest.raises(BlobReplaced):
        async for _ in store.read("v/doc.pdf", version=info.version):
            pass


async def test_a_move_takes_the_checked_object_and_a_later_write_to_its_source_changes_nothing(
    store: BlobStore,
) -> None:
    await write_bytes(store, "incoming/o/f", b"%PDF-1.4 completed")
    info = await store.stat("incoming/o/f")
    assert info is not None and info.version
    version = await store.move("incoming/o/f", "uploads/o/f", version=info.version)
    assert await store.stat("incoming/o/f") is None
    await write_bytes(store, "incoming/o/f", b"%PDF-1.4 swapped in")  # the presigned PUT, used again
    moved = b"".join([c async for c in store.read("uploads/o/f", version=version)])
    assert moved == b"%PDF-1.4 completed"
    # An object changed between the check and the move is not moved.
    stale = await store.stat("incoming/o/f")
    assert stale is not None
    await write_bytes(store, "incoming/o/f", b"%PDF-1.4 raced in")
    with pytest.raises(BlobReplaced):
        await store.move("incoming/o/f", "uploads/o/g", version=stale.version or "")
    assert await store.stat("uploads/o/g") is None
    with pytest.raises(NotFound):
        await store.move("incoming/o/none", "uploads/o/h", version="x")


@pytest.mark.parametrize(
    "key", ["../escape", "/abs/path", "a/../../b", "a//b", "", "a\\b", "a/./b", ".hidden"]
)
async def test_hostile_keys_are_refused(store: BlobStore, key: str) -> None:
    with pytest.raises(InvalidRequest):
        await store.write(key, iterate(b"x"))


async def test_read_limit(store: BlobStore) -> None:
    await write_bytes(store, "five.txt", b"12345")
    with pytest.raises(PayloadTooLarge):
        await read_bytes(store, "five.txt", max_bytes=4)


async def test_s3_presigned_urls_read_and_write_without_credentials(s3_endpoint: str, tmp_path: Path) -> None:
    s3 = open_store(store_settings("s3", tmp_path, s3_endpoint))
    await s3.check()
    async with httpx.AsyncClient() as http:
        put = await http.put(s3.url("presigned/in.pdf", "PUT", expires_in=60), content=b"%PDF-1.4 presigned")
        assert put.status_code == 200
        got = await http.get(s3.url("presigned/in.pdf"))
        assert got.status_code == 200 and got.content == b"%PDF-1.4 presigned"
        assert got.headers["content-type"] == "application/pdf"  # stored untyped, served by its name
        typed = await http.get(s3.url("presigned/in.pdf", content_type="application/pdf"))
        assert typed.headers["content-type"] == "application/pdf"
    # Enforcing the signature is the S3 server's job (moto does not); the URL must carry one.
    assert "X-Amz-Signature=" in s3.url("presigned/in.pdf") and "X-Amz-Expires=3600" in s3.url(
        "presigned/in.pdf"
    )
    await s3.close()
