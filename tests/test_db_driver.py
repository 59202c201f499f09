"""The database connections' cost per request: on SQLite one trip to the connection's thread per
statement (none for a commit or rollback with nothing to end); on PostgreSQL no ping for a
connection in steady use, and a connection that died while idle replaced before a request sees it."""

from __future__ import annotations

from pathlib import Path

import aiosqlite
import asyncpg
import pytest
from sqlalchemy import text

from docuforge import db
from docuforge.db import Database
from tests.fixtures.database import _plain, engine_settings


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The calls handed to an aiosqlite connection's thread, by name."""
    made: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(getattr(fn, "__name__", str(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return made


async def test_on_sqlite_a_statement_is_one_trip_and_an_idle_commit_none(
    tmp_path: Path, trips: list[str]
) -> None:
    database = Database(engine_settings(f"sqlite:///{tmp_path / 'd.db'}", tmp_path))
    try:
        async with database.session() as session:
            await session.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"))
        async with database.session() as session:  # the pool's connection is open now
            pass
        trips.clear()
        async with database.session() as session:
            inserted = await session.execute(text("INSERT INTO t (name) VALUES ('a'), ('b'), ('c')"))
            assert inserted.rowcount == 3
            updated = await session.execute(text("UPDATE t SET name = 'z' WHERE id > 1"))
            assert updated.rowcount == 2
        assert trips == ["_run", "_run", "commit"]
        trips.clear()
        async with database.session() as session:
            rows = (await session.execute(text("SELECT id, name FROM t ORDER BY id"))).all()
            assert [tuple(row) for row in rows] == [(1, "a"), (2, "z"), (3, "z")]
            assert (await session.execute(text("SELECT count(*) FROM t WHERE 0"))).scalar_one() == 0
        # A session that only read has no transaction to commit, and its connection none to roll back.
        assert trips == ["_run", "_run"]
        with pytest.raises(RuntimeError):
            async with database.session() as session:
                await session.execute(text("INSERT INTO t (name) VALUES ('gone')"))
                raise RuntimeError("the handler failed")
        async with database.session() as session:
            assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 3
    finally:
        await database.dispose()


async def test_on_postgresql_a_connection_in_steady_use_is_not_pinged(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(engine_settings(postgres_url, tmp_path))
    pings: list[object] = []
    dialect = database.engine.sync_engine.dialect
    original = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda conn: pings.append(conn) or original(conn))
    try:
        for _ in range(5):
            async with database.session() as session:
                assert (await session.execute(text("SELECT 1"))).scalar_one() == 1
        assert pings == []
        monkeypatch.setattr(db, "IDLE_BEFORE_PING", 0.0)
        async with database.session() as session:
            assert (await session.execute(text("SELECT 1"))).scalar_one() == 1
        assert len(pings) == 1
    finally:
        await database.dispose()


async def test_on_postgresql_a_connection_that_died_while_idle_is_replaced(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(engine_settings(postgres_url, tmp_path))
    try:
        async with database.session() as session:
            first = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        # Not through the pool, which would hand back the very connection to end.
        other = await asyncpg.connect(_plain(postgres_url))
        try:
            assert await other.fetchval("SELECT pg_terminate_backend($1)", first)
        finally:
            await other.close()
        monkeypatch.setattr(db, "IDLE_BEFORE_PING", 0.0)  # the first has been idle long enough
        async with database.session() as session:
            second = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        assert second != first
    finally:
        await database.dispose()
