"""A service whose jobs really run: its own committed database (no rolled-back transaction,
since workers commit on their own connections), the test job types, quick timers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from tests.conftest import asgi_client, make_settings, running_app
from tests.fixtures.database import create_postgres_database, drop_postgres_database
from tests.fixtures.identity import Tenant, make_tenant

from docuforge import migrations
from docuforge.config import Settings
from docuforge.db import Database
from docuforge.server import create_app

FAST_JOBS = {
    "task_modules": ["tests.jobs.tasks"],
    "lease_seconds": 3,
    "poll_interval": 0.2,
    "retry_base_delay": 0.1,
    "retry_max_delay": 0.5,
    "process_workers": 2,
}


@pytest.fixture
async def fresh_database_url(database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    if database_url.startswith("postgresql"):
        url = await create_postgres_database()
        yield url
        await drop_postgres_database(url)
    else:
        yield f"sqlite:///{tmp_path / 'jobs.db'}"


def job_settings(data_dir: Path, database_url: str, **overrides: Any) -> Settings:
    jobs = FAST_JOBS | overrides.pop("jobs", {})
    return make_settings(
        data_dir,
        database_url,
        jobs=jobs,
        ingest={"url_allowlist": ["127.0.0.1/32"], **overrides.pop("ingest", {})},
        webhooks={"retry_base_delay": 0.2, "timeout": 5},
        rate_limits={"enabled": False},
        **overrides,
    )


@pytest.fixture
def jobs_settings(tmp_path: Path, fresh_database_url: str) -> Settings:
    return job_settings(tmp_path / "data", fresh_database_url)


@pytest.fixture
async def jobs_app(jobs_settings: Settings) -> AsyncIterator[FastAPI]:
    database = Database(jobs_settings)
    await migrations.upgrade(database.engine)
    await database.dispose()
    async for app in running_app(create_app(jobs_settings, configure_logs=False)):
        yield app


@pytest.fixture
async def jobs_client(jobs_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(jobs_app) as http:
        yield http


@pytest.fixture
async def jobs_tenant(jobs_app: FastAPI) -> Tenant:
    async with jobs_app.state.db.session() as session:
        return await make_tenant(session)


async def submit(
    client: httpx.AsyncClient,
    tenant: Tenant,
    type: str,
    config: dict | None = None,
    content: bytes = b"%PDF-1.4 test",
) -> str:
    """A job through the two-phase ingest: announce, PUT the bytes, complete."""
    init = await client.post(
        "/ingest/files/init",
        json={"name": "doc.pdf", "size": len(content), "type": type, "config": config or {}},
        headers=tenant.member.headers,
    )
    assert init.status_code == 201, init.text
    body = init.json()
    url = httpx.URL(body["presigned_url"])
    put = await client.put(f"{url.path}?{url.query.decode()}", content=content)
    assert put.status_code == 200, put.text
    done = await client.post(
        "/ingest/files/complete", json={"job_id": body["job_id"]}, headers=tenant.member.headers
    )
    assert done.status_code == 200, done.text
    return body["job_id"]


async def wait_for(
    client: httpx.AsyncClient,
    tenant: Tenant,
    job_id: str,
    until: Callable[[dict], bool] = lambda job: job["status"] in ("Completed", "Failed"),
    timeout: float = 30,
) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        response = await client.get(f"/job/{job_id}", headers=tenant.member.headers)
        assert response.status_code == 200, response.text
        job = response.json()
        if until(job):
            return job
        assert time.monotonic() < deadline, f"job {job_id} stuck: {job}"
        await asyncio.sleep(0.1)
