"""The "edit" job: fetch the PDF, fill it in a worker process, store the filled file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio

from docuforge.errors import ErrorCode, UnsupportedDocument
from docuforge.files import inputs
from docuforge.jobs.registry import JobContext, TaskResult, task
from docuforge.load import detect
from docuforge.reducto.edit.schemas import EditRequest
from docuforge.reducto.parse.tasks import IMAGE_LINK_SECONDS
from docuforge.storage import write_bytes


def fill_in_worker(
    source: str, request_json: str, font: str, out: str, embeddings: bool = True, llm: Any = None
) -> dict[str, Any]:
    """Fill the form; writes the PDF to `out` and returns the widgets and the page count."""
    from pypdf import PdfReader

    from docuforge.document.model import BBox
    from docuforge.editing import FillOptions, Widget, fill

    request = EditRequest.model_validate_json(request_json)
    options = request.edit_options
    widgets = [
        Widget(
            description=w.description,
            type=w.type,
            bbox=BBox(**{**w.bbox.model_dump(), "original_page": w.bbox.original_page or w.bbox.page}),
            value=w.value,
            fill=w.fill,
            font_size=w.font_size,
        )
        for w in request.form_schema or []
    ]
    result = fill(
        Path(source),
        request.edit_instructions,
        llm=llm,
        widgets=widgets or None,
        options=FillOptions(
            color=options.color,
            font_size=options.font_size,
            flatten=options.flatten,
            overflow_pages=options.enable_overflow_pages,
            font=font,
            embeddings=embeddings,
        ),
    )
    Path(out).write_bytes(result.pdf)
    import io

    return {
        "widgets": [w.model_dump(mode="json") for w in result.widgets],
        "pages": len(PdfReader(io.BytesIO(result.pdf)).pages),
        "method": result.method,
        "llm_usage": result.llm_usage,
    }


def wire_widget(widget: dict[str, Any]) -> dict[str, Any]:
    """Reducto's EditWidget from the engine's Widget."""
    found = {
        "bbox": widget["bbox"],
        "description": widget["description"],
        "type": widget["type"],
        "fill": widget["fill"],
        "value": widget["value"],
    }
    if widget["font_size"] is not None:
        found["font_size"] = widget["font_size"]
    return found


async def run_edit(ctx: JobContext, request: EditRequest, source: Path) -> tuple[dict[str, Any], int]:
    """Fill, store, and answer Reducto's EditResponse (pipelines call this too)."""
    out = ctx.workdir / "edited.pdf"
    ops = ctx.settings.document_ops
    arguments = (str(source), request.model_dump_json(), ops.edit_font, str(out), ops.embeddings)
    llm_options = ctx.settings.llm.options()
    if llm_options is not None:
        # In a thread of the runner, as extract does: LLM calls wait on the network, and the endpoint's
        # circuit breaker must be the one every job of this process shares.
        from docuforge.llm import client

        done = await anyio.to_thread.run_sync(lambda: fill_in_worker(*arguments, llm=client(llm_options)))
    else:
        done = await ctx.run_cpu(fill_in_worker, *arguments)
    key = f"edited/{ctx.organization_id}/{ctx.job_id}.pdf"
    await write_bytes(ctx.storage, key, out.read_bytes())
    widgets = [wire_widget(w) for w in done["widgets"]]
    pages = done["pages"]
    response = {
        "response_type": "edit",
        "document_url": ctx.storage.url(key, expires_in=IMAGE_LINK_SECONDS),
        "form_schema": widgets,
        "usage": {
            "num_pages": pages,
            "credits": float(pages),
            "usage_breakdown": {
                "edit_model": "Prefill" if request.form_schema else "Normal",
                "edit_pages": pages,
            },
        },
    }
    if done["llm_usage"]:
        response["usage"]["tokens"] = done["llm_usage"]
    return response, pages


async def pdf_input(ctx: JobContext) -> Path:
    source, extension = await inputs.fetch(ctx)
    kind = extension or detect.sniff(source.read_bytes()[:8192])
    if kind not in (None, "pdf"):
        raise UnsupportedDocument(
            f"edit fills PDF forms; this document is {kind}", code=ErrorCode.DOCUMENT_UNSUPPORTED
        )
    return source


@task("edit", reducto_type="Edit")
async def edit_job(ctx: JobContext) -> TaskResult:
    request = EditRequest.model_validate(ctx.config)
    source = await pdf_input(ctx)
    response, pages = await run_edit(ctx, request, source)
    key = f"edited/{ctx.organization_id}/{ctx.job_id}.pdf"
    return TaskResult(response=response, num_pages=pages, artifacts=[key])
