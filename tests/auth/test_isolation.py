"""Tenant isolation and the role matrix, for every route the service has.

Every route must appear in ROUTES with the permission it needs. A new route that is not listed
fails `test_every_route_is_in_the_matrix`, so each later feature extends this matrix.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from tests.fixtures.identity import Tenant

from docuforge.auth.permissions import Permission, Role, allows

PUBLIC = "public"  # no credentials at all
SIGNED = "signed"  # a signed URL is the credential
ANY = "authenticated"  # any valid principal


@dataclass
class Call:
    method: str
    path: str
    json: dict | None = None
    files: dict | None = None


Build = Callable[[httpx.AsyncClient, Tenant], Awaitable[Call]]


def fixed(method: str, path: str, json: dict | None = None, files: dict | None = None) -> Build:
    async def build(_client: httpx.AsyncClient, _tenant: Tenant) -> Call:
        return Call(method, path, json, files)

    return build


async def new_user_id(client: httpx.AsyncClient, tenant: Tenant) -> str:
    name = f"target-{uuid.uuid4().hex[:8]}"
    created = await client.post(
        "/users",
        json={"username": name, "email": f"{name}@docuforge-tests.com", "password": "lamp-violet-tractor-9"},
        headers=tenant.admin.headers,
    )
    return created.json()["id"]


async def new_key_id(client: httpx.AsyncClient, tenant: Tenant) -> str:
    created = await client.post(
        "/api-keys", json={"name": "target", "role": "viewer"}, headers=tenant.admin.headers
    )
    return created.json()["id"]


def on_user(method: str, json: dict | None = None) -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call(method, f"/users/{await new_user_id(client, tenant)}", json)

    return build


def on_key(method: str) -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call(method, f"/api-keys/{await new_key_id(client, tenant)}")

    return build


async def new_job_id(client: httpx.AsyncClient, tenant: Tenant, upload: bool = False) -> str:
    created = await client.post(
        "/ingest/files/init",
        json={"name": "a.pdf", "size": 3, "type": "test.echo"},
        headers=tenant.member.headers,
    )
    assert created.status_code == 201, created.text
    if upload:
        url = httpx.URL(created.json()["presigned_url"])
        await client.put(f"{url.path}?{url.query.decode()}", content=b"abc")
    return created.json()["job_id"]


async def new_file_id(client: httpx.AsyncClient, tenant: Tenant) -> str:
    created = await client.post(
        "/upload", files={"file": ("a.pdf", b"%PDF-1.4", "application/pdf")}, headers=tenant.member.headers
    )
    return created.json()["file_id"]


def on_job(method: str, template: str) -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call(method, template.format(id=await new_job_id(client, tenant)))

    return build


def completing() -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call(
            "POST", "/ingest/files/complete", {"job_id": await new_job_id(client, tenant, upload=True)}
        )

    return build


def on_file_input(path: str, extra: dict | None = None) -> Build:
    """A parse request reading one of the tenant's uploads."""

    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call("POST", path, {"input": await new_file_id(client, tenant), **(extra or {})})

    return build


def on_file(method: str) -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call(method, "/upload/" + quote(await new_file_id(client, tenant), safe=""))

    return build


STATEMENT = {
    "statement_type": "balance_sheet",
    "company": "Acme Widgets Inc.",
    "periods": ["2024"],
    "lines": [
        {"label": "Cash", "values": {"2024": 5}},
        {"label": "Inventory", "values": {"2024": 7}},
        {"label": "Total assets", "values": {"2024": 12}, "is_total": True},
    ],
}


async def new_statement_id(client: httpx.AsyncClient, tenant: Tenant) -> str:
    created = await client.post("/statements", json=STATEMENT, headers=tenant.member.headers)
    assert created.status_code == 201, created.text
    return created.json()["id"]


def on_statement(method: str, suffix: str = "", json: dict | None = None) -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call(method, f"/statements/{await new_statement_id(client, tenant)}{suffix}", json)

    return build


def consolidating() -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call("POST", "/consolidations", {"statement_ids": [await new_statement_id(client, tenant)]})

    return build


