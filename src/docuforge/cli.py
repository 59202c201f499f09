"""The `docuforge` command: run the service and its workers, manage the database."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError

from docuforge import __version__
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


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default: DOCUFORGE_SERVER__HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: DOCUFORGE_SERVER__PORT).")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default: DOCUFORGE_SERVER__WORKERS).")
    ] = None,
) -> None:
    """Run the HTTP API (and, with the in-process runner, its jobs) until interrupted."""
    import uvicorn

    from docuforge.observability import configure_logging

    settings = load_settings()
    if host:
        settings.server.host = host
    if port:
        settings.server.port = port
    configure_logging(settings.log.level, settings.log.format)
    asyncio.run(_prepare_database(settings))
    typer.secho(f"Docuforge {__version__} on http://{settings.server.host}:{settings.server.port}", err=True)
    if (workers or settings.server.workers) > 1:
        # Several processes: each builds its own app from the environment.
        uvicorn.run(
            "docuforge.server.app:app_factory",
            factory=True,
            host=settings.server.host,
            port=settings.server.port,
            workers=workers or settings.server.workers,
            log_config=None,
            access_log=False,
            proxy_headers=True,
        )
        return
    from docuforge.server import create_app

    uvicorn.run(
        create_app(settings, configure_logs=False),
        host=settings.server.host,
        port=settings.server.port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )


@app.command()
def worker(
    concurrency: Annotated[
        int | None, typer.Option(help="Jobs run at once (default: DOCUFORGE_JOBS__PROCESS_WORKERS).")
    ] = None,
    queues: Annotated[
        str, typer.Option(help="Queues to consume, comma-separated: standard, batch.")
    ] = "standard,batch",
) -> None:
    """Run a Celery worker for jobs (DOCUFORGE_JOBS__RUNNER=celery), until interrupted.

    A worker killed mid-job loses nothing: its job runs again elsewhere. Run as many as you like,
    on as many machines; they share the broker and the database.
    """
    from docuforge.config import JobRunner
    from docuforge.jobs.runners import process_workers
    from docuforge.jobs.runners.celery_runner import (
        configure_worker,
        make_celery,
        run_sweeper_thread,
        worker_argv,
    )
    from docuforge.observability import configure_logging

    settings = load_settings()
    if settings.jobs.runner is not JobRunner.celery or not settings.jobs.broker_url:
        typer.secho(
            "The worker serves the celery runner: set DOCUFORGE_JOBS__RUNNER=celery and "
            "DOCUFORGE_JOBS__BROKER_URL=redis://... or amqp://... (the in-process runner needs no worker).",
            fg="red",
            err=True,
        )
        raise typer.Exit(2)
    configure_logging(settings.log.level, settings.log.format)
    celery_app = make_celery(settings)
    configure_worker(settings)
    run_sweeper_thread(settings, celery_app)
    celery_app.worker_main(worker_argv(settings, concurrency or process_workers(settings), queues.split(",")))


async def _prepare_database(settings: Settings) -> None:
    """Migrate an embedded database, and on an empty one create the first admin and key."""
    from docuforge import migrations
    from docuforge.auth import service
    from docuforge.db import Database

    database = Database(settings)
    try:
        if settings.db.auto_upgrade if settings.db.auto_upgrade is not None else settings.is_sqlite:
            await migrations.upgrade(database.engine)
        async with database.session() as session:
            first = await service.bootstrap(session)
    finally:
        await database.dispose()
    if first is not None:
        # Printed here, never logged: logs must not carry secrets, and this is shown exactly once.
        typer.secho(
            f"\nFirst start: created organization '{first.organization}' with an admin and an API key.\n"
            f"  admin user:  {first.username}\n"
            f"  password:    {first.password}\n"
            f"  API key:     {first.api_key}\n"
            "Store them now; they are not shown again. Try:\n"
            f"  curl -H 'Authorization: Bearer {first.api_key}' {settings.server.base_url}/auth/me\n",
            fg="green",
            err=True,
        )


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


def _with_session(settings: Settings, work):
    from docuforge.db import Database

    async def run():
        database = Database(settings)
        try:
            async with database.session() as session:
                return await work(session)
        finally:
            await database.dispose()

    return asyncio.run(run())


def _organization_id(session, name: str):
    from docuforge.auth import service
    from docuforge.errors import NotFound

    async def find():
        organization = await service.get_organization_by_name(session, name)
        if organization is None:
            raise NotFound(f"no organization named {name!r}; create it with `docuforge orgs create`")
        return organization.id

    return find()


def _fail(exc: Exception) -> NoReturn:
    typer.secho(f"error: {getattr(exc, 'message', exc)}", fg="red", err=True)
    raise typer.Exit(1)


@orgs_app.command("create")
def orgs_create(name: Annotated[str, typer.Argument(help="The organization's unique name.")]) -> None:
    """Create an organization (a tenant); then add its first admin with `users create --admin`."""
    from docuforge.auth import service
    from docuforge.errors import DocuforgeError

    settings = load_settings()
    try:
        organization = _with_session(settings, lambda s: service.create_organization(s, name))
    except DocuforgeError as exc:
        _fail(exc)
    typer.echo(f"organization {organization.name} ({organization.id})")


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option(prompt=True, help="Login name.")],
    email: Annotated[str, typer.Option(prompt=True, help="E-mail address (also accepted at login).")],
    password: Annotated[
        str,
        typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="At least 12 characters."),
    ],
    admin: Annotated[
        bool, typer.Option("--admin", help="Make the user an admin (same as --role admin).")
    ] = False,
    role: Annotated[str, typer.Option(help="viewer, member or admin.")] = "member",
    org: Annotated[str, typer.Option(help="Organization name.")] = "default",
) -> None:
    """Create a user. With --admin, one who manages users, keys and webhooks."""
    from docuforge.auth import service
    from docuforge.auth.permissions import Role
    from docuforge.auth.schemas import UserCreate
    from docuforge.errors import DocuforgeError

    settings = load_settings()

    async def work(session):
        organization_id = await _organization_id(session, org)
        data = UserCreate(
            username=username, email=email, password=password, role=Role.admin if admin else Role(role)
        )
        return await service.create_user(session, organization_id, data, actor=None)

    try:
        user = _with_session(settings, work)
    except (DocuforgeError, ValueError) as exc:
        _fail(exc)
    typer.echo(f"user {user.username} ({user.role}) created: {user.id}")


def _organization_rows(org: str, model: type, order: object) -> list:
    """Every row of `model` that belongs to the named organization, in `order`."""
    from sqlalchemy import select

    from docuforge.errors import DocuforgeError

    async def work(session):
        organization_id = await _organization_id(session, org)
        rows = await session.execute(
            select(model).where(model.organization_id == organization_id).order_by(order)
        )
        return list(rows.scalars())

    try:
        return _with_session(load_settings(), work)
    except DocuforgeError as exc:
        _fail(exc)


@users_app.command("list")
def users_list(org: Annotated[str, typer.Option(help="Organization name.")] = "default") -> None:
    """List an organization's users."""
    from docuforge.models import User

    for user in _organization_rows(org, User, User.username):
        state = "active" if user.is_active else "disabled"
        typer.echo(f"{user.id}  {user.username:<20} {user.role:<7} {state:<8}  {user.email}")


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="What the key is for, e.g. 'ingest pipeline'.")],
    role: Annotated[str, typer.Option(help="viewer, member or admin.")] = "member",
    org: Annotated[str, typer.Option(help="Organization name.")] = "default",
) -> None:
    """Create an API key and print it once; only its hash is stored."""
    from docuforge.auth import service
    from docuforge.auth.permissions import Role
    from docuforge.auth.schemas import ApiKeyCreate
    from docuforge.errors import DocuforgeError

    settings = load_settings()

    async def work(session):
        organization_id = await _organization_id(session, org)
        return await service.create_key(
            session, organization_id, ApiKeyCreate(name=name, role=Role(role)), None
        )

    try:
        created = _with_session(settings, work)
    except (DocuforgeError, ValueError) as exc:
        _fail(exc)
    typer.echo(created.key)
    typer.secho(
        f"key {created.row.prefix}… ({created.row.role}) created; store it now, it is not shown again",
        err=True,
    )


