"""The LLM layer every feature shares: one protocol, two providers, and resilience in one place.

    client = docuforge.llm.client(LlmOptions(base_url="http://127.0.0.1:8080/v1", model="m"))
    answer = client.complete([Message(role="user", content="...")], json_schema={...})

`client()` wraps the provider with retries (backoff on transient errors), a per-call timeout,
the endpoint's circuit breaker and Prometheus metrics.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from docuforge.llm import metrics
from docuforge.llm.anthropic import Anthropic
from docuforge.llm.breaker import CircuitBreaker, breaker_for
from docuforge.llm.openai import OpenAICompatible
from docuforge.llm.types import (
    CircuitOpen,
    Completion,
    LLMClient,
    LlmError,
    LlmOptions,
    LlmOutputError,
    Message,
    Provider,
    Usage,
)


def _transient(error: BaseException) -> bool:
    if isinstance(error, LlmError):
        return error.retryable
    return isinstance(error, httpx.TransportError)  # refused, reset, timed out


class Resilient:
    """A provider behind retries, the endpoint's circuit breaker and metrics."""

    def __init__(self, inner: LLMClient, options: LlmOptions, breaker: CircuitBreaker) -> None:
        self.inner = inner
        self.options = options
        self.breaker = breaker
        self.provider = inner.provider
        self.model = inner.model
        self.sleep = time.sleep

    def _once(self, messages: list[Message], kwargs: dict[str, Any]) -> Completion:
        try:
            return self.inner.complete(messages, **kwargs)
        except httpx.TransportError as error:
            kind = "timed out" if isinstance(error, httpx.TimeoutException) else "unreachable"
            raise LlmError(
                f"{self.provider} at {self.options.base_url} {kind}: {error}", transient=True
            ) from None

    def complete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 1024,
        temperature: float = 0.0,
    ) -> Completion:
        kwargs = {"json_schema": json_schema, "max_tokens": max_tokens, "temperature": temperature}
        labels = (self.provider, self.model)
        started = time.perf_counter()
        delay = self.options.backoff
        attempt = 0
        try:
            while True:
                try:
                    answer = self.breaker.call(lambda: self._once(messages, kwargs), counts=_transient)
                    break
                except LlmError as error:
                    if not error.retryable or attempt >= self.options.max_retries:
                        raise
                    metrics.ERRORS.labels(*labels, str(error.code)).inc()
                    attempt += 1
                    self.sleep(delay)
                    delay *= 2
        except (LlmError, CircuitOpen) as error:
            metrics.ERRORS.labels(*labels, str(error.code)).inc()
            metrics.CALLS.labels(*labels, "error").inc()
            raise
        finally:
            metrics.LATENCY.labels(*labels).observe(time.perf_counter() - started)
        metrics.CALLS.labels(*labels, "ok").inc()
        metrics.TOKENS.labels(*labels, "prompt").inc(answer.usage.prompt_tokens)
        metrics.TOKENS.labels(*labels, "completion").inc(answer.usage.completion_tokens)
        return answer


def client(options: LlmOptions, transport: httpx.BaseTransport | None = None) -> Resilient:
    """The configured provider with retries, timeout, circuit breaker and metrics."""
    inner: LLMClient
    if options.provider is Provider.anthropic:
        inner = Anthropic(options, transport)
    else:
        inner = OpenAICompatible(options, transport)
    key = (str(options.provider), options.base_url, options.model)
    return Resilient(inner, options, breaker_for(key, options.breaker_failures, options.breaker_reset))


__all__ = [
    "CircuitBreaker",
    "CircuitOpen",
    "Completion",
    "LLMClient",
    "LlmError",
    "LlmOptions",
    "LlmOutputError",
    "Message",
    "Provider",
    "Resilient",
    "Usage",
    "client",
]
