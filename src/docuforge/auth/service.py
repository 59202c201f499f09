"""Identity operations: authenticate a bearer token, log in and out, manage users and keys.

Services flush; the request (or the CLI command) owns the commit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth import passwords, tokens
from docuforge.auth.audit import audit
from docuforge.auth.permissions import Role
from docuforge.auth.principal import Principal
from docuforge.auth.schemas import ApiKeyCreate, TokenPair, UserCreate, UserUpdate
from docuforge.auth.tenancy import get_owned, scoped
from docuforge.config import Settings
from docuforge.db import utcnow
from docuforge.errors import AuthenticationFailed, Conflict, InvalidRequest, PermissionDenied, RateLimited
from docuforge.models import ApiKey, Organization, RefreshToken, RevokedAccessToken, User
from docuforge.ratelimit import Limiter, Rate, retry_after

_LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
LOGIN_FAILED = "invalid username or password"


async def authenticate(session: AsyncSession, settings: Settings, token: str) -> Principal:
    """Resolve a bearer token, API key or JWT, to the principal it stands for."""
    if token.startswith(tokens.API_KEY_PREFIX):
        return await _authenticate_key(session, token)
    claims = tokens.read_access_token(settings, token)
    # One lookup covers the token itself and the refresh-token family it came from.
    revoked_keys = [claims.jti]
    if claims.family_id is not None:
        revoked_keys.append(tokens.family_marker(claims.family_id))
    revoked = await session.execute(
        select(RevokedAccessToken.jti).where(RevokedAccessToken.jti.in_(revoked_keys)).limit(1)
    )
    if revoked.first() is not None:
        raise AuthenticationFailed("the access token was revoked")
    user = await session.get(User, claims.user_id)
    if user is None or not user.is_active or user.organization_id != claims.organization_id:
        raise AuthenticationFailed("the user no longer exists or is disabled")
    # The role comes from the row, not the token: a demotion takes effect at once.
    return Principal(
        kind="user",
        organization_id=user.organization_id,
        role=Role(user.role),
        name=user.username,
        user_id=user.id,
        token_id=claims.jti,
        token_expires_at=claims.expires_at,
    )


async def _authenticate_key(session: AsyncSession, key: str) -> Principal:
    found = (
        await session.execute(select(ApiKey).where(ApiKey.secret_hash == tokens.digest(key)))
    ).scalar_one_or_none()
    now = utcnow()
    if found is None or found.revoked_at is not None or (found.expires_at and found.expires_at <= now):
        raise AuthenticationFailed("invalid, expired or revoked API key")
    if found.last_used_at is None or now - found.last_used_at > _LAST_USED_RESOLUTION:
        found.last_used_at = now
    return Principal(
        kind="api_key",
        organization_id=found.organization_id,
        role=Role(found.role),
        name=found.name,
        api_key_id=found.id,
    )


# ---------------------------------------------------------------- login, refresh, logout


async def login(
    session: AsyncSession, settings: Settings, limiter: Limiter, identifier: str, password: str, address: str
) -> TokenPair:
    account_key = f"login-fail:account:{identifier.strip().lower()}"
    address_key = f"login-fail:ip:{address}"
    per_account = Rate.parse(settings.rate_limits.login_failures_per_account)
    per_address = Rate.parse(settings.rate_limits.login_failures_per_ip)
    # Past the failure budget every attempt waits, right or wrong: guessing slows to a crawl.
    for key, rate in ((account_key, per_account), (address_key, per_address)):
        wait = await limiter.hit(key, rate, consume=False)
        if wait > 0:
            audit("auth.login.throttled", username=identifier, client=address)
            raise RateLimited(
                retry_after(wait), "too many failed logins; retry after the time in Retry-After"
            )

    user = await _find_user(session, identifier)
    valid = await passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        await limiter.hit(account_key, per_account)
        await limiter.hit(address_key, per_address)
        reason = "unknown_user" if user is None else ("wrong_password" if not valid else "disabled")
        audit("auth.login.failed", username=identifier, client=address, reason=reason)
        raise AuthenticationFailed(LOGIN_FAILED)
    await limiter.reset(account_key)
    user.last_login_at = utcnow()
    pair = await _issue_pair(session, settings, user, family_id=uuid.uuid4())
    audit(
        "auth.login.succeeded",
        user_id=str(user.id),
        organization_id=str(user.organization_id),
        client=address,
    )
    return pair


async def _find_user(session: AsyncSession, identifier: str) -> User | None:
    name = identifier.strip().lower()
    column = User.email if "@" in name else User.username
    return (await session.execute(select(User).where(func.lower(column) == name))).scalar_one_or_none()


async def _issue_pair(
    session: AsyncSession, settings: Settings, user: User, family_id: uuid.UUID
) -> TokenPair:
    access, _ = tokens.issue_access_token(
        settings,
        user_id=user.id,
        organization_id=user.organization_id,
        role=Role(user.role),
        family_id=family_id,
    )
    refresh, refresh_hash = tokens.new_refresh_token()
    lifetime = dt.timedelta(days=settings.auth.refresh_token_days)
    session.add(
        RefreshToken(
            user_id=user.id, family_id=family_id, token_hash=refresh_hash, expires_at=utcnow() + lifetime
        )
    )
    await session.flush()
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_in=settings.auth.access_token_minutes * 60,
        refresh_expires_in=int(lifetime.total_seconds()),
    )


class RefreshReuse(AuthenticationFailed):
    """A used refresh token came back: someone holds a copy. The family is revoked; this must commit."""


async def refresh(session: AsyncSession, settings: Settings, token: str) -> TokenPair:
    stored = (
        await session.execute(select(RefreshToken).where(RefreshToken.token_hash == tokens.digest(token)))
    ).scalar_one_or_none()
    now = utcnow()
    if stored is None or stored.expires_at <= now:
        raise AuthenticationFailed("invalid or expired refresh token")
    if stored.used_at is not None or stored.revoked_at is not None:
        await _revoke_family(session, settings, stored.family_id)
        audit("auth.refresh.reuse_detected", user_id=str(stored.user_id), family_id=str(stored.family_id))
        raise RefreshReuse("this refresh token was already used; every session of its chain is now revoked")
    user = await session.get(User, stored.user_id)
    if user is None or not user.is_active:
        raise AuthenticationFailed("the user no longer exists or is disabled")
    # Mark used with a guarded UPDATE: two concurrent refreshes of one token cannot both win.
    claimed = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == stored.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        await _revoke_family(session, settings, stored.family_id)
        raise RefreshReuse("this refresh token was already used; every session of its chain is now revoked")
    return await _issue_pair(session, settings, user, family_id=stored.family_id)


async def _revoke_family(session: AsyncSession, settings: Settings, family_id: uuid.UUID) -> None:
    """End a login session: its refresh tokens, and every access token issued from them."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    # The family's access tokens live at most one access lifetime past now; the marker outlives them.
    marker = tokens.family_marker(family_id)
    if await session.get(RevokedAccessToken, marker) is None:
        lifetime = dt.timedelta(minutes=settings.auth.access_token_minutes)
        session.add(RevokedAccessToken(jti=marker, expires_at=utcnow() + lifetime))
        await session.flush()