@keys_app.command("list")
def keys_list(org: Annotated[str, typer.Option(help="Organization name.")] = "default") -> None:
    """List an organization's keys (prefixes only)."""
    from docuforge.models import ApiKey

    for key in _organization_rows(org, ApiKey, ApiKey.created_at):
        state = "revoked" if key.revoked_at else "active"
        used = key.last_used_at.isoformat(timespec="seconds") if key.last_used_at else "never"
        typer.echo(f"{key.id}  {key.prefix}…  {key.role:<7} {state:<8} last used {used}  {key.name}")


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key's id (from `keys list`).")]) -> None:
    """Revoke a key at once."""
    import uuid

    from docuforge.db import utcnow
    from docuforge.models import ApiKey

    settings = load_settings()

    async def work(session):
        key = await session.get(ApiKey, uuid.UUID(key_id))
        if key is not None and key.revoked_at is None:
            key.revoked_at = utcnow()
        return key

    try:
        key = _with_session(settings, work)
    except ValueError as exc:
        _fail(exc)
    if key is None:
        _fail(LookupError(f"no key {key_id}"))
    typer.echo(f"key {key.prefix}… revoked")


@config_app.command("show")
def config_show() -> None:
    """Print the settings in effect as JSON, secrets masked."""
    settings = load_settings()
    typer.echo(json.dumps(settings.model_dump(mode="json"), indent=2, default=str))


class OutputFormat(enum.StrEnum):
    md = "md"
    html = "html"
    json = "json"
    text = "text"
    csv = "csv"
    document = "document"


