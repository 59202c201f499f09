"""Fixtures shared by every test: isolated settings, migrated databases, the app and its client."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from docuforge.config import Settings
from docuforge.observability import configure_logging
from docuforge.server import create_app
from tests.fixtures.identity import Tenant, make_tenant

pytest_plugins = ["tests.fixtures.database", "tests.fixtures.llm"]


@pytest.fixture(autouse=True, scope="session")
def _isolated_environment() -> None:
    # A developer's DOCUFORGE_* variables must not leak into the tests' settings.
    for name in list(os.environ):
        if (
            name.startswith("DOCUFORGE_")
            and not name.startswith("DOCUFORGE_TEST_")
            and name != "DOCUFORGE_REGEN"
        ):
            del os.environ[name]
    configure_logging("INFO", "json")


@pytest.fixture
def json_log(capsys: pytest.CaptureFixture[str]) -> Iterator[Callable[[], list[dict]]]:
    """The JSON log lines written since the last call."""

    def lines() -> list[dict]:
        return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]

    yield lines


def make_settings(data_dir: Path, database_url: str | None = None, **overrides: object) -> Settings:
    # The test job types (tests/jobs/tasks.py) exist in every test app; runners are real.
    values: dict[str, object] = {
        "env": "test",
        "data_dir": data_dir,
        "log": {"level": "WARNING"},
        "jobs": {"task_modules": ["tests.jobs.tasks"]},
    }
    if database_url:
        values["db"] = {"url": database_url}
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path / "data", database_url)


async def running_app(app: FastAPI, conn: AsyncConnection | None = None) -> AsyncIterator[FastAPI]:
    from tests.fixtures.database import session_factory

    async with app.router.lifespan_context(app):
        if conn is not None:
            # Requests join the test's transaction, which is rolled back afterwards. Job runners
            # work on connections of their own and cannot share it: tests of jobs use
            # tests/jobs/conftest.py, with a committed database, instead.
            await app.state.runner.stop()
            app.state.db.sessionmaker = session_factory(conn)
        yield app


@pytest.fixture
async def app(settings: Settings, db_connection: AsyncConnection) -> AsyncIterator[FastAPI]:
    async for running in running_app(create_app(settings, configure_logs=False), db_connection):
        yield running


def asgi_client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(app) as http:
        yield http


@pytest.fixture
async def tenant(db_session: AsyncSession) -> Tenant:
    """An organization with an admin, a member and a viewer, each with an API key."""
    made = await make_tenant(db_session)
    await db_session.commit()
    return made


@pytest.fixture
async def other_tenant(db_session: AsyncSession) -> Tenant:
    made = await make_tenant(db_session)
    await db_session.commit()
    return made
