"""The error handler: bodies that always encode, and a retry verdict the official SDK obeys."""

from __future__ import annotations

import json

import httpx
from tests.fixtures.identity import Tenant


async def test_a_lone_surrogate_in_the_input_cannot_break_the_error_handler(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    headers = {**tenant.member.headers, "content-type": "application/json"}
    for body in (b'{"input": "\\ud800"}', b'{"input": "reducto://\\udfff.pdf"}'):
        response = await client.post("/parse", content=body, headers=headers)
        assert response.status_code == 404, response.text
        error = json.loads(response.content)["error"]
        assert error["name"] == "NOT_FOUND" and error["message"].endswith("not found")
        assert response.headers["x-should-retry"] == "false"
    for path in ("/upload/reducto:%2F%2F%ED%A0%80", "/job/%ED%A0%80"):
        response = await client.get(path, headers=tenant.member.headers)
        assert response.status_code in (404, 405), response.text
        json.loads(response.content)


async def test_errors_say_whether_a_resend_can_help(client: httpx.AsyncClient, tenant: Tenant) -> None:
    invalid = await client.post("/parse", json={}, headers=tenant.member.headers)
    assert invalid.status_code == 422 and invalid.headers["x-should-retry"] == "false"
    missing = await client.get("/job/00000000-0000-0000-0000-000000000000", headers=tenant.member.headers)
    assert missing.status_code == 404 and missing.headers["x-should-retry"] == "false"
    unauthenticated = await client.get("/jobs")
    assert unauthenticated.status_code == 401 and unauthenticated.headers["x-should-retry"] == "false"