def on_consolidation(suffix: str = "") -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        made = await client.post(
            "/consolidations",
            json={
                "statement_ids": [await new_statement_id(client, tenant)],
                "options": {"embeddings": False},
            },
            headers=tenant.member.headers,
        )
        assert made.status_code == 201, made.text
        return Call("GET", f"/consolidations/{made.json()['id']}{suffix}")

    return build


# ---------------------------------------------------------------- the engine operations and features


def on_operation(path: str, body: dict, key: str = "input") -> Build:
    """A request reading one of the tenant's uploads (async where the route would wait: jobs do not
    run in these tests)."""

    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call("POST", path, {key: await new_file_id(client, tenant), **body})

    return build


EXTRACT = {"instructions": {"schema": {"type": "object", "properties": {"total": {"type": "number"}}}}}
SPLIT = {"split_description": [{"name": "invoice", "description": "An invoice"}]}
CLASSIFY = {"classification_schema": [{"category": "invoice", "criteria": ["a total"]}]}
EDIT = {"edit_instructions": "the name is Ada"}


async def new_pipeline_id(client: httpx.AsyncClient, tenant: Tenant) -> str:
    created = await client.post(
        "/pipelines", json={"name": f"p-{uuid.uuid4().hex[:8]}", "parse": {}}, headers=tenant.member.headers
    )
    assert created.status_code == 201, created.text
    return created.json()["pipeline_id"]


def on_pipeline(method: str) -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call(method, f"/pipelines/{await new_pipeline_id(client, tenant)}")

    return build


def running_pipeline(path: str, body: dict) -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call(
            "POST",
            path,
            {
                "pipeline_id": await new_pipeline_id(client, tenant),
                "input": await new_file_id(client, tenant),
                **body,
            },
        )

    return build


async def new_workspace_id(client: httpx.AsyncClient, tenant: Tenant) -> str:
    created = await client.post(
        "/workspaces", json={"name": f"w-{uuid.uuid4().hex[:8]}"}, headers=tenant.member.headers
    )
    assert created.status_code == 201, created.text
    return created.json()["id"]


def on_workspace(method: str, suffix: str = "", json: dict | None = None) -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call(method, f"/workspaces/{await new_workspace_id(client, tenant)}{suffix}", json)

    return build


def adding_to_workspace() -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        workspace = await new_workspace_id(client, tenant)
        return Call(
            "POST", f"/workspaces/{workspace}/documents", {"file_id": await new_file_id(client, tenant)}
        )

    return build


def on_workspace_document(method: str) -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        workspace = await new_workspace_id(client, tenant)
        added = await client.post(
            f"/workspaces/{workspace}/documents",
            json={"file_id": await new_file_id(client, tenant)},
            headers=tenant.member.headers,
        )
        assert added.status_code == 202, added.text
        return Call(method, f"/workspaces/{workspace}/documents/{added.json()['documents'][0]['id']}")

    return build


def on_workspace_page() -> Build:
    """A page of a PDF in a workspace, drawn from its upload (no indexing needed)."""

    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        from tests.fixtures.pdfs import Page, Paragraph, make_pdf

        workspace = await new_workspace_id(client, tenant)
        pdf = make_pdf([Page([Paragraph("Cited on this page.")])])
        added = await client.post(
            f"/workspaces/{workspace}/documents",
            files={"file": ("cited.pdf", pdf, "application/pdf")},
            headers=tenant.member.headers,
        )
        assert added.status_code == 202, added.text
        document = added.json()["documents"][0]["id"]
        return Call("GET", f"/workspaces/{workspace}/documents/{document}/pages/1.png")

    return build


QUESTIONS = {
    "name": "tender",
    "questions": [{"question": "What is the total?", "expected_fragments": ["10"]}],
}


def on_question_set(method: str) -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        workspace = await new_workspace_id(client, tenant)
        made = await client.post(
            f"/workspaces/{workspace}/question-sets", json=QUESTIONS, headers=tenant.member.headers
        )
        assert made.status_code == 201, made.text
        return Call(method, f"/workspaces/{workspace}/question-sets/{made.json()['id']}")

    return build


