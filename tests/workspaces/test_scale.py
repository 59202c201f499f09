"""The same flow at scale: PostgreSQL, a Chroma server (`chroma run`) shared by the API and a
Celery worker process that does the indexing and answering."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import redis
from tests.fixtures.chroma import chroma_server
from tests.fixtures.database import create_postgres_database, drop_postgres_database
from tests.fixtures.processes import docuforge_worker
from tests.fixtures.services import REDIS_URL, require_postgres, require_redis
from tests.jobs.conftest import FAST_JOBS, job_settings
from tests.jobs.test_celery import Cluster, cluster, worker_env, worker_logs
from tests.workspaces.conftest import wait_job
from tests.workspaces.tender import QUESTIONS, tender_zip

import docuforge

pytestmark = pytest.mark.slow
BROKER = REDIS_URL.rsplit("/", 1)[0] + "/13"


@pytest.fixture
async def scaled(tmp_path: Path) -> AsyncIterator[Cluster]:
    require_postgres()
    require_redis()
    redis.Redis.from_url(BROKER).flushdb()
    url = await create_postgres_database()
    try:
        with chroma_server(tmp_path / "chroma") as vector_url:
            settings = job_settings(
                tmp_path / "data",
                url,
                jobs={"runner": "celery", "broker_url": BROKER},
                workspaces={"vector_url": vector_url},
            )
            async for running in cluster(settings, tmp_path):
                yield running
    finally:
        await drop_postgres_database(url)


def _env(c: Cluster) -> dict[str, str]:
    # The worker imports this checkout's docuforge, wherever it is installed from.
    package_root = str(Path(docuforge.__file__).parents[1])
    return worker_env(c.settings) | {
        "DOCUFORGE_WORKSPACES__VECTOR_URL": c.settings.workspaces.vector_url or "",
        "DOCUFORGE_JOBS__TASK_MODULES": ",".join(FAST_JOBS["task_modules"]),
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[2]), package_root]),
    }


async def test_a_tender_on_postgres_the_chroma_server_and_celery(scaled: Cluster) -> None:
    c = scaled
    try:
        with docuforge_worker(_env(c), c.workdir):
            await _flow(c.client, c)
    except AssertionError as failure:
        raise AssertionError(f"{failure}\n{worker_logs(c.workdir)}") from failure


async def _flow(client: httpx.AsyncClient, c: Cluster) -> None:
    headers = c.tenant.member.headers
    workspace_id = (await client.post("/workspaces", json={"name": "at scale"}, headers=headers)).json()["id"]
    added = await client.post(
        f"/workspaces/{workspace_id}/documents",
        files={"file": ("tender.zip", tender_zip(), "application/zip")},
        headers=headers,
    )
    assert added.status_code == 202, added.text
    assert (await wait_job(client, c.tenant, added.json()["job_id"], timeout=180))["status"] == "Completed"
    documents = (await client.get(f"/workspaces/{workspace_id}/documents", headers=headers)).json()[
        "documents"
    ]
    assert {d["status"] for d in documents} == {"ready"}, documents

    # The API process reads what the worker indexed, through the shared server.
    asked = await client.post(
        f"/workspaces/{workspace_id}/ask",
        json={"question": "When is the deadline for tenders?"},
        headers=headers,
    )
    answer = asked.json()
    assert "15 March 2027" in answer["answer"] and answer["citations"][0]["page"] == 2

    started = await client.post(
        f"/workspaces/{workspace_id}/question-jobs", json={"questions": QUESTIONS}, headers=headers
    )
    job_id = started.json()["job_id"]
    assert (await wait_job(client, c.tenant, job_id, timeout=180))["status"] == "Completed"
    exported = await client.get(
        f"/workspaces/{workspace_id}/question-jobs/{job_id}/export", params={"format": "csv"}, headers=headers
    )
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == len(QUESTIONS)
    for row in rows:
        assert " p." in row["sources"] and float(row["fragment_confidence"]) == 1.0, row
