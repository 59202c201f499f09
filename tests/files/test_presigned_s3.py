"""A presigned upload on S3 (a real moto server process) is single-use: S3 itself accepts a PUT to
the URL after completion, but the completed file lives at another key, so the PUT changes nothing
a reader sees."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from tests.fixtures.identity import Tenant
from tests.fixtures.processes import s3_server

from docuforge.config import Settings
from docuforge.files import service
from docuforge.storage import BlobStore, open_store

COMPLETED = b"%PDF-1.4\n" + b"1" * 200
REPLACEMENT = b"%PDF-1.4\n" + b"2" * 900


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as url:
        yield url


@pytest.fixture
async def s3(s3_endpoint: str, tmp_path: Path) -> AsyncIterator[tuple[Settings, BlobStore]]:
    settings = Settings(
        _env_file=None,
        env="test",
        data_dir=tmp_path,
        storage={
            "backend": "s3",
            "s3": {
                "endpoint_url": s3_endpoint,
                "bucket": f"b-{tmp_path.name[-12:].lower().replace('_', '-')}",
                "access_key_id": "testing",
                "secret_access_key": "testing",
                "create_bucket": True,
            },
        },
    )
    store = open_store(settings)
    await store.check()
    yield settings, store
    await store.close()


async def test_a_put_after_completion_leaves_the_completed_object(
    s3: tuple[Settings, BlobStore], db_session: AsyncSession, tenant: Tenant
) -> None:
    settings, store = s3
    principal = tenant.member.principal
    file, url = await service.presign_upload(db_session, store, settings, principal, "pdf")
    async with httpx.AsyncClient() as http:
        assert (await http.put(url, content=COMPLETED)).status_code == 200
        file = await service.ensure_uploaded(db_session, store, file, expected_size=len(COMPLETED))
        assert file.status == "ready" and file.size == len(COMPLETED)
        # The upload key is gone: the file's bytes are at its own key, which no URL writes.
        assert await store.stat(service.incoming_key(file)) is None
        again = await http.put(url, content=REPLACEMENT)
    assert again.status_code == 200  # S3 cannot refuse it; what matters is that nobody reads it
    stored = b"".join([chunk async for chunk in store.read(file.key, version=file.version)])
    assert stored == COMPLETED
    info = await store.stat(file.key)
    assert info is not None and info.size == file.size == len(COMPLETED) and info.version == file.version
    # Completing again (a retried request) keeps the file as it was completed.
    assert (await service.ensure_uploaded(db_session, store, file)).version == file.version
    await service.delete_file(db_session, store, principal, service.file_id(file))
    assert await store.stat(file.key) is None and await store.stat(service.incoming_key(file)) is None


async def test_a_completion_whose_transaction_failed_can_be_completed_again(
    s3: tuple[Settings, BlobStore], db_session: AsyncSession, tenant: Tenant
) -> None:
    settings, store = s3
    file, url = await service.presign_upload(db_session, store, settings, tenant.member.principal, None)
    async with httpx.AsyncClient() as http:
        assert (await http.put(url, content=COMPLETED)).status_code == 200
    info = await store.stat(service.incoming_key(file))
    assert info is not None and info.version
    # The object was moved, but the row that says so was never committed: the file is still pending.
    await store.move(service.incoming_key(file), file.key, version=info.version)
    completed = await service.ensure_uploaded(db_session, store, file)
    assert completed.status == "ready" and completed.extension == "pdf" and completed.size == len(COMPLETED)
    assert b"".join([c async for c in store.read(file.key, version=completed.version)]) == COMPLETED