async def logout(
    session: AsyncSession, settings: Settings, principal: Principal, refresh_token: str | None
) -> None:
    if principal.token_id and principal.token_expires_at:
        session.add(RevokedAccessToken(jti=principal.token_id, expires_at=principal.token_expires_at))
    if refresh_token:
        stored = (
            await session.execute(
                select(RefreshToken).where(RefreshToken.token_hash == tokens.digest(refresh_token))
            )
        ).scalar_one_or_none()
        if stored is not None and stored.user_id == principal.user_id:
            await _revoke_family(session, settings, stored.family_id)
    # Expired entries are dead weight; dropping them here keeps the table small without a cron.
    await session.execute(delete(RevokedAccessToken).where(RevokedAccessToken.expires_at < utcnow()))
    await session.flush()
    audit("auth.logout", principal)


async def change_own_password(session: AsyncSession, principal: Principal, current: str, new: str) -> None:
    if principal.user_id is None:
        raise InvalidRequest("API keys have no password")
    user = await session.get(User, principal.user_id)
    assert user is not None
    if not await passwords.verify_password(user.password_hash, current):
        audit("user.password_change_refused", principal, reason="wrong_current_password")
        raise PermissionDenied("the current password is wrong")
    await _set_password(user, new)
    # Other sessions end: whoever knew the old password must log in again.
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    audit("user.password_changed", principal, user_id=str(user.id))


async def _set_password(user: User, password: str) -> None:
    passwords.check_policy(password, username=user.username, email=user.email)
    user.password_hash = await passwords.hash_password(password)
    user.password_changed_at = utcnow()


# ---------------------------------------------------------------- organizations and users


async def create_organization(session: AsyncSession, name: str) -> Organization:
    organization = Organization(name=name)
    session.add(organization)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict(f"an organization named {name!r} exists") from None
    return organization


async def get_organization_by_name(session: AsyncSession, name: str) -> Organization | None:
    return (await session.execute(select(Organization).where(Organization.name == name))).scalar_one_or_none()


async def create_user(
    session: AsyncSession, organization_id: uuid.UUID, data: UserCreate, actor: Principal | None
) -> User:
    if actor is not None and data.role.rank > actor.role.rank:
        raise PermissionDenied("a user cannot be given a role above your own")
    passwords.check_policy(data.password, username=data.username, email=str(data.email))
    user = User(
        organization_id=organization_id,
        username=data.username,
        email=str(data.email).lower(),
        role=str(data.role),
        password_hash=await passwords.hash_password(data.password),
    )
    session.add(user)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict("that username or e-mail address is taken") from None
    audit("user.created", actor, user_id=str(user.id), username=user.username, new_role=user.role)
    return user


async def list_users(session: AsyncSession, principal: Principal) -> list[User]:
    statement = scoped(select(User), User, principal).order_by(User.created_at)
    return list((await session.execute(statement)).scalars())


