"""GET /job/{id}/pages and /job/{id}/pages/{n}.png: a parse's pages, drawn once and kept with the job."""

from __future__ import annotations

import asyncio
import io
import uuid

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image
from sqlalchemy import select
from tests.fixtures.identity import Tenant, make_tenant
from tests.fixtures.images import encoded
from tests.fixtures.images import page as image_page
from tests.fixtures.pdfs import LOREM, Heading, Page, Paragraph, make_pdf
from tests.jobs.conftest import wait_for

from docuforge.models import Job

PDF = make_pdf(
    [
        Page([Heading("First page", 18), Paragraph(LOREM)]),
        Page([Heading("Second page", 18)]),
        Page([Heading("Third page", 18), Paragraph(LOREM)]),
    ]
)


async def parsed(client: httpx.AsyncClient, tenant: Tenant, data: bytes, name: str, **options: object) -> str:
    headers = tenant.member.headers
    upload = await client.post("/upload", files={"file": (name, data)}, headers=headers)
    assert upload.status_code == 200, upload.text
    started = await client.post(
        "/parse_async", json={"input": upload.json()["file_id"], **options}, headers=headers
    )
    assert started.status_code == 200, started.text
    job = await wait_for(client, tenant, started.json()["job_id"], timeout=120)
    assert job["status"] == "Completed", job
    return started.json()["job_id"]


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(data)) as image:
        return image.size


async def test_pages_are_listed_drawn_cached_and_deleted_with_the_job(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, jobs_app: FastAPI
) -> None:
    headers = jobs_tenant.member.headers
    job_id = await parsed(jobs_client, jobs_tenant, PDF, "three.pdf", settings={"page_range": ["2-3"]})

    index = await jobs_client.get(f"/job/{job_id}/pages", headers=headers)
    assert index.status_code == 200, index.text
    assert index.headers["cache-control"].startswith("private")
    body = index.json()
    assert body["format"] == "pdf"
    # The result's pages 1 and 2 are the source's pages 2 and 3.
    assert [(p["number"], p["original_number"], p["image"]) for p in body["pages"]] == [
        (1, 2, True),
        (2, 3, True),
    ]
    assert body["pages"][0]["width"] == pytest.approx(612) and body["pages"][0]["height"] == pytest.approx(
        792
    )

    first = await jobs_client.get(f"/job/{job_id}/pages/1.png", headers=headers)
    assert first.status_code == 200 and first.headers["content-type"] == "image/png"
    width, height = png_size(first.content)
    assert (width, height) == (1224, 1584)  # 144 dpi

    # The page drawn is the source's page 2: the title's box holds dark pixels, the area above it none.
    result = (await jobs_client.get(f"/job/{job_id}", headers=headers)).json()["result"]["result"]
    title = next(b for b in result["chunks"][0]["blocks"] if b["content"] == "Second page")
    assert title["bbox"]["page"] == 1
    with Image.open(io.BytesIO(first.content)) as image:
        gray = image.convert("L")
        box = title["bbox"]
        inside = gray.crop(
            (
                int(box["left"] * width),
                int(box["top"] * height),
                int((box["left"] + box["width"]) * width),
                int((box["top"] + box["height"]) * height),
            )
        )
        above = gray.crop((0, 0, width, int(box["top"] * height) - 4))
        assert inside.getextrema()[0] < 100 and above.getextrema()[0] > 240

    again = await jobs_client.get(f"/job/{job_id}/pages/1.png", headers=headers)
    assert again.content == first.content
    assert (await jobs_client.get(f"/job/{job_id}/pages/3.png", headers=headers)).status_code == 404

    async with jobs_app.state.db.session() as session:
        job = (await session.execute(select(Job).where(Job.id == uuid.UUID(job_id)))).scalar_one()
    kept = [key for key in job.artifacts if key.startswith("pages/")]
    assert len(kept) == 3  # the index and one key per page, drawn or not
    assert await jobs_app.state.storage.stat(f"pages/{job.organization_id}/{job_id}/1.png") is not None

    assert (await jobs_client.delete(f"/job/{job_id}", headers=headers)).status_code == 202
    for _ in range(50):
        if all([await jobs_app.state.storage.stat(key) is None for key in kept]):
            break
        await asyncio.sleep(0.1)
    assert all([await jobs_app.state.storage.stat(key) is None for key in kept])


