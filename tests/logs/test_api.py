"""Seed 002's flow through the API on the embedded default: init with log_format, presigned PUT,
complete, the job's progress, then records, summary, export; POST /logs for /upload files."""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import time

import httpx
import pyarrow.parquet as pq
import pytest

from tests.fixtures.identity import Tenant
from tests.logs.samples import T0, mixed_jsonl

pytestmark = pytest.mark.slow  # real jobs in worker processes, on SQLite and PostgreSQL


async def seed_job(
    client: httpx.AsyncClient, tenant: Tenant, content: bytes, log_format: str = "auto", s3: bool = False
) -> str:
    headers = tenant.member.headers
    init = await client.post(
        "/ingest/files/init",
        json={"filename": "app.log", "size": len(content), "log_format": log_format},
        headers=headers,
    )
    assert init.status_code == 201, init.text
    body = init.json()
    assert set(body) >= {"job_id", "presigned_url", "expires_in"} and body["expires_in"] > 0
    created = (await client.get(f"/jobs/{body['job_id']}", headers=headers)).json()
    assert (created["status"], created["job_type"], created["progress"], created["queued_at"]) == (
        "CREATED", "LOGS", 0, None,
    )  # fmt: skip
    url = httpx.URL(body["presigned_url"])
    if s3:  # the S3 server's own URL
        async with httpx.AsyncClient() as outside:
            put = await outside.put(str(url), content=content)
    else:  # the service's signed blob URL
        put = await client.put(f"{url.path}?{url.query.decode()}", content=content)
    assert put.status_code == 200, put.text
    done = await client.post("/ingest/files/complete", json={"job_id": body["job_id"]}, headers=headers)
    assert done.status_code == 200, done.text
    answer = done.json()
    assert (answer["job_id"], answer["status"], answer["message"]) == (
        body["job_id"], "QUEUED", "Job queued successfully",
    )  # fmt: skip
    return body["job_id"]


async def wait_seed(
    client: httpx.AsyncClient, tenant: Tenant, job_id: str, timeout: float = 60
) -> list[dict]:
    """Poll GET /jobs/{id} until it ends; every view seen on the way."""
    seen = []
    deadline = time.monotonic() + timeout
    while True:
        job = (await client.get(f"/jobs/{job_id}", headers=tenant.member.headers)).json()
        seen.append(job)
        if job["status"] in ("COMPLETED", "FAILED"):
            return seen
        assert time.monotonic() < deadline, f"job stuck: {job}"
        await asyncio.sleep(0.05)