def on_question_job(suffix: str = "") -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        workspace = await new_workspace_id(client, tenant)
        made = await client.post(
            f"/workspaces/{workspace}/question-jobs",
            json={"questions": QUESTIONS["questions"]},
            headers=tenant.member.headers,
        )
        assert made.status_code == 202, made.text
        return Call("GET", f"/workspaces/{workspace}/question-jobs/{made.json()['job_id']}{suffix}")

    return build


LOG_LINES = b'{"ts": "2026-01-02T03:04:05Z", "level": "error", "msg": "disk full", "service": "api"}\n'


async def finished_job(client: httpx.AsyncClient, job_id: str, response: dict) -> None:
    """Complete a submitted job as its task would have (jobs do not run in these tests)."""
    from docuforge.models import Job

    app = client._transport.app  # type: ignore[attr-defined]
    async with app.state.db.session() as session:
        job = await session.get(Job, uuid.UUID(job_id))
        job.status = "completed"
        job.response = response
        await session.commit()


async def new_log_job_id(client: httpx.AsyncClient, tenant: Tenant) -> str:
    """A log job that has read its file: records in Parquet, kept as blobs, the job completed."""
    import tempfile
    from pathlib import Path

    from docuforge.logs import storage as log_storage
    from docuforge.logs.ingest import ingest
    from docuforge.logs.records import ParseOptions as LogOptions

    uploaded = await client.post(
        "/upload", files={"file": ("app.log", LOG_LINES, "text/plain")}, headers=tenant.member.headers
    )
    assert uploaded.status_code < 400, uploaded.text
    made = await client.post(
        "/logs", json={"file_id": uploaded.json()["file_id"]}, headers=tenant.member.headers
    )
    assert made.status_code == 202, made.text
    job_id = made.json()["job_id"]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "app.log"
        source.write_bytes(LOG_LINES)
        stats = ingest(source, Path(folder) / "out", job_id, LogOptions())
        app = client._transport.app  # type: ignore[attr-defined]
        await log_storage.store(
            app.state.storage, tenant.organization.id, uuid.UUID(job_id), Path(folder) / "out"
        )
    await finished_job(client, job_id, {"response_type": "logs", **stats})
    return job_id


def on_log_job(suffix: str) -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call("GET", f"/logs/{await new_log_job_id(client, tenant)}{suffix}")

    return build


def across_log_jobs(path: str) -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call("GET", f"{path}?job_id={await new_log_job_id(client, tenant)}")

    return build


async def new_parsed_job_id(client: httpx.AsyncClient, tenant: Tenant) -> str:
    """A parse job that has read its PDF: its Document kept as the parse task keeps it."""
    from tests.fixtures.pdfs import Page, Paragraph, make_pdf

    from docuforge import parse
    from docuforge.reducto.parse.tasks import document_key
    from docuforge.storage import write_bytes

    pdf = make_pdf([Page([Paragraph("Shown as a page image.")])])
    uploaded = await client.post(
        "/upload", files={"file": ("page.pdf", pdf, "application/pdf")}, headers=tenant.member.headers
    )
    made = await client.post(
        "/parse_async", json={"input": uploaded.json()["file_id"]}, headers=tenant.member.headers
    )
    assert made.status_code == 200, made.text
    job_id = made.json()["job_id"]
    document = parse(pdf)
    app = client._transport.app  # type: ignore[attr-defined]
    await write_bytes(
        app.state.storage,
        document_key(tenant.organization.id, uuid.UUID(job_id)),
        document.model_dump_json().encode(),
    )
    await finished_job(client, job_id, {"job_id": job_id, "duration": 0.1})
    return job_id


def on_parsed_job(suffix: str) -> Build:
    async def build(client: httpx.AsyncClient, tenant: Tenant) -> Call:
        return Call("GET", f"/job/{await new_parsed_job_id(client, tenant)}{suffix}")

    return build


def new_user_body() -> dict:
    name = f"made-{uuid.uuid4().hex[:8]}"
    return {"username": name, "email": f"{name}@docuforge-tests.com", "password": "lamp-violet-tractor-9"}


