"""Routers whose routes belong to a group, which sets their time limit and request budget.

Ordinary routes get ``server.request_timeout`` (30 s); uploads get ``server.upload_timeout``; the
synchronous processing endpoints wait as long as a job may run (``jobs.max_timeout``), since they
hold the request open until their job ends. Budgets per group are in ``rate_limits``; per-address
budgets are checked here, per-principal ones once the principal is known (``auth/deps.py``).
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable, Coroutine
from functools import cache
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from docuforge.config import Settings
from docuforge.errors import RateLimited, RequestTimeout
from docuforge.ratelimit import Rate, retry_after


class RouteGroup(enum.StrEnum):
    default = "default"
    upload = "upload"
    processing = "processing"
    auth = "auth"
    ops = "ops"  # health, metrics, version: never budgeted, probes must always get through


def timeout_for(settings: Settings, group: RouteGroup) -> float:
    if group is RouteGroup.upload:
        return settings.server.upload_timeout
    if group is RouteGroup.processing:
        # A little beyond the longest job, so the job's own timeout fires first and says so.
        return settings.jobs.max_timeout + 30
    return settings.server.request_timeout


def rates_for(settings: Settings, group: RouteGroup) -> tuple[Rate | None, Rate | None]:
    """(per principal, per address) budgets of a group; None is unlimited."""
    limits = settings.rate_limits
    if not limits.enabled or group is RouteGroup.ops:
        return None, None
    per_principal = getattr(limits, f"{group}_per_principal", None)
    per_ip = getattr(limits, f"{group}_per_ip", None)
    return (Rate.parse(per_principal) if per_principal else None, Rate.parse(per_ip) if per_ip else None)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def spend(request: Request, key: str, rate: Rate | None) -> None:
    if rate is None:
        return
    wait = await request.app.state.limiter.hit(key, rate)
    if wait > 0:
        raise RateLimited(retry_after(wait), "too many requests; retry after the time in Retry-After")


@cache
def _route_class(group: RouteGroup) -> type[APIRoute]:
    class GroupRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def grouped(request: Request) -> Response:
                settings: Settings = request.app.state.settings
                request.state.route_group = group
                _, per_ip = rates_for(settings, group)
                await spend(request, f"{group}:ip:{client_address(request)}", per_ip)
                seconds = timeout_for(settings, group)
                try:
                    async with asyncio.timeout(seconds) as deadline:
                        return await handler(request)
                except TimeoutError:
                    # Only our own deadline becomes a 504; a handler's TimeoutError is its own error.
                    if deadline.expired():
                        raise RequestTimeout(f"the request took longer than {seconds:g} s") from None
                    raise

            return grouped

    GroupRoute.__name__ = f"GroupRoute_{group}"
    return GroupRoute


def router(group: RouteGroup = RouteGroup.default, **kwargs: Any) -> APIRouter:
    """An APIRouter whose routes take the time limit and budgets of `group`."""
    return APIRouter(route_class=_route_class(group), **kwargs)
