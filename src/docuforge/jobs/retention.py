"""Finished jobs expire: after their organization's retention their results are deleted.

An expired job is marked for deletion exactly as DELETE /job marks it, so the sweeper's
deletion step removes its blobs, and GET /job answers 410 from then on. Every process sweeps
(at most once per `retention.sweep_interval`); the guarded UPDATE makes that harmless.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid

from sqlalchemy import select, update

from docuforge.config import Settings
from docuforge.db import Database, utcnow
from docuforge.models import Job, Organization
from docuforge.observability import get_logger

log = get_logger(__name__)
FINISHED = ("completed", "failed", "cancelled")


async def _overrides(database: Database, settings: Settings) -> dict[uuid.UUID, float]:
    """retention.organizations, by id, whether each was named by its name or its id."""
    wanted = settings.retention.organizations
    if not wanted:
        return {}
    async with database.session() as session:
        rows = (await session.execute(select(Organization.id, Organization.name))).all()
    found: dict[uuid.UUID, float] = {}
    for ident, name in rows:
        days = wanted.get(name, wanted.get(str(ident)))
        if days is not None:
            found[ident] = days
    return found


async def expire(database: Database, settings: Settings) -> int:
    """Mark the finished jobs past their retention for deletion; how many were."""
    overrides = await _overrides(database, settings)
    now = utcnow()
    expired = 0
    async with database.session() as session:
        for organization_id, days in overrides.items():
            done = await session.execute(
                update(Job)
                .where(
                    Job.organization_id == organization_id,
                    Job.status.in_(FINISHED),
                    Job.finished_at < now - dt.timedelta(days=days),
                    Job.deletion.is_(None),
                )
                .values(deletion="deleting")
            )
            expired += done.rowcount or 0
        if settings.retention.days is not None:
            statement = update(Job).where(
                Job.status.in_(FINISHED),
                Job.finished_at < now - dt.timedelta(days=settings.retention.days),
                Job.deletion.is_(None),
            )
            if overrides:
                statement = statement.where(Job.organization_id.not_in(list(overrides)))
            done = await session.execute(statement.values(deletion="deleting"))
            expired += done.rowcount or 0
    if expired:
        log.info("finished jobs expired; their results will be deleted", jobs=expired)
    return expired


class RetentionSweep:
    """Runs `expire` at most once per sweep interval, from the dispatcher's loop."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings
        self.last: float | None = None

    async def maybe_run(self) -> None:
        retention = self.settings.retention
        if retention.days is None and not retention.organizations:
            return
        if self.last is not None and time.monotonic() - self.last < retention.sweep_interval:
            return
        self.last = time.monotonic()
        await expire(self.database, self.settings)
