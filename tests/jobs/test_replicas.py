"""Stateless API replicas: two services with nothing in common but PostgreSQL, the S3 store and
the secret key answer for each other's jobs; finished results expire by organization."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from tests.conftest import asgi_client, running_app
from tests.fixtures.database import create_postgres_database, drop_postgres_database
from tests.fixtures.identity import Tenant, make_tenant
from tests.fixtures.pdfs import LOREM, Heading, Page, Paragraph, make_pdf
from tests.fixtures.processes import s3_server
from tests.fixtures.services import require_postgres
from tests.jobs.conftest import job_settings, wait_for

from docuforge import migrations
from docuforge.config import Settings
from docuforge.db import Database
from docuforge.jobs import retention
from docuforge.models import Job
from docuforge.server import create_app

pytestmark = pytest.mark.slow
PDF = make_pdf([Page([Heading("Replicated", 18), Paragraph(LOREM)])])
SECRET = "replicas-share-this-secret-key-of-48-characters-x"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as url:
        yield url


@pytest.fixture
async def shared(tmp_path: Path, s3_endpoint: str) -> AsyncIterator[tuple[str, str]]:
    require_postgres()
    url = await create_postgres_database()
    yield url, s3_endpoint
    await drop_postgres_database(url)


def replica_settings(tmp_path: Path, name: str, shared: tuple[str, str], **overrides: object) -> Settings:
    database_url, endpoint = shared
    return job_settings(
        tmp_path / name,  # a data directory of its own: nothing on a replica's disk is shared
        database_url,
        auth={"secret_key": SECRET},
        storage={
            "backend": "s3",
            "s3": {
                "endpoint_url": endpoint,
                "bucket": f"replicas-{tmp_path.name[-10:].lower().replace('_', '-')}",
                "access_key_id": "testing",
                "secret_access_key": "testing",
                "create_bucket": True,
            },
        },
        **overrides,
    )


@contextlib.asynccontextmanager
async def replica(settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    async for app in running_app(create_app(settings, configure_logs=False)):
        async with asgi_client(app) as client:
            yield app, client


async def migrate(settings: Settings) -> None:
    database = Database(settings)
    await migrations.upgrade(database.engine)
    await database.dispose()


async def test_any_replica_answers_for_any_job(tmp_path: Path, shared: tuple[str, str]) -> None:
    first, second = replica_settings(tmp_path, "a", shared), replica_settings(tmp_path, "b", shared)
    await migrate(first)
    async with replica(first) as (app_a, a), replica(second) as (_, b):
        async with app_a.state.db.session() as session:
            tenant = await make_tenant(session)
        headers = tenant.member.headers
        upload = await a.post("/upload", files={"file": ("r.pdf", PDF, "application/pdf")}, headers=headers)
        file_id = upload.json()["file_id"]
        # Submitted to A, followed and read on B; a URL result from B is readable by anyone.
        job_id = (await a.post("/parse_async", json={"input": file_id}, headers=headers)).json()["job_id"]
        on_b = await wait_for(b, tenant, job_id)
        on_a = await wait_for(a, tenant, job_id)
        assert on_b["status"] == "Completed" and on_b["result"] == on_a["result"]
        assert on_b["result"]["result"]["chunks"][0]["content"].startswith("# Replicated")
        as_url = await b.post(
            "/parse",
            json={"input": f"jobid://{job_id}", "settings": {"force_url_result": True}},
            headers=headers,
        )
        assert as_url.status_code == 200, as_url.text
        async with httpx.AsyncClient() as anyone:
            fetched = await anyone.get(as_url.json()["result"]["url"])
        assert fetched.status_code == 200 and fetched.json()["chunks"][0]["content"].startswith(
            "# Replicated"
        )
        # The file uploaded through A is an input on B; B lists, cancels and deletes A's jobs.
        again = (await b.post("/parse_async", json={"input": file_id}, headers=headers)).json()["job_id"]
        assert (await wait_for(a, tenant, again))["status"] == "Completed"
        listed = {job["job_id"] for job in (await b.get("/jobs", headers=headers)).json()["jobs"]}
        assert {job_id, again} <= listed
        assert (await b.delete(f"/job/{job_id}", headers=headers)).status_code == 202
    # A replica that stops takes nothing with it: a fresh one answers for what A and B did.
    async with replica(replica_settings(tmp_path, "c", shared)) as (_, c):
        assert (await wait_for(c, tenant, again))["status"] == "Completed"
        for _ in range(100):
            gone = await c.get(f"/job/{job_id}", headers=headers)
            if gone.status_code == 410:
                break
            await asyncio.sleep(0.1)
        assert gone.status_code == 410 and gone.json()["error"]["name"] == "JOB_DELETED"


async def test_finished_results_expire_by_organization(tmp_path: Path, shared: tuple[str, str]) -> None:
    base = replica_settings(tmp_path, "a", shared)
    await migrate(base)
    async with replica(base) as (app, client):
        async with app.state.db.session() as session:
            brief, kept = await make_tenant(session), await make_tenant(session)
        jobs: dict[str, Tenant] = {}
        for tenant in (brief, kept):
            upload = await client.post(
                "/upload", files={"file": ("r.pdf", PDF, "application/pdf")}, headers=tenant.member.headers
            )
            started = await client.post(
                "/parse_async", json={"input": upload.json()["file_id"]}, headers=tenant.member.headers
            )
            jobs[started.json()["job_id"]] = tenant
        for job_id, tenant in jobs.items():
            assert (await wait_for(client, tenant, job_id))["status"] == "Completed"
    brief_job = next(job for job, tenant in jobs.items() if tenant is brief)
    kept_job = next(job for job, tenant in jobs.items() if tenant is kept)
    # Two seconds for `brief` (by name), a year for everyone else.
    expiring = replica_settings(
        tmp_path,
        "b",
        shared,
        retention={
            "days": 365,
            "organizations": {brief.organization.name: 2 / 86400},
            "sweep_interval": 0.2,
        },
    )
    async with replica(expiring) as (app, client):
        store = app.state.storage
        async with app.state.db.session() as session:
            row = await session.get(Job, uuid.UUID(brief_job))
            keys = [row.result_key, *row.artifacts]
        assert all([await store.stat(key) is not None for key in keys])
        for _ in range(100):
            answer = await client.get(f"/job/{brief_job}", headers=brief.member.headers)
            if answer.status_code == 410:
                break
            await asyncio.sleep(0.1)
        assert answer.status_code == 410 and answer.json()["error"]["name"] == "JOB_DELETED"
        assert all([await store.stat(key) is None for key in keys])
        assert (await client.get(f"/job/{kept_job}", headers=kept.member.headers)).json()[
            "status"
        ] == "Completed"
        # The sweep itself, once more: nothing left to expire.
        assert await retention.expire(app.state.db, expiring) == 0
