"""A workspace document's page as a PNG, so a citation's box can be drawn on the page it cites.

The indexing job keeps passages, not the Document, so the page is drawn from the upload itself (a
PDF or an image: the passages' boxes are relative to its pages). Each request draws it again: the
browser keeps it (a document's bytes never change under its id), and the bytes stay where the
document's own lifetime already decides.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.errors import NotFound
from docuforge.models import File, WorkspaceDocument
from docuforge.reducto.parse.pages import render_png
from docuforge.storage import BlobStore

_DRAWABLE = frozenset({"pdf", "png", "jpg", "jpeg", "tif", "tiff", "webp", "bmp", "gif"})


async def _source(session: AsyncSession, document: WorkspaceDocument) -> File:
    if document.type != "document":
        raise NotFound(f"{document.filename} is read as records: it has no pages to show")
    if document.file_id is None:
        raise NotFound(f"{document.filename} was fetched from a URL: its bytes were not kept")
    file = await session.get(File, document.file_id)
    if file is None or file.status != "ready":
        raise NotFound(f"the upload of {document.filename} was deleted")
    if (document.extension or file.extension) not in _DRAWABLE:
        kind = document.extension or file.extension or "unknown"
        raise NotFound(f"the pages of a {kind} file cannot be shown: only PDFs' and images' can")
    return file


async def page_image(
    session: AsyncSession, storage: BlobStore, document: WorkspaceDocument, number: int
) -> bytes:
    """Page `number` (1-based, as citations number it) of the document as a PNG."""
    file = await _source(session, document)
    kind = document.extension or file.extension or "pdf"
    with tempfile.TemporaryDirectory(prefix="docuforge-page-") as folder:
        path = Path(folder) / "source"
        async with await anyio.open_file(path, "wb") as handle:
            async for chunk in storage.read(file.key, version=file.version):
                await handle.write(chunk)
        return await anyio.to_thread.run_sync(render_png, path, kind, number - 1)
