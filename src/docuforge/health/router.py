"""Operational endpoints: health, readiness, metrics, version. None of them needs a key."""

from __future__ import annotations

import hmac

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from docuforge.deps import SettingsDep
from docuforge.errors import AuthenticationFailed
from docuforge.health.service import HealthReport, check_all
from docuforge.metrics import CONTENT_TYPE
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router
from docuforge.version import __version__

router = make_router(RouteGroup.ops, tags=["operations"])


async def _report(request: Request) -> JSONResponse:
    state = request.app.state
    report = await check_all(state.health_checks, version=__version__, started_at=state.started_at)
    return JSONResponse(report.model_dump(), status_code=200 if report.status == "ok" else 503)


@router.get("/health", response_model=HealthReport, responses={503: {"model": HealthReport}})
async def health(request: Request) -> JSONResponse:
    """Every component's state; 503 naming the failing ones."""
    return await _report(request)


@router.get("/health/ready", response_model=HealthReport, responses={503: {"model": HealthReport}})
async def ready(request: Request) -> JSONResponse:
    """Readiness for traffic: database, storage and (when configured) the job broker."""
    return await _report(request)


@router.get("/health/live")
async def live() -> dict[str, str]:
    """The process answers; says nothing about what it depends on."""
    return {"status": "ok"}


@router.get("/version", response_model=str)
async def version() -> str:
    """The service version, as a JSON string (Reducto's contract)."""
    return __version__


@router.get("/metrics", response_class=Response)
async def metrics(request: Request, settings: SettingsDep) -> Response:
    """Prometheus metrics: request counts and latencies by route and status."""
    token = settings.server.metrics_token
    if token is not None:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.get_secret_value().encode()):
            raise AuthenticationFailed("metrics need the metrics token")
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)
