"""A service whose jobs really run, on the embedded default: SQLite, Chroma's persistent client on
the data dir, the in-process runner."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from tests.conftest import asgi_client, running_app
from tests.fixtures.identity import Tenant, make_tenant
from tests.jobs.conftest import job_settings

from docuforge import migrations
from docuforge.config import Settings
from docuforge.db import Database
from docuforge.server import create_app


@pytest.fixture
def embedded_settings(tmp_path: Path) -> Settings:
    return job_settings(tmp_path / "data", f"sqlite:///{tmp_path / 'workspaces.db'}")


async def started(settings: Settings) -> AsyncIterator[FastAPI]:
    database = Database(settings)
    await migrations.upgrade(database.engine)
    await database.dispose()
    async for app in running_app(create_app(settings, configure_logs=False)):
        yield app


@pytest.fixture
async def ws_app(embedded_settings: Settings) -> AsyncIterator[FastAPI]:
    async for app in started(embedded_settings):
        yield app


@pytest.fixture
async def ws_client(ws_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(ws_app) as http:
        yield http


@pytest.fixture
async def ws_tenant(ws_app: FastAPI) -> Tenant:
    async with ws_app.state.db.session() as session:
        return await make_tenant(session)


async def wait_job(client: httpx.AsyncClient, tenant: Tenant, job_id: str, timeout: float = 120) -> dict:
    """Follow a job at /job/{id} until it ends."""
    deadline = time.monotonic() + timeout
    while True:
        response = await client.get(f"/job/{job_id}", headers=tenant.member.headers)
        assert response.status_code == 200, response.text
        job = response.json()
        if job["status"] in ("Completed", "Failed"):
            return job
        assert time.monotonic() < deadline, f"job {job_id} stuck: {job}"
        await asyncio.sleep(0.2)
