"""A worker's probes (`docuforge worker --health-port`): live while the process runs, ready while
the database and the broker answer."""

from __future__ import annotations

from pathlib import Path

import httpx
from tests.conftest import make_settings
from tests.fixtures.processes import free_port
from tests.fixtures.services import REDIS_URL, require_redis

from docuforge.jobs.health_server import serve_health
from docuforge.jobs.runners.celery_runner import make_celery


def probe(port: int, path: str) -> httpx.Response:
    return httpx.get(f"http://127.0.0.1:{port}{path}", timeout=10)


def test_worker_probes_tell_live_from_ready(tmp_path: Path) -> None:
    require_redis()
    up = make_settings(tmp_path / "up", jobs={"runner": "celery", "broker_url": REDIS_URL})
    down = make_settings(
        tmp_path / "down", jobs={"runner": "celery", "broker_url": f"redis://127.0.0.1:{free_port()}/0"}
    )
    servers = []
    try:
        for settings in (up, down):
            port = free_port()
            servers.append(serve_health(settings, port, make_celery(settings), host="127.0.0.1"))
            live = probe(port, "/health/live")
            assert live.status_code == 200 and live.json() == {"status": "ok"}
            ready = probe(port, "/health/ready")
            if settings is up:
                assert ready.status_code == 200 and ready.json()["failing"] == [], ready.text
            else:
                assert ready.status_code == 503 and ready.json()["failing"] == ["broker"], ready.text
            assert probe(port, "/elsewhere").status_code == 404
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
