"""POST /split (synchronous) and POST /split_async."""

from __future__ import annotations

from docuforge.reducto.endpoints import add_operation
from docuforge.reducto.split import service
from docuforge.reducto.split.schemas import AsyncSplitResponse, SplitRequest, SplitResponse
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router

router = make_router(RouteGroup.processing, tags=["split"])

add_operation(
    router,
    path="/split",
    name="split",
    request_model=SplitRequest,
    response_model=SplitResponse,
    async_response_model=AsyncSplitResponse,
    submit=service.submit,
    docs=(
        "Split a packet into the named sections: pages, partitions, confidence, table of contents.",
        "Start splitting a packet; follow it at GET /job/{job_id}.",
    ),
)
