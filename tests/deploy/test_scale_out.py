"""The scale-out run: two API processes and two Celery workers as separate OS processes on
PostgreSQL, a Redis broker and moto's S3 server; a mixed workload submitted to both APIs; one
worker SIGKILLed while it holds a job, one API restarted mid-run. Every job completes exactly once,
its result reads the same from every API, nothing is lost (tests/fixtures/cluster.py counts)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fixtures.cluster import Cluster, run
from tests.fixtures.database import create_postgres_database, drop_postgres_database
from tests.fixtures.processes import redis_server, s3_server
from tests.fixtures.services import require_postgres

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]
JOBS = 40


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[Cluster]:
    require_postgres()
    database = await create_postgres_database()
    with redis_server() as (broker, _), s3_server() as s3:
        # A small bound on queued jobs: the burst meets admission control on both APIs.
        running = Cluster(tmp_path, database, broker, s3, max_queued=20)
        try:
            yield running
        finally:
            running.stop_all()
            await running.close()
    await drop_postgres_database(database)


async def test_every_job_completes_exactly_once_across_kills_and_restarts(cluster: Cluster) -> None:
    started = time.monotonic()
    report = await run(cluster, JOBS)
    print(report, f"test: {time.monotonic() - started:.1f} s")  # shown with -s, and on failure
    assert not report.problems, "\n".join(report.problems[:20]) + f"\nlogs: {cluster.workdir}"
    assert report.jobs == JOBS and report.statuses == {"completed": JOBS}
    assert report.jobs_not_asked_for == 0 and report.server_errors == 0
    # Past the bound both APIs answered 429 with a Retry-After the client waited out.
    assert report.queue_full_answers > 0 and 1 <= report.retry_after_max <= 60
    assert report.capacity_workers == {"runner": "celery", "online": 2, "slots": 4, "busy": 0}
    assert report.finished_once == JOBS and report.readable_from_every_api == JOBS
    assert report.marker_finished_once == report.marker_jobs == report.by_type["slow"] >= 4
    assert set(report.by_type) == {
        "parse",
        "parse.pages",
        "parse.jobid",
        "parse.budget",
        "extract",
        "workspace",
        "logs",
        "slow",
    }
    # The kill cut at least one job off mid-run, which ran again elsewhere and finished once.
    assert report.re_executed >= 1 and report.executions >= JOBS + 1
    assert any(" SIGKILLed holding " in fault for fault in report.faults)
    assert len(report.faults) == 3
