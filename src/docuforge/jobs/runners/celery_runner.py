"""Jobs on Celery workers (`docuforge worker`), through Redis or RabbitMQ.

The broker carries only job ids; the job row stays the truth. Messages are acknowledged late,
so a worker killed mid-job leaves its message for another; the sweeper also hands back jobs whose
lease lapsed, so recovery does not hang on the broker's redelivery timer. Two queues, standard
and batch, so bulk work can be kept off the workers that serve interactive requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import uuid
from dataclasses import dataclass

from celery import Celery, signals
from kombu import Exchange, Queue
from sqlalchemy import update

from docuforge.config import Settings
from docuforge.db import Database, utcnow
from docuforge.jobs import registry
from docuforge.jobs.dispatcher import Dispatcher
from docuforge.jobs.executor import Executor
from docuforge.jobs.processes import ProcessPool, child_setup
from docuforge.jobs.runners import worker_name
from docuforge.models import Job
from docuforge.observability import get_logger
from docuforge.storage import BlobStore, open_store

log = get_logger(__name__)
TASK = "docuforge.run_job"
QUEUES = ("standard", "batch")
_PUBLISH_TIMEOUT = 5.0


def make_celery(settings: Settings) -> Celery:
    if not settings.jobs.broker_url:
        raise ValueError("DOCUFORGE_JOBS__BROKER_URL must be set for the celery runner")
    app = Celery("docuforge", broker=settings.jobs.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue="standard",
        task_queues=[Queue(name, Exchange(name, type="direct"), routing_key=name) for name in QUEUES],
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=_PUBLISH_TIMEOUT,
        # A redelivered duplicate is harmless (claiming stops it); a short timer means a message
        # whose worker vanished is not stuck for the default hour.
        broker_transport_options={"visibility_timeout": 300},
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
    )
    app.task(name=TASK, ignore_result=True)(_run_job)
    return app


class CeleryRunner:
    """The service side: publish job ids; sweep for what the broker missed."""

    def __init__(self, settings: Settings, database: Database, storage: BlobStore) -> None:
        self.settings = settings
        self.database = database
        self.app = make_celery(settings)
        self.dispatcher = Dispatcher(settings, database, storage, publish=self.publish)
        self._sweeper: asyncio.Task[None] | None = None
        self._publisher = BatchPublisher(self.app, database)

    async def start(self) -> None:
        registry.load(self.settings)
        self._sweeper = asyncio.create_task(self.dispatcher.run_forever())

    async def publish(self, job_id: uuid.UUID, queue: str) -> bool:
        return await self._publisher.publish(job_id, queue)

    async def check(self) -> None:
        """Readiness: the broker accepts a connection."""

        def connect() -> None:
            with self.app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)

        await asyncio.wait_for(asyncio.to_thread(connect), timeout=3)

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.gather(self._sweeper, return_exceptions=True)


async def publish(app: Celery, database: Database, job_id: uuid.UUID, queue: str) -> bool:
    def send() -> None:
        app.send_task(TASK, args=[str(job_id)], queue=queue if queue in QUEUES else "standard", retry=False)

    try:
        await asyncio.wait_for(asyncio.to_thread(send), timeout=_PUBLISH_TIMEOUT)
    except Exception as error:
        log.warning("broker unavailable; job will be published later", job_id=str(job_id), error=str(error))
        return False
    async with database.session() as session:
        await session.execute(update(Job).where(Job.id == job_id).values(published_at=utcnow()))
    return True


class BatchPublisher:
    """Job ids to the broker in batches: what arrives while one batch is sent goes in the next.

    One thread hop, one broker connection and one UPDATE per batch: a burst of submissions costs
    the service's thread pool and its database connections (which the requests need) a few
    sends, not one each.
    """

    def __init__(self, app: Celery, database: Database) -> None:
        self.app = app
        self.database = database
        self._pending: list[tuple[uuid.UUID, str, asyncio.Future[bool]]] = []
        self._sending: asyncio.Task[None] | None = None

    async def publish(self, job_id: uuid.UUID, queue: str) -> bool:
        sent = asyncio.get_running_loop().create_future()
        self._pending.append((job_id, queue, sent))
        if self._sending is None or self._sending.done():
            self._sending = asyncio.create_task(self._drain())
        return await sent

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await asyncio.wait_for(asyncio.to_thread(self._send, batch), timeout=_PUBLISH_TIMEOUT)
            except Exception as error:
                # Those sent before the error are sent again by the sweeper; claiming dedupes.
                log.warning(
                    "broker unavailable; jobs will be published later", jobs=len(batch), error=str(error)
                )
                _settle(batch, False)
                continue
            try:
                async with self.database.session() as session:
                    await session.execute(
                        update(Job)
                        .where(Job.id.in_([job for job, _, _ in batch]))
                        .values(published_at=utcnow())
                    )
            except Exception as error:
                log.warning("could not record the jobs as published", jobs=len(batch), error=str(error))
            _settle(batch, True)

    def _send(self, batch: list[tuple[uuid.UUID, str, asyncio.Future[bool]]]) -> None:
        with self.app.producer_or_acquire() as producer:
            for job_id, queue, _ in batch:
                self.app.send_task(
                    TASK,
                    args=[str(job_id)],
                    queue=queue if queue in QUEUES else "standard",
                    retry=False,
                    producer=producer,
                )


def _settle(batch: list[tuple[uuid.UUID, str, asyncio.Future[bool]]], value: bool) -> None:
    for _, _, sent in batch:
        if not sent.done():
            sent.set_result(value)


# ---------------------------------------------------------------- the worker side


@dataclass
class _ThreadResources:
    loop: asyncio.AbstractEventLoop
    executor: Executor


_settings: Settings | None = None
_local = threading.local()


def configure_worker(settings: Settings) -> None:
    global _settings
    _settings = settings
    registry.load(settings)
    # Connected receivers tell Celery to leave logging alone: ours is already configured (JSON).
    signals.setup_logging.connect(_keep_logging, weak=False)
    signals.worker_ready.connect(_announce_ready, weak=False)


def _keep_logging(**_: object) -> None:
    return None


def _announce_ready(**_: object) -> None:
    log.info("worker ready", queues=list(QUEUES))


def _resources() -> _ThreadResources:
    # Celery runs tasks on a pool of threads; each keeps an event loop, engine and process pool.
    found: _ThreadResources | None = getattr(_local, "resources", None)
    if found is None:
        settings = _settings or Settings()
        loop = asyncio.new_event_loop()
        database = Database(settings)
        pool = ProcessPool(1, child_setup(settings))
        executor = Executor(settings, database, open_store(settings), pool, worker_name())
        found = _local.resources = _ThreadResources(loop=loop, executor=executor)
    return found


def _run_job(job_id: str) -> None:
    resources = _resources()
    ran = resources.loop.run_until_complete(resources.executor.run(uuid.UUID(job_id)))
    if not ran:
        log.info("job not runnable here (already claimed, finished or deleted)", job_id=job_id)


def run_sweeper_thread(settings: Settings, app: Celery) -> threading.Thread:
    """The worker's own sweeper, so a deployment of workers alone still recovers and delivers."""

    def main() -> None:
        loop = asyncio.new_event_loop()
        database = Database(settings)
        storage = open_store(settings)

        async def publish_job(job_id: uuid.UUID, queue: str) -> bool:
            return await publish(app, database, job_id, queue)

        dispatcher = Dispatcher(settings, database, storage, publish=publish_job)
        with contextlib.suppress(Exception):
            loop.run_until_complete(dispatcher.run_forever())

    thread = threading.Thread(target=main, name="docuforge-sweeper", daemon=True)
    thread.start()
    return thread


def worker_argv(settings: Settings, concurrency: int, queues: list[str]) -> list[str]:
    return [
        "worker",
        "--pool=threads",
        f"--concurrency={concurrency}",
        f"--queues={','.join(queues)}",
        "--without-gossip",
        "--without-mingle",
        f"--loglevel={settings.log.level}",
        f"--hostname=docuforge-{worker_name().replace(':', '-')}@%h",
    ]
