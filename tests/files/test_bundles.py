"""ZIP bundles: members become files; zip-slip, symlinks, bombs and deep nesting are refused
with ARCHIVE_REJECTED, nothing is stored, and the service keeps serving."""

from __future__ import annotations

import io
import os
import zipfile

import httpx
import pytest
from fastapi import FastAPI
from tests.fixtures.identity import Tenant


def make_zip(
    entries: list[tuple[str | zipfile.ZipInfo, bytes]], compression: int = zipfile.ZIP_DEFLATED
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def symlink(name: str, target: bytes) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (0o120777 & 0xFFFF) << 16
    return info, target


async def upload(client: httpx.AsyncClient, tenant: Tenant, content: bytes) -> httpx.Response:
    return await client.post(
        "/upload", files={"file": ("bundle.zip", content, "application/zip")}, headers=tenant.member.headers
    )


async def test_members_become_files(client: httpx.AsyncClient, tenant: Tenant, app: FastAPI) -> None:
    inner = make_zip([("c.txt", b"inner text")])
    bundle = make_zip(
        [("a.pdf", b"%PDF-1.4 a"), ("notes/b.txt", b"hello"), ("inner.zip", inner), ("dir/", b"")]
    )
    response = await upload(client, tenant, bundle)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["extension"] == "zip"
    members = {m["filename"]: m for m in body["files"]}
    assert set(members) == {"a.pdf", "notes/b.txt", "inner.zip/c.txt"}
    assert members["a.pdf"]["extension"] == "pdf" and members["notes/b.txt"]["size"] == 5
    # Each member is a file of its own, usable and deletable by its id.
    listed = members["inner.zip/c.txt"]["file_id"]
    assert listed.startswith("reducto://") and listed.endswith(".txt")


HOSTILE = {
    "zip-slip": lambda: make_zip([("../../evil.txt", b"x")]),
    "windows-slip": lambda: make_zip([("..\\..\\evil.txt", b"x")]),
    "absolute path": lambda: make_zip([("/etc/cron.d/evil", b"x")]),
    "drive letter": lambda: make_zip([("C:/evil.txt", b"x")]),
    "symlink": lambda: make_zip([symlink("link", b"/etc/passwd")]),
    "zip bomb": lambda: make_zip([("zeros.bin", bytes(20 * 1024 * 1024))]),
    "too many members": lambda: make_zip([(f"f{i}.txt", b"x") for i in range(30)]),
    "too large expanded": lambda: make_zip([("random.bin", os.urandom(3 * 1024 * 1024))], zipfile.ZIP_STORED),
    "nested two levels": lambda: make_zip(
        [("outer.zip", make_zip([("deeper.zip", make_zip([("x.txt", b"x")]))]))]
    ),
    "not a zip": lambda: b"PK\x03\x04" + os.urandom(200),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
async def test_hostile_archives_are_refused(
    client: httpx.AsyncClient, tenant: Tenant, app: FastAPI, case: str
) -> None:
    app.state.settings.ingest.zip_max_members = 20
    app.state.settings.ingest.zip_max_expanded_bytes = 2 * 1024 * 1024
    response = await upload(client, tenant, HOSTILE[case]())
    assert response.status_code == 422, response.text
    assert response.json()["error"]["name"] == "ARCHIVE_REJECTED"
    stored = [p for p in (app.state.settings.blob_dir / "uploads").rglob("*") if p.is_file()]
    assert stored == [], f"{case} left {stored}"
    assert (await client.get("/health/live")).status_code == 200
    fine = await upload(client, tenant, make_zip([("ok.txt", b"fine")]))
    assert fine.status_code == 200