@app.command("parse")
def parse_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="The document to parse: PDF, image (PNG, JPEG, TIFF, WebP, BMP, GIF), DOCX, PPTX, "
            "XLSX, CSV, HTML, Markdown or text.",
            exists=False,
        ),
    ],
    to: Annotated[
        OutputFormat,
        typer.Option(
            "--to",
            help="md (Markdown), html, json (Reducto's result: chunks of blocks with boxes), text (layout "
            "kept, monospace), csv (the tables), document (the full Document model).",
        ),
    ] = OutputFormat.md,
    pages: Annotated[str | None, typer.Option(help="Pages to parse, 1-based: '3-9', '1,4,6-8'.")] = None,
    chunk_mode: Annotated[
        str, typer.Option(help="For --to json: variable, section, page, page_sections, block or disabled.")
    ] = "disabled",
    chunk_size: Annotated[
        int | None, typer.Option(help="Target characters per chunk (variable mode).")
    ] = None,
    table_format: Annotated[
        str, typer.Option(help="Tables as dynamic, md, html, json, jsonbbox or csv (md, html, json output).")
    ] = "dynamic",
    password: Annotated[
        str | None, typer.Option(help="Password of an encrypted PDF.", envvar="DOCUFORGE_PDF_PASSWORD")
    ] = None,
    furniture: Annotated[
        bool, typer.Option(help="Keep running headers, footers and page numbers (md).")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of to stdout.")
    ] = None,
    ocr: Annotated[
        str,
        typer.Option(
            help="When to OCR a PDF page: hybrid (pages without a sound text layer), ocr (every page) "
            "or metadata (never). Images are always OCRed.",
        ),
    ] = "hybrid",
    ocr_engine: Annotated[
        str,
        typer.Option(
            help="OCR engine: rapidocr (built in), rapidocr-fast (faster on receipts and forms, "
            "weaker there) or tesseract (Debian's tesseract-ocr).",
            envvar="DOCUFORGE_OCR__ENGINE",
        ),
    ] = "rapidocr",
) -> None:
    """Parse a document and print it as Markdown, HTML, JSON, layout text or CSV tables."""
    from docuforge.errors import DocuforgeError
    from docuforge.parse.options import ParseOptions
    from docuforge.parse.pipeline import parse
    from docuforge.render import html as html_render
    from docuforge.render import markdown, reducto, text
    from docuforge.render import tables as table_render

    try:
        options = ParseOptions.model_validate(
            {
                "formatting": {"table_output_format": table_format},
                "retrieval": {"chunking": {"chunk_mode": chunk_mode, "chunk_size": chunk_size}},
                "settings": {
                    "document_password": password,
                    "page_range": [part.strip() for part in pages.split(",")] if pages else None,
                    "extract_document_properties": to in (OutputFormat.document, OutputFormat.html),
                    "extraction_mode": ocr,
                },
            }
        )
    except ValidationError as exc:
        _fail(ValueError("; ".join(error["msg"] for error in exc.errors())))
    if not file.is_file():
        _fail(FileNotFoundError(f"no such file: {file}"))
    try:
        with _progress(file.name) as on_page:
            document = parse(file, options, on_page=on_page, ocr_engine=ocr_engine)
    except DocuforgeError as exc:
        typer.secho(f"error: {exc.message} ({exc.code})", fg="red", err=True)
        raise typer.Exit(1) from None
    if to is OutputFormat.md:
        rendered = markdown.to_markdown(document, table_format, include_furniture=furniture)
    elif to is OutputFormat.html:
        rendered = html_render.to_html(document)
    elif to is OutputFormat.json:
        rendered = json.dumps(reducto.to_full_result(document, options), ensure_ascii=False, indent=2) + "\n"
    elif to is OutputFormat.text:
        rendered = text.to_text(document)
    elif to is OutputFormat.document:
        rendered = document.model_dump_json(indent=2) + "\n"
    else:
        found = [b.table for b in document.blocks() if b.table is not None and not b.extra.get("merged_into")]
        if not found:
            typer.secho("no tables found", fg="yellow", err=True)
        if output is not None and len(found) > 1:
            for number, table in enumerate(found, start=1):
                target = output.with_name(f"{output.stem}_{number}{output.suffix or '.csv'}")
                target.write_text(table_render.to_csv(table) + "\n")
                typer.echo(f"wrote {target}", err=True)
            return
        rendered = "\n\n".join(table_render.to_csv(table) for table in found) + ("\n" if found else "")
    if output is None:
        sys.stdout.write(rendered)
    else:
        output.write_text(rendered)
        typer.echo(f"wrote {output} ({len(document.pages)} pages)", err=True)


@contextlib.contextmanager
def _progress(name: str):
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


@config_app.command("docs")
def config_docs() -> None:
    """Print every setting as a Markdown table (the one in the README, which `make docs` rewrites)."""
    from docuforge.config import settings_reference

    typer.echo(settings_reference())


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:  # pragma: no cover - console entry point
    app(prog_name="docuforge")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
