"""Readiness: every component the service needs, checked at once, each within a time limit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Literal

from pydantic import BaseModel

from docuforge.observability import get_logger, redact_text

Check = Callable[[], Awaitable[object]]
log = get_logger(__name__)


class ComponentHealth(BaseModel):
    status: Literal["ok", "unavailable"]
    latency_ms: float
    error: str | None = None


class HealthReport(BaseModel):
    status: Literal["ok", "unavailable"]
    version: str
    uptime_s: float
    components: dict[str, ComponentHealth]
    failing: list[str]


async def _run(name: str, check: Check, limit: float) -> ComponentHealth:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(limit):
            await check()
    except Exception as exc:
        message = "timed out" if isinstance(exc, TimeoutError) else f"{type(exc).__name__}: {exc}"
        log.warning("health check failed", component=name, error=redact_text(message))
        return ComponentHealth(
            status="unavailable",
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
            # Connection errors can quote URLs; never hand a password to an unauthenticated caller.
            error=redact_text(message)[:300],
        )
    return ComponentHealth(status="ok", latency_ms=round((time.perf_counter() - started) * 1000, 2))


async def check_all(
    checks: Mapping[str, Check], *, version: str, started_at: float, limit: float = 3.0
) -> HealthReport:
    results = await asyncio.gather(*(_run(name, check, limit) for name, check in checks.items()))
    components = dict(zip(checks, results, strict=True))
    failing = [name for name, result in components.items() if result.status != "ok"]
    return HealthReport(
        status="unavailable" if failing else "ok",
        version=version,
        uptime_s=round(time.monotonic() - started_at, 1),
        components=components,
        failing=failing,
    )
