"""The circuit breaker's states on a clock the test moves."""

from __future__ import annotations

import pytest

from docuforge.errors import ErrorCode
from docuforge.llm import CircuitBreaker, CircuitOpen
from docuforge.llm.breaker import CLOSED, HALF_OPEN, OPEN


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _fail() -> None:
    raise ConnectionError("down")


def test_opens_fails_fast_probes_and_closes() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=3, reset=10, clock=clock)
    for _ in range(2):
        with pytest.raises(ConnectionError):
            breaker.call(_fail)
    assert breaker.state == CLOSED
    with pytest.raises(ConnectionError):
        breaker.call(_fail)
    assert breaker.state == OPEN
    called = []
    with pytest.raises(CircuitOpen) as raised:
        breaker.call(lambda: called.append(1))
    assert not called, "an open circuit must not call the provider"
    assert raised.value.code is ErrorCode.SERVICE_UNAVAILABLE and raised.value.status_code == 503
    clock.now += 10
    assert breaker.state == HALF_OPEN
    with pytest.raises(ConnectionError):
        breaker.call(_fail)  # the probe fails: open again for another reset period
    assert breaker.state == OPEN
    clock.now += 10
    assert breaker.call(lambda: "ok") == "ok"
    assert breaker.state == CLOSED


def test_errors_that_do_not_count_leave_it_closed() -> None:
    breaker = CircuitBreaker(failures=1, reset=10, clock=Clock())
    with pytest.raises(ValueError):
        breaker.call(lambda: (_ for _ in ()).throw(ValueError("bad request")), counts=lambda e: False)
    assert breaker.state == CLOSED
