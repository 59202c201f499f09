"""GET /studio and its assets: the page, and the JS/CSS modules shipped inside the package.

Assets are served under a path holding a digest of all of them (/studio/assets/<digest>/...), so a
browser may keep them for a year and still sees a new version at once: the page, which is always
revalidated, names the new digest. The page's modules import each other relatively, so they all
inherit that path without a build step.
"""

from __future__ import annotations

import hashlib
import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from docuforge.config import Settings, StorageBackend
from docuforge.deps import SettingsDep
from docuforge.errors import NotFound
from docuforge.routing import router as make_router

STATIC = Path(__file__).parent / "static"
PREFIX = "/studio"
# Stricter than the service's page policy: no inline script or style at all.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "connect-src {connect}; font-src 'self'; manifest-src 'self'; frame-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def content_security_policy(settings: Settings) -> str:
    """The page's policy; large results and filled PDFs are fetched from the blob store's signed URLs."""
    connect = ["'self'"]
    if settings.storage.backend is StorageBackend.s3:
        s3 = settings.storage.s3
        endpoint = s3.public_endpoint_url or s3.endpoint_url
        if endpoint:
            parts = urlsplit(endpoint)
            connect.append(f"{parts.scheme}://{parts.netloc}")
        else:
            connect.append(
                f"https://{s3.bucket}.s3.{s3.region}.amazonaws.com https://s3.{s3.region}.amazonaws.com"
            )
    return CSP.format(connect=" ".join(connect))


_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json"}

router = make_router(include_in_schema=False)


@cache
def digest() -> str:
    """A digest of every asset: it changes when any of them does."""
    sha = hashlib.sha256()
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            sha.update(path.relative_to(STATIC).as_posix().encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


@cache
def page() -> bytes:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    return html.replace("{{ASSETS}}", f"{PREFIX}/assets/{digest()}").encode()


@router.get(PREFIX)
async def studio_root() -> RedirectResponse:
    return RedirectResponse(f"{PREFIX}/", status_code=308)


@router.get(PREFIX + "/assets/{version}/{path:path}")
async def asset(version: str, path: str) -> Response:
    target = (STATIC / path).resolve()
    if not target.is_relative_to(STATIC.resolve()) or not target.is_file() or target.name == "index.html":
        raise NotFound("no such Studio asset")
    media_type = (
        _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    )
    # An asset asked for under an older digest is today's file: serve it, but let no one keep it.
    cache_control = "public, max-age=31536000, immutable" if version == digest() else "no-cache"
    return Response(target.read_bytes(), media_type=media_type, headers={"Cache-Control": cache_control})


@router.get(PREFIX + "/{screen:path}")
async def studio(request: Request, screen: str, settings: SettingsDep) -> Response:
    """The Studio's one page, for every screen's address (the page routes on the client)."""
    if screen.startswith("assets/"):
        raise NotFound("no such Studio asset")
    etag = f'"{digest()}"'
    headers = {
        "Cache-Control": "no-cache",
        "ETag": etag,
        "Content-Security-Policy": content_security_policy(settings),
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(page(), media_type="text/html; charset=utf-8", headers=headers)