async def test_a_jobid_reparse_shows_the_pages_of_the_parse_it_reuses(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant
) -> None:
    headers = jobs_tenant.member.headers
    first = await parsed(jobs_client, jobs_tenant, PDF, "three.pdf")
    again = await jobs_client.post(
        "/parse_async",
        json={"input": f"jobid://{first}", "formatting": {"table_output_format": "html"}},
        headers=headers,
    )
    second = again.json()["job_id"]
    assert (await wait_for(jobs_client, jobs_tenant, second))["status"] == "Completed"
    index = (await jobs_client.get(f"/job/{second}/pages", headers=headers)).json()
    assert [p["original_number"] for p in index["pages"]] == [1, 2, 3]
    image = await jobs_client.get(f"/job/{second}/pages/3.png", headers=headers)
    assert png_size(image.content) == (1224, 1584)


async def test_an_extract_job_has_the_pages_its_citations_are_on(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant
) -> None:
    headers = jobs_tenant.member.headers
    upload = await jobs_client.post("/upload", files={"file": ("three.pdf", PDF)}, headers=headers)
    schema = {
        "type": "object",
        "properties": {"title": {"type": "string", "description": "The first heading"}},
    }
    started = await jobs_client.post(
        "/extract_async",
        json={
            "input": upload.json()["file_id"],
            "instructions": {"schema": schema},
            "settings": {"citations": {"enabled": True}, "engine": "offline"},
        },
        headers=headers,
    )
    assert started.status_code == 200, started.text
    job_id = started.json()["job_id"]
    assert (await wait_for(jobs_client, jobs_tenant, job_id, timeout=120))["status"] == "Completed"
    index = (await jobs_client.get(f"/job/{job_id}/pages", headers=headers)).json()
    assert [p["number"] for p in index["pages"]] == [1, 2, 3] and all(p["image"] for p in index["pages"])
    image = await jobs_client.get(f"/job/{job_id}/pages/2.png", headers=headers)
    assert png_size(image.content) == (1224, 1584)


@pytest.mark.slow
async def test_an_image_input_is_shown_as_itself(jobs_client: httpx.AsyncClient, jobs_tenant: Tenant) -> None:
    drawn = image_page()
    job_id = await parsed(jobs_client, jobs_tenant, encoded(drawn.image, "PNG"), "scan.png")
    index = (await jobs_client.get(f"/job/{job_id}/pages", headers=jobs_tenant.member.headers)).json()
    assert index["format"] == "png" and index["pages"][0]["image"] is True
    image = await jobs_client.get(f"/job/{job_id}/pages/1.png", headers=jobs_tenant.member.headers)
    width, height = png_size(image.content)
    scale = min(1.0, 2000 / max(drawn.image.size))
    assert (width, height) == (round(drawn.image.size[0] * scale), round(drawn.image.size[1] * scale))


async def test_pages_of_unfinished_foreign_or_other_jobs_are_refused(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, jobs_app: FastAPI
) -> None:
    headers = jobs_tenant.member.headers
    job_id = await parsed(jobs_client, jobs_tenant, PDF, "three.pdf")
    async with jobs_app.state.db.session() as session:
        stranger = await make_tenant(session)
    foreign = await jobs_client.get(f"/job/{job_id}/pages/1.png", headers=stranger.member.headers)
    assert foreign.status_code == 404
    assert (await jobs_client.get(f"/job/{job_id}/pages", headers={})).status_code == 401
    assert (await jobs_client.get(f"/job/{job_id}/pages/0.png", headers=headers)).status_code == 422
    viewer = await jobs_client.get(f"/job/{job_id}/pages/1.png", headers=jobs_tenant.viewer.headers)
    assert viewer.status_code == 200

    pending = await jobs_client.post(
        "/parse_async", json={"input": "http://127.0.0.1:9/never.pdf"}, headers=headers
    )
    refused = await jobs_client.get(f"/job/{pending.json()['job_id']}/pages", headers=headers)
    assert refused.status_code == 409 and refused.json()["error"]["name"] == "JOB_NOT_COMPLETE"
