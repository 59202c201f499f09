"""aiosqlite connections that run each statement in one trip to their thread.

aiosqlite runs every call on a thread of its own and hands each result back through the event
loop. SQLAlchemy's adapter makes four such calls per statement (open a cursor, execute, fetch,
close) and one more when a connection goes back to the pool (a rollback, even with nothing to
roll back). Each trip wakes a thread and then the loop, and on a busy machine the waker is
often descheduled in favour of the thread it woke while it still holds the GIL: the whole
event loop, every request in it, stalls for the trip. Here a statement is one trip (execute,
fetch every row, close, on the connection's thread), and commit and rollback skip the trip when
no transaction is open.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiosqlite
from sqlalchemy.engine import make_url


def _run(
    conn: sqlite3.Connection, sql: str, parameters: Any, many: bool
) -> tuple[Any, list[Any] | None, int, int | None]:
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        elif parameters is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor:
    """The part of aiosqlite's Cursor that SQLAlchemy uses, its rows fetched with the statement."""

    arraysize = 1

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Any] = []

    async def _go(self, sql: str, parameters: Any, many: bool) -> OneTripCursor:
        connection = self._connection
        self.description, rows, self.rowcount, self.lastrowid = await connection._execute(
            _run, connection._conn, sql, parameters, many
        )
        self._rows = rows or []
        return self

    async def execute(self, sql: str, parameters: Any = None) -> OneTripCursor:
        return await self._go(sql, parameters, many=False)

    async def executemany(self, sql: str, parameters: Sequence[Any]) -> OneTripCursor:
        return await self._go(sql, parameters, many=True)

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = size or self.arraysize
        rows, self._rows = self._rows[:count], self._rows[count:]
        return rows

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def nextset(self) -> None:
        return None

    async def close(self) -> None:
        self._rows = []

    async def __aenter__(self) -> OneTripCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()


class _NewCursor:
    """What `connection.cursor()` returns: awaitable, or an async context manager, without a trip."""

    def __init__(self, connection: OneTripConnection) -> None:
        self._cursor = OneTripCursor(connection)

    def __await__(self) -> Any:
        return self.__aenter__().__await__()

    async def __aenter__(self) -> OneTripCursor:
        return self._cursor

    async def __aexit__(self, *_: object) -> None:
        await self._cursor.close()


class OneTripConnection(aiosqlite.Connection):
    def cursor(self) -> Any:  # type: ignore[override]
        return _NewCursor(self)

    # The connection is idle when these are called (the pool's reset, a session's end), so its
    # transaction state may be read from here.
    async def commit(self) -> None:
        if self._conn.in_transaction:
            await super().commit()

    async def rollback(self) -> None:
        if self._conn.in_transaction:
            await super().rollback()


def connector(url: str, **connect_args: Any) -> Callable[[], Awaitable[OneTripConnection]]:
    """SQLAlchemy's `async_creator` for a sqlite+aiosqlite URL, with the dialect's own arguments."""
    parsed = make_url(url)
    args, kwargs = parsed.get_dialect()().create_connect_args(parsed)
    kwargs |= connect_args

    async def connect() -> OneTripConnection:
        connection = OneTripConnection(lambda: sqlite3.connect(*args, **kwargs), iter_chunk_size=64)
        connection._thread.daemon = True  # as SQLAlchemy does: a forgotten connection never blocks exit
        return await connection

    return connect
