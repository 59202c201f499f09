"""Job types by name: each domain's tasks.py registers its work with @task("name").

A task is `async def work(ctx: JobContext) -> TaskResult`. It never sees which runner runs it;
CPU-heavy parts go through `ctx.run_cpu`, which uses a killable process pool in every runner.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docuforge.config import Settings
from docuforge.errors import InvalidRequest
from docuforge.storage import BlobStore

# The domains whose tasks.py register job types; settings.jobs.task_modules adds plugins.
BUILTIN_TASK_MODULES: list[str] = [
    "docuforge.reducto.parse.tasks",
    "docuforge.reducto.extract.tasks",
    "docuforge.reducto.classify.tasks",
    "docuforge.reducto.split.tasks",
    "docuforge.reducto.edit.tasks",
    "docuforge.reducto.pipeline.tasks",
    "docuforge.workspaces.tasks",
    "docuforge.logs.tasks",
    "docuforge.finance.tasks",
]


@dataclass
class TaskResult:
    # The small part of the answer, stored on the job row (usage, duration, job_id...).
    response: dict[str, Any]
    # The large part (chunks, extracted fields...), stored as a blob and served inline or as a URL:
    # a JSON-able value, or a file already holding its JSON (no second trip through memory).
    payload: Any = None
    payload_file: Path | None = None
    num_pages: int | None = None
    artifacts: list[str] = field(default_factory=list)  # blob keys to delete with the job


@dataclass
class JobContext:
    job_id: uuid.UUID
    organization_id: uuid.UUID
    type: str
    config: dict[str, Any]
    input: dict[str, Any]
    attempt: int
    settings: Settings
    storage: BlobStore
    workdir: Path
    run_cpu: Callable[..., Awaitable[Any]]
    _progress: Callable[[float], None] = field(repr=False, default=lambda _fraction: None)
    database: Any = None  # docuforge.db.Database, for tasks that read other rows (jobid:// inputs)

    def progress(self, fraction: float) -> None:
        """Record progress (0..1); the runner publishes it and checks for cancellation meanwhile."""
        self._progress(min(1.0, max(0.0, fraction)))


Task = Callable[[JobContext], Awaitable[TaskResult]]


@dataclass(frozen=True)
class DeletedJob:
    """A job whose blobs are gone (DELETE /job or retention): what its type keeps elsewhere
    (rows of its own, local caches) goes too, in `session`, before the job is marked deleted."""

    settings: Settings
    session: Any  # an AsyncSession: the engine-free registry does not import SQLAlchemy
    organization_id: uuid.UUID
    job_id: uuid.UUID


OnDelete = Callable[[DeletedJob], Awaitable[None]]


@dataclass(frozen=True)
class TaskSpec:
    name: str
    run: Task
    reducto_type: str  # the `type` Reducto's job views show: Parse, Extract, Split...
    on_delete: OnDelete | None = None


_TASKS: dict[str, TaskSpec] = {}


def task(name: str, reducto_type: str, on_delete: OnDelete | None = None) -> Callable[[Task], Task]:
    """Register a job type; on_delete runs when one of its jobs is deleted or expires."""

    def register(fn: Task) -> Task:
        _TASKS[name] = TaskSpec(name=name, run=fn, reducto_type=reducto_type, on_delete=on_delete)
        return fn

    return register


def load(settings: Settings) -> None:
    """Import every module that registers tasks (idempotent)."""
    for module in [*BUILTIN_TASK_MODULES, *settings.jobs.task_modules]:
        importlib.import_module(module)


def get(name: str) -> TaskSpec:
    try:
        return _TASKS[name]
    except KeyError:
        raise InvalidRequest(f"unknown job type {name!r}") from None


async def deleted(name: str, job: DeletedJob) -> None:
    """Tell the job's type that a job's blobs are gone (no-op for types that keep nothing else)."""
    spec = _TASKS.get(name)
    if spec is not None and spec.on_delete is not None:
        await spec.on_delete(job)


def reducto_type(name: str) -> str:
    spec = _TASKS.get(name)
    return spec.reducto_type if spec else name.split(".")[0].capitalize()
