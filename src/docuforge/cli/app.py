"""The `docuforge` Typer app and what its command groups share."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from typing import NoReturn

import typer
from pydantic import ValidationError

from docuforge.config import Settings

app = typer.Typer(
    name="docuforge",
    help="Docuforge: documents in, structured and cited data out.\n\n"
    "Settings come from DOCUFORGE_* environment variables and a .env file; `docuforge config show` "
    "prints what is in effect.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
db_app = typer.Typer(
    help="Create and upgrade the database schema (Alembic migrations).", no_args_is_help=True
)
config_app = typer.Typer(help="Inspect the settings in effect.", no_args_is_help=True)
orgs_app = typer.Typer(
    help="Organizations: the tenants every user, key and document belongs to.", no_args_is_help=True
)
users_app = typer.Typer(help="Users who log in (JWT) to the API and the Studio.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys (df_...) for programs and the Reducto SDK.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(orgs_app, name="orgs")
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="keys")
app.add_typer(config_app, name="config")


def load_settings() -> Settings:
    """Settings from the environment, or a readable refusal instead of a traceback."""
    try:
        return Settings()
    except ValidationError as exc:
        typer.secho("Docuforge cannot start with these settings:", fg="red", err=True)
        for error in exc.errors():
            where = (
                "DOCUFORGE_" + "__".join(str(part).upper() for part in error["loc"]) if error["loc"] else ""
            )
            message = error["msg"].removeprefix("Value error, ")
            typer.secho(f"  - {where + ': ' if where else ''}{message}", fg="red", err=True)
        raise typer.Exit(2) from None


def with_session(settings: Settings, work):
    from docuforge.db import Database

    async def run():
        database = Database(settings)
        try:
            async with database.session() as session:
                return await work(session)
        finally:
            await database.dispose()

    return asyncio.run(run())


def find_organization(session, name: str):
    from docuforge.auth import service
    from docuforge.errors import NotFound

    async def find():
        organization = await service.get_organization_by_name(session, name)
        if organization is None:
            raise NotFound(f"no organization named {name!r}; create it with `docuforge orgs create`")
        return organization.id

    return find()


def fail(exc: Exception) -> NoReturn:
    typer.secho(f"error: {getattr(exc, 'message', exc)}", fg="red", err=True)
    raise typer.Exit(1)


@contextlib.contextmanager
def progress_bar(name: str):
    """A progress bar on the terminal for documents longer than a few pages; silent otherwise."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    if not sys.stderr.isatty():
        yield None
        return
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
    ) as progress:
        task = progress.add_task(name, total=None)

        def on_page(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield on_page
