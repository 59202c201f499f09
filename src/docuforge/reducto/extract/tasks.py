"""The "extract" job: a Document (parsed here, or an earlier job's), the schema filled, the answer stored.

A `jobid://` input reuses the Document an earlier parse or extract job stored: nothing is parsed
twice. Parsing and extraction run in the killable process pool, as parse does.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import anyio

from docuforge.document.model import BlockType, Document
from docuforge.errors import DocumentError, ErrorCode
from docuforge.extraction.options import Extraction, ExtractOptions
from docuforge.files import inputs
from docuforge.jobs.registry import JobContext, TaskResult, task
from docuforge.models import Job
from docuforge.reducto.extract.schemas import ExtractRequest
from docuforge.reducto.parse.options import engine_options
from docuforge.reducto.parse.tasks import _upload_file, document_key, parse_in_worker
from docuforge.storage import read_bytes

_CHAIN = 8  # how many jobid:// hops lead back to the job that parsed


def _wire_citation(
    citation: dict[str, Any], blocks: dict[str, Any], settings: dict[str, Any]
) -> dict[str, Any]:
    block = blocks.get(citation["block_ids"][0]) if citation["block_ids"] else None
    confidence = float(citation["confidence"])
    item: dict[str, Any] = {
        "type": str(block.type) if block is not None else str(BlockType.TEXT),
        "content": citation["text"],
        "bbox": citation["bbox"],
        "confidence": "high" if confidence >= 0.6 else "low",
    }
    if settings.get("numerical_confidence", True):
        item["granular_confidence"] = {
            "extract_confidence": round(confidence, 4),
            "parse_confidence": round(block.confidence, 4) if block is not None else None,
        }
    if block is not None:
        item["parentBlock"] = {
            "type": str(block.type),
            "bbox": block.bbox.model_dump(),
            "content": "" if settings.get("parent_block") == "bbox_only" else block.content,
            "block_id": block.id,
        }
    return item


def wire_result(extraction: Extraction, document: Document, citations: dict[str, Any]) -> Any:
    """The value as the response carries it: [value] without citations, the cited object with them."""
    if not citations.get("enabled"):
        return [extraction.value]
    blocks = {b.id: b for b in document.blocks()}

    def walk(node: Any) -> Any:
        if isinstance(node, dict) and set(node) == {"value", "citations", "confidence"}:
            return {
                "value": node["value"],
                "citations": [_wire_citation(c, blocks, citations) for c in node["citations"]],
            }
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(extraction.cited())


# ---------------------------------------------------------------- in the worker process


def extract_in_worker(
    document_path: str, schema_json: str, options_json: str, citations_json: str, out: str
) -> dict:
    """Fill the schema from the stored Document; writes the result to `out`, returns the envelope's part."""
    from docuforge.extraction import extract

    document = Document.model_validate_json(Path(document_path).read_text())
    options = ExtractOptions.model_validate_json(options_json)
    extraction = extract(document, json.loads(schema_json), options)
    result = wire_result(extraction, document, json.loads(citations_json))
    Path(out).write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
    return summary_of(extraction)


# ---------------------------------------------------------------- in the runner


async def _earlier_document(ctx: JobContext, path: Path) -> None:
    """jobid:// input: the Document stored by the parse or extract job that first read the file."""
    assert ctx.database is not None
    job_id = uuid.UUID(ctx.input["job_id"])
    for _ in range(_CHAIN):
        async with ctx.database.session() as session:
            earlier = await session.get(Job, job_id)
        if (
            earlier is None
            or earlier.organization_id != ctx.organization_id
            or earlier.type not in ("parse", "extract")
        ):
            raise DocumentError(
                "the jobid:// input is not a parse or extract job of this organization",
                code=ErrorCode.NOT_FOUND,
            )
        if earlier.type == "extract" and "job_id" in (earlier.input or {}):
            job_id = uuid.UUID(earlier.input["job_id"])  # it reused an earlier Document itself
            continue
        data = await read_bytes(ctx.storage, document_key(ctx.organization_id, earlier.id))
        await anyio.Path(path).write_bytes(data)
        return
    raise DocumentError("the jobid:// chain is too long", code=ErrorCode.NOT_FOUND)


