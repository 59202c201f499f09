"""create_app(settings): the service, with a lifespan that opens and closes every resource."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import swagger_ui
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from docuforge import __version__, migrations
from docuforge.config import Environment, Settings
from docuforge.db import Database
from docuforge.jobs.runners import open_runner
from docuforge.metrics import Metrics
from docuforge.observability import configure_logging, get_logger
from docuforge.ratelimit import RedisLimiter, open_limiter
from docuforge.server.api import include_routers
from docuforge.server.errors import install_error_handlers
from docuforge.server.middleware import RequestContextMiddleware, SecurityHeadersMiddleware
from docuforge.storage import open_store

log = get_logger(__name__)
SWAGGER_STATIC = Path(swagger_ui.__file__).parent / "static"


def create_app(settings: Settings | None = None, *, configure_logs: bool = True) -> FastAPI:
    settings = settings or Settings()
    if configure_logs:
        configure_logging(settings.log.level, settings.log.format)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database(settings)
        storage = open_store(settings)
        limiter = open_limiter(settings)
        runner = open_runner(settings, database, storage)
        try:
            if settings.db.auto_upgrade if settings.db.auto_upgrade is not None else settings.is_sqlite:
                before, after = await migrations.upgrade(database.engine)
                if before != after:
                    log.info("database upgraded", before=before, after=after)

            async def database_check() -> None:
                async with database.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))

            app.state.settings = settings
            app.state.db = database
            app.state.storage = storage
            app.state.limiter = limiter
            app.state.runner = runner
            app.state.metrics = metrics
            app.state.started_at = time.monotonic()
            app.state.health_checks = {"database": database_check, "storage": storage.check}
            if isinstance(limiter, RedisLimiter):
                app.state.health_checks["redis"] = limiter.ping
            broker_check = getattr(runner, "check", None)
            if broker_check is not None:
                app.state.health_checks["broker"] = broker_check
            await runner.start()
            log.info("service started", version=__version__, env=str(settings.env), database=settings.db_kind)
            yield
        finally:
            await runner.stop()
            await limiter.close()
            await storage.close()
            await database.dispose()
            log.info("service stopped")

    app = FastAPI(
        title="Docuforge",
        version=__version__,
        summary="Documents in, structured and cited data out. Wire-compatible with Reducto's API.",
        lifespan=lifespan,
        debug=settings.debug,
        docs_url=None,
        redoc_url=None,
        # Starlette routes /prefix/parse and /parse alike under a root path: a proxy may strip it or not.
        root_path=settings.server.root_path,
    )
    app.state.settings = settings
    install_error_handlers(app)
    include_routers(app)
    _mount_docs(app)

    if settings.server.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.server.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID", "Retry-After"],
            # Credentials with a wildcard origin would let any site act as the user.
            allow_credentials="*" not in settings.server.cors_origins,
        )
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    # Outermost, so that even the error boundary's 500 carries the headers.
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.env is Environment.production)
    return app


def _mount_docs(app: FastAPI) -> None:
    # Swagger UI from the package, not a CDN: the docs work on an air-gapped machine.
    app.mount("/docs/static", StaticFiles(directory=SWAGGER_STATIC), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + (app.openapi_url or "/openapi.json"),
            title="Docuforge API",
            swagger_js_url=f"{root}/docs/static/swagger-ui-bundle.js",
            swagger_css_url=f"{root}/docs/static/swagger-ui.css",
            swagger_favicon_url=f"{root}/docs/static/favicon-32x32.png",
        )


def app_factory() -> FastAPI:
    """Entry point for `uvicorn --factory`: settings from the environment."""
    return create_app()
