"""The two endpoints of a job-backed Reducto operation (split, classify, edit, pipeline): one that
answers when its job is done, one that answers its job_id at once.

No ``from __future__ import annotations`` here: the endpoints' annotations name the operation's
own request model, a local of ``add_operation``, which FastAPI must see as a class, not a string.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.deps import CanWrite
from docuforge.auth.principal import Principal
from docuforge.config import Settings
from docuforge.db import SessionDep, commit
from docuforge.deps import SettingsDep, StorageDep
from docuforge.jobs.deps import RunnerDep
from docuforge.jobs.runners import Runner
from docuforge.models import Job
from docuforge.reducto import submission
from docuforge.storage import BlobStore

Submit = Callable[[AsyncSession, Runner, BlobStore, Settings, Principal, Any], Awaitable[Job]]


def add_operation(
    router: APIRouter,
    *,
    path: str,
    name: str,
    request_model: type[BaseModel],
    response_model: type[BaseModel],
    async_response_model: type[BaseModel],
    submit: Submit,
    docs: tuple[str, str],
    submit_async: Submit | None = None,
) -> None:
    """POST `path` and `path`_async on `router`, named `name` and `name`_async (their operation ids).

    `docs` are their descriptions; `submit_async` submits for the async endpoint when it differs.
    """

    async def synchronous(
        body: request_model,  # type: ignore[valid-type]
        request: Request,
        principal: CanWrite,
        session: SessionDep,
        runner: RunnerDep,
        storage: StorageDep,
        settings: SettingsDep,
    ) -> JSONResponse:
        job = await submit(session, runner, storage, settings, principal, body)
        await commit(session)  # the runner must see the job before we wait for it
        return JSONResponse(await submission.wait(request.app.state.db, job, storage, settings))

    async def asynchronous(
        body: request_model,  # type: ignore[valid-type]
        principal: CanWrite,
        session: SessionDep,
        runner: RunnerDep,
        storage: StorageDep,
        settings: SettingsDep,
    ) -> Any:
        job = await (submit_async or submit)(session, runner, storage, settings, principal, body)
        return async_response_model(job_id=str(job.id))

    for endpoint, suffix, doc in ((synchronous, "", docs[0]), (asynchronous, "_async", docs[1])):
        endpoint.__name__ = endpoint.__qualname__ = name + suffix
        endpoint.__doc__ = doc
    router.post(path, response_model=response_model)(synchronous)
    router.post(path + "_async", response_model=async_response_model)(asynchronous)
