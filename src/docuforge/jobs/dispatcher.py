"""The sweeper: what keeps jobs moving when a process dies or a broker goes away.

Every `poll_interval` it hands lapsed leases back (or fails the job after its last attempt),
publishes jobs the broker never got (committed while it was down, or due for a retry), sends due
webhook deliveries, and finishes deleting deleted jobs. Several sweepers may run at once (one per
API or worker process): every step is a guarded UPDATE, so they never do a thing twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy import select, update

from docuforge.config import Settings
from docuforge.db import Database, utcnow
from docuforge.errors import ErrorCode
from docuforge.jobs import registry
from docuforge.jobs.retention import RetentionSweep
from docuforge.models import Job
from docuforge.observability import get_logger
from docuforge.storage import BlobStore
from docuforge.webhooks import service as webhooks

log = get_logger(__name__)
Publish = Callable[[uuid.UUID, str], Awaitable[bool]]
# A message the broker accepted but nobody consumed this long ago is assumed lost (a broker that
# restarted without persistence) and published again; claiming makes the duplicate harmless.
REPUBLISH_AFTER = dt.timedelta(minutes=10)


class Dispatcher:
    def __init__(
        self, settings: Settings, database: Database, storage: BlobStore, publish: Publish | None = None
    ) -> None:
        self.settings = settings
        self.database = database
        self.storage = storage
        self.publish = publish
        self.retention = RetentionSweep(database, settings)

    async def run_forever(self) -> None:
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("sweep failed; trying again", exc_info=True)
            await asyncio.sleep(self.settings.jobs.poll_interval)

    async def tick(self) -> None:
        await self.requeue_lapsed()
        if self.publish is not None:
            await self.publish_unpublished()
        await webhooks.deliver_due(self.database, self.settings)
        await self.retention.maybe_run()
        await self.finish_deletions()

    async def requeue_lapsed(self) -> None:
        now = utcnow()
        async with self.database.session() as session:
            lapsed = list(
                (
                    await session.execute(
                        select(Job.id, Job.attempts, Job.max_attempts).where(
                            Job.status == "running", Job.lease_expires_at < now
                        )
                    )
                ).all()
            )
        for job_id, attempts, max_attempts in lapsed:
            async with self.database.session() as session:
                guard = (Job.id == job_id, Job.status == "running", Job.lease_expires_at < now)
                if attempts < max_attempts:
                    requeued = await session.execute(
                        update(Job)
                        .where(*guard)
                        .values(
                            status="pending",
                            lease_owner=None,
                            lease_expires_at=None,
                            published_at=None,
                            available_at=now,
                        )
                    )
                    if requeued.rowcount:
                        log.warning("job's worker stopped; the job will run again", job_id=str(job_id))
                    continue
                failed = await session.execute(
                    update(Job)
                    .where(*guard)
                    .values(
                        status="failed",
                        lease_owner=None,
                        lease_expires_at=None,
                        finished_at=now,
                        error_code=str(ErrorCode.SUBPROCESS_CRASHED),
                        error_message=f"the worker running the job stopped, {attempts} times",
                    )
                )
                if failed.rowcount:
                    job = await session.get(Job, job_id)
                    assert job is not None
                    await webhooks.enqueue_job_event(session, job)

    async def publish_unpublished(self) -> None:
        assert self.publish is not None
        now = utcnow()
        async with self.database.session() as session:
            rows = (
                await session.execute(
                    select(Job.id, Job.queue)
                    .where(
                        Job.status == "pending",
                        Job.deletion.is_(None),
                        Job.available_at <= now,
                        (Job.published_at.is_(None)) | (Job.published_at < now - REPUBLISH_AFTER),
                    )
                    .order_by(Job.available_at)
                    .limit(500)
                )
            ).all()
        for job_id, queue in rows:
            if not await self.publish(job_id, queue):
                return  # the broker is away; the next sweep tries again

    async def finish_deletions(self) -> None:
        registry.load(self.settings)  # each job type's on_delete, whichever process sweeps
        async with self.database.session() as session:
            doomed = list(
                (
                    await session.execute(
                        select(Job).where(Job.deletion == "deleting", Job.status != "running")
                    )
                ).scalars()
            )
        for job in doomed:
            for key in [job.result_key, *(job.artifacts or [])]:
                if key:
                    await self.storage.delete(key)
            async with self.database.session() as session:
                await registry.deleted(
                    job.type, registry.DeletedJob(self.settings, session, job.organization_id, job.id)
                )
                await session.execute(
                    update(Job)
                    .where(Job.id == job.id, Job.deletion == "deleting")
                    .values(
                        deletion="deleted", result_key=None, artifacts=[], response=None, config={}, input={}
                    )
                )
            log.info("job deleted", job_id=str(job.id))
