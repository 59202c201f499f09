"""Prometheus metrics of LLM calls, by provider and model, in a registry the service's /metrics includes."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry()

CALLS = Counter(
    "docuforge_llm_calls",
    "LLM calls made, by provider, model and outcome.",
    ["provider", "model", "outcome"],
    registry=REGISTRY,
)
ERRORS = Counter(
    "docuforge_llm_errors",
    "LLM calls that failed, by provider, model and error code.",
    ["provider", "model", "code"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "docuforge_llm_call_duration_seconds",
    "Time one LLM call took (retries included), by provider and model.",
    ["provider", "model"],
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
    registry=REGISTRY,
)
TOKENS = Counter(
    "docuforge_llm_tokens",
    "Tokens used, by provider, model and kind (prompt, completion).",
    ["provider", "model", "kind"],
    registry=REGISTRY,
)
