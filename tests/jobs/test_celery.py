"""Celery workers (`docuforge worker`) on the real Redis and on RabbitMQ: jobs run, a worker
killed with SIGKILL loses nothing, a job committed while the broker is down runs once it is back."""

from __future__ import annotations

import asyncio
import signal
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import redis
from fastapi import FastAPI
from sqlalchemy import select
from tests.conftest import asgi_client, running_app
from tests.fixtures.identity import Tenant, make_tenant
from tests.fixtures.processes import docuforge_worker, kill_group, redis_server
from tests.fixtures.services import RABBITMQ_URL, REDIS_URL, require_rabbitmq, require_redis
from tests.jobs.conftest import FAST_JOBS, job_settings, submit, wait_for

from docuforge import migrations
from docuforge.config import Settings
from docuforge.db import Database
from docuforge.models import Job
from docuforge.server import create_app

pytestmark = pytest.mark.slow
BROKER_REDIS = REDIS_URL.rsplit("/", 1)[0] + "/14"


def worker_env(settings: Settings) -> dict[str, str]:
    return {
        "DOCUFORGE_DATA_DIR": str(settings.data_dir),
        "DOCUFORGE_DB__URL": settings.db.url or "",
        "DOCUFORGE_JOBS__RUNNER": "celery",
        "DOCUFORGE_JOBS__BROKER_URL": settings.jobs.broker_url or "",
        "DOCUFORGE_JOBS__TASK_MODULES": ",".join(FAST_JOBS["task_modules"]),
        "DOCUFORGE_JOBS__LEASE_SECONDS": str(FAST_JOBS["lease_seconds"]),
        "DOCUFORGE_JOBS__POLL_INTERVAL": str(FAST_JOBS["poll_interval"]),
        "DOCUFORGE_JOBS__RETRY_BASE_DELAY": "0.1",
        "DOCUFORGE_LOG__LEVEL": "INFO",
    }


class Cluster:
    def __init__(
        self, settings: Settings, app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, workdir: Path
    ):
        self.settings, self.app, self.client, self.tenant, self.workdir = (
            settings,
            app,
            client,
            tenant,
            workdir,
        )

    async def job(self, job_id: str) -> Job:
        async with self.app.state.db.session() as session:
            return (await session.execute(select(Job).where(Job.id == uuid.UUID(job_id)))).scalar_one()


async def cluster(settings: Settings, workdir: Path) -> AsyncIterator[Cluster]:
    database = Database(settings)
    await migrations.upgrade(database.engine)
    await database.dispose()
    async for app in running_app(create_app(settings, configure_logs=False)):
        async with app.state.db.session() as session:
            tenant = await make_tenant(session)
        async with asgi_client(app) as client:
            yield Cluster(settings, app, client, tenant, workdir)


@pytest.fixture
async def redis_cluster(tmp_path: Path, fresh_database_url: str) -> AsyncIterator[Cluster]:
    require_redis()
    redis.Redis.from_url(BROKER_REDIS).flushdb()
    settings = job_settings(
        tmp_path / "data", fresh_database_url, jobs={"runner": "celery", "broker_url": BROKER_REDIS}
    )
    async for running in cluster(settings, tmp_path):
        yield running


async def test_jobs_run_on_a_celery_worker(redis_cluster: Cluster) -> None:
    c = redis_cluster
    with docuforge_worker(worker_env(c.settings), c.workdir):
        job_id = await submit(c.client, c.tenant, "test.echo", {"via": "celery"})
        job = await wait_for(c.client, c.tenant, job_id)
        assert job["status"] == "Completed" and job["result"]["result"]["config"] == {"via": "celery"}
        assert (await c.job(job_id)).lease_owner is None
    ready = (await c.client.get("/health/ready")).json()
    assert ready["components"]["broker"]["status"] == "ok"


