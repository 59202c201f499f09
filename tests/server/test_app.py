"""The service skeleton: request IDs, headers, CORS, errors, timeouts, docs."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncConnection
from tests.conftest import asgi_client, make_settings, running_app

from docuforge.errors import DocumentError, ErrorCode
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router
from docuforge.server import create_app


def add_test_routes(app: FastAPI) -> None:
    routes = make_router()

    @routes.get("/test/boom")
    async def boom() -> None:
        raise RuntimeError("database password is hunter2")

    @routes.get("/test/corrupt")
    async def corrupt() -> None:
        raise DocumentError("the PDF's cross-reference table is broken", code=ErrorCode.DOCUMENT_CORRUPT)

    @routes.get("/test/slow")
    async def slow() -> dict[str, str]:
        await asyncio.sleep(5)
        return {"done": "yes"}

    @routes.get("/test/pool-exhausted")
    async def pool_exhausted() -> None:
        raise PoolTimeout("QueuePool limit of size 20 overflow 20 reached, connection timed out")

    @routes.get("/test/own-timeout")
    async def own_timeout() -> None:
        raise TimeoutError("an upstream call timed out")

    app.include_router(routes)


@pytest.fixture
async def custom_client(
    tmp_path: Path, database_url: str, db_connection: AsyncConnection
) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(
        tmp_path / "data",
        database_url,
        server={"request_timeout": 0.3, "cors_origins": ["https://app.example"]},
    )
    app = create_app(settings, configure_logs=False)
    add_test_routes(app)
    async for running in running_app(app, db_connection):
        async with asgi_client(running) as http:
            yield http


async def test_request_id_is_generated_honoured_or_replaced(client: httpx.AsyncClient) -> None:
    generated = (await client.get("/health/live")).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    honoured = await client.get("/health/live", headers={"X-Request-ID": "trace-abc.123"})
    assert honoured.headers["x-request-id"] == "trace-abc.123"
    replaced = await client.get("/health/live", headers={"X-Request-ID": "bad id\twith tabs" + "x" * 200})
    assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["x-request-id"])


async def test_security_headers_on_api_and_pages(client: httpx.AsyncClient) -> None:
    api = await client.get("/health/live")
    assert api.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert api.headers["x-content-type-options"] == "nosniff"
    assert api.headers["x-frame-options"] == "DENY"
    assert api.headers["referrer-policy"] == "no-referrer"
    assert api.headers["cache-control"] == "no-store"
    page = await client.get("/docs")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "strict-transport-security" not in page.headers  # only in production over https


async def test_cors_allows_only_configured_origins(custom_client: httpx.AsyncClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    allowed = await custom_client.options("/health", headers={"Origin": "https://app.example", **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    refused = await custom_client.options("/health", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in refused.headers
    simple = await custom_client.get("/health/live", headers={"Origin": "https://app.example"})
    assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()


async def test_cors_is_off_by_default(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live", headers={"Origin": "https://app.example"})
    assert "access-control-allow-origin" not in response.headers


async def test_error_format_for_framework_errors(client: httpx.AsyncClient) -> None:
    missing = await client.get("/no/such/route")
    assert missing.status_code == 404
    body = missing.json()["error"]
    assert body["name"] == "NOT_FOUND" and body["code"] == 404
    assert body["request_id"] == missing.headers["x-request-id"]
    wrong_method = await client.post("/health/live")
    assert wrong_method.status_code == 405 and wrong_method.json()["error"]["name"] == "METHOD_NOT_ALLOWED"
    invalid = await client.get("/blobs/x?expires=soon&sig=abc")
    assert invalid.status_code == 422
    error = invalid.json()["error"]
    assert error["name"] == "INVALID_REQUEST" and "expires" in error["message"]
    assert error["details"][0]["loc"] == ["query", "expires"]
    assert "soon" not in invalid.text  # inputs are never echoed back


async def test_error_format_for_our_errors_and_crashes(custom_client: httpx.AsyncClient) -> None:
    corrupt = await custom_client.get("/test/corrupt")
    assert corrupt.status_code == 422
    assert corrupt.json()["error"] == {
        "name": "DOCUMENT_CORRUPT",
        "code": 422,
        "message": "the PDF's cross-reference table is broken",
        "request_id": corrupt.headers["x-request-id"],
    }
    crash = await custom_client.get("/test/boom")
    assert crash.status_code == 500
    assert crash.json()["error"]["name"] == "INTERNAL_ERROR"
    assert "hunter2" not in crash.text
    assert crash.headers["x-request-id"] == crash.json()["error"]["request_id"]
    assert crash.headers["x-content-type-options"] == "nosniff"
    # The process survives and keeps answering.
    assert (await custom_client.get("/health/live")).status_code == 200


async def test_slow_requests_answer_504(custom_client: httpx.AsyncClient) -> None:
    slow = await custom_client.get("/test/slow")
    assert slow.status_code == 504
    assert slow.json()["error"]["name"] == "TIMEOUT"
    # A TimeoutError of the handler's own is an ordinary failure, not our deadline.
    assert (await custom_client.get("/test/own-timeout")).status_code == 500


def test_timeout_groups_follow_settings(tmp_path: Path) -> None:
    from docuforge.routing import timeout_for

    settings = make_settings(
        tmp_path, server={"request_timeout": 7, "upload_timeout": 70}, jobs={"max_timeout": 700}
    )
    assert timeout_for(settings, RouteGroup.default) == 7
    assert timeout_for(settings, RouteGroup.upload) == 70
    assert timeout_for(settings, RouteGroup.processing) > 700


async def test_docs_are_served_without_a_cdn(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "/docs/static/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    bundle = await client.get("/docs/static/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
    schema = (await client.get("/openapi.json")).json()
    assert schema["info"]["title"] == "Docuforge"
    assert "/health/ready" in schema["paths"] and "/version" in schema["paths"]


async def test_version_is_a_json_string(client: httpx.AsyncClient) -> None:
    from docuforge import __version__

    response = await client.get("/version")
    assert response.headers["content-type"] == "application/json"
    assert response.json() == __version__
    assert response.text == f'"{__version__}"'


async def test_metrics_count_requests_by_route_template_and_status(client: httpx.AsyncClient) -> None:
    await client.get("/blobs/a/b/c?expires=1&sig=x")
    await client.get("/blobs/other?expires=1&sig=x")
    await client.get("/nowhere")
    text = (await client.get("/metrics")).text
    assert 'docuforge_http_requests_total{method="GET",route="/blobs/{key:path}",status="403"} 2.0' in text
    assert 'docuforge_http_requests_total{method="GET",route="unmatched",status="404"} 1.0' in text
    assert 'docuforge_http_request_duration_seconds_count{method="GET",route="/blobs/{key:path}"} 2.0' in text
    assert "process_resident_memory_bytes" in text


async def test_metrics_token(tmp_path: Path, database_url: str, db_connection: AsyncConnection) -> None:
    settings = make_settings(tmp_path / "d", database_url, server={"metrics_token": "m" * 20})
    async for app in running_app(create_app(settings, configure_logs=False), db_connection):
        async with asgi_client(app) as http:
            assert (await http.get("/metrics")).status_code == 401
            assert (await http.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 401
            assert (
                await http.get("/metrics", headers={"Authorization": "Bearer " + "m" * 20})
            ).status_code == 200


async def test_a_full_connection_pool_answers_503_worth_retrying(custom_client: httpx.AsyncClient) -> None:
    # Under overload every pooled connection stays busy past the pool's timeout: not a 500.
    response = await custom_client.get("/test/pool-exhausted")
    assert response.status_code == 503 and response.json()["error"]["name"] == "SERVICE_UNAVAILABLE"
    assert response.headers["retry-after"] == "1" and response.headers["x-should-retry"] == "true"
