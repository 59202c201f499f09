"""The "pipeline" job: parse (or reuse a parse), then split, extract or edit, each answering in its
own Reducto shape inside PipelineResponse.result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docuforge.jobs.registry import JobContext, TaskResult, task
from docuforge.reducto import submission
from docuforge.reducto.edit import tasks as edit_tasks
from docuforge.reducto.edit.schemas import EditRequest
from docuforge.reducto.parse import tasks as parse_tasks
from docuforge.reducto.pipeline.schemas import PipelineRequest, PipelineSteps
from docuforge.reducto.split import tasks as split_tasks
from docuforge.reducto.split.schemas import SplitRequest
from docuforge.storage import write_bytes


async def _parse_response(ctx: JobContext, steps: PipelineSteps, document_path: Path) -> tuple[dict, int]:
    """Reducto's ParseResponse for the pipeline's parse: inline, or a URL when large."""
    out = ctx.workdir / "parse.json"
    pages = await ctx.run_cpu(
        parse_tasks.render_in_worker, str(document_path), steps.parse.model_dump_json(), {}, str(out)
    )
    data = out.read_bytes()
    key = f"results/{ctx.organization_id}/{ctx.job_id}-parse.json"
    await write_bytes(ctx.storage, key, data)
    forced = bool(steps.parse.settings.force_url_result)
    if forced or len(data) > ctx.settings.jobs.inline_result_limit:
        result: dict[str, Any] = {
            "type": "url",
            "url": ctx.storage.url(key, expires_in=ctx.settings.storage.url_expiry),
            "result_id": f"{ctx.job_id}-parse",
        }
    else:
        result = json.loads(data)
    response = {
        "response_type": "parse",
        "job_id": str(ctx.job_id),
        "duration": 0.0,
        "usage": {"num_pages": pages, "credits": float(pages)},
        "result": result,
    }
    return response, pages


@task("pipeline", reducto_type="Pipeline")
async def pipeline_job(ctx: JobContext) -> TaskResult:
    request = PipelineRequest.model_validate(ctx.config)
    steps = PipelineSteps.model_validate(ctx.config["pipeline"])
    if request.settings.document_password:
        steps.parse.settings.document_password = request.settings.document_password
    job_id = str(ctx.job_id)
    result: dict[str, Any] = {}
    artifacts: list[str] = []
    if steps.edit is not None:
        edit = EditRequest.model_validate(
            {**steps.edit.model_dump(exclude={"document_url"}), "document_url": "pipeline"}
        )
        source = await edit_tasks.pdf_input(ctx)
        response, pages = await edit_tasks.run_edit(ctx, edit, source)
        result["edit"] = {**response, "job_id": job_id}
        artifacts.append(f"edited/{ctx.organization_id}/{ctx.job_id}.pdf")
    else:
        document, path = await submission.document_of(ctx, steps.parse, share=0.7)
        result["parse"], pages = await _parse_response(ctx, steps, path)
        artifacts.append(f"results/{ctx.organization_id}/{ctx.job_id}-parse.json")
        if steps.split is not None:
            split = SplitRequest.model_validate({"input": "pipeline", **steps.split.model_dump(mode="json")})
            found, _ = await split_tasks.run_split(ctx, split, path)
            result["split"] = {
                "response_type": "split",
                "job_id": job_id,
                "result": found,
                "usage": split_tasks.usage(len(document.pages), split.settings.deep_split),
            }
    ctx.progress(1.0)
    return TaskResult(
        response={
            "response_type": "pipeline",
            "usage": {"num_pages": pages, "credits": float(pages)},
            "result": result,
        },
        num_pages=pages,
        artifacts=artifacts,
    )