async def test_a_burst_of_submissions_is_published_in_batches(redis_cluster: Cluster) -> None:
    c = redis_cluster
    publisher = c.app.state.runner._publisher
    sent: list[int] = []
    send = publisher._send
    publisher._send = lambda batch: (sent.append(len(batch)), send(batch))[1]
    ids = await asyncio.gather(*(submit(c.client, c.tenant, "test.echo", {"n": n}) for n in range(24)))
    for _ in range(100):
        rows = [await c.job(job_id) for job_id in ids]
        if all(row.published_at is not None for row in rows):
            break
        await asyncio.sleep(0.05)
    assert all(row.published_at is not None for row in rows)
    # The burst went out in batches (the sweeper may publish a job again; claiming dedupes).
    assert sum(sent) >= 24 and max(sent) > 1 and len(sent) < sum(sent), sent
    assert redis.Redis.from_url(BROKER_REDIS).llen("standard") >= 24


def worker_logs(workdir: Path) -> str:
    """The workers' own logs, for a failure message: they run in other processes, so pytest
    captures nothing of them."""
    return "\n".join(
        f"--- {log.name}\n{log.read_text(errors='replace')[-6000:]}" for log in sorted(workdir.glob("*.log"))
    )


async def test_a_worker_killed_mid_job_loses_nothing(redis_cluster: Cluster) -> None:
    try:
        await _kill_a_worker_mid_job(redis_cluster)
    except AssertionError as failure:
        raise AssertionError(f"{failure}\n{worker_logs(redis_cluster.workdir)}") from failure


async def _kill_a_worker_mid_job(c: Cluster) -> None:
    marker = c.workdir / "marker"
    with docuforge_worker(worker_env(c.settings), c.workdir, "first.log") as first:
        job_id = await submit(
            c.client, c.tenant, "test.sleep", {"seconds": 4, "steps": 40, "marker": str(marker)}
        )
        await wait_for(c.client, c.tenant, job_id, until=lambda j: (j.get("progress") or 0) > 0.1)
        kill_group(first, signal.SIGKILL)
    assert marker.read_text().count("started") == 1 and "finished" not in marker.read_text()
    with docuforge_worker(worker_env(c.settings), c.workdir, "second.log"):
        job = await wait_for(c.client, c.tenant, job_id, timeout=60)
    assert job["status"] == "Completed"
    lines = marker.read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["started", "started", "finished"]
    assert (await c.job(job_id)).attempts == 2
    # Redelivered duplicates arrive later and must not run it again.
    await asyncio.sleep(1)
    assert marker.read_text().count("finished") == 1


async def test_a_job_committed_while_the_broker_is_down_runs_when_it_returns(
    tmp_path: Path, fresh_database_url: str
) -> None:
    with redis_server() as (broker, process):
        port = int(broker.rsplit(":", 1)[1].split("/")[0])
        settings = job_settings(
            tmp_path / "data", fresh_database_url, jobs={"runner": "celery", "broker_url": broker}
        )
        async for c in cluster(settings, tmp_path):
            process.terminate()
            process.wait()
            job_id = await submit(c.client, c.tenant, "test.echo", {"while": "down"})
            assert (await c.client.get("/health/ready")).json()["failing"] == ["broker"]
            await asyncio.sleep(1)
            row = await c.job(job_id)
            assert row.status == "pending" and row.published_at is None
            with redis_server(port), docuforge_worker(worker_env(settings), tmp_path):
                job = await wait_for(c.client, c.tenant, job_id, timeout=60)
            assert job["status"] == "Completed"
            assert (await c.job(job_id)).attempts == 1


async def test_jobs_run_over_rabbitmq(tmp_path: Path, fresh_database_url: str) -> None:
    require_rabbitmq()
    settings = job_settings(
        tmp_path / "data", fresh_database_url, jobs={"runner": "celery", "broker_url": RABBITMQ_URL}
    )
    async for c in cluster(settings, tmp_path):
        with docuforge_worker(worker_env(settings), tmp_path):
            job_id = await submit(
                c.client, c.tenant, "test.echo", {"via": "amqp"}, content=b"%PDF-1.4 rabbit"
            )
            job = await wait_for(c.client, c.tenant, job_id, timeout=60)
        assert job["status"] == "Completed" and job["result"]["result"]["input_size"] == 15
