"""`docuforge orgs|users|keys`: tenants, users and API keys."""

from __future__ import annotations

from typing import Annotated

import typer

from docuforge.cli.app import (
    fail,
    find_organization,
    keys_app,
    load_settings,
    orgs_app,
    users_app,
    with_session,
)


@orgs_app.command("create")
def orgs_create(name: Annotated[str, typer.Argument(help="The organization's unique name.")]) -> None:
    """Create an organization (a tenant); then add its first admin with `users create --admin`."""
    from docuforge.auth import service
    from docuforge.errors import DocuforgeError

    settings = load_settings()
    try:
        organization = with_session(settings, lambda s: service.create_organization(s, name))
    except DocuforgeError as exc:
        fail(exc)
    typer.echo(f"organization {organization.name} ({organization.id})")


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option(prompt=True, help="Login name.")],
    email: Annotated[str, typer.Option(prompt=True, help="E-mail address (also accepted at login).")],
    password: Annotated[
        str,
        typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="At least 12 characters."),
    ],
    admin: Annotated[
        bool, typer.Option("--admin", help="Make the user an admin (same as --role admin).")
    ] = False,
    role: Annotated[str, typer.Option(help="viewer, member or admin.")] = "member",
    org: Annotated[str, typer.Option(help="Organization name.")] = "default",
) -> None:
    """Create a user. With --admin, one who manages users, keys and webhooks."""
    from docuforge.auth import service
    from docuforge.auth.permissions import Role
    from docuforge.auth.schemas import UserCreate
    from docuforge.errors import DocuforgeError

    settings = load_settings()

    async def work(session):
        organization_id = await find_organization(session, org)
        data = UserCreate(
            username=username, email=email, password=password, role=Role.admin if admin else Role(role)
        )
        return await service.create_user(session, organization_id, data, actor=None)

    try:
        user = with_session(settings, work)
    except (DocuforgeError, ValueError) as exc:
        fail(exc)
    typer.echo(f"user {user.username} ({user.role}) created: {user.id}")


def _organization_rows(org: str, listing) -> list:
    """What `listing(session, principal)` (a service function) finds in the named organization."""
    from docuforge.auth.permissions import Role
    from docuforge.auth.principal import Principal
    from docuforge.errors import DocuforgeError

    async def work(session):
        organization_id = await find_organization(session, org)
        principal = Principal(kind="user", organization_id=organization_id, role=Role.admin, name="cli")
        return await listing(session, principal)

    try:
        return with_session(load_settings(), work)
    except DocuforgeError as exc:
        fail(exc)


@users_app.command("list")
def users_list(org: Annotated[str, typer.Option(help="Organization name.")] = "default") -> None:
    """List an organization's users."""
    from docuforge.auth import service

    for user in sorted(_organization_rows(org, service.list_users), key=lambda user: user.username):
        state = "active" if user.is_active else "disabled"
        typer.echo(f"{user.id}  {user.username:<20} {user.role:<7} {state:<8}  {user.email}")


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="What the key is for, e.g. 'ingest pipeline'.")],
    role: Annotated[str, typer.Option(help="viewer, member or admin.")] = "member",
    org: Annotated[str, typer.Option(help="Organization name.")] = "default",
) -> None:
    """Create an API key and print it once; only its hash is stored."""
    from docuforge.auth import service
    from docuforge.auth.permissions import Role
    from docuforge.auth.schemas import ApiKeyCreate
    from docuforge.errors import DocuforgeError

    settings = load_settings()

    async def work(session):
        organization_id = await find_organization(session, org)
        return await service.create_key(
            session, organization_id, ApiKeyCreate(name=name, role=Role(role)), None
        )

    try:
        created = with_session(settings, work)
    except (DocuforgeError, ValueError) as exc:
        fail(exc)
    typer.echo(created.key)
    typer.secho(
        f"key {created.row.prefix}… ({created.row.role}) created; store it now, it is not shown again",
        err=True,
    )


@keys_app.command("list")
def keys_list(org: Annotated[str, typer.Option(help="Organization name.")] = "default") -> None:
    """List an organization's keys (prefixes only)."""
    from docuforge.auth import service

    for key in _organization_rows(org, service.list_keys):
        state = "revoked" if key.revoked_at else "active"
        used = key.last_used_at.isoformat(timespec="seconds") if key.last_used_at else "never"
        typer.echo(f"{key.id}  {key.prefix}…  {key.role:<7} {state:<8} last used {used}  {key.name}")


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key's id (from `keys list`).")]) -> None:
    """Revoke a key at once."""
    import uuid

    from docuforge.auth import service

    settings = load_settings()

    async def work(session):
        return await service.revoke_key_by_id(session, uuid.UUID(key_id))

    try:
        key = with_session(settings, work)
    except ValueError as exc:
        fail(exc)
    if key is None:
        fail(LookupError(f"no key {key_id}"))
    typer.echo(f"key {key.prefix}… revoked")
