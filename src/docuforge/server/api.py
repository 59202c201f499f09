"""Every router the service serves, in one visible list."""

from fastapi import FastAPI

from docuforge.admission.router import router as admission_router
from docuforge.auth.router import router as auth_router
from docuforge.auth.router import tokens_router
from docuforge.files.router import listing as files_listing_router
from docuforge.files.router import router as files_router
from docuforge.files.signed_urls import router as blob_router
from docuforge.finance.router import router as finance_router
from docuforge.health.router import router as health_router
from docuforge.jobs.router import router as jobs_router
from docuforge.logs.router import processing as logs_processing_router
from docuforge.logs.router import router as logs_router
from docuforge.reducto.classify.router import router as classify_router
from docuforge.reducto.edit.router import router as edit_router
from docuforge.reducto.extract.router import router as extract_router
from docuforge.reducto.parse.router import pages_router as parse_pages_router
from docuforge.reducto.parse.router import router as parsing_router
from docuforge.reducto.pipeline.router import router as pipelines_router
from docuforge.reducto.pipeline.router import runs as pipeline_runs_router
from docuforge.reducto.split.router import router as split_router
from docuforge.web.router import router as studio_router
from docuforge.webhooks.router import router as webhooks_router
from docuforge.workspaces.router import router as workspaces_router
from docuforge.workspaces.router import uploads as workspaces_uploads

ROUTERS = [
    health_router,
    tokens_router,
    auth_router,
    files_router,
    parsing_router,
    extract_router,
    classify_router,
    split_router,
    edit_router,
    pipelines_router,
    pipeline_runs_router,
    jobs_router,
    admission_router,
    webhooks_router,
    blob_router,
    workspaces_router,
    workspaces_uploads,
    logs_processing_router,
    logs_router,
    parse_pages_router,
    studio_router,
    finance_router,
    files_listing_router,
]


def include_routers(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
