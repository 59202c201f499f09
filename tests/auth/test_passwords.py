import pytest

from docuforge.auth import passwords
from docuforge.errors import InvalidRequest


@pytest.mark.parametrize(
    "password",
    ["short", "aaaaaaaaaaaaaaaa", "password1234", "x" * 300, "my-name-is-annabel-123"],
)
def test_policy_refuses_weak_passwords(password: str) -> None:
    with pytest.raises(InvalidRequest):
        passwords.check_policy(password, username="annabel", email="annabel@example.org")


def test_policy_accepts_a_reasonable_password() -> None:
    passwords.check_policy("violet-tractor-91-lamp", username="annabel", email="annabel@example.org")


async def test_hash_is_argon2id_and_verifies() -> None:
    hashed = await passwords.hash_password("violet-tractor-91-lamp")
    assert hashed.startswith("$argon2id$")
    assert await passwords.verify_password(hashed, "violet-tractor-91-lamp")
    assert not await passwords.verify_password(hashed, "violet-tractor-91-lamq")
    assert not await passwords.verify_password("not a hash", "violet-tractor-91-lamp")


async def test_a_missing_user_costs_a_full_verification() -> None:
    import time

    hashed = await passwords.hash_password("violet-tractor-91-lamp")
    started = time.perf_counter()
    assert not await passwords.verify_password(hashed, "wrong-password-here")
    known = time.perf_counter() - started
    started = time.perf_counter()
    assert not await passwords.verify_password(None, "violet-tractor-91-lamp")
    unknown = time.perf_counter() - started
    # Both run argon2 over 64 MiB; an early return for unknown users would be ~1000x faster.
    assert unknown > known / 4
