"""The official SDK meets a full queue: a RateLimitError it would retry by itself, after the
server's Retry-After, and a submission that goes through once the SDK may retry and room is made."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, update

import reducto
from docuforge.config import Settings
from docuforge.db import Database, utcnow
from docuforge.models import Job, Organization
from reducto import Reducto
from tests.fixtures.pdfs import LOREM, Page, Paragraph, make_pdf
from tests.fixtures.processes import bootstrap_key, docuforge_server

pytestmark = pytest.mark.slow
PDF = make_pdf([Page([Paragraph(LOREM)])])


async def fill_queue(settings: Settings, count: int) -> None:
    """Queued jobs of the first organization, not due for an hour: no runner takes them."""
    database = Database(settings)
    now = utcnow()
    async with database.session() as session:
        organization = (await session.execute(select(Organization))).scalars().one()
        for _ in range(count):
            session.add(
                Job(
                    id=uuid.uuid4(),
                    organization_id=organization.id,
                    type="parse",
                    status="pending",
                    timeout=60,
                    config={},
                    input={},
                    available_at=now + dt.timedelta(hours=1),
                )
            )
    await database.dispose()


async def empty_queue(settings: Settings) -> None:
    database = Database(settings)
    async with database.session() as session:
        await session.execute(update(Job).where(Job.status == "pending").values(status="cancelled"))
    await database.dispose()


def test_the_sdk_sees_a_retryable_429_with_the_servers_retry_after(tmp_path: Path) -> None:
    env = {
        "DOCUFORGE_LOG__LEVEL": "WARNING",
        "DOCUFORGE_ADMISSION__MAX_QUEUED_PER_ORGANIZATION": "3",
        "DOCUFORGE_ADMISSION__RETRY_AFTER_MAX": "2",
    }
    settings = Settings(_env_file=None, env="test", data_dir=tmp_path / "data")
    with docuforge_server(env, tmp_path) as base:
        key = bootstrap_key(tmp_path / "server.log")
        strict = Reducto(api_key=key, base_url=base, max_retries=0, timeout=60)
        file_id = strict.upload(file=PDF, extension="pdf").file_id
        asyncio.run(fill_queue(settings, 3))
        with pytest.raises(reducto.RateLimitError) as refused:
            strict.parse.run_job(input=file_id)
        response = refused.value.response
        assert response.status_code == 429 and response.json()["error"]["name"] == "QUEUE_FULL"
        assert response.headers["x-should-retry"] == "true"
        # Nothing has finished yet: the short wait, within retry_after_max.
        assert response.headers["retry-after"] == "2"

        # With retries (the SDK's default), it waits as told and goes through once there is room.
        patient = Reducto(api_key=key, base_url=base, max_retries=3, timeout=60)
        threading.Timer(1.0, lambda: asyncio.run(empty_queue(settings))).start()
        started = patient.parse.run_job(input=file_id)
        assert started.job_id
        done = patient.job.get(started.job_id)
        for _ in range(300):
            if done.status in ("Completed", "Failed"):
                break
            threading.Event().wait(0.1)
            done = patient.job.get(started.job_id)
        assert done.status == "Completed"
