"""Structured logs: JSON lines, request IDs bound, secrets never printed."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from docuforge.observability import REDACTED, get_logger, redact, redact_text

API_KEY = "df_Zx81kLmQ0aBcDeFgHiJkLmNoPqRsTuVw12345678"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLWJ5dGVz"


@pytest.mark.parametrize(
    ("text", "leak"),
    [
        (f"using key {API_KEY}", API_KEY),
        (f"token {JWT} expired", JWT),
        ("connect postgresql://app:s3cr3t@db:5432/prod failed", "s3cr3t"),
        ("GET /blobs/x?expires=1&sig=deadbeefcafe", "deadbeefcafe"),
        ("https://s3/b/k?X-Amz-Signature=abcdef123&X-Amz-Credential=AKIA/1", "abcdef123"),
        ("Authorization: Bearer abc.def-ghi", "abc.def-ghi"),
        ("secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
    ],
)
def test_secrets_in_text_are_redacted(text: str, leak: str) -> None:
    cleaned = redact_text(text)
    assert leak not in cleaned and REDACTED in cleaned


def test_secret_keys_are_redacted_at_any_depth() -> None:
    event = {
        "user": "ann",
        "password": "hunter2",
        "headers": {"Authorization": "Bearer x", "accept": "json"},
        "items": [{"api_key": "k1"}, {"refresh_token": "t1"}],
        "client_secret": "c",
        "payload": b"raw document bytes",
    }
    cleaned = redact(event)
    assert cleaned["user"] == "ann" and cleaned["headers"]["accept"] == "json"
    for leak in ("hunter2", "Bearer x", "k1", "t1", "'c'", "raw document"):
        assert leak not in repr(cleaned)
    assert cleaned["payload"] == "<18 bytes>"


def test_descriptive_names_are_not_secrets() -> None:
    event = {
        "api_key_id": "3f2a",
        "prefix": "df_AbCdEfGh",
        "refresh_expires_in": 3600,
        "token_type": "bearer",
    }
    assert redact(event) == event


def test_log_lines_are_json_and_redacted(json_log) -> None:
    get_logger("test").info("login", username="ann", password="hunter2", note=f"key {API_KEY}")
    logging.getLogger("uvicorn.error").warning("stdlib line with %s", "postgresql://u:pw123@h/db")
    lines = json_log()
    ours = next(line for line in lines if line["event"] == "login")
    assert ours["password"] == REDACTED and ours["username"] == "ann" and API_KEY not in ours["note"]
    assert ours["level"] == "info" and ours["timestamp"].endswith("Z")
    stdlib = next(line for line in lines if line["logger"] == "uvicorn.error")
    assert "pw123" not in stdlib["event"]


async def test_access_log_carries_the_request_id_and_no_query(json_log, client: httpx.AsyncClient) -> None:
    json_log()  # drop start-up lines
    response = await client.get(
        "/version?token=abcdef", headers={"Authorization": f"Bearer {API_KEY}", "X-Request-ID": "req-43"}
    )
    assert response.status_code == 200
    lines = json_log()
    access = [line for line in lines if line.get("logger") == "docuforge.access"]
    assert len(access) == 1
    assert (
        access[0]["request_id"] == "req-43"
        and access[0]["route"] == "/version"
        and access[0]["path"] == "/version"
    )
    assert access[0]["status"] == 200 and access[0]["duration_ms"] >= 0
    assert all("abcdef" not in json.dumps(line) and API_KEY not in json.dumps(line) for line in lines)
