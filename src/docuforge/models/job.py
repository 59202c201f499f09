from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from docuforge.db import Base, IdMixin, JSONDoc, utcnow
from docuforge.models.organization import OrganizationOwned


class Job(IdMixin, OrganizationOwned, Base):
    """The truth about one unit of work; runners and brokers only carry its id."""

    __tablename__ = "job"
    __table_args__ = (
        Index("ix_job_status_available_at", "status", "available_at"),
        Index("ix_job_organization_id_created_at", "organization_id", "created_at"),
    )

    type: Mapped[str] = mapped_column(String(40))
    # created (waiting for its upload) -> pending -> running -> completed | failed | cancelled
    status: Mapped[str] = mapped_column(String(16), default="pending")
    queue: Mapped[str] = mapped_column(String(16), default="standard")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    timeout: Mapped[float] = mapped_column(Float)
    config: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    # What the work reads: {"file_id": ...} | {"url": ...} | {"job_id": ...}
    input: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    file_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("file.id", ondelete="SET NULL"), index=True)
    webhook: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    created_by: Mapped[str | None] = mapped_column(String(80))

    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    queued_at: Mapped[dt.datetime | None]
    started_at: Mapped[dt.datetime | None]
    # Indexed: the drain rate (admission control) and the retention sweep look jobs up by it.
    finished_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    # Not before this time (retry backoff); and when the runner was last told about the job.
    available_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_at: Mapped[dt.datetime | None]

    lease_owner: Mapped[str | None] = mapped_column(String(120))
    lease_expires_at: Mapped[dt.datetime | None]
    cancel_requested: Mapped[bool] = mapped_column(default=False)

    error_code: Mapped[str | None] = mapped_column(String(40))
    error_message: Mapped[str | None] = mapped_column(Text)

    # The small part of the answer (usage, duration...) inline; the large part in a blob.
    response: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    result_key: Mapped[str | None] = mapped_column(String(512))
    # Other blobs the job made (its Document, image crops): deleted with it.
    artifacts: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    result_size: Mapped[int | None] = mapped_column(BigInteger)
    num_pages: Mapped[int | None]
    duration: Mapped[float | None] = mapped_column(Float)

    # deleting -> deleted: DELETE /job answers 409 until its blobs are gone, then 410.
    deletion: Mapped[str | None] = mapped_column(String(16))
