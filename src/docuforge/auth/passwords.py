"""Password hashing (argon2id), verification in constant time, and the minimum policy."""

from __future__ import annotations

from functools import cache

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from docuforge.errors import InvalidRequest

MIN_LENGTH = 12
MAX_LENGTH = 256  # long inputs would make hashing a denial-of-service lever
_hasher = PasswordHasher()  # argon2id, 64 MiB, t=3: RFC 9106's second recommendation
# Each hash takes 64 MiB and a core for ~0.1 s: bound how many run at once.
_slots = anyio.CapacityLimiter(4)
COMMON = frozenset(
    {"password1234", "123456789012", "qwertyuiop12", "passwordpassword", "adminadmin12", "letmeinletmein"}
)


def check_policy(password: str, *, username: str = "", email: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidRequest(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InvalidRequest(f"a password may have at most {MAX_LENGTH} characters")
    lowered = password.lower()
    if len(set(password)) < 4 or lowered in COMMON:
        raise InvalidRequest("that password is too easy to guess")
    for personal in (username.lower(), email.lower(), email.lower().split("@")[0]):
        if personal and len(personal) >= 4 and personal in lowered:
            raise InvalidRequest("a password must not contain the username or e-mail address")


@cache
def _dummy_hash() -> str:
    # Verified against when the user does not exist, so an unknown name costs what a known one does.
    return _hasher.hash("docuforge-no-such-user-password")


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher.hash, password, limiter=_slots)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when password matches; always does the same work, even without a hash."""

    def verify() -> bool:
        try:
            return (
                _hasher.verify(password_hash or _dummy_hash(), password[:MAX_LENGTH])
                and password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False

    return await anyio.to_thread.run_sync(verify, limiter=_slots)
