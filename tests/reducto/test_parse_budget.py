"""A parse job with a time budget (a Docuforge extension): when it runs out the job still completes,
with the pages finished so far, marked partial, and the pages missing."""

from __future__ import annotations

import httpx
from tests.fixtures.identity import Tenant
from tests.fixtures.pdfs import LOREM, Heading, Page, Paragraph, make_pdf
from tests.jobs.conftest import wait_for

PDF = make_pdf([Page([Heading(f"Chapter {n}", 18), Paragraph(LOREM)]) for n in range(1, 4)])


async def test_a_spent_budget_answers_the_pages_found_marked_partial(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant
) -> None:
    headers = jobs_tenant.member.headers
    upload = await jobs_client.post(
        "/upload", files={"file": ("book.pdf", PDF, "application/pdf")}, headers=headers
    )
    file_id = upload.json()["file_id"]
    spent = await jobs_client.post(
        "/parse", json={"input": file_id, "settings": {"time_budget": 0.000001}}, headers=headers
    )
    assert spent.status_code == 200, spent.text
    body = spent.json()
    assert body["partial"] is True and body["missing_pages"] == [2, 3]
    assert body["usage"]["num_pages"] == 1
    content = "\n".join(chunk["content"] for chunk in body["result"]["chunks"])
    assert "Chapter 1" in content and "Chapter 2" not in content
    job = await wait_for(jobs_client, jobs_tenant, body["job_id"])
    assert job["result"]["partial"] is True and job["result"]["missing_pages"] == [2, 3]

    whole = await jobs_client.post(
        "/parse_async", json={"input": file_id, "settings": {"time_budget": 300}}, headers=headers
    )
    finished = await wait_for(jobs_client, jobs_tenant, whole.json()["job_id"])
    assert finished["status"] == "Completed" and finished["num_pages"] == 3
    assert "partial" not in finished["result"] and "missing_pages" not in finished["result"]