# (method, route template) -> (what it needs, how to call it on a tenant's own resources,
# whether the path names one of the tenant's resources)
ROUTES: dict[tuple[str, str], tuple[str | Permission, Build, bool]] = {
    ("GET", "/health"): (PUBLIC, fixed("GET", "/health"), False),
    ("GET", "/health/ready"): (PUBLIC, fixed("GET", "/health/ready"), False),
    ("GET", "/health/live"): (PUBLIC, fixed("GET", "/health/live"), False),
    ("GET", "/version"): (PUBLIC, fixed("GET", "/version"), False),
    ("GET", "/metrics"): (PUBLIC, fixed("GET", "/metrics"), False),
    ("POST", "/auth/login"): (
        PUBLIC,
        fixed("POST", "/auth/login", {"username": "x", "password": "y"}),
        False,
    ),
    ("POST", "/auth/refresh"): (PUBLIC, fixed("POST", "/auth/refresh", {"refresh_token": "x"}), False),
    ("GET", "/blobs/{key:path}"): (SIGNED, fixed("GET", "/blobs/x?expires=1&sig=x"), False),
    ("PUT", "/blobs/{key:path}"): (SIGNED, fixed("PUT", "/blobs/x?expires=1&sig=x"), False),
    ("POST", "/auth/logout"): (ANY, fixed("POST", "/auth/logout"), False),
    ("GET", "/auth/me"): (ANY, fixed("GET", "/auth/me"), False),
    ("POST", "/auth/password"): (
        ANY,
        fixed("POST", "/auth/password", {"current_password": "a", "new_password": "b"}),
        False,
    ),
    ("GET", "/users"): (Permission.manage_users, fixed("GET", "/users"), False),
    ("POST", "/users"): (
        Permission.manage_users,
        lambda c, t: fixed("POST", "/users", new_user_body())(c, t),
        False,
    ),
    ("GET", "/users/{user_id}"): (Permission.manage_users, on_user("GET"), True),
    ("PATCH", "/users/{user_id}"): (Permission.manage_users, on_user("PATCH", {"role": "viewer"}), True),
    ("DELETE", "/users/{user_id}"): (Permission.manage_users, on_user("DELETE"), True),
    ("GET", "/api-keys"): (Permission.manage_keys, fixed("GET", "/api-keys"), False),
    ("POST", "/api-keys"): (
        Permission.manage_keys,
        fixed("POST", "/api-keys", {"name": "k", "role": "viewer"}),
        False,
    ),
    ("GET", "/api-keys/{key_id}"): (Permission.manage_keys, on_key("GET"), True),
    ("DELETE", "/api-keys/{key_id}"): (Permission.manage_keys, on_key("DELETE"), True),
    ("POST", "/upload"): (
        Permission.write,
        fixed("POST", "/upload", files={"file": ("upload", b"%PDF-1.4 x", "application/octet-stream")}),
        False,
    ),
    ("DELETE", "/upload/{file_id:path}"): (Permission.write, on_file("DELETE"), True),
    ("POST", "/ingest/files/init"): (
        Permission.write,
        fixed("POST", "/ingest/files/init", {"name": "a.pdf", "size": 3, "type": "test.echo"}),
        False,
    ),
    ("POST", "/ingest/files/complete"): (Permission.write, completing(), True),
    ("GET", "/job/{job_id}"): (Permission.read, on_job("GET", "/job/{id}"), True),
    ("GET", "/jobs"): (Permission.read, fixed("GET", "/jobs"), False),
    ("POST", "/cancel/{job_id}"): (Permission.write, on_job("POST", "/cancel/{id}"), True),
    ("DELETE", "/job/{job_id}"): (Permission.write, on_job("DELETE", "/job/{id}"), True),
    ("POST", "/parse_async"): (Permission.write, on_file_input("/parse_async"), True),
    ("POST", "/parse"): (Permission.write, on_file_input("/parse", {"async": {}}), True),
    ("POST", "/statements/read"): (Permission.write, on_file_input("/statements/read"), True),
    ("GET", "/statements"): (Permission.read, fixed("GET", "/statements"), False),
    ("POST", "/statements"): (Permission.write, fixed("POST", "/statements", STATEMENT), False),
    ("GET", "/statements/{statement_id}"): (Permission.read, on_statement("GET"), True),
    ("PATCH", "/statements/{statement_id}"): (
        Permission.write,
        on_statement("PATCH", json={"company": "Acme Widgets Inc."}),
        True,
    ),
    ("DELETE", "/statements/{statement_id}"): (Permission.write, on_statement("DELETE"), True),
    ("GET", "/statements/{statement_id}/export"): (Permission.read, on_statement("GET", "/export"), True),
    ("POST", "/consolidations"): (Permission.write, consolidating(), True),
    ("GET", "/consolidations/{consolidation_id}"): (Permission.read, on_consolidation(), True),
    ("GET", "/consolidations/{consolidation_id}/export"): (
        Permission.read,
        on_consolidation("/export"),
        True,
    ),
    ("POST", "/configure_webhook"): (Permission.manage_webhooks, fixed("POST", "/configure_webhook"), False),
    ("GET", "/webhooks"): (Permission.manage_webhooks, fixed("GET", "/webhooks"), False),
    ("PUT", "/webhooks"): (Permission.manage_webhooks, fixed("PUT", "/webhooks", {"url": None}), False),
    ("POST", "/webhooks/secret"): (Permission.manage_webhooks, fixed("POST", "/webhooks/secret"), False),
    ("GET", "/webhooks/deliveries"): (
        Permission.manage_webhooks,
        fixed("GET", "/webhooks/deliveries"),
        False,
    ),
    ("GET", "/capacity"): (Permission.read, fixed("GET", "/capacity"), False),
    ("GET", "/jobs/{job_id}"): (Permission.read, on_job("GET", "/jobs/{id}"), True),
    ("GET", "/job/{job_id}/pages"): (Permission.read, on_parsed_job("/pages"), True),
    ("GET", "/job/{job_id}/pages/{number}.png"): (Permission.read, on_parsed_job("/pages/1.png"), True),
    ("POST", "/extract"): (Permission.write, on_operation("/extract", {**EXTRACT, "async": {}}), True),
    ("POST", "/extract_async"): (Permission.write, on_operation("/extract_async", EXTRACT), True),
    ("POST", "/split"): (Permission.write, on_operation("/split", SPLIT), True),
    ("POST", "/split_async"): (Permission.write, on_operation("/split_async", SPLIT), True),
    ("POST", "/classify"): (Permission.write, on_operation("/classify", CLASSIFY), True),
    ("POST", "/classify_async"): (Permission.write, on_operation("/classify_async", CLASSIFY), True),
    ("POST", "/edit"): (Permission.write, on_operation("/edit", EDIT, "document_url"), True),
    ("POST", "/edit_async"): (Permission.write, on_operation("/edit_async", EDIT, "document_url"), True),
    ("GET", "/pipelines"): (Permission.read, fixed("GET", "/pipelines"), False),
    ("POST", "/pipelines"): (
        Permission.write,
        lambda c, t: fixed("POST", "/pipelines", {"name": f"p-{uuid.uuid4().hex[:8]}", "parse": {}})(c, t),
        False,
    ),
    ("GET", "/pipelines/{pipeline_id}"): (Permission.read, on_pipeline("GET"), True),
    ("DELETE", "/pipelines/{pipeline_id}"): (Permission.write, on_pipeline("DELETE"), True),
    ("POST", "/pipeline"): (Permission.write, running_pipeline("/pipeline", {}), True),
    ("POST", "/pipeline_async"): (Permission.write, running_pipeline("/pipeline_async", {}), True),
    ("GET", "/workspaces"): (Permission.read, fixed("GET", "/workspaces"), False),
    ("POST", "/workspaces"): (
        Permission.write,
        lambda c, t: fixed("POST", "/workspaces", {"name": f"w-{uuid.uuid4().hex[:8]}"})(c, t),
        False,
    ),
    ("GET", "/workspaces/{workspace_id}"): (Permission.read, on_workspace("GET"), True),
    ("PATCH", "/workspaces/{workspace_id}"): (
        Permission.write,
        on_workspace("PATCH", json={"description": "the tender"}),
        True,
    ),
    ("DELETE", "/workspaces/{workspace_id}"): (Permission.write, on_workspace("DELETE"), True),
    ("POST", "/workspaces/{workspace_id}/documents"): (Permission.write, adding_to_workspace(), True),
    ("GET", "/workspaces/{workspace_id}/documents"): (
        Permission.read,
        on_workspace("GET", "/documents"),
        True,
    ),
    ("GET", "/workspaces/{workspace_id}/documents/{document_id}"): (
        Permission.read,
        on_workspace_document("GET"),
        True,
    ),
    ("GET", "/workspaces/{workspace_id}/documents/{document_id}/pages/{number}.png"): (
        Permission.read,
        on_workspace_page(),
        True,
    ),
    ("GET", "/files"): (Permission.read, fixed("GET", "/files"), False),
    ("DELETE", "/workspaces/{workspace_id}/documents/{document_id}"): (
        Permission.write,
        on_workspace_document("DELETE"),
        True,
    ),
    ("POST", "/workspaces/{workspace_id}/ask"): (
        Permission.read,
        on_workspace("POST", "/ask", {"question": "What is the total?"}),
        True,
    ),
    ("POST", "/workspaces/{workspace_id}/search"): (
        Permission.read,
        on_workspace("POST", "/search", {"query": "total"}),
        True,
    ),
    ("POST", "/workspaces/{workspace_id}/question-sets"): (
        Permission.write,
        on_workspace("POST", "/question-sets", QUESTIONS),
        True,
    ),
    ("GET", "/workspaces/{workspace_id}/question-sets"): (
        Permission.read,
        on_workspace("GET", "/question-sets"),
        True,
    ),
    ("GET", "/workspaces/{workspace_id}/question-sets/{set_id}"): (
        Permission.read,
        on_question_set("GET"),
        True,
    ),
    ("DELETE", "/workspaces/{workspace_id}/question-sets/{set_id}"): (
        Permission.write,
        on_question_set("DELETE"),
        True,
    ),
    ("POST", "/workspaces/{workspace_id}/question-jobs"): (
        Permission.write,
        on_workspace("POST", "/question-jobs", {"questions": QUESTIONS["questions"]}),
        True,
    ),
    ("GET", "/workspaces/{workspace_id}/question-jobs"): (
        Permission.read,
        on_workspace("GET", "/question-jobs"),
        True,
    ),
    ("GET", "/workspaces/{workspace_id}/question-jobs/{job_id}"): (Permission.read, on_question_job(), True),
    ("GET", "/workspaces/{workspace_id}/question-jobs/{job_id}/export"): (
        Permission.read,
        on_question_job("/export?format=csv"),
        True,
    ),
    ("POST", "/logs"): (Permission.write, on_operation("/logs", {}, "file_id"), True),
    ("GET", "/logs/records"): (Permission.read, across_log_jobs("/logs/records"), False),
    ("GET", "/logs/summary"): (Permission.read, across_log_jobs("/logs/summary"), False),
    ("GET", "/logs/{job_id}/records"): (Permission.read, on_log_job("/records"), True),
    ("GET", "/logs/{job_id}/summary"): (Permission.read, on_log_job("/summary"), True),
    ("GET", "/logs/{job_id}/malformed"): (Permission.read, on_log_job("/malformed"), True),
    ("GET", "/logs/{job_id}/export"): (Permission.read, on_log_job("/export?format=jsonl"), True),
}


