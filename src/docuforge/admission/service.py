"""Bounds on queued work, measured from the job table, the one truth every replica shares.

A submission past a bound answers 429 with a Retry-After worked out from how fast jobs have
been finishing lately (the drain rate), so clients back off for about as long as the queue needs
to make room, never a 5xx and never a queue that grows without end. The counts are the job
table's, so every API replica sees the same queue whichever runner (in-process or Celery) runs it.

The bound is checked, not locked: replicas admitting at the same instant may pass it by the
number of submissions in flight, which keeps submission free of a global lock.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import time
import uuid
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.admission.schemas import Capacity, Limits, QueueCapacity, Workers
from docuforge.config import Settings
from docuforge.db import utcnow
from docuforge.errors import ErrorCode, RateLimited
from docuforge.models import Job
from docuforge.observability import get_logger

log = get_logger(__name__)
QUEUES = ("standard", "batch")
FINISHED = ("completed", "failed", "cancelled")
# With nothing finished lately (a cold start, or no worker at all) the drain rate is unknown:
# ask for a short wait, so a client comes back soon rather than idling on a guess.
UNMEASURED_RETRY_AFTER = 10
# One completion in the window says little of a rate: a span this short is not trusted further.
MIN_SPAN = 1.0


class QueueFull(RateLimited):
    """A bound on queued work is reached: retry after the Retry-After header's seconds."""

    code = ErrorCode.QUEUE_FULL

    def __init__(self, retry_after: int, message: str) -> None:
        super().__init__(retry_after, message)
        # The SDKs retry a 429 by themselves; say so explicitly, with the wait in the header.
        self.headers["x-should-retry"] = "true"


@dataclass
class Drain:
    finished: int
    per_second: float | None


async def _queued(session: AsyncSession, organization_id: uuid.UUID) -> tuple[int, int]:
    """Jobs waiting to run: all of them, and the organization's (one query, on the status index)."""
    row = (
        await session.execute(
            select(
                func.count(Job.id),
                func.coalesce(func.sum(case((Job.organization_id == organization_id, 1), else_=0)), 0),
            ).where(Job.status == "pending", Job.deletion.is_(None))
        )
    ).one()
    return int(row[0]), int(row[1])


async def drain(
    session: AsyncSession,
    settings: Settings,
    organization_id: uuid.UUID | None = None,
    queue: str | None = None,
) -> Drain:
    """Jobs finished per second over the recent window (or since the first of them, if later)."""
    now = utcnow()
    since = now - dt.timedelta(seconds=settings.admission.drain_window)
    statement = select(func.count(Job.id), func.min(Job.finished_at)).where(
        Job.status.in_(FINISHED), Job.finished_at >= since
    )
    if organization_id is not None:
        statement = statement.where(Job.organization_id == organization_id)
    if queue is not None:
        statement = statement.where(Job.queue == queue)
    count, first = (await session.execute(statement)).one()
    if not count:
        return Drain(0, None)
    span = max(MIN_SPAN, (now - _aware(first)).total_seconds())
    return Drain(int(count), count / span)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def retry_after(settings: Settings, excess: int, rate: float | None) -> int:
    """Seconds until `excess` jobs have drained at `rate`, within [1, retry_after_max]."""
    ceiling = settings.admission.retry_after_max
    if not rate:
        return min(ceiling, UNMEASURED_RETRY_AFTER)
    return max(1, min(ceiling, math.ceil(max(1, excess) / rate)))


async def _refusal(
    session: AsyncSession, settings: Settings, organization_id: uuid.UUID, queued: int, org_queued: int
) -> QueueFull | None:
    limits = settings.admission
    if limits.max_queued_per_organization and org_queued >= limits.max_queued_per_organization:
        # The organization's own queue drains at the organization's pace; before any of its
        # jobs finished, the whole system's pace is the best guess.
        rate = (await drain(session, settings, organization_id)).per_second
        rate = rate or (await drain(session, settings)).per_second
        excess = org_queued - limits.max_queued_per_organization + 1
        return QueueFull(
            retry_after(settings, excess, rate),
            f"your organization has {org_queued} jobs waiting, its limit; retry later",
        )
    if limits.max_queued and queued >= limits.max_queued:
        rate = (await drain(session, settings)).per_second
        return QueueFull(
            retry_after(settings, queued - limits.max_queued + 1, rate),
            f"the service has {queued} jobs waiting, its limit; retry later",
        )
    return None


class _Counted:
    """The queue counts this process last read, per database and organization, plus its own
    admissions since: counting pending jobs scans the pending part of the status index, which
    costs every submission more the longer the queue.

    Far from a bound, an estimate up to COUNTS_TTL old is good enough (jobs finishing only make it
    high; other replicas' admissions in that time fit the margin); near one, every submission
    counts afresh, so the bound holds as exactly as without the estimate.
    """

    def __init__(self) -> None:
        self.by_org: dict[uuid.UUID, tuple[float, int, int]] = {}

    def estimate(self, organization_id: uuid.UUID) -> tuple[int, int] | None:
        found = self.by_org.get(organization_id)
        if found is None or time.monotonic() - found[0] > COUNTS_TTL:
            return None
        return found[1], found[2]

    def counted(self, organization_id: uuid.UUID, queued: int, org_queued: int) -> None:
        if len(self.by_org) > 10_000:
            self.by_org.clear()
        self.by_org[organization_id] = (time.monotonic(), queued, org_queued)

    def admitted(self, organization_id: uuid.UUID) -> None:
        found = self.by_org.get(organization_id)
        if found is not None:
            self.by_org[organization_id] = (found[0], found[1] + 1, found[2] + 1)


