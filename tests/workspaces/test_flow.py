"""The whole flow on the embedded default: a tender ZIP into a workspace, questions answered with
citations, a question set run as a job and exported as CSV with every answer citing its page."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from tests.fixtures.identity import Tenant
from tests.workspaces.conftest import wait_job
from tests.workspaces.tender import QUESTIONS, tender_zip

pytestmark = pytest.mark.slow


async def drop_tender(client: httpx.AsyncClient, tenant: Tenant) -> tuple[str, dict]:
    created = await client.post(
        "/workspaces",
        json={"name": "Tender GH-2027-14", "description": "buses"},
        headers=tenant.member.headers,
    )
    assert created.status_code == 201, created.text
    workspace = created.json()
    assert workspace["status"] == "empty" and workspace["document_count"] == 0
    added = await client.post(
        f"/workspaces/{workspace['id']}/documents",
        files={"file": ("tender.zip", tender_zip(), "application/zip")},
        headers=tenant.member.headers,
    )
    assert added.status_code == 202, added.text
    body = added.json()
    types = {d["filename"]: d["type"] for d in body["documents"]}
    assert types == {
        "tender/notice.pdf": "document",
        "tender/specs.pdf": "document",
        "data/lots.json": "json",
        "data/bidders.csv": "csv",
    }
    assert {d["status"] for d in body["documents"]} == {"pending"}
    job = await wait_job(client, tenant, body["job_id"])
    assert job["status"] == "Completed", job
    return workspace["id"], body


async def test_a_tender_answered_with_citations_and_exported(
    ws_client: httpx.AsyncClient, ws_tenant: Tenant
) -> None:
    client, tenant = ws_client, ws_tenant
    headers = tenant.member.headers
    workspace_id, _ = await drop_tender(client, tenant)

    listed = (await client.get(f"/workspaces/{workspace_id}/documents", headers=headers)).json()
    assert {d["status"] for d in listed["documents"]} == {"ready"}, listed
    notice = next(d for d in listed["documents"] if d["filename"] == "tender/notice.pdf")
    assert notice["pages"] == 2 and notice["passages"] >= 2
    workspace = (await client.get(f"/workspaces/{workspace_id}", headers=headers)).json()
    assert workspace["status"] == "ready" and workspace["documents"]["ready"] == 4

    # The same content again is recognised by its hash: nothing new, no job.
    again = await client.post(
        f"/workspaces/{workspace_id}/documents",
        files={"file": ("copy.zip", tender_zip(), "application/zip")},
        headers=headers,
    )
    assert again.status_code == 202 and again.json()["job_id"] is None
    assert all(d["duplicate"] for d in again.json()["documents"])

    asked = await client.post(
        f"/workspaces/{workspace_id}/ask",
        json={"question": "What is the estimated contract value?"},
        headers=headers,
    )
    assert asked.status_code == 200, asked.text
    answer = asked.json()
    assert "1,250,000" in answer["answer"] and answer["engine"] == "offline" and answer["kind"] == "amount"
    first = answer["citations"][0]
    assert (first["filename"], first["page"], first["document_id"]) == ("tender/notice.pdf", 1, notice["id"])
    assert set(first["bbox"]) == {"left", "top", "width", "height"} and 0 < first["bbox"]["width"] <= 1
    assert "1,250,000" in first["text"] and 0 < answer["confidence"] <= 1

    searched = await client.post(
        f"/workspaces/{workspace_id}/search",
        json={"query": "penalty per day of delay", "top_k": 3, "filters": {"pages": [2]}},
        headers=tenant.viewer.headers,
    )
    assert searched.status_code == 200, searched.text
    hits = searched.json()["hits"]
    assert hits and all(h["page"] == 2 for h in hits) and "0.5%" in hits[0]["text"]

    made = await client.post(
        f"/workspaces/{workspace_id}/question-sets",
        json={"name": "standard", "questions": QUESTIONS},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    started = await client.post(
        f"/workspaces/{workspace_id}/question-jobs",
        json={"question_set_id": made.json()["id"]},
        headers=headers,
    )
    assert started.status_code == 202, started.text
    job_id = started.json()["job_id"]
    assert (await wait_job(client, tenant, job_id))["status"] == "Completed"
    view = (await client.get(f"/workspaces/{workspace_id}/question-jobs/{job_id}", headers=headers)).json()
    assert view["status"] == "completed" and view["progress"] == 1 and view["answered"] == view["total"] == 7
    assert view["estimated_completion"] is not None
    by_id = {r["question_id"]: r for r in view["results"]}
    for result in view["results"]:
        assert result["fragment_confidence"] == 1.0, result
        assert result["citations"] and 0 < result["retrieval_confidence"] <= 1
    assert by_id["penalty"]["answer"].startswith("Yes")
    assert by_id["lot2"]["citations"][0]["filename"] == "data/lots.json"
    assert by_id["belgian"]["citations"][0]["row"] == 1

    exported = await client.get(
        f"/workspaces/{workspace_id}/question-jobs/{job_id}/export", params={"format": "csv"}, headers=headers
    )
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["question_id"] for r in rows] == [q["id"] for q in QUESTIONS]
    for row in rows:
        assert row["answer"] and " p." in row["sources"], row
    value_row = rows[0]
    assert (
        value_row["sources"].startswith("tender/notice.pdf p.1") and value_row["fragment_confidence"] == "1.0"
    )
    as_json = await client.get(
        f"/workspaces/{workspace_id}/question-jobs/{job_id}/export",
        params={"format": "json"},
        headers=headers,
    )
    assert len(as_json.json()["results"]) == 7

    history = (await client.get(f"/workspaces/{workspace_id}/question-jobs", headers=headers)).json()
    assert [j["job_id"] for j in history["jobs"]] == [job_id] and history["total"] == 1
    none_running = await client.get(
        f"/workspaces/{workspace_id}/question-jobs", params={"status": "running"}, headers=headers
    )
    assert none_running.json()["total"] == 0

    # Removing a document takes its passages out of the index.
    removed = await client.delete(f"/workspaces/{workspace_id}/documents/{notice['id']}", headers=headers)
    assert removed.status_code == 204
    searched = await client.post(
        f"/workspaces/{workspace_id}/search", json={"query": "estimated contract value EUR"}, headers=headers
    )
    assert all(h["document_id"] != notice["id"] for h in searched.json()["hits"])
