"""Health, liveness and readiness, including a real PostgreSQL outage and recovery."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection
from tests.conftest import asgi_client, make_settings, running_app
from tests.fixtures.postgres_instance import postgres_instance
from tests.fixtures.processes import docuforge_server, free_port

from docuforge.server import create_app


async def test_health_reports_every_component(client: httpx.AsyncClient) -> None:
    for path in ("/health", "/health/ready"):
        response = await client.get(path)
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok" and body["failing"] == []
        assert set(body["components"]) == {"database", "storage"}
        assert all(c["status"] == "ok" and c["latency_ms"] >= 0 for c in body["components"].values())
    assert (await client.get("/health/live")).json() == {"status": "ok"}


async def test_unreachable_storage_makes_the_service_unready(
    tmp_path: Path, database_url: str, db_connection: AsyncConnection
) -> None:
    settings = make_settings(
        tmp_path,
        database_url,
        storage={
            "backend": "s3",
            "s3": {
                "endpoint_url": f"http://127.0.0.1:{free_port()}",
                "access_key_id": "testing",
                "secret_access_key": "testing",
            },
        },
    )
    async for app in running_app(create_app(settings, configure_logs=False), db_connection):
        async with asgi_client(app) as http:
            response = await http.get("/health/ready")
            assert response.status_code == 503
            body = response.json()
            assert body["failing"] == ["storage"]
            assert body["components"]["storage"]["status"] == "unavailable"
            assert body["components"]["database"]["status"] == "ok"
            # Liveness is about the process, not its dependencies.
            assert (await http.get("/health/live")).status_code == 200


def poll(url: str, status: int, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    last: httpx.Response | None = None
    while time.monotonic() < deadline:
        last = httpx.get(url, timeout=10)
        if last.status_code == status:
            return last.json()
        time.sleep(0.25)
    raise AssertionError(
        f"{url} never answered {status}; last: {last and last.status_code} {last and last.text}"
    )


@pytest.mark.slow
def test_postgres_outage_turns_ready_to_503_and_back_without_restart(tmp_path: Path) -> None:
    with postgres_instance() as postgres:
        env = {
            "DOCUFORGE_DB__URL": postgres.url,
            "DOCUFORGE_DB__AUTO_UPGRADE": "true",
            "DOCUFORGE_DB__CONNECT_TIMEOUT": "2",
        }
        with docuforge_server(env, tmp_path) as base:
            assert poll(base + "/health/ready", 200)["components"]["database"]["status"] == "ok"
            postgres.stop()
            down = poll(base + "/health/ready", 503)
            assert down["failing"] == ["database"]
            assert down["components"]["database"]["error"]
            assert httpx.get(base + "/health/live").status_code == 200
            postgres.start()
            assert poll(base + "/health/ready", 200)["failing"] == []