COUNTS_TTL = 1.0
_counts: weakref.WeakKeyDictionary[Any, _Counted] = weakref.WeakKeyDictionary()


def _far_below(count: int, bound: int) -> bool:
    return not bound or count + max(1, bound // 10) < bound


async def admit(session: AsyncSession, settings: Settings, organization_id: uuid.UUID) -> None:
    """Raise QueueFull (429, Retry-After) when one more job would pass a bound on queued work."""
    limits = settings.admission
    if not limits.max_queued and not limits.max_queued_per_organization:
        return
    bind = session.get_bind()
    counts = _counts.setdefault(getattr(bind, "engine", bind), _Counted())
    estimate = counts.estimate(organization_id)
    if (
        estimate is not None
        and _far_below(estimate[0], limits.max_queued)
        and _far_below(estimate[1], limits.max_queued_per_organization)
    ):
        counts.admitted(organization_id)
        return
    queued, org_queued = await _queued(session, organization_id)
    counts.counted(organization_id, queued, org_queued)
    refusal = await _refusal(session, settings, organization_id, queued, org_queued)
    if refusal is not None:
        log.info(
            "submission refused: queue full",
            organization_id=str(organization_id),
            queued=queued,
            organization_queued=org_queued,
            retry_after=refusal.retry_after,
        )
        raise refusal
    counts.admitted(organization_id)


async def capacity(
    session: AsyncSession, settings: Settings, organization_id: uuid.UUID, runner: Any
) -> Capacity:
    """GET /capacity: depth, workers and estimated wait per queue, from the job table."""
    queued, org_queued = await _queued(session, organization_id)
    rows = (
        await session.execute(
            select(Job.queue, Job.status, func.count(Job.id))
            .where(Job.status.in_(("pending", "running")), Job.deletion.is_(None))
            .group_by(Job.queue, Job.status)
        )
    ).all()
    counts = {(queue, status): int(count) for queue, status, count in rows}
    queues = []
    for name in QUEUES:
        waiting = counts.get((name, "pending"), 0)
        rate = (await drain(session, settings, queue=name)).per_second
        wait = 0.0 if waiting == 0 else (round(waiting / rate, 1) if rate else None)
        queues.append(
            QueueCapacity(
                name=name,
                queued=waiting,
                running=counts.get((name, "running"), 0),
                drain_rate=None if rate is None else round(rate, 4),
                estimated_wait=wait,
            )
        )
    running = sum(queue.running for queue in queues)
    overall = (await drain(session, settings)).per_second
    refusal = await _refusal(session, settings, organization_id, queued, org_queued)
    online, slots = await worker_slots(runner)
    return Capacity(
        accepting=refusal is None,
        retry_after=None if refusal is None else refusal.retry_after,
        queued=queued,
        queued_organization=org_queued,
        running=running,
        drain_rate=None if overall is None else round(overall, 4),
        limits=Limits(
            max_queued=settings.admission.max_queued,
            max_queued_per_organization=settings.admission.max_queued_per_organization,
        ),
        workers=Workers(runner=str(settings.jobs.runner), online=online, slots=slots, busy=running),
        queues=queues,
    )


_inspected: dict[int, tuple[float, tuple[int | None, int | None]]] = {}
INSPECT_TIMEOUT = 1.0
INSPECT_CACHE = 5.0


async def worker_slots(runner: Any) -> tuple[int | None, int | None]:
    """Workers online and the jobs they can run at once: Celery's workers answer a broadcast;
    the in-process runner is this process and its pool."""
    celery_app = getattr(runner, "app", None)
    if celery_app is None:
        slots = getattr(runner, "slots", None)
        return (1, slots) if slots is not None else (None, None)
    cached = _inspected.get(id(celery_app))
    if cached is not None and time.monotonic() - cached[0] < INSPECT_CACHE:
        return cached[1]

    def ask() -> tuple[int | None, int | None]:
        stats = celery_app.control.inspect(timeout=INSPECT_TIMEOUT).stats() or {}
        slots = sum(int((node.get("pool") or {}).get("max-concurrency") or 0) for node in stats.values())
        return len(stats), slots

    try:
        found = await asyncio.wait_for(asyncio.to_thread(ask), timeout=INSPECT_TIMEOUT + 2)
    except Exception as error:  # the broker is away: the rest of the answer still holds
        log.warning("could not ask the workers", error=str(error))
        found = (None, None)
    _inspected[id(celery_app)] = (time.monotonic(), found)
    return found
