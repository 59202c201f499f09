"""GET /capacity's answer."""

from __future__ import annotations

from pydantic import BaseModel, Field


class QueueCapacity(BaseModel):
    name: str = Field(description="standard or batch.")
    queued: int = Field(description="Jobs waiting to run in this queue, all organizations.")
    running: int = Field(description="Jobs of this queue running now.")
    drain_rate: float | None = Field(
        description="Jobs of this queue finished per second lately; null when none finished in the window."
    )
    estimated_wait: float | None = Field(
        description="Seconds until a job submitted now would start, at the measured drain rate; "
        "null when nothing was measured."
    )


class Workers(BaseModel):
    runner: str = Field(description="inprocess or celery.")
    online: int | None = Field(
        description="Worker processes that answered (celery), or 1 for this service process (inprocess)."
    )
    slots: int | None = Field(description="Jobs they can run at once.")
    busy: int = Field(description="Jobs running now, from the job table.")


class Limits(BaseModel):
    max_queued: int = Field(description="Bound on queued jobs overall; 0 means none.")
    max_queued_per_organization: int = Field(description="Bound on one organization's queued jobs; 0: none.")


class Capacity(BaseModel):
    """Queue depth, workers and estimated waits: what a client needs to pace its submissions."""

    accepting: bool = Field(description="Whether a submission of yours would be admitted now.")
    retry_after: int | None = Field(description="When not accepting: seconds to wait before trying again.")
    queued: int = Field(description="Jobs waiting to run, all organizations.")
    queued_organization: int = Field(description="Your organization's jobs waiting to run.")
    running: int = Field(description="Jobs running now, all organizations.")
    drain_rate: float | None = Field(description="Jobs finished per second lately, all queues.")
    limits: Limits
    workers: Workers
    queues: list[QueueCapacity]
