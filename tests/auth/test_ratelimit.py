"""Request budgets: the algorithm, 429 with Retry-After, login slow-down, and a budget shared
by two service processes through the real Redis."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy.ext.asyncio import AsyncConnection
from tests.conftest import asgi_client, make_settings, running_app
from tests.fixtures.identity import PASSWORD, Tenant
from tests.fixtures.processes import docuforge_server
from tests.fixtures.services import REDIS_URL, require_redis

from docuforge.ratelimit import Limiter, MemoryLimiter, Rate, RedisLimiter
from docuforge.server import create_app


@pytest.fixture(params=["memory", "redis"])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[Limiter]:
    if request.param == "memory":
        yield MemoryLimiter()
        return
    require_redis()
    redis_limiter = RedisLimiter(REDIS_URL, prefix=f"test:{uuid.uuid4().hex}:")
    yield redis_limiter
    await redis_limiter.close()


def test_rates_parse() -> None:
    assert Rate.parse("120/minute") == Rate(120, 60.0)
    assert Rate.parse(" 5 / second ").interval == pytest.approx(0.2)
    for bad in ("0/minute", "ten/minute", "5/fortnight", "5"):
        with pytest.raises(ValueError):
            Rate.parse(bad)


async def test_a_burst_then_one_per_interval(limiter: Limiter) -> None:
    rate = Rate(3, 3.0)
    assert [await limiter.hit("k", rate) for _ in range(3)] == [0, 0, 0]
    wait = await limiter.hit("k", rate)
    assert 0.8 < wait <= 1.0
    # Peeking neither spends nor changes the answer.
    assert 0.8 < await limiter.hit("k", rate, consume=False) <= 1.0
    assert await limiter.hit("other", rate) == 0
    await limiter.reset("k")
    assert await limiter.hit("k", rate) == 0


@pytest.fixture
async def tight_client(
    tmp_path: Path, database_url: str, db_connection: AsyncConnection
) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(
        tmp_path / "data",
        database_url,
        rate_limits={
            "default_per_principal": "3/minute",
            "auth_per_ip": "4/minute",
            "login_failures_per_account": "2/hour",
        },
    )
    async for app in running_app(create_app(settings, configure_logs=False), db_connection):
        async with asgi_client(app) as http:
            yield http


async def test_over_budget_answers_429_with_retry_after(
    tight_client: httpx.AsyncClient, tenant: Tenant
) -> None:
    for _ in range(3):
        assert (await tight_client.get("/auth/me", headers=tenant.member.headers)).status_code == 200
    refused = await tight_client.get("/auth/me", headers=tenant.member.headers)
    assert refused.status_code == 429
    assert refused.json()["error"]["name"] == "RATE_LIMIT"
    assert 1 <= int(refused.headers["retry-after"]) <= 20
    # Another principal has a budget of its own; probes are never budgeted.
    assert (await tight_client.get("/auth/me", headers=tenant.viewer.headers)).status_code == 200
    for _ in range(10):
        assert (await tight_client.get("/health/live")).status_code == 200


async def test_login_is_budgeted_per_address(tight_client: httpx.AsyncClient, tenant: Tenant) -> None:
    statuses = [
        (
            await tight_client.post(
                "/auth/login", json={"username": tenant.viewer.user.username, "password": PASSWORD}
            )
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]


async def test_failed_logins_slow_the_account_down(tight_client: httpx.AsyncClient, tenant: Tenant) -> None:
    name = tenant.member.user.username
    for _ in range(2):
        wrong = await tight_client.post(
            "/auth/login", json={"username": name, "password": "wrong-password-x"}
        )
        assert wrong.status_code == 401
    # Now even the right password waits: guessing cannot go on at full speed.
    right = await tight_client.post("/auth/login", json={"username": name, "password": PASSWORD})
    assert right.status_code == 429 and int(right.headers["retry-after"]) > 60
    # Another account is not affected.
    other = await tight_client.post(
        "/auth/login", json={"username": tenant.admin.user.username, "password": PASSWORD}
    )
    assert other.status_code == 200


@pytest.mark.slow
def test_two_processes_share_one_budget_through_redis(tmp_path: Path) -> None:
    require_redis()
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {
        "DOCUFORGE_RATE_LIMITS__REDIS_URL": REDIS_URL,
        "DOCUFORGE_RATE_LIMITS__DEFAULT_PER_PRINCIPAL": "6/minute",
        "DOCUFORGE_LOG__LEVEL": "WARNING",
    }
    with docuforge_server(env, tmp_path, "a.log") as first:
        key = re.search(r"API key:\s+(df_\w+)", (tmp_path / "a.log").read_text()).group(1)
        with docuforge_server(env, tmp_path, "b.log") as second:
            headers = {"Authorization": f"Bearer {key}"}
            statuses = [
                httpx.get(f"{base}/auth/me", headers=headers).status_code for base in [first, second] * 3
            ]
            assert statuses == [200] * 6
            for base in (first, second):
                refused = httpx.get(f"{base}/auth/me", headers=headers)
                assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
            ready = httpx.get(f"{second}/health/ready").json()
            assert ready["components"]["redis"]["status"] == "ok"
