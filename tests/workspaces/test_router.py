"""The workspaces API around the flow: CRUD with counts and filters, roles and tenant isolation,
URL documents, bad input, deletion while jobs run, retention of old question jobs."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update
from tests.fixtures.identity import Tenant, make_tenant
from tests.fixtures.processes import Receiver
from tests.workspaces.conftest import wait_job
from tests.workspaces.tender import BIDDERS, specs_pdf

from docuforge.config import RetentionSettings
from docuforge.db import utcnow
from docuforge.jobs import service as jobs
from docuforge.jobs.dispatcher import Dispatcher
from docuforge.jobs.retention import expire
from docuforge.models import Job, QuestionResult, WorkspaceJob

pytestmark = pytest.mark.slow


async def test_crud_pagination_filters_and_roles(ws_client: httpx.AsyncClient, ws_tenant: Tenant) -> None:
    client, headers = ws_client, ws_tenant.member.headers
    ids = []
    for name in ("Bridges 2027", "Buses 2027", "Roads 2026"):
        response = await client.post(
            "/workspaces", json={"name": name, "prompt": "Be brief."}, headers=headers
        )
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    page = (await client.get("/workspaces", params={"limit": 2}, headers=headers)).json()
    assert page["total"] == 3 and [w["name"] for w in page["workspaces"]] == ["Roads 2026", "Buses 2027"]
    rest = (await client.get("/workspaces", params={"limit": 2, "offset": 2}, headers=headers)).json()
    assert [w["name"] for w in rest["workspaces"]] == ["Bridges 2027"]
    named = (await client.get("/workspaces", params={"name": "2027"}, headers=headers)).json()
    assert named["total"] == 2
    assert (await client.get("/workspaces", params={"status": "empty"}, headers=headers)).json()["total"] == 3
    assert (await client.get("/workspaces", params={"status": "ready"}, headers=headers)).json()["total"] == 0

    patched = await client.patch(
        f"/workspaces/{ids[0]}",
        json={"description": "steel", "retrieval": {"top_k": 3, "mode": "lexical"}},
        headers=headers,
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (
        body["description"] == "steel" and body["retrieval"]["top_k"] == 3 and body["name"] == "Bridges 2027"
    )
    assert body["prompt"] == "Be brief."

    viewer = ws_tenant.viewer.headers
    assert (await client.get(f"/workspaces/{ids[0]}", headers=viewer)).status_code == 200
    refused = await client.post("/workspaces", json={"name": "x"}, headers=viewer)
    assert refused.status_code == 403 and refused.json()["error"]["name"] == "PERMISSION_DENIED"
    assert (await client.delete(f"/workspaces/{ids[0]}", headers=viewer)).status_code == 403
    assert (await client.get("/workspaces/not-an-id", headers=headers)).status_code == 404
    assert (await client.post("/workspaces", json={"name": ""}, headers=headers)).status_code in (400, 422)

    assert (await client.delete(f"/workspaces/{ids[0]}", headers=headers)).status_code == 204
    assert (await client.get(f"/workspaces/{ids[0]}", headers=headers)).status_code == 404


async def test_another_organization_sees_nothing(
    ws_app: FastAPI, ws_client: httpx.AsyncClient, ws_tenant: Tenant
) -> None:
    async with ws_app.state.db.session() as session:
        stranger = await make_tenant(session)
    made = await ws_client.post("/workspaces", json={"name": "private"}, headers=ws_tenant.member.headers)
    ident = made.json()["id"]
    assert (await ws_client.get(f"/workspaces/{ident}", headers=stranger.admin.headers)).status_code == 404
    asked = await ws_client.post(
        f"/workspaces/{ident}/ask", json={"question": "x?"}, headers=stranger.admin.headers
    )
    assert asked.status_code == 404
    assert (await ws_client.get("/workspaces", headers=stranger.admin.headers)).json()["total"] == 0


async def test_documents_by_url_and_file_id_with_bad_files_failing_alone(
    ws_client: httpx.AsyncClient, ws_tenant: Tenant
) -> None:
    client, headers = ws_client, ws_tenant.member.headers
    workspace_id = (await client.post("/workspaces", json={"name": "by url"}, headers=headers)).json()["id"]
    receiver = Receiver()
    try:
        receiver.routes["/specs.pdf"] = (200, {"content-type": "application/pdf"}, specs_pdf())
        receiver.routes["/again.pdf"] = (200, {"content-type": "application/pdf"}, specs_pdf())
        added = await client.post(
            f"/workspaces/{workspace_id}/documents",
            json={"url": f"{receiver.url}/specs.pdf"},
            headers=headers,
        )
        assert added.status_code == 202, added.text
        assert added.json()["documents"][0]["type"] == "document"
        assert (await wait_job(client, ws_tenant, added.json()["job_id"]))["status"] == "Completed"
        # Same bytes at another URL: found a duplicate once fetched, and not kept.
        again = await client.post(
            f"/workspaces/{workspace_id}/documents",
            json={"url": f"{receiver.url}/again.pdf"},
            headers=headers,
        )
        job = await wait_job(client, ws_tenant, again.json()["job_id"])
        assert job["result"]["result"]["documents"][0]["status"] == "duplicate"
    finally:
        receiver.close()

    upload = await client.post(
        "/upload", files={"file": ("broken.json", b'{"lots": [1, 2', "application/json")}, headers=headers
    )
    broken = await client.post(
        f"/workspaces/{workspace_id}/documents", json={"file_id": upload.json()["file_id"]}, headers=headers
    )
    assert broken.json()["documents"][0]["type"] == "json"
    upload = await client.post(
        "/upload", files={"file": ("bidders.csv", BIDDERS.encode(), "text/csv")}, headers=headers
    )
    good = await client.post(
        f"/workspaces/{workspace_id}/documents", json={"file_id": upload.json()["file_id"]}, headers=headers
    )
    for response in (broken, good):
        assert (await wait_job(client, ws_tenant, response.json()["job_id"]))["status"] == "Completed"
    documents = (await client.get(f"/workspaces/{workspace_id}/documents", headers=headers)).json()[
        "documents"
    ]
    status = {d["filename"]: (d["status"], d["error"]) for d in documents}
    assert status["specs.pdf"] == ("ready", None) and status["bidders.csv"] == ("ready", None)
    assert status["broken.json"][0] == "failed" and "not valid JSON" in status["broken.json"][1]
    failed = await client.get(
        f"/workspaces/{workspace_id}/documents", params={"status": "failed"}, headers=headers
    )
    assert [d["filename"] for d in failed.json()["documents"]] == ["broken.json"]
    workspace = (await client.get(f"/workspaces/{workspace_id}", headers=headers)).json()
    assert workspace["documents"] == {"pending": 0, "indexing": 0, "ready": 2, "failed": 1}
    assert workspace["status"] == "ready"


async def test_bad_requests_have_stable_codes(ws_client: httpx.AsyncClient, ws_tenant: Tenant) -> None:
    client, headers = ws_client, ws_tenant.member.headers
    workspace_id = (await client.post("/workspaces", json={"name": "bad input"}, headers=headers)).json()[
        "id"
    ]
    path = f"/workspaces/{workspace_id}"
    both = await client.post(
        f"{path}/documents", json={"file_id": "x", "url": "https://example.com/a.pdf"}, headers=headers
    )
    assert both.status_code == 400 and both.json()["error"]["name"] == "INVALID_REQUEST"
    scheme = await client.post(f"{path}/documents", json={"url": "file:///etc/passwd"}, headers=headers)
    assert scheme.status_code == 400
    private = await client.post(f"{path}/documents", json={"url": "http://10.0.0.1/a.pdf"}, headers=headers)
    assert private.status_code == 400 and private.json()["error"]["name"] == "URL_NOT_ALLOWED"
    missing = await client.post(f"{path}/documents", json={"file_id": str(uuid.uuid4())}, headers=headers)
    assert missing.status_code == 404
    llm = await client.post(f"{path}/ask", json={"question": "Value?", "engine": "llm"}, headers=headers)
    assert llm.status_code == 400 and llm.json()["error"]["name"] == "INVALID_CONFIG"
    neither = await client.post(f"{path}/question-jobs", json={}, headers=headers)
    assert neither.status_code == 400
    twice = await client.post(
        f"{path}/question-sets",
        json={"name": "s", "questions": [{"id": "a", "question": "x?"}, {"id": "a", "question": "y?"}]},
        headers=headers,
    )
    assert twice.status_code == 400 and "twice" in twice.json()["error"]["message"]
    empty = await client.post(f"{path}/ask", json={"question": "What is the value?"}, headers=headers)
    assert empty.status_code == 200 and empty.json()["citations"] == [] and empty.json()["confidence"] == 0


async def test_delete_refuses_while_jobs_run_and_force_cancels_them(
    ws_app: FastAPI, ws_client: httpx.AsyncClient, ws_tenant: Tenant
) -> None:
    client, headers = ws_client, ws_tenant.member.headers
    workspace_id = (await client.post("/workspaces", json={"name": "busy"}, headers=headers)).json()["id"]
    async with ws_app.state.db.session() as session:
        job = await jobs.submit(
            session,
            ws_app.state.runner,
            ws_app.state.settings,
            ws_tenant.member.principal,
            type="test.sleep",
            config={"seconds": 30, "steps": 300},
            input={},
        )
        session.add(
            WorkspaceJob(
                job_id=job.id,
                organization_id=ws_tenant.organization.id,
                workspace_id=uuid.UUID(workspace_id),
                kind="index",
            )
        )
    refused = await client.delete(f"/workspaces/{workspace_id}", headers=headers)
    assert refused.status_code == 409 and "force=true" in refused.json()["error"]["message"]
    forced = await client.delete(f"/workspaces/{workspace_id}", params={"force": "true"}, headers=headers)
    assert forced.status_code == 204
    assert (await wait_job(client, ws_tenant, str(job.id)))["status"] == "Failed"
    assert (await client.get(f"/workspaces/{workspace_id}", headers=headers)).status_code == 404


async def test_old_finished_question_jobs_expire_with_their_answers(
    ws_app: FastAPI, ws_client: httpx.AsyncClient, ws_tenant: Tenant
) -> None:
    """Question jobs follow the one retention every job follows (DOCUFORGE_RETENTION__DAYS), and
    an expired one takes its answers and its place in the workspace's history along."""
    client, headers = ws_client, ws_tenant.member.headers
    workspace_id = (await client.post("/workspaces", json={"name": "history"}, headers=headers)).json()["id"]
    path = f"/workspaces/{workspace_id}/question-jobs"
    ids = []
    for _ in range(2):
        started = await client.post(path, json={"questions": [{"question": "Anything?"}]}, headers=headers)
        ids.append(started.json()["job_id"])
        await wait_job(client, ws_tenant, ids[-1])
    assert (await client.get(path, headers=headers)).json()["total"] == 2
    settings = ws_app.state.settings.model_copy(update={"retention": RetentionSettings(days=30)})
    async with ws_app.state.db.session() as session:
        await session.execute(
            update(Job)
            .where(Job.id == uuid.UUID(ids[0]))
            .values(finished_at=utcnow() - dt.timedelta(days=31))
        )
    assert await expire(ws_app.state.db, settings) == 1
    await Dispatcher(settings, ws_app.state.db, ws_app.state.storage).finish_deletions()
    listed = (await client.get(path, headers=headers)).json()
    assert [j["job_id"] for j in listed["jobs"]] == [ids[1]]
    assert (await client.get(f"{path}/{ids[0]}", headers=headers)).status_code in (404, 410)
    assert (await client.get(f"{path}/{ids[1]}", headers=headers)).json()["results"][0]["question_id"] == "1"
    async with ws_app.state.db.session() as session:
        for table in (QuestionResult, WorkspaceJob):
            left = await session.execute(
                select(func.count()).select_from(table).where(table.job_id == uuid.UUID(ids[0]))
            )
            assert left.scalar_one() == 0, table.__name__
        kept = await session.execute(
            select(func.count()).select_from(QuestionResult).where(QuestionResult.job_id == uuid.UUID(ids[1]))
        )
        assert kept.scalar_one() == 1
