"""GET /files: the organization's uploads, newest first, paged and filtered, for picking one again."""

from __future__ import annotations

import io
import zipfile

import httpx
from tests.fixtures.identity import Tenant

PDF = b"%PDF-1.7\n" + b"0" * 500


async def upload(client: httpx.AsyncClient, tenant: Tenant, name: str, content: bytes = PDF) -> dict:
    response = await client.post(
        "/upload", files={"file": (name, content, "application/octet-stream")}, headers=tenant.member.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_uploads_are_listed_newest_first_with_their_name_size_and_type(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    made = [await upload(client, tenant, f"doc-{i}.pdf", PDF + bytes(i)) for i in range(3)]
    notes = await upload(client, tenant, "notes.txt", b"plain words")
    listed = await client.get("/files", headers=tenant.viewer.headers)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["total"] == 4 and body["limit"] == 50 and body["offset"] == 0
    assert [f["file_id"] for f in body["files"]] == [notes["file_id"]] + [
        m["file_id"] for m in reversed(made)
    ]
    first = body["files"][-1]
    assert first["filename"] == "doc-0.pdf" and first["size"] == len(PDF) and first["extension"] == "pdf"
    assert first["status"] == "ready" and first["bundle_id"] is None and first["created_at"]

    page = (
        await client.get("/files", params={"limit": 2, "offset": 1}, headers=tenant.viewer.headers)
    ).json()
    assert [f["file_id"] for f in page["files"]] == [m["file_id"] for m in reversed(made)][:2]
    assert page["total"] == 4

    only = (await client.get("/files", params={"extension": ".txt"}, headers=tenant.viewer.headers)).json()
    assert [f["filename"] for f in only["files"]] == ["notes.txt"] and only["total"] == 1


async def test_a_pending_presigned_upload_and_a_bundles_members(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    pending = (await client.post("/upload", json={}, headers=tenant.member.headers)).json()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("a.pdf", PDF)
        bundle.writestr("b.pdf", PDF + b"1")
    zipped = await upload(client, tenant, "bundle.zip", archive.getvalue())
    files = (await client.get("/files", headers=tenant.member.headers)).json()["files"]
    by_id = {f["file_id"]: f for f in files}
    assert by_id[pending["file_id"]]["status"] == "pending" and by_id[pending["file_id"]]["size"] is None
    members = [f for f in files if f["bundle_id"] == zipped["file_id"]]
    assert sorted(m["filename"] for m in members) == ["a.pdf", "b.pdf"]

    ready = (await client.get("/files", params={"status": "ready"}, headers=tenant.member.headers)).json()
    assert pending["file_id"] not in {f["file_id"] for f in ready["files"]} and ready["total"] == 3


async def test_only_the_own_organizations_files_and_bad_pages_are_refused(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = await upload(client, tenant, "mine.pdf")
    theirs = (await client.get("/files", headers=other_tenant.admin.headers)).json()
    assert mine["file_id"] not in {f["file_id"] for f in theirs["files"]} and theirs["total"] == 0
    for params in ({"limit": 0}, {"limit": 201}, {"offset": -1}, {"status": "lost"}):
        refused = await client.get("/files", params=params, headers=tenant.member.headers)
        assert refused.status_code == 422, (params, refused.text)
    assert (await client.get("/files")).status_code == 401
