"""Runs one job: claim it, keep its lease alive, run its task, record how it ended.

Both runners use this. Every state change is a guarded UPDATE on the job row, so a job runs
to completion once however many messages or processes race for it: a duplicate delivery finds
it claimed, and a worker that lost its lease (it stalled, the sweeper gave the job to another)
cannot record a result.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import shutil
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from docuforge.config import Settings
from docuforge.db import Database, utcnow
from docuforge.errors import DocuforgeError, ErrorCode
from docuforge.jobs import registry
from docuforge.jobs.processes import ProcessPool
from docuforge.models import Job
from docuforge.observability import get_logger
from docuforge.storage import CHUNK, BlobStore, iterate
from docuforge.webhooks import service as webhooks

log = get_logger(__name__)
FINAL = ("completed", "failed", "cancelled")


@dataclass
class _Outcome:
    status: str
    code: str | None = None
    message: str | None = None
    retry: bool = False


def result_key(job: Job) -> str:
    return f"results/{job.organization_id}/{job.id}.json"


async def _file_chunks(path: Path) -> AsyncIterator[bytes]:
    async with await anyio.open_file(path, "rb") as handle:
        while chunk := await handle.read(CHUNK):
            yield chunk


def backoff(settings: Settings, attempt: int) -> float:
    """Exponential with full jitter: retries of many jobs do not arrive in step."""
    ceiling = min(settings.jobs.retry_max_delay, settings.jobs.retry_base_delay * 2 ** max(0, attempt - 1))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not secrecy


class Executor:
    def __init__(
        self, settings: Settings, database: Database, storage: BlobStore, pool: ProcessPool, worker: str
    ) -> None:
        self.settings = settings
        self.database = database
        self.storage = storage
        self.pool = pool
        self.worker = worker

    async def claim(self, job_id: uuid.UUID) -> Job | None:
        now = utcnow()
        async with self.database.session() as session:
            claimed = await session.execute(
                update(Job)
                .where(
                    Job.id == job_id,
                    Job.status == "pending",
                    Job.deletion.is_(None),
                    Job.available_at <= now,
                )
                .values(
                    status="running",
                    attempts=Job.attempts + 1,
                    lease_owner=self.worker,
                    lease_expires_at=now + dt.timedelta(seconds=self.settings.jobs.lease_seconds),
                    started_at=now,
                )
            )
            if claimed.rowcount != 1:
                return None
            return await session.get(Job, job_id)

    async def run(self, job_id: uuid.UUID) -> bool:
        """Run the job if it can be claimed; False when it was not this worker's to run."""
        job = await self.claim(job_id)
        if job is None:
            return False
        log.info("job started", job_id=str(job.id), type=job.type, attempt=job.attempts)
        started = time.monotonic()
        workdir = Path(tempfile.mkdtemp(prefix=f"docuforge-job-{job.id}-"))
        try:
            outcome, result = await self._execute(job, workdir)
            try:
                await self._finish(job, outcome, result, time.monotonic() - started)
            except Exception:
                log.exception("could not record the job's outcome", job_id=str(job.id))
                failed = _Outcome(
                    "failed",
                    ErrorCode.PROCESSING_FAILED,
                    "storing the result failed",
                    retry=job.attempts < job.max_attempts,
                )
                await self._finish(job, failed, None, time.monotonic() - started)
        except asyncio.CancelledError:
            # The runner is shutting down: hand the job back untouched, for the next process.
            await asyncio.shield(self._release(job))
            raise
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return True

    async def _execute(self, job: Job, workdir: Path) -> tuple[_Outcome, registry.TaskResult | None]:
        progress = {"value": job.progress, "written": job.progress}
        stop_reason: list[str] = []
        try:
            spec = registry.get(job.type)
        except DocuforgeError as error:
            return self._failure(job, error), None
        context = registry.JobContext(
            job_id=job.id,
            organization_id=job.organization_id,
            type=job.type,
            config=job.config,
            input=job.input,
            attempt=job.attempts,
            settings=self.settings,
            storage=self.storage,
            workdir=workdir,
            run_cpu=self.pool.run,
            _progress=lambda fraction: progress.__setitem__("value", fraction),
            database=self.database,
        )
        # The task runs as a task of its own, so the heartbeat can stop it without stopping us.
        body = asyncio.create_task(spec.run(context))
        heartbeat = asyncio.create_task(self._heartbeat(job, progress, body, stop_reason))
        try:
            async with asyncio.timeout(job.timeout) as deadline:
                result = await body
            return _Outcome("completed"), result
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if stop_reason and not (current and current.cancelling()):
                if stop_reason[0] == "cancelled":
                    return _Outcome("cancelled", ErrorCode.JOB_CANCELLED, "the job was cancelled"), None
                return _Outcome("lost"), None
            raise
        except TimeoutError:
            if deadline.expired():
                return _Outcome(
                    "failed", ErrorCode.TIMEOUT, f"the job ran longer than its {job.timeout:g} s"
                ), None
            return self._failure(
                job, DocuforgeError("a time limit inside the job expired", code=ErrorCode.TIMEOUT)
            ), None
        except DocuforgeError as error:
            return self._failure(job, error), None
        except DBAPIError as error:
            log.warning("job hit a database error", job_id=str(job.id), error=str(error.orig))
            transient = DocuforgeError(
                "a database error interrupted the job", code=ErrorCode.SERVICE_UNAVAILABLE
            )
            transient.transient = True  # type: ignore[misc]
            return self._failure(job, transient), None
        except Exception:
            log.exception("job failed unexpectedly", job_id=str(job.id), type=job.type)
            return _Outcome(
                "failed", ErrorCode.PROCESSING_FAILED, "processing failed; the error was logged"
            ), None
        finally:
            heartbeat.cancel()
            if not body.done():
                body.cancel()
            await asyncio.gather(heartbeat, body, return_exceptions=True)

    async def _release(self, job: Job) -> None:
        try:
            async with self.database.session() as session:
                await session.execute(
                    update(Job)
                    .where(Job.id == job.id, Job.status == "running", Job.lease_owner == self.worker)
                    .values(
                        status="pending",
                        attempts=Job.attempts - 1,
                        lease_owner=None,
                        lease_expires_at=None,
                        published_at=None,
                        available_at=utcnow(),
                    )
                )
        except Exception as error:
            log.warning("could not hand the job back", job_id=str(job.id), error=str(error))

    def _failure(self, job: Job, error: DocuforgeError) -> _Outcome:
        retry = error.transient and job.attempts < job.max_attempts
        return _Outcome("failed", str(error.code), error.message, retry=retry)

    async def _heartbeat(
        self, job: Job, progress: dict[str, float], body: asyncio.Task[Any], stop_reason: list[str]
    ) -> None:
        """Renew the lease, publish progress, and stop the work if it was cancelled or taken away."""
        interval = min(self.settings.jobs.poll_interval, self.settings.jobs.lease_seconds / 3)
        while True:
            await asyncio.sleep(interval)
            values: dict[str, Any] = {
                "lease_expires_at": utcnow() + dt.timedelta(seconds=self.settings.jobs.lease_seconds)
            }
            if progress["value"] != progress["written"]:
                values["progress"] = progress["value"]
            try:
                async with self.database.session() as session:
                    renewed = await session.execute(
                        update(Job)
                        .where(Job.id == job.id, Job.status == "running", Job.lease_owner == self.worker)
                        .values(**values)
                        .returning(Job.cancel_requested)
                    )
                    row = renewed.first()
            except (DBAPIError, OSError) as error:
                # The database is away: keep working; if it stays away the lease lapses and says so.
                log.warning("lease renewal failed", job_id=str(job.id), error=str(error))
                continue
            progress["written"] = progress["value"]
            if row is None or row[0]:
                stop_reason.append("lost" if row is None else "cancelled")
                body.cancel()
                return

    async def _finish(
        self, job: Job, outcome: _Outcome, result: registry.TaskResult | None, elapsed: float
    ) -> None:
        if outcome.status == "lost":
            log.warning("job lease lost; another worker owns it now", job_id=str(job.id))
            return
        now = utcnow()
        values: dict[str, Any] = {"lease_owner": None, "lease_expires_at": None}
        if outcome.status == "completed":
            assert result is not None
            response = {**result.response, "job_id": str(job.id)}
            response.setdefault("duration", round(elapsed, 3))
            values |= {
                "status": "completed",
                "progress": 1.0,
                "finished_at": now,
                "response": response,
                "num_pages": result.num_pages,
                "artifacts": result.artifacts,
                "duration": response["duration"],
                "error_code": None,
                "error_message": None,
            }
            if result.payload_file is not None:
                size = await self.storage.write(result_key(job), _file_chunks(result.payload_file))
                values |= {"result_key": result_key(job), "result_size": size}
            elif result.payload is not None:
                data = json.dumps(result.payload, separators=(",", ":"), ensure_ascii=False).encode()
                await self.storage.write(result_key(job), iterate(data))
                values |= {"result_key": result_key(job), "result_size": len(data)}
        elif outcome.retry:
            delay = backoff(self.settings, job.attempts)
            values |= {
                "status": "pending",
                "available_at": now + dt.timedelta(seconds=delay),
                "published_at": None,
                "error_code": outcome.code,
                "error_message": outcome.message,
            }
            log.info("job will be retried", job_id=str(job.id), attempt=job.attempts, delay_s=round(delay, 1))
        else:
            values |= {
                "status": outcome.status,
                "finished_at": now,
                "error_code": outcome.code,
                "error_message": outcome.message,
                "duration": round(elapsed, 3),
            }
        async with self.database.session() as session:
            done = await session.execute(
                update(Job)
                .where(Job.id == job.id, Job.status == "running", Job.lease_owner == self.worker)
                .values(**values)
            )
            if done.rowcount != 1:
                log.warning("job was taken over before it finished; result dropped", job_id=str(job.id))
                return
            if values.get("status") in FINAL:
                finished = (await session.execute(select(Job).where(Job.id == job.id))).scalar_one()
                await webhooks.enqueue_job_event(session, finished)
        log.info(
            "job finished",
            job_id=str(job.id),
            status=values.get("status"),
            code=outcome.code,
            seconds=round(elapsed, 3),
        )
