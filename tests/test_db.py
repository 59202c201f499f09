import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

import docuforge.models  # noqa: F401
from docuforge import migrations
from docuforge.db import Base, Database, UTCDateTime, create_engine
from tests.fixtures.database import engine_settings


async def test_database_is_at_the_newest_migration(migrated_engine: AsyncEngine) -> None:
    assert await migrations.current_revision(migrated_engine) == migrations.head_revision()


async def test_models_and_migrations_agree(db_connection: AsyncConnection) -> None:
    # A model change without its migration (or the reverse) shows up here, on both backends.
    diff = await db_connection.run_sync(
        lambda conn: compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    )
    assert diff == []


async def test_upgrade_is_idempotent(migrated_engine: AsyncEngine) -> None:
    head = migrations.head_revision()
    assert await migrations.upgrade(migrated_engine) == (head, head)


async def test_every_migration_downgrades_and_upgrades_again(database_url: str, tmp_path) -> None:
    # A fresh database of its own, so the shared one stays at head for the other tests.
    if database_url.startswith("postgresql"):
        from tests.fixtures.database import create_postgres_database, drop_postgres_database

        url = await create_postgres_database()
    else:
        url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    engine = create_engine(engine_settings(url, tmp_path))
    try:
        await migrations.upgrade(engine)
        await migrations.downgrade(engine, "base")
        assert await migrations.current_revision(engine) is None
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: c.dialect.get_table_names(c))
        assert set(tables) <= {"alembic_version"}
        await migrations.upgrade(engine)
        assert await migrations.current_revision(engine) == migrations.head_revision()
    finally:
        await engine.dispose()
        if url.startswith("postgresql"):
            await drop_postgres_database(url)


async def test_utc_datetimes_round_trip_on_every_backend(db_connection: AsyncConnection) -> None:
    table = Table(
        "tz_probe", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime())
    )
    await db_connection.run_sync(table.create)
    moment = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    await db_connection.execute(table.insert().values(id=1, at=moment))
    stored = (await db_connection.execute(select(table.c.at))).scalar_one()
    assert stored == moment and stored.tzinfo == dt.UTC
    with pytest.raises(Exception, match="naive datetime"):
        await db_connection.execute(table.insert().values(id=2, at=dt.datetime(2026, 1, 1)))


async def test_naming_convention_names_constraints() -> None:
    assert Base.metadata.naming_convention["pk"] == "pk_%(table_name)s"
    for table in Base.metadata.tables.values():
        if table.primary_key.columns:
            assert table.primary_key.name == f"pk_{table.name}"


async def test_session_commits_on_success_and_rolls_back_on_error(database_url: str, tmp_path) -> None:
    database = Database(engine_settings(database_url, tmp_path))
    name = f"probe_{tmp_path.name[-8:].replace('-', '_')}".lower()
    try:
        async with database.engine.begin() as conn:
            await conn.execute(text(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY)"))
        async with database.session() as session:
            await session.execute(text(f"INSERT INTO {name} (id) VALUES (1)"))
        with pytest.raises(RuntimeError):
            async with database.session() as session:
                await session.execute(text(f"INSERT INTO {name} (id) VALUES (2)"))
                raise RuntimeError("handler failed")
        async with database.session() as session:
            ids = (await session.execute(text(f"SELECT id FROM {name}"))).scalars().all()
        assert ids == [1]
    finally:
        async with database.engine.begin() as conn:
            await conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
        await database.dispose()
