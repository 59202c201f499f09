from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from docuforge.auth.permissions import Role


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=320, description="Username or e-mail address.")
    password: str = Field(min_length=1, max_length=1024)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(description="Seconds until the access token expires.")
    refresh_expires_in: int = Field(description="Seconds until the refresh token expires.")


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=200)


class LogoutRequest(BaseModel):
    refresh_token: str | None = Field(None, max_length=200, description="Also end this refresh chain.")


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class OrganizationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    name: str


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    organization_id: uuid.UUID
    username: str
    email: str
    role: Role
    is_active: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None


class UserCreate(BaseModel):
    username: str = Field(min_length=2, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")
    email: EmailStr
    password: str = Field(max_length=1024)
    role: Role = Role.member


class UserUpdate(BaseModel):
    email: EmailStr | None = None
    role: Role | None = None
    is_active: bool | None = None
    password: str | None = Field(None, max_length=1024, description="Set a new password (an admin's reset).")


class UserList(BaseModel):
    users: list[UserRead]


class Me(BaseModel):
    kind: Literal["user", "api_key"]
    organization: OrganizationRead
    role: Role
    user: UserRead | None = None
    api_key_id: uuid.UUID | None = None
    api_key_name: str | None = None


class ApiKeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    role: Role = Field(Role.member, description="At most the creator's own role.")
    expires_at: dt.datetime | None = None


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    name: str
    prefix: str = Field(
        description="The key's first characters, to recognise it; the rest is never shown again."
    )
    role: Role
    created_at: dt.datetime
    created_by_id: uuid.UUID | None = Field(description="The user who made the key, if a user did.")
    created_by_key_id: uuid.UUID | None = Field(description="The key that made this key, if a key did.")
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The secret. Shown once: store it now.")


class ApiKeyList(BaseModel):
    api_keys: list[ApiKeyRead]
