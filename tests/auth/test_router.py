"""Login, refresh rotation, logout, users and API keys through the HTTP API."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from tests.fixtures.identity import PASSWORD, Tenant


async def login(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post("/auth/login", json={"username": username, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_login_by_username_or_email(client: httpx.AsyncClient, tenant: Tenant) -> None:
    for identifier in (tenant.member.user.username, tenant.member.user.email.upper()):
        response = await login(client, identifier)
        assert response.status_code == 200, response.text
        pair = response.json()
        assert pair["token_type"] == "bearer" and pair["expires_in"] == 1800
        me = await client.get("/auth/me", headers=bearer(pair["access_token"]))
        assert me.status_code == 200
        assert me.json()["user"]["id"] == str(tenant.member.user.id)
        assert me.json()["role"] == "member" and me.json()["kind"] == "user"


async def test_login_does_not_reveal_whether_the_user_exists(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    wrong_password = await login(client, tenant.member.user.username, "not-the-password-1")
    no_such_user = await login(client, "nobody-here", "not-the-password-1")
    assert wrong_password.status_code == no_such_user.status_code == 401
    assert wrong_password.json()["error"]["message"] == no_such_user.json()["error"]["message"]


async def test_disabled_users_cannot_log_in(client: httpx.AsyncClient, tenant: Tenant) -> None:
    pair = (await login(client, tenant.viewer.user.username)).json()
    disabled = await client.patch(
        f"/users/{tenant.viewer.user.id}", json={"is_active": False}, headers=tenant.admin.headers
    )
    assert disabled.status_code == 200 and disabled.json()["is_active"] is False
    assert (await login(client, tenant.viewer.user.username)).status_code == 401
    # Tokens issued before are dead at once.
    assert (await client.get("/auth/me", headers=bearer(pair["access_token"]))).status_code == 401
    assert (
        await client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    ).status_code == 401


async def test_refresh_rotates_and_reuse_revokes_the_family(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    first = (await login(client, tenant.member.user.username)).json()
    second = (await client.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})).json()
    assert second["refresh_token"] != first["refresh_token"]
    third = (await client.post("/auth/refresh", json={"refresh_token": second["refresh_token"]})).json()
    # Someone replays the first token: refused, and the live link of the chain dies too.
    replay = await client.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401 and "revoked" in replay.json()["error"]["message"]
    stolen = await client.post("/auth/refresh", json={"refresh_token": third["refresh_token"]})
    assert stolen.status_code == 401
    # The access tokens the family issued die with it, not when they expire.
    for pair in (first, second, third):
        assert (await client.get("/auth/me", headers=bearer(pair["access_token"]))).status_code == 401
    # Other login sessions are another family and live on.
    other = (await login(client, tenant.member.user.username)).json()
    assert (await client.get("/auth/me", headers=bearer(other["access_token"]))).status_code == 200
    assert (
        await client.post("/auth/refresh", json={"refresh_token": other["refresh_token"]})
    ).status_code == 200


async def test_logout_ends_the_token_and_its_chain(client: httpx.AsyncClient, tenant: Tenant) -> None:
    pair = (await login(client, tenant.member.user.username)).json()
    out = await client.post(
        "/auth/logout", json={"refresh_token": pair["refresh_token"]}, headers=bearer(pair["access_token"])
    )
    assert out.status_code == 204
    assert (await client.get("/auth/me", headers=bearer(pair["access_token"]))).status_code == 401
    assert (
        await client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    ).status_code == 401


async def test_change_own_password(client: httpx.AsyncClient, tenant: Tenant) -> None:
    pair = (await login(client, tenant.member.user.username)).json()
    headers = bearer(pair["access_token"])
    wrong = await client.post(
        "/auth/password",
        json={"current_password": "nope-nope-nope", "new_password": "new-lamp-tractor-77"},
        headers=headers,
    )
    assert wrong.status_code == 403
    weak = await client.post(
        "/auth/password", json={"current_password": PASSWORD, "new_password": "short"}, headers=headers
    )
    assert weak.status_code == 400
    ok = await client.post(
        "/auth/password",
        json={"current_password": PASSWORD, "new_password": "new-lamp-tractor-77"},
        headers=headers,
    )
    assert ok.status_code == 204
    assert (await login(client, tenant.member.user.username)).status_code == 401
    assert (await login(client, tenant.member.user.username, "new-lamp-tractor-77")).status_code == 200
    # Sessions opened with the old password end.
    assert (
        await client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    ).status_code == 401
    keyed = await client.post(
        "/auth/password",
        json={"current_password": "x", "new_password": "new-lamp-tractor-78"},
        headers=tenant.member.headers,
    )
    assert keyed.status_code == 400  # an API key has no password


async def test_admin_manages_users(client: httpx.AsyncClient, tenant: Tenant) -> None:
    admin = tenant.admin.headers
    created = await client.post(
        "/users",
        json={
            "username": "newbie",
            "email": "newbie@docuforge-tests.com",
            "password": "lamp-violet-tractor-3",
        },
        headers=admin,
    )
    assert created.status_code == 201
    user = created.json()
    assert user["role"] == "member" and "password" not in json.dumps(user) and "hash" not in json.dumps(user)
    duplicate = await client.post(
        "/users",
        json={
            "username": "newbie",
            "email": "other@docuforge-tests.com",
            "password": "lamp-violet-tractor-3",
        },
        headers=admin,
    )
    assert duplicate.status_code == 409
    listed = (await client.get("/users", headers=admin)).json()["users"]
    assert {u["username"] for u in listed} == {
        tenant.admin.user.username,
        tenant.member.user.username,
        tenant.viewer.user.username,
        "newbie",
    }
    promoted = await client.patch(f"/users/{user['id']}", json={"role": "viewer"}, headers=admin)
    assert promoted.status_code == 200 and promoted.json()["role"] == "viewer"
    reset = await client.patch(
        f"/users/{user['id']}", json={"password": "lamp-violet-tractor-4"}, headers=admin
    )
    assert reset.status_code == 200
    assert (await login(client, "newbie", "lamp-violet-tractor-4")).status_code == 200
    assert (await client.delete(f"/users/{user['id']}", headers=admin)).status_code == 204
    assert (await client.get(f"/users/{user['id']}", headers=admin)).status_code == 404


async def test_the_last_admin_stays(client: httpx.AsyncClient, tenant: Tenant) -> None:
    admin_id = tenant.admin.user.id
    for change in ({"role": "member"}, {"is_active": False}):
        response = await client.patch(f"/users/{admin_id}", json=change, headers=tenant.admin.headers)
        assert response.status_code == 409, change
    assert (await client.delete(f"/users/{admin_id}", headers=tenant.admin.headers)).status_code == 409


async def test_api_keys_are_shown_once_listed_by_prefix_and_revocable(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    admin = tenant.admin.headers
    created = await client.post("/api-keys", json={"name": "pipeline", "role": "viewer"}, headers=admin)
    assert created.status_code == 201
    body = created.json()
    key = body["key"]
    assert key.startswith("df_") and key.startswith(body["prefix"]) and body["role"] == "viewer"
    assert body["created_by_key_id"] == str(tenant.admin.key_row.id) and body["created_by_id"] is None
    listed = (await client.get("/api-keys", headers=admin)).json()["api_keys"]
    assert key not in json.dumps(listed)
    assert {k["prefix"] for k in listed} >= {body["prefix"]}
    me = await client.get("/auth/me", headers=bearer(key))
    assert (
        me.json()["kind"] == "api_key"
        and me.json()["role"] == "viewer"
        and me.json()["api_key_name"] == "pipeline"
    )
    used = (await client.get(f"/api-keys/{body['id']}", headers=admin)).json()
    assert used["last_used_at"] is not None
    revoked = await client.delete(f"/api-keys/{body['id']}", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert (await client.get("/auth/me", headers=bearer(key))).status_code == 401


async def test_a_key_carries_no_more_than_its_creators_role(
    client: httpx.AsyncClient, tenant: Tenant, db_session
) -> None:
    from docuforge.auth import service
    from docuforge.auth.permissions import Role
    from docuforge.auth.schemas import ApiKeyCreate
    from docuforge.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        await service.create_key(
            db_session,
            tenant.organization.id,
            ApiKeyCreate(name="x", role=Role.admin),
            tenant.member.principal,
        )
    created = await client.post(
        "/api-keys", json={"name": "ops", "role": "admin"}, headers=tenant.admin.headers
    )
    assert created.status_code == 201


async def test_expired_and_unknown_keys_are_refused(client: httpx.AsyncClient, tenant: Tenant) -> None:
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat()
    created = await client.post(
        "/api-keys", json={"name": "old", "expires_at": past}, headers=tenant.admin.headers
    )
    assert (await client.get("/auth/me", headers=bearer(created.json()["key"]))).status_code == 401
    assert (await client.get("/auth/me", headers=bearer("df_" + "A" * 40))).status_code == 401
    assert (await client.get("/auth/me")).status_code == 401
    assert (await client.get("/auth/me", headers={"Authorization": "Basic Zm9vOmJhcg=="})).status_code == 401
    unauthorized = await client.get("/auth/me")
    assert unauthorized.headers["www-authenticate"] == "Bearer"
    assert unauthorized.json()["error"]["name"] == "AUTH_ERROR"


async def test_demotion_takes_effect_at_once(client: httpx.AsyncClient, tenant: Tenant) -> None:
    pair = (await login(client, tenant.member.user.username)).json()
    await client.patch(
        f"/users/{tenant.member.user.id}", json={"role": "viewer"}, headers=tenant.admin.headers
    )
    me = await client.get("/auth/me", headers=bearer(pair["access_token"]))
    assert me.json()["role"] == "viewer"


async def test_security_events_are_audited(client: httpx.AsyncClient, tenant: Tenant, json_log) -> None:
    json_log()
    await login(client, tenant.member.user.username)
    await login(client, tenant.member.user.username, "wrong-password-x")
    key = (await client.post("/api-keys", json={"name": "audited"}, headers=tenant.admin.headers)).json()
    await client.delete(f"/api-keys/{key['id']}", headers=tenant.admin.headers)
    await client.patch(
        f"/users/{tenant.viewer.user.id}", json={"role": "member"}, headers=tenant.admin.headers
    )
    await client.get("/users", headers=tenant.viewer.headers)
    await client.get("/users")
    audit = [line for line in json_log() if line.get("audit")]
    events = [line["event"] for line in audit]
    for expected in (
        "auth.login.succeeded",
        "auth.login.failed",
        "key.created",
        "key.revoked",
        "user.role_changed",
        "access.denied",
    ):
        assert expected in events, expected
    role_change = next(line for line in audit if line["event"] == "user.role_changed")
    assert (role_change["old_role"], role_change["new_role"]) == ("viewer", "member")
    assert role_change["actor"] == f"key:{tenant.admin.key_row.id}"
    denied = [line for line in audit if line["event"] == "access.denied"]
    assert {line["reason"] for line in denied} >= {"lacks manage_users", "no_credentials"}
    assert key["key"] not in json.dumps(audit) and PASSWORD not in json.dumps(audit)


async def test_forged_tokens_are_refused_by_the_api(client: httpx.AsyncClient, tenant: Tenant, app) -> None:
    import base64

    import jwt as pyjwt

    pair = (await login(client, tenant.member.user.username)).json()
    claims = pyjwt.decode(pair["access_token"], options={"verify_signature": False})
    key = app.state.settings.derived_key("jwt")

    def b64(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    header, _, signature = pair["access_token"].split(".")
    forged = {
        "expired": pyjwt.encode(claims | {"exp": claims["iat"] - 10}, key, algorithm="HS256"),
        "tampered": ".".join([header, b64(claims | {"role": "admin"}), signature]),
        "alg none": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}.",
        "other algorithm": pyjwt.encode(claims, key, algorithm="HS512"),
        "other key": pyjwt.encode(claims, b"k" * 64, algorithm="HS256"),
    }
    for name, token in forged.items():
        response = await client.get("/auth/me", headers=bearer(token))
        assert response.status_code == 401, name
        assert response.json()["error"]["name"] == "AUTH_ERROR"
    assert (await client.get("/auth/me", headers=bearer(pair["access_token"]))).status_code == 200
