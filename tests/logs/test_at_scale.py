"""Seed 002's flow on the at-scale stack: PostgreSQL, an S3 server (moto, its own process) and a
Celery worker process on Redis; the queries read the Parquet the worker stored on S3."""

from __future__ import annotations

import asyncio
import gzip
import os
import time
from pathlib import Path

import pytest
import redis

from tests.fixtures.database import create_postgres_database, drop_postgres_database
from tests.fixtures.processes import docuforge_worker, s3_server
from tests.fixtures.services import REDIS_URL, require_postgres, require_redis
from tests.jobs.conftest import job_settings
from tests.jobs.test_celery import cluster, worker_env, worker_logs
from tests.logs.samples import mixed_jsonl
from tests.logs.test_api import check_queries, seed_job, wait_seed

pytestmark = pytest.mark.slow
BROKER = REDIS_URL.rsplit("/", 1)[0] + "/12"


async def test_seed_flow_on_postgres_s3_and_celery(tmp_path: Path) -> None:
    require_postgres()
    require_redis()
    redis.Redis.from_url(BROKER).flushdb()
    database_url = await create_postgres_database()
    try:
        with s3_server() as endpoint:
            s3 = {
                "endpoint_url": endpoint,
                "bucket": "logs-at-scale",
                "access_key_id": "testing",
                "secret_access_key": "testing",
                "create_bucket": True,
            }
            settings = job_settings(
                tmp_path / "data",
                database_url,
                jobs={"runner": "celery", "broker_url": BROKER},
                storage={"backend": "s3", "s3": s3},
            )
            env = worker_env(settings) | {
                "DOCUFORGE_STORAGE__BACKEND": "s3",
                **{f"DOCUFORGE_STORAGE__S3__{name.upper()}": str(value) for name, value in s3.items()},
                # The worker imports this checkout's docuforge, whatever the editable install points at.
                "PYTHONPATH": os.pathsep.join(
                    part for part in (str(Path(__file__).parents[2]), os.environ.get("PYTHONPATH")) if part
                ),
            }
            async for c in cluster(settings, tmp_path):
                sample = mixed_jsonl(4000)
                await c.app.state.storage.check()  # creates the bucket, as a deployment's first start does
                with docuforge_worker(env, c.workdir):
                    job_id = await seed_job(
                        c.client, c.tenant, gzip.compress(sample.text.encode()), "jsonl", s3=True
                    )
                    views = await wait_seed(c.client, c.tenant, job_id, timeout=90)
                final = views[-1]
                assert final["status"] == "COMPLETED", f"{final}\n{worker_logs(c.workdir)}"
                assert final["progress"] == 100 and final["retry_count"] == 0
                row = await c.job(job_id)
                assert row.lease_owner is None and row.artifacts == [
                    f"logs/{row.organization_id}/{job_id}/records.parquet",
                    f"logs/{row.organization_id}/{job_id}/malformed.parquet",
                    f"logs/{row.organization_id}/{job_id}/rollup.parquet",
                ]
                # Nothing local holds the records but the query cache, filled from S3.
                cached = tmp_path / "data" / "cache" / "logs" / str(row.organization_id) / job_id
                assert not cached.exists()
                await check_queries(c.client, c.tenant, job_id, sample)
                assert (cached / "records.parquet").exists()
                # Deleting the job deletes its copies in the query cache with its blobs.
                deleted = await c.client.delete(f"/job/{job_id}", headers=c.tenant.member.headers)
                assert deleted.status_code == 202, deleted.text
                deadline = time.monotonic() + 60
                while cached.exists() or (await c.job(job_id)).deletion != "deleted":
                    assert time.monotonic() < deadline, "the deleted job's cached Parquet stayed"
                    await asyncio.sleep(0.1)
                gone = await c.client.get(f"/logs/{job_id}/records", headers=c.tenant.member.headers)
                assert gone.status_code == 410, gone.text
    finally:
        await drop_postgres_database(database_url)
