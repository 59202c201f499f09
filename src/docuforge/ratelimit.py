"""Request budgets per principal and per client address, in memory or shared through Redis.

The algorithm is GCRA (a leaky bucket kept as one timestamp per key): N requests may arrive in
a burst, then one per period/N; a refused request is told exactly how long to wait.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from typing import Protocol

from docuforge.config import Settings
from docuforge.observability import get_logger

_log = get_logger(__name__)

_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")


@dataclass(frozen=True, slots=True)
class Rate:
    count: int
    period: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE.match(text)
        if not match or int(match.group(1)) < 1:
            raise ValueError(f"a rate reads like '100/minute', not {text!r}")
        return cls(int(match.group(1)), float(_UNITS[match.group(2)]))

    @property
    def interval(self) -> float:
        return self.period / self.count


class Limiter(Protocol):
    async def hit(self, key: str, rate: Rate, *, consume: bool = True) -> float:
        """0 when the request fits the budget (and, if consume, spends it); else seconds to wait."""

    async def reset(self, key: str) -> None: ...

    async def close(self) -> None: ...


class MemoryLimiter:
    """Budgets of this process only: right for one process, too generous for several."""

    def __init__(self) -> None:
        self._tat: dict[str, float] = {}

    async def hit(self, key: str, rate: Rate, *, consume: bool = True) -> float:
        now = time.monotonic()
        tat = max(self._tat.get(key, now), now)
        allow_at = tat + rate.interval - rate.period
        if now < allow_at:
            return allow_at - now
        if consume:
            self._tat[key] = tat + rate.interval
            if len(self._tat) > 100_000:
                self._sweep(now)
        return 0.0

    def _sweep(self, now: float) -> None:
        self._tat = {key: tat for key, tat in self._tat.items() if tat > now}

    async def reset(self, key: str) -> None:
        self._tat.pop(key, None)

    async def close(self) -> None:
        return None


# Redis's own clock, so every process agrees on "now".
_GCRA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allow_at = tat + interval - period
if now < allow_at then return tostring(allow_at - now) end
if ARGV[3] == '1' then
  redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', math.ceil((tat + interval - now) * 1000) + 1)
end
return '0'
"""


class RedisLimiter:
    """Budgets shared by every process that talks to the same Redis."""

    def __init__(self, url: str, prefix: str = "docuforge:rl:") -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._script = self._redis.register_script(_GCRA)
        self._prefix = prefix

    async def hit(self, key: str, rate: Rate, *, consume: bool = True) -> float:
        from redis.exceptions import RedisError

        try:
            wait = await self._script(
                keys=[self._prefix + key], args=[rate.interval, rate.period, int(consume)]
            )
        except RedisError as exc:
            # Fail open: a Redis outage must not take the API down; readiness reports it.
            _log.warning("rate limiter unavailable; request allowed", error=str(exc))
            return 0.0
        return float(wait)

    async def reset(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)

    async def ping(self) -> None:
        await self._redis.ping()

    async def close(self) -> None:
        await self._redis.aclose()


def open_limiter(settings: Settings) -> Limiter:
    if settings.rate_limits.redis_url:
        return RedisLimiter(settings.rate_limits.redis_url)
    return MemoryLimiter()


def retry_after(wait: float) -> int:
    return max(1, math.ceil(wait))
