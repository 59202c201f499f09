"""Prometheus metrics, one registry per app so that several apps in one process stay apart."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        self.requests = Counter(
            "docuforge_http_requests",
            "HTTP requests answered, by route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "docuforge_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template.",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600),
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "docuforge_http_requests_in_flight", "HTTP requests being answered.", registry=self.registry
        )

    def render(self) -> bytes:
        from docuforge.llm.metrics import REGISTRY as LLM_REGISTRY

        # LLM calls are counted where they are made (this process's jobs), in the LLM layer's registry.
        return generate_latest(self.registry) + generate_latest(LLM_REGISTRY)
