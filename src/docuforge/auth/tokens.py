"""Credentials as strings: JWT access tokens, opaque refresh tokens, and `df_` API keys.

Refresh tokens and API keys are random secrets of which only a SHA-256 is stored: they carry
enough entropy that a slow hash would add cost and no safety.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import string
import uuid
from dataclasses import dataclass

import jwt

from docuforge.auth.permissions import Role
from docuforge.config import Settings
from docuforge.errors import AuthenticationFailed

ISSUER = "docuforge"
API_KEY_PREFIX = "df_"
REFRESH_PREFIX = "dfr_"
_ALPHABET = string.ascii_letters + string.digits
_REQUIRED_CLAIMS = ["exp", "iat", "sub", "jti", "org", "role", "iss"]


def random_token(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_api_key() -> tuple[str, str, str]:
    """(key shown once, visible prefix, stored hash). Base62 after `df_` so secret scanners match it."""
    key = API_KEY_PREFIX + random_token(40)
    return key, key[: len(API_KEY_PREFIX) + 8], digest(key)


def new_refresh_token() -> tuple[str, str]:
    token = REFRESH_PREFIX + random_token(48)
    return token, digest(token)


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    organization_id: uuid.UUID
    role: Role
    jti: str
    expires_at: dt.datetime
    # The refresh-token family the token was issued from: revoking the family revokes the token.
    family_id: uuid.UUID | None = None


def family_marker(family_id: uuid.UUID) -> str:
    """The revocation entry that ends every access token of one refresh-token family."""
    return f"family:{family_id.hex}"


def _key(settings: Settings) -> bytes:
    return settings.derived_key("jwt")


def issue_access_token(
    settings: Settings,
    *,
    user_id: uuid.UUID,
    organization_id: uuid.UUID,
    role: Role,
    family_id: uuid.UUID | None = None,
) -> tuple[str, AccessClaims]:
    now = dt.datetime.now(dt.UTC)
    claims = AccessClaims(
        user_id=user_id,
        organization_id=organization_id,
        role=role,
        jti=uuid.uuid4().hex,
        expires_at=now + dt.timedelta(minutes=settings.auth.access_token_minutes),
        family_id=family_id,
    )
    payload = {
        "iss": ISSUER,
        "sub": str(user_id),
        "org": str(organization_id),
        "role": str(role),
        "jti": claims.jti,
        "iat": int(now.timestamp()),
        "exp": int(claims.expires_at.timestamp()),
        "typ": "access",
    }
    if family_id is not None:
        payload["fam"] = family_id.hex
    return jwt.encode(payload, _key(settings), algorithm=settings.auth.algorithm), claims


def read_access_token(settings: Settings, token: str) -> AccessClaims:
    """Verify signature, algorithm, issuer and expiry; anything wrong is one 401."""
    try:
        # The algorithm list holds only the configured one: "none" and any other are refused.
        payload = jwt.decode(
            token,
            _key(settings),
            algorithms=[settings.auth.algorithm],
            issuer=ISSUER,
            options={"require": _REQUIRED_CLAIMS},
        )
        if payload.get("typ") != "access":
            raise AuthenticationFailed("not an access token")
        return AccessClaims(
            user_id=uuid.UUID(payload["sub"]),
            organization_id=uuid.UUID(payload["org"]),
            role=Role(payload["role"]),
            jti=str(payload["jti"]),
            expires_at=dt.datetime.fromtimestamp(payload["exp"], dt.UTC),
            family_id=uuid.UUID(payload["fam"]) if payload.get("fam") else None,
        )
    except jwt.ExpiredSignatureError:
        raise AuthenticationFailed("the access token has expired") from None
    except (jwt.InvalidTokenError, ValueError, KeyError):
        raise AuthenticationFailed("invalid access token") from None
