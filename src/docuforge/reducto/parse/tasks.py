"""The "parse" job: fetch the document, parse it in a worker process, store the results.

The parse itself and the rendering of the result run in the killable process pool, so a huge
or hostile document costs a worker process, never the service, and cancelling stops it at once.
The Document is kept as a blob too: a later `jobid://` input re-renders it without parsing again.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import anyio

from docuforge.errors import DocumentError, ErrorCode
from docuforge.files import inputs
from docuforge.jobs import processes
from docuforge.jobs.registry import JobContext, TaskResult, task
from docuforge.jobs.service import effective_timeout
from docuforge.models import Job
from docuforge.reducto.parse.options import ParseOptions, engine_options
from docuforge.storage import CHUNK, read_bytes

MAX_PAGES = 5000
# A time budget may use this share of the job's timeout; the rest is left for rendering and storing.
BUDGET_SHARE_OF_TIMEOUT = 0.8
IMAGE_LINK_SECONDS = 7 * 24 * 3600  # links inside a result outlive the result's own URL


def document_key(organization_id: uuid.UUID, job_id: uuid.UUID) -> str:
    return f"documents/{organization_id}/{job_id}.json"


# ---------------------------------------------------------------- in the worker process


def parse_in_worker(
    source: str,
    extension: str | None,
    options_json: str,
    workdir: str,
    images: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Parse and write the Document to workdir/document.json; returns what the parent needs.

    options_json holds the engine's ParseOptions, their OCR options from the service's Settings;
    `images` names the block kinds to crop as PNGs.
    """
    from docuforge.parsing.options import ParseOptions as EngineOptions
    from docuforge.parsing.pipeline import missing_pages, parse
    from docuforge.render.images import crops

    options = EngineOptions.model_validate_json(options_json)
    folder = Path(workdir)
    converted = folder / "converted.pdf"
    document = parse(
        Path(source),
        options,
        extension=extension,
        on_page=lambda done, total: processes.report(("progress", done / total)),
        converted_pdf=converted,
    )
    cropped: dict[str, str] = {}
    # Only crops a block can link to: a whole page has nowhere to go in the result.
    kinds = [kind for kind in images if kind != "page"]
    if kinds:
        (folder / "images").mkdir(exist_ok=True)
        for name, png in crops(
            Path(source),
            document,
            kinds,
            options.password,
            converted if converted.exists() else None,
        ):
            target = folder / "images" / f"{name}.png"
            target.write_bytes(png)
            cropped[name] = str(target)
    (folder / "document.json").write_text(document.model_dump_json())
    return {
        "pages": len(document.pages),
        "missing_pages": missing_pages(document, options),
        "properties": document.properties.model_dump() if options.document_properties else None,
        "images": cropped,
        # An office file LibreOffice laid out on pages: the blocks' boxes are on its PDF's pages.
        "converted_pdf": str(converted) if converted.exists() else None,
    }


def render_in_worker(document_path: str, options_json: str, image_urls: dict[str, str], out: str) -> int:
    """Write Reducto's FullResult for a stored Document to `out`; returns its page count."""
    from docuforge.document.model import Document
    from docuforge.reducto.full_result import to_full_result

    document = Document.model_validate_json(Path(document_path).read_text())
    for block in document.blocks():
        if block.id in image_urls:
            block.extra["image_url"] = image_urls[block.id]
    result = to_full_result(document, ParseOptions.model_validate_json(options_json))
    Path(out).write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
    return len(document.pages)


# ---------------------------------------------------------------- in the runner


async def _upload_file(ctx: JobContext, key: str, path: Path) -> None:
    async def chunks():
        async with await anyio.open_file(path, "rb") as handle:
            while chunk := await handle.read(CHUNK):
                yield chunk

    await ctx.storage.write(key, chunks())


