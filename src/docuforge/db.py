"""The database: declarative Base, engine and session factories, and the request's session.

The request owns the transaction: ``SessionDep`` commits when the handler returns and rolls back
when it raises. Services only ``flush()``. Tasks open their own session with ``Database.session()``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import JSON, DateTime, MetaData, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from docuforge import sqlite_driver
from docuforge.config import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# JSON documents: JSONB on PostgreSQL (indexable, compact), JSON text elsewhere.
JSONDoc = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime}


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


_ON_COMMIT = "docuforge.on_commit"
_log = logging.getLogger(__name__)


def on_commit(session: AsyncSession, callback: Callable[[], Awaitable[None]]) -> None:
    """Run callback once the session's transaction has committed (dropped if it rolls back)."""
    session.info.setdefault(_ON_COMMIT, []).append(callback)


async def commit(session: AsyncSession) -> None:
    """Commit in the middle of a request (to wait on what was written), running on_commit callbacks."""
    await session.commit()
    await _after_commit(session)


async def _after_commit(session: AsyncSession) -> None:
    for callback in session.info.pop(_ON_COMMIT, []):
        try:
            await callback()
        except Exception:
            _log.warning("after-commit callback failed", exc_info=True)


def create_engine(settings: Settings) -> AsyncEngine:
    url = settings.database_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            url,
            echo=settings.db.echo,
            async_creator=sqlite_driver.connector(url, timeout=settings.db.connect_timeout),
            # A connection past the pool's size is closed when given back, and a new one costs a
            # thread, a file open and the pragmas: keep as many open as the requests in flight
            # use, so a burst of submissions does not open and close connections all along.
            pool_size=settings.db.pool_size * 2,
            max_overflow=settings.db.pool_size,
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_async_engine(
        url,
        echo=settings.db.echo,
        pool_size=settings.db.pool_size,
        max_overflow=settings.db.pool_size,
        pool_timeout=settings.db.connect_timeout,
        connect_args={"timeout": settings.db.connect_timeout},
    )
    _ping_when_idle(engine)
    return engine


# A connection that died with its server is replaced instead of failing a request. SQLAlchemy's
# pool_pre_ping would check every connection at every checkout, three round trips on asyncpg
# (BEGIN, a query, ROLLBACK) per request; a connection in steady use is known to be alive, so
# only one that sat idle this long is checked.
IDLE_BEFORE_PING = 10.0


def _ping_when_idle(engine: AsyncEngine) -> None:
    dialect = engine.sync_engine.dialect

    @event.listens_for(engine.sync_engine, "checkin")
    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("checked_in_at")
        if idle_since is None or time.monotonic() - idle_since < IDLE_BEFORE_PING:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool discards this connection and checks out another (a fresh one if need be).
            raise DisconnectionError(str(error)) from error


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside the one writer; busy_timeout makes writers queue instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class WriteTurn:
    """SQLite's one writer, queued in the process: first come, first served, handed on at once.

    SQLite lets one connection write at a time and makes the others poll (its busy handler sleeps
    1, 2, 5... up to 100 ms between tries), so under load a waiting writer sleeps through many
    turns it could have had and the slowest wait seconds. Sessions here take a turn from this
    queue when they first write and give it back when their transaction ends, so SQLite's lock is
    always free when a session reaches it. A task that already holds the turn (one session
    nested in another) is not made to wait for itself.
    """

    def __init__(self, timeout: float) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self.timeout = timeout

    def held_by_me(self) -> bool:
        return self._owner is not None and self._owner is asyncio.current_task()

    async def take(self) -> bool:
        """Wait for the turn; False when this task has it already (nothing to give back)."""
        if self.held_by_me():
            return False
        async with asyncio.timeout(self.timeout):
            await self._lock.acquire()
        self._owner = asyncio.current_task()
        return True

    def give_back(self) -> None:
        self._owner = None
        self._lock.release()


class TurnTakingSession(AsyncSession):
    """An AsyncSession that writes to SQLite only in its turn (see WriteTurn)."""

    def __init__(self, *args: Any, write_turn: WriteTurn, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turn = write_turn
        self._holding = False

    async def _before(self, statement: Any = None) -> None:
        # A pending change is written by the next statement's autoflush; a DML statement writes.
        writes = bool(self.new or self.dirty or self.deleted) or getattr(statement, "is_dml", False)
        if writes and not self._holding:
            # A pooled connection first, then the turn, in every session: taking them in the other
            # order deadlocks with sessions that hold a connection while they wait for the turn.
            await self.connection()
            self._holding = await self._turn.take()

    def _release(self) -> None:
        if self._holding:
            self._holding = False
            self._turn.give_back()

    async def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        await self._before(statement)
        return await super().execute(statement, *args, **kwargs)

    async def scalar(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        await self._before(statement)
        return await super().scalar(statement, *args, **kwargs)

    async def scalars(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        await self._before(statement)
        return await super().scalars(statement, *args, **kwargs)

    async def get(self, *args: Any, **kwargs: Any) -> Any:
        await self._before()
        return await super().get(*args, **kwargs)

    async def refresh(self, *args: Any, **kwargs: Any) -> None:
        await self._before()
        await super().refresh(*args, **kwargs)

    async def flush(self, objects: Any = None) -> None:
        await self._before()
        await super().flush(objects)

    async def commit(self) -> None:
        await self._before()
        try:
            await super().commit()
        finally:
            self._release()

    async def rollback(self) -> None:
        try:
            await super().rollback()
        finally:
            self._release()

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            self._release()


class Database:
    """An engine and its session factory, opened once per process."""

    def __init__(self, settings: Settings, engine: AsyncEngine | None = None) -> None:
        self.engine = engine or create_engine(settings)
        if self.engine.dialect.name == "sqlite":
            self.sessionmaker: Callable[[], AsyncSession] = async_sessionmaker(
                self.engine,
                class_=TurnTakingSession,
                expire_on_commit=False,
                write_turn=WriteTurn(timeout=max(30.0, settings.db.connect_timeout)),
            )
        else:
            self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session whose transaction commits on success and rolls back on error.

        Callbacks registered with `on_commit` run after a successful commit, and never after
        a rollback: that is how a job is handed to its runner only once its row exists.
        """
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                session.info.pop(_ON_COMMIT, None)
                await session.rollback()
                raise
            for callback in session.info.pop(_ON_COMMIT, []):
                try:
                    await callback()
                except Exception:
                    _log.warning("after-commit callback failed", exc_info=True)

    async def dispose(self) -> None:
        await self.engine.dispose()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    database: Database = request.app.state.db
    async with database.session() as session:
        yield session


# scope="function": commit before the response is sent, so a client never reads a 200 for a
# write that then fails to commit.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
