"""Runners, chosen by `jobs.runner`: where a job's task actually runs. Task code never knows."""

from __future__ import annotations

import os
import socket
import uuid
from typing import Protocol

from docuforge.config import JobRunner, Settings
from docuforge.db import Database
from docuforge.storage import BlobStore


class Runner(Protocol):
    async def start(self) -> None: ...

    async def publish(self, job_id: uuid.UUID, queue: str) -> bool:
        """Tell the runner a job is ready. False when that failed; the sweeper will try again."""

    async def stop(self) -> None: ...


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def process_workers(settings: Settings) -> int:
    return settings.jobs.process_workers or max(1, (os.cpu_count() or 2) - 1)


def open_runner(settings: Settings, database: Database, storage: BlobStore) -> Runner:
    if settings.jobs.runner is JobRunner.celery:
        from docuforge.jobs.runners.celery_runner import CeleryRunner

        return CeleryRunner(settings, database, storage)
    from docuforge.jobs.runners.inprocess import InProcessRunner

    return InProcessRunner(settings, database, storage)
