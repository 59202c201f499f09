"""GET /workspaces/{id}/documents/{id}/pages/{n}.png: the page a citation's box is drawn on, drawn
from the document's upload; what has no pages says why."""

from __future__ import annotations

import io

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image
from tests.fixtures.identity import Tenant, make_tenant
from tests.fixtures.pdfs import Page, Paragraph, make_pdf
from tests.workspaces.conftest import wait_job

pytestmark = pytest.mark.slow

TWO_PAGES = make_pdf([Page([Paragraph("The first page.")]), Page([Paragraph("The second page.")])])


async def add(client: httpx.AsyncClient, headers: dict, workspace: str, name: str, data: bytes) -> dict:
    added = await client.post(
        f"/workspaces/{workspace}/documents",
        files={"file": (name, data, "application/octet-stream")},
        headers=headers,
    )
    assert added.status_code == 202, added.text
    return added.json()


async def test_a_documents_page_is_drawn_and_what_has_none_says_why(
    ws_client: httpx.AsyncClient, ws_tenant: Tenant
) -> None:
    client, headers = ws_client, ws_tenant.viewer.headers
    member = ws_tenant.member.headers
    workspace = (await client.post("/workspaces", json={"name": "pages"}, headers=member)).json()["id"]
    pdf = await add(client, member, workspace, "two.pdf", TWO_PAGES)
    document = pdf["documents"][0]["id"]
    base = f"/workspaces/{workspace}/documents/{document}/pages"

    # Drawn at once from the upload, before the indexing job has even run.
    shown = await client.get(f"{base}/2.png", headers=headers)
    assert shown.status_code == 200, shown.text
    assert shown.headers["content-type"] == "image/png" and "max-age" in shown.headers["cache-control"]
    with Image.open(io.BytesIO(shown.content)) as image:
        assert image.width / image.height == pytest.approx(612 / 792, rel=0.01)
        first_pixels = image.tobytes()
    first = await client.get(f"{base}/1.png", headers=headers)
    with Image.open(io.BytesIO(first.content)) as image:
        assert image.tobytes() != first_pixels  # another page, not the same one twice

    past = await client.get(f"{base}/3.png", headers=headers)
    assert past.status_code == 404 and "no page 3" in past.json()["error"]["message"]
    assert (await client.get(f"{base}/0.png", headers=headers)).status_code == 422

    records = await add(client, member, workspace, "rows.csv", b"name,total\nAcme,10\n")
    path = f"/workspaces/{workspace}/documents/{records['documents'][0]['id']}/pages/1.png"
    refused = await client.get(path, headers=headers)
    assert refused.status_code == 404 and "records" in refused.json()["error"]["message"]
    for added in (pdf, records):
        await wait_job(client, ws_tenant, added["job_id"])


async def test_another_organization_cannot_see_the_page(
    ws_client: httpx.AsyncClient, ws_tenant: Tenant, ws_app: FastAPI
) -> None:
    member = ws_tenant.member.headers
    workspace = (await ws_client.post("/workspaces", json={"name": "mine"}, headers=member)).json()["id"]
    added = await add(ws_client, member, workspace, "two.pdf", TWO_PAGES)
    async with ws_app.state.db.session() as session:
        intruder = await make_tenant(session)
    path = f"/workspaces/{workspace}/documents/{added['documents'][0]['id']}/pages/1.png"
    assert (await ws_client.get(path, headers=intruder.admin.headers)).status_code == 404
    await wait_job(ws_client, ws_tenant, added["job_id"])
