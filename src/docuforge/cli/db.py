"""`docuforge db`: create and upgrade the database schema."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from docuforge.cli.app import db_app, load_settings


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply migrations up to REVISION (default: the newest). Safe to run twice, or from two hosts."""
    from docuforge import migrations
    from docuforge.db import Database

    settings = load_settings()

    async def run() -> tuple[str | None, str | None]:
        database = Database(settings)
        try:
            return await migrations.upgrade(database.engine, revision)
        finally:
            await database.dispose()

    before, after = asyncio.run(run())
    if before == after:
        typer.echo(f"{settings.db_kind} database already at {after or 'an empty schema'}")
    else:
        typer.echo(f"{settings.db_kind} database upgraded: {before or 'empty'} -> {after}")


@db_app.command("current")
def db_current() -> None:
    """Print the revision the database is at, and the newest one this version knows."""
    from docuforge import migrations
    from docuforge.db import Database

    settings = load_settings()

    async def run() -> str | None:
        database = Database(settings)
        try:
            return await migrations.current_revision(database.engine)
        finally:
            await database.dispose()

    current = asyncio.run(run())
    head = migrations.head_revision()
    typer.echo(f"current: {current or 'empty'}\nhead:    {head}")
    if current != head:
        raise typer.Exit(1)


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Revision to go back to, or -1.")]) -> None:
    """Undo migrations down to REVISION."""
    from docuforge import migrations
    from docuforge.db import Database

    settings = load_settings()

    async def run() -> None:
        database = Database(settings)
        try:
            await migrations.downgrade(database.engine, revision)
        finally:
            await database.dispose()

    asyncio.run(run())
    typer.echo(f"downgraded to {revision}")


@db_app.command("revision")
def db_revision(
    message: Annotated[str, typer.Option("-m", "--message", help="What the migration does.")],
    empty: Annotated[
        bool, typer.Option(help="Write an empty migration instead of comparing models.")
    ] = False,
) -> None:
    """Write a new migration by comparing the models with an up-to-date database (for developers)."""
    from docuforge import migrations
    from docuforge.db import Database

    settings = load_settings()

    async def run() -> None:
        database = Database(settings)
        try:
            await migrations.revision(database.engine, message, autogenerate=not empty)
        finally:
            await database.dispose()

    asyncio.run(run())