async def _earlier_document(ctx: JobContext, path: Path) -> None:
    """jobid:// input: the earlier parse's Document, fetched instead of parsed."""
    earlier_id = uuid.UUID(ctx.input["job_id"])
    assert ctx.database is not None
    async with ctx.database.session() as session:
        earlier = await session.get(Job, earlier_id)
    if earlier is None or earlier.organization_id != ctx.organization_id or earlier.type != "parse":
        raise DocumentError(
            "the jobid:// input is not a parse job of this organization", code=ErrorCode.NOT_FOUND
        )
    data = await read_bytes(ctx.storage, document_key(ctx.organization_id, earlier_id))
    await anyio.Path(path).write_bytes(data)


def _budgeted(ctx: JobContext, options: ParseOptions, started: float) -> str:
    """The engine's options for the parse proper: a time budget counts from the job's start
    (fetching included) and ends early enough for the pages found to be rendered and stored in time."""
    engine = engine_options(options, ctx.settings.ocr.options())
    budget = options.settings.time_budget
    if budget is None:
        return engine.model_dump_json()
    limit = effective_timeout(ctx.settings, options.settings.timeout) * BUDGET_SHARE_OF_TIMEOUT
    left = min(budget, limit) - (time.monotonic() - started)
    # The engine starts at least the first page whatever is left; the floor keeps the option valid.
    return engine.model_copy(update={"time_budget": max(0.001, left)}).model_dump_json()


@task("parse", reducto_type="Parse")
async def parse_job(ctx: JobContext) -> TaskResult:
    started = time.monotonic()
    options = ParseOptions.model_validate(ctx.config)
    options_json = options.model_dump_json()
    document_path = ctx.workdir / "document.json"
    artifacts: list[str] = []
    image_urls: dict[str, str] = {}
    properties = None
    pdf_url = None

    def on_message(message: tuple[str, float]) -> None:
        if message[0] == "progress":
            ctx.progress(0.9 * message[1])  # the last tenth is rendering and storing

    missing: list[int] = []
    if "job_id" in ctx.input:
        await _earlier_document(ctx, document_path)
    else:
        source, extension = await inputs.fetch(ctx)
        parsed = await ctx.run_cpu(
            parse_in_worker,
            str(source),
            extension,
            _budgeted(ctx, options, started),
            str(ctx.workdir),
            tuple(options.settings.return_images),
            on_message=on_message,
        )
        properties = parsed["properties"]
        missing = parsed["missing_pages"]
        for name, image_path in parsed["images"].items():
            key = f"images/{ctx.organization_id}/{ctx.job_id}/{name}.png"
            await _upload_file(ctx, key, Path(image_path))
            artifacts.append(key)
            image_urls[name] = ctx.storage.url(key, expires_in=IMAGE_LINK_SECONDS, content_type="image/png")
        if parsed["converted_pdf"]:
            key = f"converted/{ctx.organization_id}/{ctx.job_id}.pdf"
            await _upload_file(ctx, key, Path(parsed["converted_pdf"]))
            artifacts.append(key)
            pdf_url = ctx.storage.url(key, expires_in=IMAGE_LINK_SECONDS, content_type="application/pdf")
        elif "file_id" in ctx.input and (extension or "pdf") == "pdf":
            pdf_url = ctx.storage.url(
                f"uploads/{ctx.organization_id}/{ctx.input['file_id']}",
                expires_in=IMAGE_LINK_SECONDS,
                content_type="application/pdf",
            )
        elif "url" in ctx.input:
            pdf_url = ctx.input["url"]
        key = document_key(ctx.organization_id, ctx.job_id)
        await _upload_file(ctx, key, document_path)
        artifacts.append(key)
    result_path = ctx.workdir / "result.json"
    pages = await ctx.run_cpu(
        render_in_worker, str(document_path), options_json, image_urls, str(result_path)
    )
    response: dict[str, Any] = {
        "response_type": "parse",
        "usage": {"num_pages": pages, "credits": float(pages)},
    }
    if missing:
        # Docuforge extension (settings.time_budget): the pages found, and those the budget left out.
        response["partial"] = True
        response["missing_pages"] = missing
    if pdf_url:
        response["pdf_url"] = pdf_url
    if properties is not None:
        response["document_properties"] = properties
    return TaskResult(response=response, payload_file=result_path, num_pages=pages, artifacts=artifacts)
