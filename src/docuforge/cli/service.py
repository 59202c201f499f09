"""`docuforge serve`, `worker` and `version`: run the service and its workers."""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from docuforge import __version__
from docuforge.cli.app import app, load_settings
from docuforge.config import Settings

if TYPE_CHECKING:
    from docuforge.auth.service import Bootstrap


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
    health_port: Annotated[
        int | None,
        typer.Option(help="Answer /health/live and /health/ready on this port (orchestrators' probes)."),
    ] = None,
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
    if health_port:
        from docuforge.jobs.health_server import serve_health

        serve_health(settings, health_port, celery_app)
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
        # A framed block of plain text on stderr, whatever the log format, so it stands out of
        # the JSON lines around it; flushed at once so no log line lands in its middle.
        typer.secho(first_start_banner(first, settings.server.base_url), fg="green", err=True)
        sys.stderr.flush()


def first_start_banner(first: Bootstrap, base_url: str) -> str:
    """The block the first start prints: the admin's password and an API key, once."""
    rule = "=" * 78
    return (
        f"\n{rule}\n"
        f"  Docuforge first start: organization '{first.organization}', an admin and an API key.\n"
        "  Store them now; they are not shown again.\n\n"
        f"  admin user:  {first.username}\n"
        f"  password:    {first.password}\n"
        f"  API key:     {first.api_key}\n\n"
        f"  Try:  curl -H 'Authorization: Bearer {first.api_key}' {base_url}/auth/me\n"
        "  Another key, any time:  docuforge keys create --name NAME [--role member|viewer|admin]\n"
        f"{rule}\n"
    )


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)