async def get_user(session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> User:
    return await get_owned(session, User, user_id, principal)


async def update_user(
    session: AsyncSession, principal: Principal, user_id: uuid.UUID, data: UserUpdate
) -> User:
    user = await get_owned(session, User, user_id, principal)
    if data.role is not None and data.role != user.role:
        if data.role.rank > principal.role.rank:
            raise PermissionDenied("a user cannot be given a role above your own")
        if user.role == Role.admin:
            await _keep_an_admin(session, user)
        audit(
            "user.role_changed", principal, user_id=str(user.id), old_role=user.role, new_role=str(data.role)
        )
        user.role = str(data.role)
    if data.is_active is not None and data.is_active != user.is_active:
        if not data.is_active and user.role == Role.admin:
            await _keep_an_admin(session, user)
        user.is_active = data.is_active
        audit("user.activated" if data.is_active else "user.deactivated", principal, user_id=str(user.id))
    if data.email is not None:
        user.email = str(data.email).lower()
    if data.password is not None:
        await _set_password(user, data.password)
        audit("user.password_reset", principal, user_id=str(user.id))
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict("that e-mail address is taken") from None
    return user


async def delete_user(session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> None:
    user = await get_owned(session, User, user_id, principal)
    if user.role == Role.admin:
        await _keep_an_admin(session, user)
    await session.delete(user)
    await session.flush()
    audit("user.deleted", principal, user_id=str(user.id), username=user.username)


async def _keep_an_admin(session: AsyncSession, leaving: User) -> None:
    """An organization must keep one active admin, or nobody could manage it again."""
    others = await session.scalar(
        select(func.count())
        .select_from(User)
        .where(
            User.organization_id == leaving.organization_id,
            User.role == str(Role.admin),
            User.is_active.is_(True),
            User.id != leaving.id,
        )
    )
    if not others:
        raise Conflict("this is the organization's last active admin")


# ---------------------------------------------------------------- API keys


@dataclass(frozen=True, slots=True)
class NewKey:
    row: ApiKey
    key: str


async def create_key(
    session: AsyncSession, organization_id: uuid.UUID, data: ApiKeyCreate, creator: Principal | None
) -> NewKey:
    if creator is not None and data.role.rank > creator.role.rank:
        raise PermissionDenied(f"a key may carry at most your own role ({creator.role})")
    if data.expires_at is not None and data.expires_at.tzinfo is None:
        raise InvalidRequest("expires_at needs a time zone")
    key, prefix, secret_hash = tokens.new_api_key()
    row = ApiKey(
        organization_id=organization_id,
        name=data.name,
        prefix=prefix,
        secret_hash=secret_hash,
        role=str(data.role),
        created_by_id=creator.user_id if creator else None,
        created_by_key_id=creator.api_key_id if creator else None,
        expires_at=data.expires_at,
    )
    session.add(row)
    await session.flush()
    audit("key.created", creator, api_key_id=str(row.id), name=row.name, key_role=row.role, prefix=prefix)
    return NewKey(row=row, key=key)


async def list_keys(session: AsyncSession, principal: Principal) -> list[ApiKey]:
    statement = scoped(select(ApiKey), ApiKey, principal).order_by(ApiKey.created_at)
    return list((await session.execute(statement)).scalars())


async def get_key(session: AsyncSession, principal: Principal, key_id: uuid.UUID) -> ApiKey:
    return await get_owned(session, ApiKey, key_id, principal)


async def revoke_key(session: AsyncSession, principal: Principal, key_id: uuid.UUID) -> ApiKey:
    row = await get_owned(session, ApiKey, key_id, principal)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        await session.flush()
        audit("key.revoked", principal, api_key_id=str(row.id), name=row.name)
    return row


async def revoke_key_by_id(session: AsyncSession, key_id: uuid.UUID) -> ApiKey | None:
    """The operator's revocation (the command line): a key of any organization, by its id."""
    row = await session.get(ApiKey, key_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        await session.flush()
    return row


# ---------------------------------------------------------------- first start


@dataclass(frozen=True, slots=True)
class Bootstrap:
    organization: str
    username: str
    password: str
    api_key: str


async def bootstrap(session: AsyncSession) -> Bootstrap | None:
    """On an empty database: an organization, an admin and a key, returned to be shown once."""
    if await session.scalar(select(func.count()).select_from(User)):
        return None
    organization = await get_organization_by_name(session, "default") or await create_organization(
        session, "default"
    )
    password = tokens.random_token(20)
    user = await create_user(
        session,
        organization.id,
        UserCreate(username="admin", email="admin@docuforge.example.com", password=password, role=Role.admin),
        actor=None,
    )
    owner = Principal(
        kind="user", organization_id=organization.id, role=Role.admin, name="admin", user_id=user.id
    )
    created = await create_key(
        session, organization.id, ApiKeyCreate(name="bootstrap", role=Role.admin), owner
    )
    return Bootstrap(organization=organization.name, username="admin", password=password, api_key=created.key)
