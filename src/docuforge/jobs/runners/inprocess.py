"""The default runner: jobs run inside the service, CPU-heavy parts in a pool of processes.

The job table is the queue: `publish` only wakes the loop, which claims due jobs (standard
before batch, oldest first) while it has free slots. Several service processes may share one
database; claiming keeps each job to one of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid

from sqlalchemy import case, select

from docuforge.config import Settings
from docuforge.db import Database, utcnow
from docuforge.jobs import registry
from docuforge.jobs.dispatcher import Dispatcher
from docuforge.jobs.executor import Executor
from docuforge.jobs.processes import ProcessPool, child_setup
from docuforge.jobs.runners import process_workers, worker_name
from docuforge.models import Job
from docuforge.observability import get_logger
from docuforge.storage import BlobStore

log = get_logger(__name__)


class InProcessRunner:
    def __init__(self, settings: Settings, database: Database, storage: BlobStore) -> None:
        self.settings = settings
        self.database = database
        self.slots = process_workers(settings)
        self.pool = ProcessPool(self.slots, child_setup(settings))
        self.executor = Executor(settings, database, storage, self.pool, worker_name())
        self.dispatcher = Dispatcher(settings, database, storage)
        self._wake = asyncio.Event()
        self._running: set[asyncio.Task[bool]] = set()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        registry.load(self.settings)
        self._tasks = [asyncio.create_task(self._loop()), asyncio.create_task(self.dispatcher.run_forever())]

    async def publish(self, job_id: uuid.UUID, queue: str) -> bool:
        self._wake.set()
        return True

    async def stop(self) -> None:
        for task in [*self._tasks, *self._running]:
            task.cancel()
        await asyncio.gather(*self._tasks, *self._running, return_exceptions=True)
        self.pool.close()

    async def _loop(self) -> None:
        while True:
            free = self.slots - len(self._running)
            if free > 0:
                try:
                    for job_id in await self._due(free):
                        task = asyncio.create_task(self._run(job_id))
                        self._running.add(task)
                        task.add_done_callback(self._done)
                except Exception:
                    log.warning("could not look for jobs", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.settings.jobs.poll_interval)
            self._wake.clear()

    def _done(self, task: asyncio.Task[bool]) -> None:
        self._running.discard(task)
        self._wake.set()  # a slot is free

    async def _run(self, job_id: uuid.UUID) -> bool:
        try:
            return await self.executor.run(job_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("running a job failed", job_id=str(job_id))
            return False

    async def _due(self, limit: int) -> list[uuid.UUID]:
        async with self.database.session() as session:
            rows = await session.execute(
                select(Job.id)
                .where(Job.status == "pending", Job.deletion.is_(None), Job.available_at <= utcnow())
                .order_by(case((Job.queue == "batch", 1), else_=0), Job.available_at)
                .limit(limit)
            )
            return list(rows.scalars())
