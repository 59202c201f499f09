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
from docuforge.reducto.extract import tasks as extract_tasks
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


def pages_document(document_path: str, pages: list[int], out: str) -> None:
    """The Document of some of a document's pages (a split's), numbered as in the whole."""
    from docuforge.document.model import Document

    document = Document.model_validate_json(Path(document_path).read_bytes())
    document.pages = [p for p in document.pages if p.original_number in set(pages)]
    Path(out).write_text(document.model_dump_json())


async def _extract(ctx: JobContext, steps: PipelineSteps, document_path: Path, name: str) -> dict[str, Any]:
    """Reducto's ExtractResponse (or V3Extract with citations) for one Document."""
    assert steps.extract is not None
    options = {"engine": str(ctx.settings.extract.engine)}
    if steps.extract.system_prompt:
        options["system_prompt"] = steps.extract.system_prompt
    out = ctx.workdir / f"extract-{name}.json"
    summary = await ctx.run_cpu(
        extract_tasks.extract_in_worker,
        str(document_path),
        json.dumps(steps.extract.schema_),
        json.dumps(options),
        steps.extract.citations.model_dump_json(),
        str(out),
    )
    cited = steps.extract.citations.enabled
    response: dict[str, Any] = {
        "response_type": "v3_extract" if cited else "extract",
        "job_id": str(ctx.job_id),
        "result": json.loads(out.read_bytes()),
        "usage": {
            "num_fields": summary["num_fields"],
            "num_pages": summary["num_pages"],
            "credits": float(summary["num_pages"]),
        },
    }
    if cited:
        response["confidence"] = summary["confidence"]
    else:
        response["response_confidence"] = {"confidence": summary["confidence"]}
    return response


async def _extract_per_split(
    ctx: JobContext, steps: PipelineSteps, document_path: Path, split: dict[str, Any]
) -> list[dict[str, Any]]:
    """Reducto's SplitExtract list: each split (each partition, where it has them) extracted alone."""
    found = []
    for item in split["splits"]:
        parts = item.get("partitions") or [None]
        for partition in parts:
            chosen = partition or item
            pages = [p if isinstance(p, int) else p["page_number"] for p in chosen["pages"]]
            if not pages:
                continue
            part = ctx.workdir / f"split-{len(found)}.json"
            await ctx.run_cpu(pages_document, str(document_path), pages, str(part))
            entry: dict[str, Any] = {
                "split_name": item["name"],
                "page_range": pages,
                "result": await _extract(ctx, steps, part, str(len(found))),
            }
            if partition is not None:
                entry["partition"] = partition["name"]
            found.append(entry)
    return found


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
        if steps.extract is not None:
            ctx.progress(0.85)
            if steps.extract.per_split and "split" in result:
                result["extract"] = await _extract_per_split(ctx, steps, path, result["split"]["result"])
            else:
                result["extract"] = await _extract(ctx, steps, path, "document")
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
