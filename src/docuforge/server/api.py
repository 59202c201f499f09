"""Every router the service serves, in one visible list."""

from fastapi import FastAPI

from docuforge.auth.router import router as auth_router
from docuforge.auth.router import tokens_router
from docuforge.files.router import router as files_router
from docuforge.finance.router import router as finance_router
from docuforge.health.router import router as health_router
from docuforge.jobs.router import router as jobs_router
from docuforge.reducto.parse.router import router as parsing_router
from docuforge.storage.router import router as blob_router
from docuforge.webhooks.router import router as webhooks_router

ROUTERS = [
    health_router,
    tokens_router,
    auth_router,
    files_router,
    parsing_router,
    jobs_router,
    webhooks_router,
    blob_router,
    finance_router,
]


def include_routers(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
