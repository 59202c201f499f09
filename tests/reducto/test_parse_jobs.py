"""Parse jobs on the in-process runner: URL inputs, the two-phase ingest, images, deletion."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from tests.fixtures.identity import Tenant
from tests.fixtures.pdfs import LOREM, Figure, Heading, Page, Paragraph, Table, make_pdf
from tests.fixtures.processes import Receiver
from tests.jobs.conftest import wait_for

from docuforge.models import Job

PDF = make_pdf(
    [
        Page(
            [
                Heading("Fetched", 18),
                Paragraph(LOREM),
                Figure(caption="Figure 1: Bars"),
                Table([["A", "B"], ["1", "2"]]),
            ]
        )
    ]
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    server.routes["/docs/report.pdf"] = (200, {"content-type": "application/pdf"}, PDF)
    server.routes["/gone.pdf"] = (404, {}, b"no")
    yield server
    server.close()


async def test_a_url_input_is_fetched_and_parsed(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, receiver: Receiver
) -> None:
    headers = jobs_tenant.member.headers
    started = await jobs_client.post(
        "/parse_async", json={"input": receiver.url + "/docs/report.pdf"}, headers=headers
    )
    assert started.status_code == 200, started.text
    job = await wait_for(jobs_client, jobs_tenant, started.json()["job_id"])
    assert job["status"] == "Completed", job
    result = job["result"]
    assert result["pdf_url"] == receiver.url + "/docs/report.pdf"
    assert result["result"]["chunks"][0]["content"].startswith("# Fetched")
    missing = await jobs_client.post(
        "/parse_async", json={"input": receiver.url + "/gone.pdf"}, headers=headers
    )
    failed = await wait_for(jobs_client, jobs_tenant, missing.json()["job_id"])
    assert (
        failed["status"] == "Failed"
        and failed["error"]["name"] == "INVALID_REQUEST"
        and "404" in failed["reason"]
    )


async def test_forbidden_urls_are_refused_at_once(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant
) -> None:
    for url in (
        "http://10.0.0.1/a.pdf",
        "http://[::1]/a.pdf",
        "ftp://example.com/a.pdf",
        "file:///etc/passwd",
    ):
        refused = await jobs_client.post("/parse", json={"input": url}, headers=jobs_tenant.member.headers)
        assert refused.status_code == 400 and refused.json()["error"]["name"] == "URL_NOT_ALLOWED", url
    assert (await jobs_client.get("/health/live")).status_code == 200


async def test_two_phase_ingest_runs_a_parse(jobs_client: httpx.AsyncClient, jobs_tenant: Tenant) -> None:
    headers = jobs_tenant.member.headers
    init = await jobs_client.post(
        "/ingest/files/init",
        json={
            "name": "report.pdf",
            "size": len(PDF),
            "type": "parse",
            "config": {"formatting": {"table_output_format": "html"}},
        },
        headers=headers,
    )
    body = init.json()
    url = httpx.URL(body["presigned_url"])
    await jobs_client.put(f"{url.path}?{url.query.decode()}", content=PDF)
    await jobs_client.post("/ingest/files/complete", json={"job_id": body["job_id"]}, headers=headers)
    job = await wait_for(jobs_client, jobs_tenant, body["job_id"])
    assert job["status"] == "Completed" and job["num_pages"] == 1
    assert "<table>" in job["result"]["result"]["chunks"][0]["content"]


async def test_images_are_stored_linked_and_deleted_with_the_job(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, jobs_app: FastAPI
) -> None:
    headers = jobs_tenant.member.headers
    upload = await jobs_client.post(
        "/upload", files={"file": ("r.pdf", PDF, "application/pdf")}, headers=headers
    )
    result = await jobs_client.post(
        "/parse",
        json={"input": upload.json()["file_id"], "settings": {"return_images": ["figure", "table", "page"]}},
        headers=headers,
    )
    assert result.status_code == 200, result.text
    blocks = result.json()["result"]["chunks"][0]["blocks"]
    linked = [b for b in blocks if b.get("image_url")]
    assert {b["type"] for b in linked} == {"Figure", "Table"}
    # A whole page's image has no place in Reducto's result: said so rather than made for nothing.
    assert "settings.return_images=page" in result.json()["result"]["custom"]["unsupported_options"]
    pdf_url = httpx.URL(result.json()["pdf_url"])
    served = await jobs_client.get(f"{pdf_url.path}?{pdf_url.query.decode()}")
    assert served.status_code == 200 and served.headers["content-type"] == "application/pdf"
    for block in linked:
        url = httpx.URL(block["image_url"])
        image = await jobs_client.get(f"{url.path}?{url.query.decode()}")
        assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
        assert image.headers["content-type"] == "image/png"
    job_id = result.json()["job_id"]
    async with jobs_app.state.db.session() as session:
        job = (await session.execute(select(Job).where(Job.id == uuid.UUID(job_id)))).scalar_one()
    artifacts = list(job.artifacts)
    assert any(key.startswith("documents/") for key in artifacts) and len(artifacts) == 3  # document, 2 crops
    assert (await jobs_client.delete(f"/job/{job_id}", headers=headers)).status_code == 202
    for _ in range(50):
        if all([await jobs_app.state.storage.stat(key) is None for key in artifacts]):
            break
        await asyncio.sleep(0.1)
    assert all([await jobs_app.state.storage.stat(key) is None for key in artifacts])
