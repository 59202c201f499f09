"""Roles and what each may do: the one table every route's permission is checked against."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    viewer = "viewer"
    member = "member"
    admin = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Role.viewer: 0, Role.member: 1, Role.admin: 2}


class Permission(enum.StrEnum):
    read = "read"  # see the organization's files, jobs, results, workspaces
    write = "write"  # upload, create and run jobs, cancel and delete them
    manage_webhooks = "manage_webhooks"
    manage_users = "manage_users"
    manage_keys = "manage_keys"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.viewer: frozenset({Permission.read}),
    # Members do everything the Reducto SDK does, configure_webhook included (webhook.run());
    # only the administration of users and keys is kept for admins.
    Role.member: frozenset({Permission.read, Permission.write, Permission.manage_webhooks}),
    Role.admin: frozenset(Permission),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
