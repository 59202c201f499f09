"""/auth (login, refresh, logout, me, password), /users and /api-keys."""

from __future__ import annotations

import uuid

from fastapi import Request, Response

from docuforge.auth import service
from docuforge.auth.deps import CanManageKeys, CanManageUsers, PrincipalDep
from docuforge.auth.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyList,
    ApiKeyRead,
    LoginRequest,
    LogoutRequest,
    Me,
    OrganizationRead,
    PasswordChange,
    RefreshRequest,
    TokenPair,
    UserCreate,
    UserList,
    UserRead,
    UserUpdate,
)
from docuforge.db import SessionDep
from docuforge.deps import SettingsDep
from docuforge.models import Organization
from docuforge.routing import RouteGroup, client_address
from docuforge.routing import router as make_router

tokens_router = make_router(RouteGroup.auth, prefix="/auth", tags=["auth"])
router = make_router(tags=["auth"])


@tokens_router.post("/login", response_model=TokenPair)
async def login(
    body: LoginRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> TokenPair:
    """Exchange a username (or e-mail) and password for an access and a refresh token."""
    return await service.login(
        session, settings, request.app.state.limiter, body.username, body.password, client_address(request)
    )


@tokens_router.post("/refresh", response_model=TokenPair)
async def refresh(body: RefreshRequest, session: SessionDep, settings: SettingsDep) -> TokenPair:
    """Rotate a refresh token: the old one stops working; presenting it again revokes the whole chain."""
    try:
        return await service.refresh(session, settings, body.refresh_token)
    except service.RefreshReuse:
        await session.commit()  # the revocation must outlive this failed request
        raise


@router.post("/auth/logout", status_code=204, response_class=Response)
async def logout(
    principal: PrincipalDep, session: SessionDep, settings: SettingsDep, body: LogoutRequest | None = None
) -> Response:
    """End this access token now, and the refresh chain given in the body."""
    await service.logout(session, settings, principal, body.refresh_token if body else None)
    return Response(status_code=204)


@router.get("/auth/me", response_model=Me)
async def me(principal: PrincipalDep, session: SessionDep) -> Me:
    """Who the bearer token stands for."""
    organization = await session.get(Organization, principal.organization_id)
    user = await service.get_user(session, principal, principal.user_id) if principal.user_id else None
    return Me(
        kind=principal.kind,
        organization=OrganizationRead.model_validate(organization),
        role=principal.role,
        user=UserRead.model_validate(user) if user else None,
        api_key_id=principal.api_key_id,
        api_key_name=principal.name if principal.kind == "api_key" else None,
    )


@router.post("/auth/password", status_code=204, response_class=Response)
async def change_password(body: PasswordChange, principal: PrincipalDep, session: SessionDep) -> Response:
    """Change your own password; your other sessions end."""
    await service.change_own_password(session, principal, body.current_password, body.new_password)
    return Response(status_code=204)


@router.get("/users", response_model=UserList, tags=["users"])
async def list_users(principal: CanManageUsers, session: SessionDep) -> UserList:
    """Every user of your organization."""
    users = await service.list_users(session, principal)
    return UserList(users=[UserRead.model_validate(user) for user in users])


@router.post("/users", response_model=UserRead, status_code=201, tags=["users"])
async def create_user(body: UserCreate, principal: CanManageUsers, session: SessionDep) -> UserRead:
    """Add a user to your organization."""
    return UserRead.model_validate(
        await service.create_user(session, principal.organization_id, body, principal)
    )


@router.get("/users/{user_id}", response_model=UserRead, tags=["users"])
async def get_user(user_id: uuid.UUID, principal: CanManageUsers, session: SessionDep) -> UserRead:
    return UserRead.model_validate(await service.get_user(session, principal, user_id))


@router.patch("/users/{user_id}", response_model=UserRead, tags=["users"])
async def update_user(
    user_id: uuid.UUID, body: UserUpdate, principal: CanManageUsers, session: SessionDep
) -> UserRead:
    """Change a user's e-mail, role, password or whether they may log in."""
    return UserRead.model_validate(await service.update_user(session, principal, user_id, body))


@router.delete("/users/{user_id}", status_code=204, response_class=Response, tags=["users"])
async def delete_user(user_id: uuid.UUID, principal: CanManageUsers, session: SessionDep) -> Response:
    await service.delete_user(session, principal, user_id)
    return Response(status_code=204)


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=201, tags=["api keys"])
async def create_key(body: ApiKeyCreate, principal: CanManageKeys, session: SessionDep) -> ApiKeyCreated:
    """Create a key; its secret is in this response and nowhere else, ever."""
    created = await service.create_key(session, principal.organization_id, body, principal)
    return ApiKeyCreated(**ApiKeyRead.model_validate(created.row).model_dump(), key=created.key)


@router.get("/api-keys", response_model=ApiKeyList, tags=["api keys"])
async def list_keys(principal: CanManageKeys, session: SessionDep) -> ApiKeyList:
    """Your organization's keys, with their visible prefix, creator and last use."""
    keys = await service.list_keys(session, principal)
    return ApiKeyList(api_keys=[ApiKeyRead.model_validate(key) for key in keys])


@router.get("/api-keys/{key_id}", response_model=ApiKeyRead, tags=["api keys"])
async def get_key(key_id: uuid.UUID, principal: CanManageKeys, session: SessionDep) -> ApiKeyRead:
    return ApiKeyRead.model_validate(await service.get_key(session, principal, key_id))


@router.delete("/api-keys/{key_id}", response_model=ApiKeyRead, tags=["api keys"])
async def revoke_key(key_id: uuid.UUID, principal: CanManageKeys, session: SessionDep) -> ApiKeyRead:
    """Revoke a key at once; it stays listed, marked revoked."""
    return ApiKeyRead.model_validate(await service.revoke_key(session, principal, key_id))
