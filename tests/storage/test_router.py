"""The local store's signed URLs, served by the service itself."""

import time
from urllib.parse import parse_qs, urlsplit

import httpx
from fastapi import FastAPI

from docuforge.storage import read_bytes, write_bytes
from docuforge.storage.local import LocalStore, signature


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def test_signed_get_serves_the_object(app: FastAPI, client: httpx.AsyncClient) -> None:
    store: LocalStore = app.state.storage
    await write_bytes(store, "results/r1.json", b'{"ok": true}')
    url = store.url("results/r1.json", expires_in=60)
    assert url.startswith(app.state.settings.server.base_url + "/blobs/results/r1.json?")
    response = await client.get(path_of(url))
    assert response.status_code == 200
    assert response.content == b'{"ok": true}'
    assert response.headers["cache-control"] == "private, no-store"


async def test_signed_get_supports_ranges(app: FastAPI, client: httpx.AsyncClient) -> None:
    store: LocalStore = app.state.storage
    await write_bytes(store, "r.bin", b"0123456789")
    response = await client.get(path_of(store.url("r.bin")), headers={"Range": "bytes=2-4"})
    assert response.status_code == 206 and response.content == b"234"


async def test_signed_put_streams_an_upload(app: FastAPI, client: httpx.AsyncClient) -> None:
    store: LocalStore = app.state.storage
    body = b"%PDF-1.7\n" + b"x" * 300_000
    response = await client.put(path_of(store.url("uploads/u1", "PUT")), content=body)
    assert response.status_code == 200 and response.json()["size"] == len(body)
    assert await read_bytes(store, "uploads/u1") == body


async def test_put_over_the_upload_limit_is_refused(app: FastAPI, client: httpx.AsyncClient) -> None:
    store: LocalStore = app.state.storage
    app.state.settings.ingest.max_upload_bytes = 1000
    response = await client.put(path_of(store.url("uploads/big", "PUT")), content=b"x" * 5000)
    assert response.status_code == 413
    assert response.json()["error"]["name"] == "DOCUMENT_TOO_LARGE"
    assert await store.stat("uploads/big") is None


async def test_bad_expired_or_foreign_signatures_are_refused(app: FastAPI, client: httpx.AsyncClient) -> None:
    store: LocalStore = app.state.storage
    await write_bytes(store, "secret.txt", b"s")
    good = store.url("secret.txt")
    query = parse_qs(urlsplit(good).query)
    expires, sig = query["expires"][0], query["sig"][0]
    cases = [
        f"/blobs/secret.txt?expires={expires}&sig={'0' * 64}",  # forged
        f"/blobs/secret.txt?expires={int(expires) + 10}&sig={sig}",  # extended expiry
        f"/blobs/other.txt?expires={expires}&sig={sig}",  # another object
        path_of(store.url("secret.txt", expires_in=-5)),  # expired
    ]
    for url in cases:
        response = await client.get(url)
        assert response.status_code == 403, url
        assert response.json()["error"]["name"] == "PERMISSION_DENIED"
    # A GET signature does not allow a PUT.
    assert (await client.put(path_of(good), content=b"overwrite")).status_code == 403
    assert await read_bytes(store, "secret.txt") == b"s"
    # Missing parameters are a validation error, not a crash.
    assert (await client.get("/blobs/secret.txt")).status_code == 422


async def test_path_traversal_in_a_signed_url_is_refused(app: FastAPI, client: httpx.AsyncClient) -> None:
    expires = int(time.time()) + 60

    sig = signature(app.state.settings.derived_key("blob-url"), "GET", "../.secret_key", expires)
    response = await client.get(f"/blobs/%2E%2E/.secret_key?expires={expires}&sig={sig}")
    assert response.status_code == 400
    assert response.json()["error"]["name"] == "INVALID_REQUEST"
    assert app.state.settings.signing_key not in response.content