# Synchronous routes with no `async` key in Reducto's contract: they answer once their job has run,
# and jobs do not run in these tests. Credentials, roles that lack the permission and other
# organizations are refused before any job exists, and that is checked here; the allowed case is
# the SDK tests' (tests/reducto/test_*_sdk.py), which run the jobs.
WAITS_FOR_JOB = {("POST", "/split"), ("POST", "/classify"), ("POST", "/edit"), ("POST", "/pipeline")}


# Routes kept out of the API docs; the schema cannot list them.
HIDDEN = {("GET", "/blobs/{key:path}"), ("PUT", "/blobs/{key:path}")}


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    documented = {(method.upper(), path) for path, item in app.openapi()["paths"].items() for method in item}
    return documented | HIDDEN


async def send(client: httpx.AsyncClient, call: Call, headers: dict[str, str] | None) -> httpx.Response:
    if call.files is not None:
        return await client.request(call.method, call.path, files=call.files, headers=headers)
    return await client.request(call.method, call.path, json=call.json, headers=headers)


def missing(call: Call) -> Call:
    """The same call on a resource that does not exist."""
    absent = str(uuid.uuid4())
    if call.json and "job_id" in call.json:
        return Call(call.method, call.path, {**call.json, "job_id": absent})
    for reference in ("file_id", "document_url"):
        if call.json and reference in call.json:
            return Call(call.method, call.path, {**call.json, reference: f"reducto://{absent}.pdf"})
    if call.json and "input" in call.json:
        return Call(call.method, call.path, {**call.json, "input": f"reducto://{absent}.pdf"})
    head, _, last = call.path.rpartition("/")
    return Call(call.method, f"{head}/{'reducto%3A%2F%2F' if 'reducto' in last else ''}{absent}", call.json)


