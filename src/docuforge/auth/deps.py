"""Who is asking, and may they: one dependency resolves the bearer token; routes name the permission."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from docuforge.auth import service
from docuforge.auth.audit import audit
from docuforge.auth.permissions import Permission
from docuforge.auth.principal import Principal
from docuforge.db import SessionDep
from docuforge.deps import SettingsDep
from docuforge.errors import AuthenticationFailed, PermissionDenied
from docuforge.routing import RouteGroup, client_address, rates_for, spend

# auto_error off: a missing header must be our 401 with our error body, not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="An API key (df_...) or an access token from /auth/login.")


async def get_principal(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        audit("access.denied", reason="no_credentials", path=request.url.path, client=client_address(request))
        raise AuthenticationFailed("an 'Authorization: Bearer <API key or token>' header is required")
    try:
        principal = await service.authenticate(session, settings, credentials.credentials)
    except AuthenticationFailed as exc:
        audit("access.denied", reason=exc.message, path=request.url.path, client=client_address(request))
        raise
    request.state.principal = principal
    group = getattr(request.state, "route_group", RouteGroup.default)
    per_principal, _ = rates_for(settings, group)
    await spend(request, f"{group}:principal:{principal.subject}", per_principal)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(permission: Permission) -> Callable[..., Awaitable[Principal]]:
    async def check(request: Request, principal: PrincipalDep) -> Principal:
        if not principal.can(permission):
            audit("access.denied", principal, reason=f"lacks {permission}", path=request.url.path)
            raise PermissionDenied(f"the {principal.role} role may not {permission.replace('_', ' ')}")
        return principal

    return check


CanRead = Annotated[Principal, Depends(require(Permission.read))]
CanWrite = Annotated[Principal, Depends(require(Permission.write))]
CanManageUsers = Annotated[Principal, Depends(require(Permission.manage_users))]
CanManageKeys = Annotated[Principal, Depends(require(Permission.manage_keys))]
CanManageWebhooks = Annotated[Principal, Depends(require(Permission.manage_webhooks))]
