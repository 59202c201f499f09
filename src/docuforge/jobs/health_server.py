"""A worker's own /health/live and /health/ready, so orchestrators can probe workers as they
probe the API (a worker serves no API). The answers have the API's shape (health/service.py)."""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
import time
from typing import Any

from sqlalchemy import text

from docuforge.config import Settings
from docuforge.db import Database
from docuforge.health.service import check_all
from docuforge.observability import get_logger
from docuforge.version import __version__

log = get_logger(__name__)


def serve_health(
    settings: Settings,
    port: int,
    celery_app: Any,
    host: str = "0.0.0.0",  # noqa: S104 - probes come from outside the container
) -> http.server.HTTPServer:
    """Answer probes on `port` from a thread of their own; readiness checks the database and broker."""
    started = time.monotonic()
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="docuforge-health-loop", daemon=True).start()
    database = Database(settings)

    async def database_check() -> None:
        async with database.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def broker_check() -> None:
        def connect() -> None:
            with celery_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)

        await asyncio.to_thread(connect)

    checks = {"database": database_check, "broker": broker_check}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_GET(self) -> None:
            if self.path == "/health/live":
                status, body = 200, {"status": "ok"}
            elif self.path in ("/health/ready", "/health"):
                future = asyncio.run_coroutine_threadsafe(
                    check_all(checks, version=__version__, started_at=started), loop
                )
                report = future.result(timeout=10)
                status, body = (200 if report.status == "ok" else 503), report.model_dump()
            else:
                status, body = 404, {"error": {"name": "NOT_FOUND", "code": 404, "message": "no such probe"}}
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = http.server.ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, name="docuforge-health", daemon=True).start()
    log.info("worker health probes listening", port=port)
    return server
