"""SQLite's one writer, queued in the process: many writers at once all get their turn, none
waits on SQLite's sleeping busy handler, and neither order of pool and turn can deadlock."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select, update
from sqlalchemy.ext.asyncio import create_async_engine

from docuforge.config import Settings
from docuforge.db import Database, TurnTakingSession, _sqlite_pragmas

metadata = MetaData()
counter = Table("counter", metadata, Column("id", Integer, primary_key=True), Column("n", Integer))


async def database(tmp_path: Path, pool_size: int) -> Database:
    settings = Settings(_env_file=None, env="test", data_dir=tmp_path)
    engine = create_async_engine(
        f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", pool_size=pool_size, max_overflow=0, pool_timeout=60
    )
    from sqlalchemy import event

    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(insert(counter).values(id=1, n=0))
    return Database(settings, engine)


async def test_many_writers_take_turns_without_deadlock_or_lock_errors(tmp_path: Path) -> None:
    # Fewer pooled connections than writers: sessions hold a connection while they wait for the turn.
    db = await database(tmp_path, pool_size=4)
    assert db.sessionmaker.class_ is TurnTakingSession  # type: ignore[attr-defined]

    async def writer(index: int) -> None:
        async with db.session() as session:
            if index % 2:
                # A read first: this one holds a connection while it waits for the turn; the
                # others' first statement is their write, with no connection yet.
                await session.execute(select(counter.c.n))
                await asyncio.sleep(0.001 * (index % 3))
            await session.execute(update(counter).values(n=counter.c.n + 1))
            await asyncio.sleep(0.002)  # other work inside the transaction, turn held

    await asyncio.wait_for(asyncio.gather(*(writer(i) for i in range(60))), timeout=60)
    async with db.session() as session:
        assert await session.scalar(select(func.max(counter.c.n))) == 60
    await db.dispose()


async def test_a_session_nested_in_a_writing_one_does_not_wait_for_its_own_turn(tmp_path: Path) -> None:
    db = await database(tmp_path, pool_size=4)
    async with db.session() as outer:
        await outer.execute(update(counter).values(n=1))
        async with db.session() as inner:  # same task: reads beside the outer write
            assert await asyncio.wait_for(inner.scalar(select(counter.c.n)), timeout=5) == 0
    async with db.session() as session:
        assert await session.scalar(select(counter.c.n)) == 1
    await db.dispose()
