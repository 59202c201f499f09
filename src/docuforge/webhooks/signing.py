"""Standard Webhooks signatures: what the `standardwebhooks` and `svix` receiver libraries verify.

signature = base64(HMAC-SHA256(base64decode(secret minus "whsec_"), f"{id}.{timestamp}.{body}"))
sent as `svix-signature: v1,<signature>` next to `svix-id` and `svix-timestamp`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(secret: str | None, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    out = {
        "content-type": "application/json",
        "user-agent": "Docuforge-Webhooks",
        "svix-id": message_id,
        "svix-timestamp": str(timestamp),
        # The same three under their Standard Webhooks names, for receivers that expect those.
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
    }
    if secret:
        out["svix-signature"] = out["webhook-signature"] = sign(secret, message_id, timestamp, body)
    return out
