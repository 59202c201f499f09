"""POST /upload: multipart streamed to storage, the type from ?extension=, the name or the bytes;
presigned uploads; DELETE /upload/{file_id}; limits and empty files."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import httpx
from fastapi import FastAPI
from tests.fixtures.identity import Tenant

from docuforge.storage import read_bytes

PDF = b"%PDF-1.7\n" + b"0" * 2000


def files(content: bytes, name: str = "upload") -> dict:
    # The SDK always sends raw bytes as a part named "file" with the filename "upload".
    return {"file": (name, content, "application/octet-stream")}


async def test_upload_like_the_sdk(client: httpx.AsyncClient, tenant: Tenant, app: FastAPI) -> None:
    response = await client.post(
        "/upload", params={"extension": ".pdf"}, files=files(PDF), headers=tenant.member.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["file_id"].startswith("reducto://") and body["file_id"].endswith(".pdf")
    assert body["size"] == len(PDF) and "presigned_url" not in body


async def test_the_type_comes_from_the_extension_then_the_name_then_the_bytes(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    async def kind(content: bytes, name: str = "upload", extension: str | None = None) -> str | None:
        params = {"extension": extension} if extension else {}
        response = await client.post(
            "/upload", params=params, files=files(content, name), headers=tenant.member.headers
        )
        assert response.status_code == 200, response.text
        return response.json().get("extension")

    assert await kind(PDF) == "pdf"
    assert await kind(b"\x89PNG\r\n\x1a\n" + b"0" * 20) == "png"
    assert await kind(b"\xff\xd8\xff\xe0" + b"0" * 20) == "jpg"
    assert await kind(b"hello", name="notes.txt") == "txt"
    assert await kind(b"a,b\n1,2\n", name="table.csv") == "csv"
    assert await kind(PDF, extension="docx") == "docx"  # an explicit extension wins
    assert await kind(b"just some words") is None


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


async def test_uploads_the_product_cannot_read_are_refused_by_their_bytes(
    client: httpx.AsyncClient, tenant: Tenant, app: FastAPI
) -> None:
    headers = tenant.member.headers
    for content, name, extension in (
        (EXE, "upload", "exe"),
        (EXE, "report.pdf", None),  # the name does not make it a PDF
        (ELF, "upload", "pdf"),  # nor does ?extension=
        (bytes(range(256)) * 8, "data.bin", None),
    ):
        params = {"extension": extension} if extension else {}
        refused = await client.post("/upload", params=params, files=files(content, name), headers=headers)
        assert refused.status_code == 415, (name, refused.text)
        assert refused.json()["error"]["name"] == "DOCUMENT_UNSUPPORTED"
        assert refused.headers["x-should-retry"] == "false"
    uploads = app.state.settings.blob_dir / "uploads"
    assert not uploads.exists() or not [p for p in uploads.rglob("*") if p.is_file()]
    # What the product reads is kept, logs compressed or not, by the same judgement.
    for content, name, kind in (
        (b"\x1f\x8b\x08\x00" + b"\x00" * 30, "app.log.gz", "gz"),
        (b"\x28\xb5\x2f\xfd" + b"\x00" * 30, "app.log.zst", "zst"),
        (b'{"level": "info"}\n{"level": "warn"}\n', "app.jsonl", "jsonl"),
        (b"2026-12-07 INFO started\n", "app.log", "log"),
        ("caf\u00e9;1\n".encode("cp1252"), "sheet.csv", "csv"),
        (EXE[:0] + b"%PDF-1.7\n" + b"\x00" * 50, "upload.exe", "pdf"),
    ):
        kept = await client.post("/upload", files=files(content, name), headers=headers)
        assert kept.status_code == 200, (name, kept.text)
        assert kept.json().get("extension") == kind


async def test_large_uploads_stream_intact(client: httpx.AsyncClient, tenant: Tenant, app: FastAPI) -> None:
    content = b"%PDF-1.7\n" + bytes(range(256)) * (96 * 1024)  # 24 MiB
    response = await client.post("/upload", files=files(content, "big.bin"), headers=tenant.member.headers)
    assert response.status_code == 200
    file_id = response.json()["file_id"]
    key = f"uploads/{tenant.organization.id}/{file_id.removeprefix('reducto://').split('.')[0]}"
    assert (
        hashlib.sha256(await read_bytes(app.state.storage, key)).digest() == hashlib.sha256(content).digest()
    )


async def test_over_the_limit_and_empty_files_are_refused(
    client: httpx.AsyncClient, tenant: Tenant, app: FastAPI
) -> None:
    app.state.settings.ingest.max_upload_bytes = 100_000
    big = await client.post("/upload", files=files(b"x" * 200_000), headers=tenant.member.headers)
    assert big.status_code == 413 and big.json()["error"]["name"] == "DOCUMENT_TOO_LARGE"
    empty = await client.post("/upload", files=files(b""), headers=tenant.member.headers)
    assert empty.status_code == 422 and empty.json()["error"]["name"] == "DOCUMENT_EMPTY"
    blobs = (
        list((app.state.settings.blob_dir / "uploads").rglob("*"))
        if (app.state.settings.blob_dir / "uploads").exists()
        else []
    )
    assert [p for p in blobs if p.is_file()] == []  # nothing was left behind


async def test_malformed_bodies_get_clear_errors(client: httpx.AsyncClient, tenant: Tenant) -> None:
    headers = tenant.member.headers
    no_file = await client.post("/upload", files={"other": ("x", b"1")}, headers=headers)
    assert no_file.status_code == 400 and "'file'" in no_file.json()["error"]["message"]
    broken = await client.post(
        "/upload", content=b"--zz\r\nnot a part", headers={**headers, "content-type": "multipart/form-data"}
    )
    assert broken.status_code == 400
    bad_extension = await client.post(
        "/upload", params={"extension": "../../x"}, files=files(PDF), headers=headers
    )
    assert bad_extension.status_code == 415


async def test_presigned_upload(client: httpx.AsyncClient, tenant: Tenant, app: FastAPI) -> None:
    answer = await client.post("/upload", json={}, headers=tenant.member.headers)
    assert answer.status_code == 200
    body = answer.json()
    assert body["file_id"].startswith("reducto://") and body["presigned_url"]
    url = httpx.URL(body["presigned_url"])
    put = await client.put(f"{url.path}?{url.query.decode()}", content=PDF)
    assert put.status_code == 200
    ident = body["file_id"].removeprefix("reducto://")
    assert await read_bytes(app.state.storage, f"incoming/{tenant.organization.id}/{ident}") == PDF
    # Its first use completes it: the bytes move to the file's own key, where jobs read them.
    used = await client.post("/parse_async", json={"input": body["file_id"]}, headers=tenant.member.headers)
    assert used.status_code == 200, used.text
    assert await read_bytes(app.state.storage, f"uploads/{tenant.organization.id}/{ident}") == PDF
    again = await client.put(f"{url.path}?{url.query.decode()}", content=PDF + b"more")
    assert again.status_code == 403 and again.json()["error"]["name"] == "PERMISSION_DENIED"


async def test_delete_upload_with_an_encoded_id(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    file_id = (await client.post("/upload", files=files(PDF), headers=tenant.member.headers)).json()[
        "file_id"
    ]
    path = "/upload/" + quote(file_id, safe="")  # what the SDK sends: reducto:%2F%2F...
    assert (await client.delete(path, headers=other_tenant.admin.headers)).status_code == 404
    assert (await client.delete(path, headers=tenant.viewer.headers)).status_code == 403
    deleted = await client.delete(path, headers=tenant.member.headers)
    assert deleted.status_code == 200 and deleted.json() == {"file_id": file_id}
    assert (await client.delete(path, headers=tenant.member.headers)).status_code == 404


async def test_a_body_without_its_closing_boundary_is_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, tenant: Tenant, app: FastAPI
) -> None:
    head = b'--zz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n' + PDF
    headers = {**tenant.member.headers, "content-type": "multipart/form-data; boundary=zz"}
    for cut in (head, head + b"\r\n--zz\r\n", head + b"\r\n--z"):
        refused = await client.post("/upload", content=cut, headers=headers)
        assert refused.status_code == 400, refused.text
        assert "closing boundary" in refused.json()["error"]["message"]
    uploads = app.state.settings.blob_dir / "uploads"
    assert not uploads.exists() or not [p for p in uploads.rglob("*") if p.is_file()]
    whole = await client.post("/upload", content=head + b"\r\n--zz--\r\n", headers=headers)
    assert whole.status_code == 200 and whole.json()["size"] == len(PDF)