def options_of(request: ExtractRequest, engine: str, max_tokens: int = 1024) -> ExtractOptions:
    return ExtractOptions(
        engine=engine,  # type: ignore[arg-type]
        system_prompt=request.prompt,
        array_extract=request.settings.array_extract,
        max_tokens=max_tokens,
        deep=request.deep,
    )


def summary_of(extraction: Extraction) -> dict[str, Any]:
    return {
        "num_fields": extraction.num_fields,
        "num_pages": extraction.num_pages,
        "confidence": extraction.confidence,
        "confidence_reason": extraction.confidence_reason,
        "engine": str(extraction.engine),
        "tokens": extraction.usage,
    }


async def _extract_with_llm(
    ctx: JobContext, document_path: Path, request: ExtractRequest, options: ExtractOptions, out: Path
) -> dict[str, Any]:
    """In a thread of the runner: LLM calls wait on the network, and the endpoint's circuit breaker
    must be the one every job of this process shares (a pool process would have its own)."""
    from docuforge.extraction import extract
    from docuforge.llm import client

    llm = client(ctx.settings.llm.options())
    document = Document.model_validate_json(await anyio.Path(document_path).read_text())

    def on_segment(done: int, total: int) -> None:
        anyio.from_thread.run_sync(ctx.progress, 0.85 + 0.15 * done / total)

    def run() -> dict[str, Any]:
        extraction = extract(document, request.json_schema, options, llm=llm, on_segment=on_segment)
        result = wire_result(extraction, document, request.settings.citations.model_dump())
        out.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
        return summary_of(extraction)

    return await anyio.to_thread.run_sync(run)


@task("extract", reducto_type="Extract")
async def extract_job(ctx: JobContext) -> TaskResult:
    request = ExtractRequest.model_validate(ctx.config)
    engine = str(ctx.config.get("engine") or ctx.settings.extract.engine)
    document_path = ctx.workdir / "document.json"
    artifacts: list[str] = []

    def on_message(message: tuple[str, float]) -> None:
        if message[0] == "progress":
            ctx.progress(0.8 * message[1])

    if "job_id" in ctx.input:
        await _earlier_document(ctx, document_path)
    else:
        source, extension = await inputs.fetch(ctx)
        await ctx.run_cpu(
            parse_in_worker,
            str(source),
            extension,
            engine_options(request.parse_options(), ctx.settings.ocr.options()).model_dump_json(),
            str(ctx.workdir),
            on_message=on_message,
        )
        key = document_key(ctx.organization_id, ctx.job_id)
        await _upload_file(ctx, key, document_path)
        artifacts.append(key)
    ctx.progress(0.85)
    result_path = ctx.workdir / "result.json"
    options = options_of(request, engine, ctx.settings.llm.max_tokens)
    if engine == "llm":
        summary = await _extract_with_llm(ctx, document_path, request, options, result_path)
    else:
        summary = await ctx.run_cpu(
            extract_in_worker,
            str(document_path),
            json.dumps(request.json_schema),
            options.model_dump_json(),
            request.settings.citations.model_dump_json(),
            str(result_path),
        )
    cited = request.settings.citations.enabled
    response: dict[str, Any] = {
        "response_type": "v3_extract" if cited else "extract",
        "usage": {
            "num_fields": summary["num_fields"],
            "num_pages": summary["num_pages"],
            "credits": float(summary["num_pages"]),
            "usage_breakdown": {
                "extract_model": "Deep Extract" if request.deep else "Extract",
                "extract_fields": summary["num_fields"],
                "extract_pages": summary["num_pages"],
            },
        },
        "engine": summary["engine"],
    }
    unsupported = request.unsupported()
    if unsupported:
        # Accepted options this deployment does not apply are said, never silently dropped.
        response["custom"] = {"unsupported_options": unsupported}
    if cited:
        response["confidence"] = summary["confidence"]
        if summary["confidence_reason"]:
            response["confidence_reason"] = summary["confidence_reason"]
    else:
        response["response_confidence"] = {"confidence": summary["confidence"]}
    if summary.get("tokens"):
        response["usage"]["tokens"] = summary["tokens"]
    return TaskResult(
        response=response, payload_file=result_path, num_pages=summary["num_pages"], artifacts=artifacts
    )
