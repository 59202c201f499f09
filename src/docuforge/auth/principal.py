"""Who is making a request: a user (JWT) or an API key, always on behalf of one organization."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Literal

from docuforge.auth.permissions import Permission, Role, allows


@dataclass(frozen=True, slots=True)
class Principal:
    kind: Literal["user", "api_key"]
    organization_id: uuid.UUID
    role: Role
    name: str
    user_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    token_id: str | None = None  # the access token's jti and expiry, for logout
    token_expires_at: dt.datetime | None = None

    def can(self, permission: Permission) -> bool:
        return allows(self.role, permission)

    @property
    def subject(self) -> str:
        """A stable label for rate limits and audit lines."""
        return f"user:{self.user_id}" if self.kind == "user" else f"key:{self.api_key_id}"
