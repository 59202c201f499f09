"""The in-process runner end to end: ingest, run, progress, cancel, delete, retries, timeouts."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from tests.fixtures.identity import Tenant
from tests.fixtures.processes import bootstrap_key, docuforge_server, server_pid
from tests.jobs.conftest import submit, wait_for

from docuforge.models import Job
from docuforge.storage import iterate


async def job_row(app: FastAPI, job_id: str) -> Job:
    async with app.state.db.session() as session:
        return (await session.execute(select(Job).where(Job.id == uuid.UUID(job_id)))).scalar_one()


async def test_ingest_runs_a_job_to_completion(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, jobs_app: FastAPI
) -> None:
    content = b"%PDF-1.4 " + b"z" * 5000
    job_id = await submit(jobs_client, jobs_tenant, "test.echo", {"answer": 42}, content)
    job = await wait_for(jobs_client, jobs_tenant, job_id)
    assert job["status"] == "Completed", job
    assert job["progress"] == 1.0 and job["type"] == "Parse"
    result = job["result"]
    assert result["job_id"] == job_id and result["response_type"] == "test"
    assert result["result"]["config"] == {"answer": 42}
    assert result["result"]["input_size"] == len(content)
    row = await job_row(jobs_app, job_id)
    assert row.attempts == 1 and row.started_at and row.finished_at and row.queued_at
    assert row.created_at <= row.queued_at <= row.started_at <= row.finished_at


async def test_ingest_complete_checks_the_upload(jobs_client: httpx.AsyncClient, jobs_tenant: Tenant) -> None:
    headers = jobs_tenant.member.headers
    init = (
        await jobs_client.post(
            "/ingest/files/init", json={"name": "a.pdf", "size": 10, "type": "test.echo"}, headers=headers
        )
    ).json()
    idle = (await jobs_client.get(f"/job/{init['job_id']}", headers=headers)).json()
    assert idle["status"] == "Idle"
    missing = await jobs_client.post(
        "/ingest/files/complete", json={"job_id": init["job_id"]}, headers=headers
    )
    assert missing.status_code == 422 and missing.json()["error"]["name"] == "DOCUMENT_EMPTY"
    url = httpx.URL(init["presigned_url"])
    await jobs_client.put(f"{url.path}?{url.query.decode()}", content=b"12345")
    short = await jobs_client.post("/ingest/files/complete", json={"job_id": init["job_id"]}, headers=headers)
    assert short.status_code == 422 and "not the 10 announced" in short.json()["error"]["message"]
    unknown = await jobs_client.post(
        "/ingest/files/init", json={"name": "a.pdf", "size": 10, "type": "nope"}, headers=headers
    )
    assert unknown.status_code == 400


async def test_a_presigned_upload_url_is_single_use(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, jobs_app: FastAPI
) -> None:
    headers = jobs_tenant.member.headers
    init = (
        await jobs_client.post(
            "/ingest/files/init",
            json={"name": "a.pdf", "size": 5, "type": "test.echo", "config": {"wait": True}},
            headers=headers,
        )
    ).json()
    url = httpx.URL(init["presigned_url"])
    target = f"{url.path}?{url.query.decode()}"
    assert (await jobs_client.put(target, content=b"12345")).status_code == 200
    done = await jobs_client.post("/ingest/files/complete", json={"job_id": init["job_id"]}, headers=headers)
    assert done.status_code == 200, done.text
    again = await jobs_client.put(target, content=b"a much longer replacement")
    assert again.status_code == 403 and again.json()["error"]["name"] == "PERMISSION_DENIED"
    job = await wait_for(jobs_client, jobs_tenant, init["job_id"])
    assert job["status"] == "Completed" and job["result"]["result"]["input_size"] == 5


async def test_progress_is_reported_while_running(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant
) -> None:
    job_id = await submit(jobs_client, jobs_tenant, "test.sleep", {"seconds": 3, "steps": 30})
    midway = await wait_for(
        jobs_client, jobs_tenant, job_id, until=lambda j: 0.1 < (j.get("progress") or 0) < 1
    )
    assert midway["status"] == "Pending"
    listed = (await jobs_client.get("/jobs", headers=jobs_tenant.member.headers)).json()["jobs"]
    assert next(j for j in listed if j["job_id"] == job_id)["status"] == "InProgress"
    assert (await wait_for(jobs_client, jobs_tenant, job_id))["status"] == "Completed"


async def test_cancel_a_running_job_stops_it(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, tmp_path: Path
) -> None:
    marker = tmp_path / "marker"
    job_id = await submit(
        jobs_client, jobs_tenant, "test.sleep", {"seconds": 20, "steps": 200, "marker": str(marker)}
    )
    await wait_for(jobs_client, jobs_tenant, job_id, until=lambda j: (j.get("progress") or 0) > 0)
    cancelled = await jobs_client.post(f"/cancel/{job_id}", headers=jobs_tenant.member.headers)
    assert cancelled.status_code == 200 and cancelled.json() == {"job_id": job_id, "status": "Cancelling"}
    job = await wait_for(jobs_client, jobs_tenant, job_id, timeout=10)
    assert job["status"] == "Failed" and job["error"]["name"] == "JOB_CANCELLED"
    assert "finished" not in marker.read_text()
    listed = (await jobs_client.get("/jobs", headers=jobs_tenant.member.headers)).json()["jobs"]
    assert next(j for j in listed if j["job_id"] == job_id)["status"] == "Cancelled"
    again = await jobs_client.post(f"/cancel/{job_id}", headers=jobs_tenant.member.headers)
    assert again.status_code == 409 and again.json()["error"]["name"] == "JOB_STATE_ERROR"
    assert again.headers["x-should-retry"] == "false"  # a job that ended stays ended


async def test_a_cancelled_pending_job_never_starts(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant
) -> None:
    headers = jobs_tenant.member.headers
    init = (
        await jobs_client.post(
            "/ingest/files/init", json={"name": "a.pdf", "size": 5, "type": "test.echo"}, headers=headers
        )
    ).json()
    cancelled = await jobs_client.post(f"/cancel/{init['job_id']}", headers=headers)
    assert cancelled.json()["status"] == "Cancelled"
    url = httpx.URL(init["presigned_url"])
    await jobs_client.put(f"{url.path}?{url.query.decode()}", content=b"12345")
    late = await jobs_client.post("/ingest/files/complete", json={"job_id": init["job_id"]}, headers=headers)
    assert late.status_code == 409
    await asyncio.sleep(0.5)
    job = (await jobs_client.get(f"/job/{init['job_id']}", headers=headers)).json()
    assert job["status"] == "Failed" and job["error"]["name"] == "JOB_CANCELLED"


async def test_delete_answers_409_then_410_and_removes_the_result(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, jobs_app: FastAPI
) -> None:
    headers = jobs_tenant.member.headers
    job_id = await submit(jobs_client, jobs_tenant, "test.echo")
    await wait_for(jobs_client, jobs_tenant, job_id)
    key = (await job_row(jobs_app, job_id)).result_key
    assert key and await jobs_app.state.storage.stat(key)
    deleted = await jobs_client.delete(f"/job/{job_id}", headers=headers)
    assert deleted.status_code == 202 and deleted.json() == {"job_id": job_id}
    first = await jobs_client.get(f"/job/{job_id}", headers=headers)
    assert first.status_code in (409, 410)
    if first.status_code == 409:
        assert first.json()["error"]["name"] == "JOB_DELETION_IN_PROGRESS"
    for _ in range(50):
        gone = await jobs_client.get(f"/job/{job_id}", headers=headers)
        if gone.status_code == 410:
            break
        await asyncio.sleep(0.1)
    assert gone.status_code == 410 and gone.json()["error"]["name"] == "JOB_DELETED"
    assert await jobs_app.state.storage.stat(key) is None
    assert job_id not in (await jobs_client.get("/jobs", headers=headers)).text


async def test_transient_failures_retry_with_backoff(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, jobs_app: FastAPI, tmp_path: Path
) -> None:
    marker = tmp_path / "marker"
    job_id = await submit(
        jobs_client,
        jobs_tenant,
        "test.fail",
        {"transient": True, "code": "SERVICE_UNAVAILABLE", "marker": str(marker)},
    )
    job = await wait_for(jobs_client, jobs_tenant, job_id)
    assert job["status"] == "Failed" and job["error"]["name"] == "SERVICE_UNAVAILABLE"
    assert len(marker.read_text().splitlines()) == 3 == (await job_row(jobs_app, job_id)).attempts


async def test_document_errors_fail_at_once(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, jobs_app: FastAPI, tmp_path: Path
) -> None:
    marker = tmp_path / "marker"
    job_id = await submit(
        jobs_client,
        jobs_tenant,
        "test.fail",
        {"code": "DOCUMENT_CORRUPT", "message": "broken xref", "marker": str(marker)},
    )
    job = await wait_for(jobs_client, jobs_tenant, job_id)
    assert job["error"] == {
        "code": 422,
        "message": "broken xref",
        "name": "DOCUMENT_CORRUPT",
        "job_id": job_id,
    }
    assert job["reason"] == "broken xref"
    assert len(marker.read_text().splitlines()) == 1 == (await job_row(jobs_app, job_id)).attempts


async def test_the_job_timeout_stops_the_work(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, tmp_path: Path
) -> None:
    marker = tmp_path / "marker"
    job_id = await submit(
        jobs_client,
        jobs_tenant,
        "test.sleep",
        {"seconds": 30, "marker": str(marker), "settings": {"timeout": 1}},
    )
    job = await wait_for(jobs_client, jobs_tenant, job_id, timeout=15)
    assert job["status"] == "Failed" and job["error"]["name"] == "TIMEOUT"
    assert "finished" not in marker.read_text()


async def test_a_crashing_worker_process_is_retried_then_reported(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, tmp_path: Path
) -> None:
    marker = tmp_path / "marker"
    job_id = await submit(jobs_client, jobs_tenant, "test.crash", {"marker": str(marker)})
    job = await wait_for(jobs_client, jobs_tenant, job_id, timeout=30)
    assert job["status"] == "Failed" and job["error"]["name"] == "SUBPROCESS_CRASHED"
    assert len(marker.read_text().splitlines()) == 3
    # The service is unharmed and runs the next job.
    after = await submit(jobs_client, jobs_tenant, "test.echo")
    assert (await wait_for(jobs_client, jobs_tenant, after))["status"] == "Completed"


async def test_large_or_forced_results_come_as_signed_urls(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, jobs_app: FastAPI
) -> None:
    forced = await submit(jobs_client, jobs_tenant, "test.echo", {"settings": {"force_url_result": True}})
    jobs_app.state.settings.jobs.inline_result_limit = 2048
    large = await submit(jobs_client, jobs_tenant, "test.echo", {"pad": 5000})
    small = await submit(jobs_client, jobs_tenant, "test.echo", {"pad": 10})
    for job_id in (forced, large):
        result = (await wait_for(jobs_client, jobs_tenant, job_id))["result"]["result"]
        assert result["type"] == "url" and result["result_id"] == job_id
        url = httpx.URL(result["url"])
        fetched = await jobs_client.get(f"{url.path}?{url.query.decode()}")  # no API key
        assert fetched.status_code == 200 and fetched.json()["type"] == "full"
    assert (await wait_for(jobs_client, jobs_tenant, small))["result"]["result"]["type"] == "full"


async def test_job_list_pages_newest_first(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, jobs_app: FastAPI
) -> None:
    ids = [await submit(jobs_client, jobs_tenant, "test.echo", {"n": n}) for n in range(5)]
    headers = jobs_tenant.member.headers
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, "exclude_configs": "true"} | ({"cursor": cursor} if cursor else {})
        page = (await jobs_client.get("/jobs", params=params, headers=headers)).json()
        assert all(job["raw_config"] == "" for job in page["jobs"])
        seen += [job["job_id"] for job in page["jobs"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    full = (await jobs_client.get("/jobs", headers=headers)).json()["jobs"]
    assert '"n":4' in full[0]["raw_config"]
    assert (await jobs_client.get("/jobs", params={"limit": 501}, headers=headers)).status_code == 422
    assert (await jobs_client.get("/jobs", params={"cursor": "garbage!"}, headers=headers)).status_code == 400


async def test_rolled_back_jobs_never_run(jobs_app: FastAPI, jobs_tenant: Tenant) -> None:
    from docuforge.jobs import service

    class Boom(Exception):
        pass

    job_id = None
    try:
        async with jobs_app.state.db.session() as session:
            job = await service.submit(
                session,
                jobs_app.state.runner,
                jobs_app.state.settings,
                jobs_tenant.member.principal,
                type="test.echo",
                config={},
                input={},
            )
            job_id = job.id
            raise Boom
    except Boom:
        pass
    await asyncio.sleep(0.5)
    async with jobs_app.state.db.session() as session:
        assert await session.get(Job, job_id) is None


async def test_results_are_written_to_storage_once(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, jobs_app: FastAPI
) -> None:
    job_id = await submit(jobs_client, jobs_tenant, "test.echo")
    await wait_for(jobs_client, jobs_tenant, job_id)
    row = await job_row(jobs_app, job_id)
    assert row.result_key == f"results/{row.organization_id}/{job_id}.json"
    assert row.result_size and row.result_size > 10
    await jobs_app.state.storage.write("unrelated", iterate(b"x"))


@pytest.mark.slow
def test_a_service_killed_mid_job_runs_it_again_after_restart(
    tmp_path: Path, fresh_database_url: str
) -> None:
    marker = tmp_path / "marker"
    env = {
        "DOCUFORGE_DB__URL": fresh_database_url,
        "DOCUFORGE_DB__AUTO_UPGRADE": "true",
        "DOCUFORGE_JOBS__TASK_MODULES": "tests.jobs.tasks",
        "DOCUFORGE_JOBS__LEASE_SECONDS": "3",
        "DOCUFORGE_JOBS__POLL_INTERVAL": "0.2",
        "DOCUFORGE_LOG__LEVEL": "INFO",
    }

    def call(base: str, method: str, path: str, **kwargs: object) -> httpx.Response:
        return httpx.request(
            method, base + path, headers={"Authorization": f"Bearer {key}"}, timeout=30, **kwargs
        )

    with docuforge_server(env, tmp_path, "first.log") as base:
        key = bootstrap_key(tmp_path / "first.log")
        init = call(
            base,
            "POST",
            "/ingest/files/init",
            json={
                "name": "a.pdf",
                "size": 5,
                "type": "test.sleep",
                "config": {"seconds": 4, "steps": 40, "marker": str(marker)},
            },
        ).json()
        httpx.put(init["presigned_url"], content=b"%PDF-")
        call(base, "POST", "/ingest/files/complete", json={"job_id": init["job_id"]})
        deadline = time.monotonic() + 30
        while (call(base, "GET", f"/job/{init['job_id']}").json().get("progress") or 0) < 0.1:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        os.kill(server_pid(tmp_path / "first.log"), signal.SIGKILL)
    assert "finished" not in marker.read_text()
    with docuforge_server(env, tmp_path, "second.log") as base:
        deadline = time.monotonic() + 60
        while (job := call(base, "GET", f"/job/{init['job_id']}").json())["status"] not in (
            "Completed",
            "Failed",
        ):
            assert time.monotonic() < deadline, job
            time.sleep(0.2)
    assert job["status"] == "Completed"
    assert [line.split()[0] for line in marker.read_text().splitlines()] == ["started", "started", "finished"]
