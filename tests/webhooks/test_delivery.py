"""Webhooks when jobs end: signed so the standardwebhooks library verifies them, retried,
every attempt recorded, at least once with a stable id, never to a forbidden address."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator

import httpx
import pytest
from standardwebhooks import Webhook
from tests.fixtures.identity import Tenant
from tests.fixtures.processes import Receiver
from tests.jobs.conftest import submit, wait_for


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


async def secret_of(client: httpx.AsyncClient, tenant: Tenant) -> str:
    return (await client.get("/webhooks", headers=tenant.admin.headers)).json()["secret"]


async def received(receiver: Receiver, count: int, timeout: float = 15) -> list[tuple[str, str, dict, bytes]]:
    deadline = time.monotonic() + timeout
    while len(receiver.requests) < count:
        assert time.monotonic() < deadline, f"{len(receiver.requests)} of {count} deliveries arrived"
        await asyncio.sleep(0.05)
    return receiver.requests


async def test_direct_webhook_is_signed_and_verifies(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, receiver: Receiver
) -> None:
    config = {
        "async": {"webhook": {"mode": "direct", "url": receiver.url + "/hook"}, "metadata": {"batch": 7}}
    }
    ok = await submit(jobs_client, jobs_tenant, "test.echo", config)
    failed = await submit(jobs_client, jobs_tenant, "test.fail", config | {"code": "DOCUMENT_CORRUPT"})
    requests = await received(receiver, 2)
    verifier = Webhook(await secret_of(jobs_client, jobs_tenant))
    bodies = {}
    for method, path, headers, body in requests:
        assert (method, path) == ("POST", "/hook")
        event = verifier.verify(body, headers)  # raises unless the signature is right
        assert headers["svix-id"] == headers["webhook-id"] and headers["svix-signature"].startswith("v1,")
        bodies[event["job_id"]] = event
    assert bodies[ok] == {"status": "Completed", "job_id": ok, "metadata": {"batch": 7}}
    assert bodies[failed] == {"status": "Failed", "job_id": failed, "metadata": {"batch": 7}}
    # A tampered body does not verify (the test server is allowlisted; ::1 and the rest are not).
    _, _, headers, body = requests[0]
    with pytest.raises(Exception, match=r"(?i)signature"):
        verifier.verify(body.replace(b'"job_id"', b'"job_iD"'), headers)


async def test_svix_mode_uses_the_configured_endpoint_and_channels(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, receiver: Receiver
) -> None:
    admin = jobs_tenant.admin.headers
    answer = await jobs_client.post(
        "/configure_webhook", json={"url": receiver.url + "/svix", "channels": ["prod"]}, headers=admin
    )
    assert answer.status_code == 200 and answer.json().endswith("/webhooks")
    # A member (the default role of `docuforge keys create`) may do what the SDK's webhook.run() does.
    assert (
        await jobs_client.post("/configure_webhook", headers=jobs_tenant.member.headers)
    ).status_code == 200
    assert (
        await jobs_client.post("/configure_webhook", headers=jobs_tenant.viewer.headers)
    ).status_code == 403
    wanted = await submit(
        jobs_client, jobs_tenant, "test.echo", {"async": {"webhook": {"mode": "svix", "channels": ["prod"]}}}
    )
    other = await submit(
        jobs_client, jobs_tenant, "test.echo", {"async": {"webhook": {"mode": "svix", "channels": ["dev"]}}}
    )
    await wait_for(jobs_client, jobs_tenant, other)
    requests = await received(receiver, 1)
    await asyncio.sleep(0.5)
    assert len(requests) == 1
    event = Webhook(await secret_of(jobs_client, jobs_tenant)).verify(requests[0][3], requests[0][2])
    assert event["job_id"] == wanted


async def test_failed_deliveries_are_retried_and_every_attempt_recorded(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, receiver: Receiver
) -> None:
    receiver.fail_next = 2
    job_id = await submit(
        jobs_client, jobs_tenant, "test.echo", {"async": {"webhook": {"url": receiver.url + "/flaky"}}}
    )
    requests = await received(receiver, 3, timeout=30)
    assert len({headers["svix-id"] for _, _, headers, _ in requests}) == 1  # one message, three tries
    deadline = time.monotonic() + 10
    while True:
        listed = (
            await jobs_client.get(
                "/webhooks/deliveries", params={"job_id": job_id}, headers=jobs_tenant.admin.headers
            )
        ).json()
        delivery = listed["deliveries"][0]
        if delivery["status"] == "delivered" or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    assert delivery["status"] == "delivered" and delivery["attempts"] == 3
    assert [a["status_code"] for a in delivery["history"]] == [500, 500, 200]
    assert delivery["history"][0]["error"] == "the receiver answered 500"


async def test_webhooks_never_go_to_forbidden_addresses(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant
) -> None:
    for url in (
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.5/hook",
        "file:///etc/passwd",
        "http://[::1]:8000/x",
    ):
        init = await jobs_client.post(
            "/ingest/files/init",
            json={
                "name": "a.pdf",
                "size": 3,
                "type": "test.echo",
                "config": {"async": {"webhook": {"url": url}}},
            },
            headers=jobs_tenant.member.headers,
        )
        assert init.status_code == 400, (url, init.text)
        assert init.json()["error"]["name"] == "URL_NOT_ALLOWED"
    refused = await jobs_client.put(
        "/webhooks", json={"url": "http://192.168.1.1/"}, headers=jobs_tenant.admin.headers
    )
    assert refused.status_code == 400 and refused.json()["error"]["name"] == "URL_NOT_ALLOWED"


async def test_secret_rotation(
    jobs_client: httpx.AsyncClient, jobs_tenant: Tenant, receiver: Receiver
) -> None:
    old = await secret_of(jobs_client, jobs_tenant)
    rotated = (await jobs_client.post("/webhooks/secret", headers=jobs_tenant.admin.headers)).json()["secret"]
    assert rotated != old and rotated.startswith("whsec_")
    await submit(jobs_client, jobs_tenant, "test.echo", {"async": {"webhook": {"url": receiver.url}}})
    _, _, headers, body = (await received(receiver, 1))[0]
    assert json.loads(Webhook(rotated).verify(body, headers) and body)["status"] == "Completed"
