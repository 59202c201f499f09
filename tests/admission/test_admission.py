"""Admission control on a running service: a flood past a bound gets 429s with a Retry-After worked
out from the measured drain rate, never a 5xx; GET /capacity tells the same story; room frees up."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from docuforge import migrations
from docuforge.admission.service import QueueFull, retry_after
from docuforge.config import Settings
from docuforge.db import Database, utcnow
from docuforge.models import Job
from docuforge.server import create_app
from tests.conftest import asgi_client, running_app
from tests.fixtures.identity import Tenant, make_tenant
from tests.fixtures.pdfs import LOREM, Page, Paragraph, make_pdf
from tests.jobs.conftest import job_settings, wait_for

PDF = make_pdf([Page([Paragraph(LOREM)])])
BOUND = 5


@pytest.fixture
async def app(tmp_path: Path, fresh_database_url: str) -> AsyncIterator[FastAPI]:
    settings = job_settings(
        tmp_path / "data",
        fresh_database_url,
        admission={"max_queued": 40, "max_queued_per_organization": BOUND, "retry_after_max": 60},
    )
    database = Database(settings)
    await migrations.upgrade(database.engine)
    await database.dispose()
    async for running in running_app(create_app(settings, configure_logs=False)):
        yield running


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(app) as http:
        yield http


async def tenant_of(app: FastAPI) -> Tenant:
    async with app.state.db.session() as session:
        return await make_tenant(session)


async def add_jobs(
    app: FastAPI, organization_id: uuid.UUID, status: str, count: int, spread: float = 0
) -> None:
    """Rows straight into the job table: queued ones not due for an hour (so no runner takes
    them), or finished ones spread over the last `spread` seconds (a measured drain)."""
    now = utcnow()
    async with app.state.db.session() as session:
        for index in range(count):
            finished = now - dt.timedelta(seconds=spread * (count - index) / count) if spread else None
            session.add(
                Job(
                    id=uuid.uuid4(),
                    organization_id=organization_id,
                    type="test.echo",
                    status=status,
                    timeout=60,
                    config={},
                    input={},
                    created_at=now - dt.timedelta(seconds=spread + 1),
                    available_at=now + dt.timedelta(hours=1),
                    finished_at=finished,
                )
            )


async def upload(client: httpx.AsyncClient, tenant: Tenant) -> str:
    done = await client.post(
        "/upload", files={"file": ("a.pdf", PDF, "application/pdf")}, headers=tenant.member.headers
    )
    assert done.status_code == 200, done.text
    return done.json()["file_id"]


async def test_a_flood_past_the_bound_gets_429_with_a_sane_retry_after(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    tenant = await tenant_of(app)
    org = tenant.organization.id
    # 20 jobs finished over the last 10 s: the organization drains about 2 a second, a little
    # less by the time it is measured (the span grows as the test runs, on a busy machine too).
    inserted = time.monotonic()
    await add_jobs(app, org, "completed", 20, spread=10)
    await add_jobs(app, org, "pending", BOUND + 7)  # 8 past the bound, counting the next one
    file_id = await upload(client, tenant)
    answers = await asyncio.gather(
        *(
            client.post("/parse_async", json={"input": file_id}, headers=tenant.member.headers)
            for _ in range(30)
        )
    )
    capacity = (await client.get("/capacity", headers=tenant.viewer.headers)).json()
    slowest = 20 / (10 + (time.monotonic() - inserted))  # the lowest rate any of them measured
    assert all(answer.status_code == 429 for answer in answers), [a.status_code for a in answers]
    for answer in answers:
        assert answer.json()["error"]["name"] == "QUEUE_FULL"
        assert answer.headers["x-should-retry"] == "true"
        # 8 jobs to drain at 2 a second or a little less: 4 s, or a little more, rounded up.
        assert 4 <= int(answer.headers["retry-after"]) <= math.ceil(8 / slowest)
    assert capacity["accepting"] is False and 4 <= capacity["retry_after"] <= math.ceil(8 / slowest)
    assert capacity["queued_organization"] == BOUND + 7 == capacity["queues"][0]["queued"]
    assert slowest - 0.01 <= capacity["queues"][0]["drain_rate"] <= 2.0
    assert capacity["workers"] == {"runner": "inprocess", "online": 1, "slots": 2, "busy": 0}
    # 12 waiting at 2 a second or a little less.
    assert 6 <= capacity["queues"][0]["estimated_wait"] <= 12 / slowest + 0.1

    # Room frees up: the queued jobs are cancelled, and the next submission runs to the end.
    async with app.state.db.session() as session:
        await session.execute(update(Job).where(Job.status == "pending").values(status="cancelled"))
    admitted = await client.post("/parse_async", json={"input": file_id}, headers=tenant.member.headers)
    assert admitted.status_code == 200, admitted.text
    job = await wait_for(client, tenant, admitted.json()["job_id"])
    assert job["status"] == "Completed"
    assert (await client.get("/capacity", headers=tenant.viewer.headers)).json()["accepting"] is True


async def test_the_overall_bound_holds_other_organizations_back(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    quiet = await tenant_of(app)
    for _ in range(10):  # 40 queued in all, 4 per organization: each within its own bound
        async with app.state.db.session() as session:
            other = await make_tenant(session)
        await add_jobs(app, other.organization.id, "pending", 4)
    file_id = await upload(client, quiet)
    refused = await client.post("/parse_async", json={"input": file_id}, headers=quiet.member.headers)
    assert refused.status_code == 429 and refused.json()["error"]["name"] == "QUEUE_FULL"
    # Nothing finished lately: the wait is unknown, and the answer asks for a short one.
    assert int(refused.headers["retry-after"]) == 10
    assert "service has 40 jobs waiting" in refused.json()["error"]["message"]


def test_retry_after_stays_within_its_bounds(settings: Settings) -> None:
    assert retry_after(settings, 1, 1000.0) == 1
    assert retry_after(settings, 10, 2.0) == 5
    assert retry_after(settings, 10_000, 0.5) == settings.admission.retry_after_max
    assert retry_after(settings, 3, None) == 10
    error = QueueFull(7, "full")
    assert error.status_code == 429 and error.headers == {"Retry-After": "7", "x-should-retry": "true"}
