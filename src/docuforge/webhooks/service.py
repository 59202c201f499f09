"""Webhook endpoints, the delivery outbox, and sending with retries.

A delivery row is written in the same transaction that ends the job, so an event is never lost;
it is then sent at least once (a stable `svix-id` lets receivers drop duplicates), retried with
growing delays, and every attempt is recorded.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
import uuid
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge import outbound
from docuforge.auth.principal import Principal
from docuforge.auth.tenancy import scoped
from docuforge.config import Settings
from docuforge.db import Database, utcnow
from docuforge.errors import InvalidRequest
from docuforge.models import Job, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from docuforge.observability import get_logger
from docuforge.webhooks import signing
from docuforge.webhooks.schemas import EndpointConfig

log = get_logger(__name__)
_SEND_LEASE = dt.timedelta(minutes=2)


async def endpoint(session: AsyncSession, organization_id: uuid.UUID) -> WebhookEndpoint:
    """The organization's endpoint row, made (with a fresh secret) on first use."""
    found = (
        await session.execute(
            select(WebhookEndpoint).where(WebhookEndpoint.organization_id == organization_id)
        )
    ).scalar_one_or_none()
    if found is None:
        found = WebhookEndpoint(organization_id=organization_id, secret=signing.new_secret(), channels=[])
        session.add(found)
        await session.flush()
    return found


async def configure(
    session: AsyncSession, principal: Principal, config: EndpointConfig, settings: Settings
) -> WebhookEndpoint:
    if config.url:
        # Refuse at configuration time what delivery would refuse anyway.
        await outbound.resolve(config.url, settings.ingest.url_allowlist)
    row = await endpoint(session, principal.organization_id)
    row.url, row.channels, row.enabled = config.url, list(config.channels), config.enabled
    await session.flush()
    return row


async def rotate_secret(session: AsyncSession, principal: Principal) -> WebhookEndpoint:
    row = await endpoint(session, principal.organization_id)
    row.secret = signing.new_secret()
    await session.flush()
    return row


def event_status(job: Job) -> str:
    return "Completed" if job.status == "completed" else "Failed"


async def enqueue_job_event(session: AsyncSession, job: Job) -> list[WebhookDelivery]:
    """Deliveries for a job that just ended, per the webhook its request asked for."""
    spec = job.webhook or {}
    mode = spec.get("mode")
    if mode not in ("direct", "svix"):
        return []
    target = await endpoint(session, job.organization_id)
    urls: list[str] = []
    if mode == "direct" and spec.get("url"):
        urls.append(spec["url"])
    elif mode == "svix" and target.url and target.enabled:
        wanted = set(spec.get("channels") or [])
        if not wanted or not target.channels or wanted & set(target.channels):
            urls.append(target.url)
    payload = {"status": event_status(job), "job_id": str(job.id), "metadata": spec.get("metadata")}
    deliveries = [
        WebhookDelivery(
            organization_id=job.organization_id,
            message_id=f"msg_{uuid.uuid4().hex}",
            job_id=job.id,
            url=url,
            payload=payload,
        )
        for url in urls
    ]
    session.add_all(deliveries)
    await session.flush()
    return deliveries


async def list_deliveries(
    session: AsyncSession, principal: Principal, job_id: uuid.UUID | None, limit: int
) -> list[tuple[WebhookDelivery, list[WebhookAttempt]]]:
    statement = scoped(select(WebhookDelivery), WebhookDelivery, principal)
    if job_id is not None:
        statement = statement.where(WebhookDelivery.job_id == job_id)
    deliveries = list(
        (await session.execute(statement.order_by(WebhookDelivery.created_at.desc()).limit(limit))).scalars()
    )
    attempts: dict[uuid.UUID, list[WebhookAttempt]] = {d.id: [] for d in deliveries}
    if deliveries:
        rows = await session.execute(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id.in_(attempts))
            .order_by(WebhookAttempt.number)
        )
        for attempt in rows.scalars():
            attempts[attempt.delivery_id].append(attempt)
    return [(delivery, attempts[delivery.id]) for delivery in deliveries]


def retry_delay(settings: Settings, attempt: int) -> float:
    return min(3600.0, settings.webhooks.retry_base_delay * 4 ** max(0, attempt - 1))


