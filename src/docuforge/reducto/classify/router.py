"""POST /classify (synchronous) and POST /classify_async."""

from __future__ import annotations

from docuforge.reducto.classify import service
from docuforge.reducto.classify.schemas import AsyncClassifyResponse, ClassifyRequest, ClassifyResponse
from docuforge.reducto.endpoints import add_operation
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router

router = make_router(RouteGroup.processing, tags=["classify"])

add_operation(
    router,
    path="/classify",
    name="classify",
    request_model=ClassifyRequest,
    response_model=ClassifyResponse,
    async_response_model=AsyncClassifyResponse,
    submit=service.submit,
    docs=(
        "Classify a document into one of the given categories, with confidences per category.",
        "Start classifying a document; follow it at GET /job/{job_id}.",
    ),
)
