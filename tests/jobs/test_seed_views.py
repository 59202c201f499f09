"""Seed 002's job view from a job row: statuses, percent progress, retries counted the seed's way."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from docuforge.jobs import seed
from docuforge.models import Job

NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def job(status: str, attempts: int = 0, progress: float = 0.0, **extra: object) -> Job:
    return Job(
        id=uuid.uuid4(),
        organization_id=uuid.uuid4(),
        type="logs",
        status=status,
        attempts=attempts,
        progress=progress,
        timeout=60.0,
        config={},
        input={"file_id": str(uuid.uuid4())},
        created_at=NOW,
        **extra,
    )


@pytest.mark.parametrize(
    ("status", "attempts", "progress", "expected"),
    [
        ("created", 0, 0.0, ("CREATED", 0, 0)),
        ("pending", 0, 0.0, ("QUEUED", 0, 0)),
        ("running", 1, 0.456, ("PROCESSING", 0, 46)),
        # The first attempt failed with a transient error: queued again, one retry counted.
        ("pending", 1, 0.3, ("QUEUED", 1, 30)),
        ("running", 2, 0.1, ("PROCESSING", 1, 10)),
        ("completed", 2, 0.98, ("COMPLETED", 1, 100)),
        ("failed", 3, 0.2, ("FAILED", 2, 20)),
        ("cancelled", 0, 0.0, ("FAILED", 0, 0)),
    ],
)
def test_view(status: str, attempts: int, progress: float, expected: tuple[str, int, int]) -> None:
    view = seed.view(job(status, attempts, progress))
    assert (view["status"], view["retry_count"], view["progress"]) == expected
    assert view["job_type"] == "LOGS" and view["source"] == "api" and view["created_at"] == NOW


def test_sources() -> None:
    by_url = job("pending")
    by_url.input = {"url": "https://example.com/a.log"}
    assert seed.source(by_url) == "url"
    dotted = job("pending")
    dotted.type = "test.echo"
    assert seed.job_type(dotted) == "TEST_ECHO"
