"""A parsed document's pages: their sizes, and each page as a PNG the blocks' boxes can be drawn over.

Parse, extract and statements jobs keep the Document they read, so all have pages (an extract's
citations and a statement's values are boxes on them).

Images are rendered on first request, from the source the parse read (the upload, or the PDF that
LibreOffice made of an office file), and kept as blobs that are deleted with the job.
"""

from __future__ import annotations

import io
import json
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Any

import anyio
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.principal import Principal
from docuforge.document.model import Document
from docuforge.errors import ErrorCode, JobStateError, NotFound
from docuforge.jobs import service as jobs
from docuforge.models import Job
from docuforge.reducto.parse.tasks import document_key
from docuforge.render.images import DPI
from docuforge.storage import BlobStore, read_bytes, write_bytes

MAX_SIDE = 2000  # pixels: an image input larger than this is scaled down, boxes are relative anyway
_IMAGES = frozenset({"png", "jpg", "jpeg", "tif", "tiff", "webp", "bmp", "gif"})
_FOLLOW = 8  # jobid:// chains followed to the parse that read the file
# PDFium is not thread-safe: one render at a time in this process.
_PDFIUM = threading.Lock()


def index_key(job: Job) -> str:
    return f"pages/{job.organization_id}/{job.id}/index.json"


def image_key(job: Job, number: int) -> str:
    return f"pages/{job.organization_id}/{job.id}/{number}.png"


_WITH_DOCUMENT = ("parse", "extract", "statements")


async def _parse_job(session: AsyncSession, principal: Principal, job_id: str) -> Job:
    job = await jobs.get_job(session, principal, job_id)
    if job.type not in _WITH_DOCUMENT:
        raise NotFound("page images exist for parse, extract and statements jobs only")
    if job.status != "completed":
        raise JobStateError("the job has not completed", code=ErrorCode.JOB_NOT_COMPLETE)
    return job


async def _origin(session: AsyncSession, job: Job) -> Job:
    """The parse that read the document itself (a jobid:// parse re-renders an earlier one)."""
    for _ in range(_FOLLOW):
        earlier = job.input.get("job_id")
        if not earlier:
            return job
        found = await session.get(Job, uuid.UUID(earlier))
        if found is None or found.organization_id != job.organization_id or found.deletion:
            raise NotFound("the parse this job re-renders was deleted")
        job = found
    raise NotFound("the chain of jobid:// inputs is too long")


def _source(origin: Job, document_format: str) -> tuple[str, str] | None:
    """(blob key, kind: pdf or an image format) of the pages the boxes are on, if still kept."""
    converted = f"converted/{origin.organization_id}/{origin.id}.pdf"
    if converted in (origin.artifacts or []):
        return converted, "pdf"
    file_id = origin.input.get("file_id")
    if not file_id:
        return None  # a URL input: its bytes were never kept
    key = f"uploads/{origin.organization_id}/{uuid.UUID(file_id)}"
    if document_format == "pdf" or document_format in _IMAGES:
        return key, document_format
    return None


async def page_index(
    session: AsyncSession, storage: BlobStore, principal: Principal, job_id: str
) -> dict[str, Any]:
    """{format, pages: [{number, original_number, width, height, image}]}: what a viewer lays out first."""
    job = await _parse_job(session, principal, job_id)
    if await storage.stat(index_key(job)) is not None:
        return json.loads(await read_bytes(storage, index_key(job)))
    origin = await _origin(session, job)
    document = Document.model_validate_json(
        await read_bytes(storage, document_key(origin.organization_id, origin.id))
    )
    has_images = document.layout == "page" and _source(origin, document.format) is not None
    index = {
        "format": document.format,
        "pages": [
            {
                "number": page.number,
                "original_number": page.original_number,
                "width": page.width,
                "height": page.height,
                "image": has_images,
            }
            for page in document.pages
        ],
    }
    await write_bytes(storage, index_key(job), json.dumps(index).encode())
    keys = [index_key(job), *(image_key(job, page.number) for page in document.pages)]
    if keys[0] not in (job.artifacts or []):
        # Every key a viewer may make, at once: concurrent requests write the same list, and
        # deleting the job deletes them whether they were rendered or not.
        job.artifacts = [*(job.artifacts or []), *keys]
    return index


async def page_image(
    session: AsyncSession, storage: BlobStore, principal: Principal, job_id: str, number: int
) -> bytes:
    """Page `number` (as numbered in the result) as a PNG, rendered once and then kept."""
    index = await page_index(session, storage, principal, job_id)
    job = await _parse_job(session, principal, job_id)
    page = next((p for p in index["pages"] if p["number"] == number), None)
    if page is None:
        raise NotFound(f"the result has no page {number}")
    if not page["image"]:
        raise NotFound("this document's pages cannot be shown: its source was not kept or has no pages")
    key = image_key(job, number)
    if await storage.stat(key) is not None:
        return await read_bytes(storage, key)
    origin = await _origin(session, job)
    source = _source(origin, index["format"])
    assert source is not None
    password = _password(origin.config)
    with tempfile.TemporaryDirectory(prefix="docuforge-page-") as folder:
        path = Path(folder) / "source"
        async with await anyio.open_file(path, "wb") as handle:
            async for chunk in storage.read(source[0]):
                await handle.write(chunk)
        png = await anyio.to_thread.run_sync(
            render_png, path, source[1], page["original_number"] - 1, password
        )
    await write_bytes(storage, key, png)
    return png


def _password(config: dict[str, Any]) -> str | None:
    # A parse takes it in `settings`, an extract in `parsing.settings`.
    for settings in (config.get("settings"), (config.get("parsing") or {}).get("settings")):
        if isinstance(settings, dict) and settings.get("document_password"):
            return str(settings["document_password"])
    return None


def render_png(path: Path, kind: str, index: int, password: str | None = None) -> bytes:
    """Page `index` (0-based) of a PDF or an image file as a PNG; NotFound past its last page."""
    if kind == "pdf":
        from docuforge.load.pdf import PdfSource

        with _PDFIUM, PdfSource(path, password) as pdf:
            if not 0 <= index < pdf.page_count:
                raise NotFound(f"the document has no page {index + 1}")
            image = pdf.render(index, DPI / 72)
    else:
        from docuforge.load.images import ImageSource

        with ImageSource(path, kind) as source:
            if not 0 <= index < source.page_count:
                raise NotFound(f"the document has no page {index + 1}")
            image = Image.fromarray(source.page(index)[0])
    assert isinstance(image, Image.Image)
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    buffer = io.BytesIO()
    # A light compression: the image is drawn on first view, and speed matters more than bytes.
    image.convert("RGB").save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()
