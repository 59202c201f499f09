"""A circuit breaker per provider endpoint: fail fast while it is down, probe it, close on success.

closed: calls go through; `failures` consecutive failures open it. open: calls fail at once with
SERVICE_UNAVAILABLE ("LLM circuit open") until `reset` seconds have passed. half-open: one call
is let through as a probe; its success closes the circuit, its failure opens it for another
`reset` seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from docuforge.llm.types import CircuitOpen

T = TypeVar("T")

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


class CircuitBreaker:
    def __init__(
        self, failures: int = 5, reset: float = 30.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.threshold = failures
        self.reset = reset
        self.clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        with self._lock:
            return self._state()

    def _state(self) -> str:
        if self._opened_at is None:
            return CLOSED
        if self.clock() - self._opened_at >= self.reset:
            return HALF_OPEN
        return OPEN

    def _admit(self) -> None:
        with self._lock:
            state = self._state()
            if state == OPEN or (state == HALF_OPEN and self._probing):
                wait = max(0.0, self.reset - (self.clock() - (self._opened_at or 0.0)))
                raise CircuitOpen(
                    f"LLM circuit open: the provider failed {self._failures} times in a row; "
                    f"not calling it for another {wait:.0f} s",
                    headers={"Retry-After": str(max(1, round(wait)))},
                )
            if state == HALF_OPEN:
                self._probing = True

    def _record(self, ok: bool) -> None:
        with self._lock:
            self._probing = False
            if ok:
                self._failures = 0
                self._opened_at = None
                return
            self._failures += 1
            if self._opened_at is not None or self._failures >= self.threshold:
                self._opened_at = self.clock()

    def call(self, fn: Callable[[], T], counts: Callable[[BaseException], bool] = lambda _e: True) -> T:
        """Run fn through the breaker; exceptions for which `counts` is true count as failures."""
        self._admit()
        try:
            result = fn()
        except BaseException as error:
            self._record(not counts(error))
            raise
        self._record(True)
        return result


_BREAKERS: dict[tuple[str, str, str], CircuitBreaker] = {}
_LOCK = threading.Lock()


def breaker_for(key: tuple[str, str, str], failures: int, reset: float) -> CircuitBreaker:
    """The process's breaker for (provider, base URL, model): every client of that endpoint shares it."""
    with _LOCK:
        found = _BREAKERS.get(key)
        if found is None or (found.threshold, found.reset) != (failures, reset):
            found = _BREAKERS[key] = CircuitBreaker(failures, reset)
        return found
