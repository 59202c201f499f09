"""POST /edit (synchronous) and POST /edit_async."""

from __future__ import annotations

from functools import partial

from docuforge.reducto.edit import service
from docuforge.reducto.edit.schemas import AsyncEditResponse, EditRequest, EditResponse
from docuforge.reducto.endpoints import add_operation
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router

router = make_router(RouteGroup.processing, tags=["edit"])

add_operation(
    router,
    path="/edit",
    name="edit",
    request_model=EditRequest,
    response_model=EditResponse,
    async_response_model=AsyncEditResponse,
    # Only a job answered later tells a webhook (the legacy top-level `webhook`).
    submit=partial(service.submit, with_webhook=False),
    submit_async=partial(service.submit, with_webhook=True),
    docs=(
        "Fill a PDF form from instructions; answers the filled PDF's URL and every widget's value.",
        "Start filling a PDF form; follow it at GET /job/{job_id}.",
    ),
)
