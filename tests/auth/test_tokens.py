"""JWTs are refused when expired, tampered, unsigned or signed with another algorithm."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from tests.conftest import make_settings

from docuforge.auth import tokens
from docuforge.auth.permissions import Role
from docuforge.errors import AuthenticationFailed


@pytest.fixture
def settings(tmp_path: Path):
    return make_settings(tmp_path, auth={"secret_key": "z" * 40})


def issue(settings, **claims) -> str:
    token, _ = tokens.issue_access_token(
        settings, user_id=uuid.uuid4(), organization_id=uuid.uuid4(), role=Role.member
    )
    if not claims:
        return token
    payload = jwt.decode(token, options={"verify_signature": False}) | claims
    return jwt.encode(payload, settings.derived_key("jwt"), algorithm="HS256")


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_fresh_token_reads_back(settings) -> None:
    user, org = uuid.uuid4(), uuid.uuid4()
    token, claims = tokens.issue_access_token(settings, user_id=user, organization_id=org, role=Role.admin)
    read = tokens.read_access_token(settings, token)
    assert (read.user_id, read.organization_id, read.role, read.jti) == (user, org, Role.admin, claims.jti)
    payload = jwt.decode(token, options={"verify_signature": False})
    assert set(payload) >= {"sub", "org", "role", "jti", "iat", "exp"}
    assert payload["exp"] - payload["iat"] == 30 * 60


def test_expired(settings) -> None:
    past = int((dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).timestamp())
    with pytest.raises(AuthenticationFailed, match="expired"):
        tokens.read_access_token(settings, issue(settings, exp=past))


def test_tampered_payload(settings) -> None:
    header, payload, signature = issue(settings).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged = ".".join([header, b64(claims | {"role": "admin", "org": str(uuid.uuid4())}), signature])
    with pytest.raises(AuthenticationFailed):
        tokens.read_access_token(settings, forged)


def test_alg_none(settings) -> None:
    claims = jwt.decode(issue(settings), options={"verify_signature": False})
    for header in ({"alg": "none", "typ": "JWT"}, {"alg": "None"}, {"alg": "NONE"}):
        with pytest.raises(AuthenticationFailed):
            tokens.read_access_token(settings, f"{b64(header)}.{b64(claims)}.")


def test_other_algorithms(settings) -> None:
    claims = jwt.decode(issue(settings), options={"verify_signature": False})
    hs512 = jwt.encode(claims, settings.derived_key("jwt"), algorithm="HS512")
    with pytest.raises(AuthenticationFailed):
        tokens.read_access_token(settings, hs512)
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(AuthenticationFailed):
        tokens.read_access_token(settings, jwt.encode(claims, private, algorithm="RS256"))


def test_another_servers_key(settings, tmp_path: Path) -> None:
    other = make_settings(tmp_path / "other", auth={"secret_key": "y" * 40})
    with pytest.raises(AuthenticationFailed):
        tokens.read_access_token(settings, issue(other))


@pytest.mark.parametrize("drop", ["exp", "sub", "jti", "org", "iss"])
def test_missing_claims(settings, drop: str) -> None:
    claims = jwt.decode(issue(settings), options={"verify_signature": False})
    del claims[drop]
    with pytest.raises(AuthenticationFailed):
        tokens.read_access_token(settings, jwt.encode(claims, settings.derived_key("jwt"), algorithm="HS256"))


def test_only_access_tokens(settings) -> None:
    with pytest.raises(AuthenticationFailed):
        tokens.read_access_token(settings, issue(settings, typ="refresh"))
    with pytest.raises(AuthenticationFailed):
        tokens.read_access_token(settings, "not-a-jwt")


def test_api_keys_are_scannable_and_only_hashed() -> None:
    key, prefix, stored = tokens.new_api_key()
    assert key.startswith("df_") and len(key) == 43 and key[3:].isalnum()
    assert prefix == key[:11] and stored == tokens.digest(key) and key not in stored
    assert len({tokens.new_api_key()[0] for _ in range(100)}) == 100