async def test_every_route_is_in_the_matrix(app: FastAPI, client: httpx.AsyncClient) -> None:
    # The schema names /blobs/{key:path} as /blobs/{key}; compare on the template's first segment name.
    def normal(route: tuple[str, str]) -> tuple[str, str]:
        return route[0], route[1].replace(":path}", "}")

    assert {normal(r) for r in app_routes(app)} == {normal(r) for r in ROUTES}
    for method, _ in HIDDEN:
        assert (await client.request(method, "/blobs/x?expires=1&sig=x")).status_code == 403


@pytest.mark.parametrize("route", sorted(ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
async def test_credentials_are_required(
    client: httpx.AsyncClient, tenant: Tenant, route: tuple[str, str]
) -> None:
    needs, build, _ = ROUTES[route]
    if needs in (PUBLIC, SIGNED):
        return
    call = await build(client, tenant)
    response = await send(client, call, None)
    assert response.status_code == 401, (route, response.text)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    "route", sorted(r for r in ROUTES if isinstance(ROUTES[r][0], Permission)), ids=lambda r: f"{r[0]} {r[1]}"
)
async def test_each_role_gets_exactly_its_permissions(
    client: httpx.AsyncClient, tenant: Tenant, route: tuple[str, str], role: Role
) -> None:
    needs, build, _ = ROUTES[route]
    assert isinstance(needs, Permission)
    if allows(role, needs) and route in WAITS_FOR_JOB:
        return
    call = await build(client, tenant)
    response = await send(client, call, tenant.by_role(role).headers)
    if allows(role, needs):
        assert response.status_code < 400, (role, route, response.text)
    else:
        assert response.status_code == 403, (role, route, response.text)
        assert response.json()["error"]["name"] == "PERMISSION_DENIED"


@pytest.mark.parametrize("route", sorted(r for r in ROUTES if ROUTES[r][2]), ids=lambda r: f"{r[0]} {r[1]}")
async def test_another_organization_gets_404(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant, route: tuple[str, str]
) -> None:
    _, build, _ = ROUTES[route]
    call = await build(client, tenant)  # a resource of organization A
    intruder = other_tenant.admin.headers  # organization B's most powerful principal
    response = await send(client, call, intruder)
    assert response.status_code == 404, (route, response.text)
    # Exactly what a resource that does not exist looks like.
    absent = await send(client, missing(call), intruder)
    assert absent.status_code == 404
    # (A kind of resource may name itself in the code, PIPELINE_NOT_FOUND: the same either way.)
    assert response.json()["error"]["name"] == absent.json()["error"]["name"]
    assert response.json()["error"]["name"].endswith("NOT_FOUND")
    # And organization A's resource is untouched: its owner can still act on it.
    if route not in WAITS_FOR_JOB:
        assert (await send(client, call, tenant.admin.headers)).status_code < 400


async def test_lists_show_only_the_own_organization(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    users = (await client.get("/users", headers=tenant.admin.headers)).json()["users"]
    assert {u["organization_id"] for u in users} == {str(tenant.organization.id)}
    keys = (await client.get("/api-keys", headers=other_tenant.admin.headers)).json()["api_keys"]
    assert {k["id"] for k in keys}.isdisjoint(
        {str(m.key_row.id) for m in (tenant.admin, tenant.member, tenant.viewer)}
    )