async def deliver_due(database: Database, settings: Settings, limit: int = 50) -> int:
    """Send every delivery that is due; returns how many were tried."""
    now = utcnow()
    async with database.session() as session:
        due = list(
            (
                await session.execute(
                    select(WebhookDelivery.id)
                    .where(
                        or_(
                            (WebhookDelivery.status == "pending") & (WebhookDelivery.next_attempt_at <= now),
                            (WebhookDelivery.status == "sending") & (WebhookDelivery.lease_expires_at < now),
                        )
                    )
                    .order_by(WebhookDelivery.next_attempt_at)
                    .limit(limit)
                )
            ).scalars()
        )
    results = await asyncio.gather(*(_deliver(database, settings, delivery_id) for delivery_id in due))
    return sum(results)


async def _claim(database: Database, delivery_id: uuid.UUID) -> WebhookDelivery | None:
    now = utcnow()
    async with database.session() as session:
        claimed = await session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id,
                or_(
                    WebhookDelivery.status == "pending",
                    (WebhookDelivery.status == "sending") & (WebhookDelivery.lease_expires_at < now),
                ),
            )
            .values(
                status="sending", lease_expires_at=now + _SEND_LEASE, attempts=WebhookDelivery.attempts + 1
            )
        )
        if claimed.rowcount != 1:
            return None
        return await session.get(WebhookDelivery, delivery_id)


async def _deliver(database: Database, settings: Settings, delivery_id: uuid.UUID) -> int:
    delivery = await _claim(database, delivery_id)
    if delivery is None:
        return 0
    async with database.session() as session:
        secret = (await endpoint(session, delivery.organization_id)).secret
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    headers = signing.headers(secret, delivery.message_id, int(time.time()), body)
    started = time.perf_counter()
    status_code: int | None = None
    error: str | None = None
    refused = False
    try:
        response = await outbound.post(
            delivery.url,
            body,
            headers,
            allowlist=settings.ingest.url_allowlist,
            timeout=settings.webhooks.timeout,
        )
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"the receiver answered {status_code}"
    except outbound.UrlNotAllowed as not_allowed:
        # A forbidden address stays forbidden: no point in retrying.
        error, refused = not_allowed.message, True
    except Exception as failure:
        error = f"{type(failure).__name__}: {failure}"[:500]
    elapsed = round((time.perf_counter() - started) * 1000, 2)
    delivered = error is None
    gave_up = not delivered and (refused or delivery.attempts >= settings.webhooks.max_attempts)
    values: dict[str, Any] = {"lease_expires_at": None, "last_error": error}
    if delivered:
        values |= {"status": "delivered", "delivered_at": utcnow()}
    elif gave_up:
        values |= {"status": "failed"}
    else:
        values |= {
            "status": "pending",
            "next_attempt_at": utcnow() + dt.timedelta(seconds=retry_delay(settings, delivery.attempts)),
        }
    async with database.session() as session:
        session.add(
            WebhookAttempt(
                delivery_id=delivery.id,
                number=delivery.attempts,
                status_code=status_code,
                error=error,
                duration_ms=elapsed,
            )
        )
        await session.execute(
            update(WebhookDelivery).where(WebhookDelivery.id == delivery.id).values(**values)
        )
    log.info(
        "webhook attempt",
        message_id=delivery.message_id,
        job_id=str(delivery.job_id),
        attempt=delivery.attempts,
        status_code=status_code,
        outcome=values["status"],
    )
    return 1


async def spec_from_request(
    async_config: dict[str, Any] | None, legacy: dict[str, Any] | None, settings: Settings
) -> dict[str, Any] | None:
    """The webhook a request asks for, from its `async` config (or a legacy top-level `webhook`).

    Both Reducto shapes leave `mode` optional: a URL means direct, no URL means svix.
    """
    async_config = async_config or {}
    hook = async_config.get("webhook") or legacy or None
    metadata = async_config.get("metadata", (legacy or {}).get("metadata"))
    if not isinstance(hook, dict):
        return None
    mode = hook.get("mode") or ("direct" if hook.get("url") else "svix")
    if mode == "disabled":
        return None
    if mode == "direct":
        url = hook.get("url")
        if not isinstance(url, str) or not url:
            raise InvalidRequest("a direct webhook needs a url")
        await outbound.resolve(url, settings.ingest.url_allowlist)
        return {"mode": "direct", "url": url, "metadata": metadata}
    if mode == "svix":
        return {"mode": "svix", "channels": list(hook.get("channels") or []), "metadata": metadata}
    raise InvalidRequest(f"unknown webhook mode {mode!r}")