async def check_queries(client: httpx.AsyncClient, tenant: Tenant, job_id: str, sample) -> None:  # type: ignore[no-untyped-def]
    headers = tenant.member.headers
    summary = (await client.get(f"/logs/{job_id}/summary", headers=headers)).json()
    assert summary["records"] == sample.records and summary["malformed"] == sample.malformed
    assert {k: v for k, v in summary["levels"].items() if v} == sample.levels
    assert summary["first_timestamp"].startswith("2026-03-01T08:00:00")
    assert sum(point["count"] for point in summary["timeline"]) == sample.records
    top = summary["templates"][0]
    assert top["template"] == "user <n> fetched order <n> in <n> ms"
    assert top["count"] == sample.records - sample.levels["error"]
    errors = (
        await client.get(f"/logs/{job_id}/records", params={"level": "error", "limit": 5}, headers=headers)
    ).json()
    assert len(errors["records"]) == 5 and errors["next_cursor"]
    assert all(r["level"] == "error" and r["attributes"]["http"]["status"] == 502 for r in errors["records"])
    stamps = [r["timestamp"] for r in errors["records"]]
    assert stamps == sorted(stamps, reverse=True)
    # Every error, page by page, oldest first, equals the count the summary gave.
    total, cursor, pages = 0, None, 0
    while True:
        params = {"level": "error", "order": "oldest", "limit": 7, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(f"/logs/{job_id}/records", params=params, headers=headers)).json()
        total += len(page["records"])
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert total == sample.levels["error"] and pages == -(-total // 7)
    filtered = (
        await client.get(
            f"/logs/{job_id}/records",
            params={
                "field": ["service=billing", "http.status=200"],
                "q": "ORDER 1004 ",
                "since": T0.isoformat(),
                "until": "2026-03-01T09:00:00Z",
            },
            headers=headers,
        )
    ).json()
    assert [(r["service"], r["seq"] >= 0, r["line"]) for r in filtered["records"]] == [("billing", True, 5)]
    bad = (await client.get(f"/logs/{job_id}/malformed", headers=headers)).json()["lines"]
    assert (
        len(bad) == sample.malformed and bad[0]["line"] == 6 and bad[0]["reason"].startswith("invalid JSON")
    )
    exported = await client.get(
        f"/logs/{job_id}/export", params={"format": "parquet", "level": "warn"}, headers=headers
    )
    assert exported.status_code == 200
    assert pq.read_table(io.BytesIO(exported.content)).num_rows == sample.levels["warn"]
    csv_export = await client.get(f"/logs/{job_id}/export", params={"format": "csv"}, headers=headers)
    assert csv_export.headers["content-type"].startswith("text/csv")
    assert len(csv_export.text.strip().splitlines()) == sample.records + 1


async def test_seed_flow_end_to_end(jobs_client: httpx.AsyncClient, jobs_tenant: Tenant) -> None:
    sample = mixed_jsonl(3000)
    job_id = await seed_job(jobs_client, jobs_tenant, gzip.compress(sample.text.encode()), "json")
    views = await wait_seed(jobs_client, jobs_tenant, job_id)
    final = views[-1]
    assert final["status"] == "COMPLETED", final
    assert final["progress"] == 100 and final["retry_count"] == 0 and final["error_message"] is None
    assert final["source"] == "api" and final["job_type"] == "LOGS"
    assert final["created_at"] <= final["queued_at"] <= final["started_at"] <= final["finished_at"]
    assert [v["progress"] for v in views] == sorted(v["progress"] for v in views)
    # The same job through Reducto's view, from the same row.
    reducto = (await jobs_client.get(f"/job/{job_id}", headers=jobs_tenant.member.headers)).json()
    assert reducto["status"] == "Completed" and reducto["result"]["records"] == sample.records
    assert reducto["result"]["format"] == "jsonl" and reducto["result"]["compression"] == "gzip"
    await check_queries(jobs_client, jobs_tenant, job_id, sample)
    listed = (
        await jobs_client.get(
            "/jobs", params={"status": "COMPLETED", "job_type": "logs"}, headers=jobs_tenant.member.headers
        )
    ).json()
    assert listed == [{"job_id": job_id, "job_type": "LOGS", "status": "COMPLETED", "progress": 100}]
    assert (
        await jobs_client.get("/jobs", params={"status": "QUEUED"}, headers=jobs_tenant.member.headers)
    ).json() == []
    reducto_list = (await jobs_client.get("/jobs", headers=jobs_tenant.member.headers)).json()
    assert reducto_list["jobs"][0]["job_id"] == job_id  # without seed filters: Reducto's shape


async def test_post_logs_for_an_upload_and_across_jobs(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant
) -> None:
    headers = jobs_tenant.member.headers
    text = (
        "2026-03-01 08:00:00,001 INFO  [main] shop.Checkout - cart 17 opened\n"
        "2026-03-01 08:00:01,002 ERROR [main] shop.Checkout - cart 17 failed\n"
        "java.lang.RuntimeException: boom\n\tat shop.Checkout.pay(Checkout.java:42)\n"
    )
    upload = await jobs_client.post("/upload", files={"file": ("shop.log", text.encode())}, headers=headers)
    assert upload.status_code == 200, upload.text
    submitted = await jobs_client.post("/logs", json={"file_id": upload.json()["file_id"]}, headers=headers)
    assert submitted.status_code == 202, submitted.text
    assert submitted.json()["status"] == "QUEUED"
    text_job = submitted.json()["job_id"]
    assert (await wait_seed(jobs_client, jobs_tenant, text_job))[-1]["status"] == "COMPLETED"
    records = (await jobs_client.get(f"/logs/{text_job}/records", headers=headers)).json()["records"]
    assert records[0]["level"] == "error" and records[0]["message"].count("\n") == 2
    assert (records[0]["line"], records[0]["end_line"], records[0]["logger"]) == (2, 4, "shop.Checkout")
    sample = mixed_jsonl(300)
    json_job = await seed_job(jobs_client, jobs_tenant, sample.text.encode())
    assert (await wait_seed(jobs_client, jobs_tenant, json_job))[-1]["status"] == "COMPLETED"
    # Across jobs: by service (only the JSON job has services), and every job by time.
    billing = (
        await jobs_client.get("/logs/records", params={"service": "billing", "limit": 1000}, headers=headers)
    ).json()
    assert len(billing["records"]) == sample.services["billing"]
    assert {r["job_id"] for r in billing["records"]} == {json_job}
    both = (
        await jobs_client.get("/logs/summary", params={"since": "2026-03-01T07:00:00Z"}, headers=headers)
    ).json()
    assert sorted(both["job_ids"]) == sorted([text_job, json_job]) and both["records"] == sample.records + 2
    early = (
        await jobs_client.get(
            "/logs/records", params={"until": "2026-03-01T08:00:01Z", "order": "oldest"}, headers=headers
        )
    ).json()["records"]
    assert sorted(r["job_id"] for r in early) == sorted([text_job, json_job])


async def test_refusals(jobs_client: httpx.AsyncClient, jobs_tenant: Tenant) -> None:
    headers = jobs_tenant.member.headers
    bad_format = await jobs_client.post(
        "/ingest/files/init", json={"filename": "a.log", "size": 10, "log_format": "xml"}, headers=headers
    )
    assert bad_format.status_code == 400 and bad_format.json()["error"]["name"] == "INVALID_REQUEST"
    unnamed = await jobs_client.post("/ingest/files/init", json={"size": 10}, headers=headers)
    assert unnamed.status_code in (400, 422)
    init = (
        await jobs_client.post(
            "/ingest/files/init",
            json={"filename": "a.log", "size": 10, "log_format": "jsonl"},
            headers=headers,
        )
    ).json()
    job_id = init["job_id"]
    not_done = await jobs_client.get(f"/logs/{job_id}/summary", headers=headers)
    assert not_done.status_code == 409 and not_done.json()["error"]["name"] == "JOB_NOT_COMPLETE"
    missing = await jobs_client.get("/jobs/00000000-0000-0000-0000-000000000000", headers=headers)
    assert missing.status_code == 404
    assert (await jobs_client.get("/jobs", params={"status": "WAITING"}, headers=headers)).status_code == 400
    assert json.loads((await jobs_client.get(f"/jobs/{job_id}", headers=headers)).text)["status"] == "CREATED"


async def test_a_failing_blob_store_is_retried_with_backoff(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docuforge.logs import storage as log_storage

    real_store = log_storage.store
    calls = []

    async def flaky_store(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionResetError("the blob store hung up")
        return await real_store(*args, **kwargs)

    # The in-process runner runs the task in this process: its first attempt meets the failure.
    monkeypatch.setattr(log_storage, "store", flaky_store)
    sample = mixed_jsonl(200)
    job_id = await seed_job(jobs_client, jobs_tenant, sample.text.encode(), "jsonl")
    views = await wait_seed(jobs_client, jobs_tenant, job_id)
    assert views[-1]["status"] == "COMPLETED" and views[-1]["retry_count"] == 1, views[-1]
    assert len(calls) == 2
    summary = (await jobs_client.get(f"/logs/{job_id}/summary", headers=jobs_tenant.member.headers)).json()
    assert summary["records"] == sample.records
