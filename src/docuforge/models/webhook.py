from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from docuforge.db import Base, IdMixin, JSONDoc, TimestampMixin, utcnow
from docuforge.models.organization import OrganizationOwned


class WebhookEndpoint(IdMixin, TimestampMixin, OrganizationOwned, Base):
    """Where an organization wants job events (svix mode), and the secret they are signed with."""

    __tablename__ = "webhook_endpoint"

    url: Mapped[str | None] = mapped_column(String(2048))
    # Standard Webhooks secret, "whsec_" + base64; kept as is because signing needs it.
    secret: Mapped[str] = mapped_column(String(100))
    channels: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    enabled: Mapped[bool] = mapped_column(default=True)


class WebhookDelivery(IdMixin, OrganizationOwned, Base):
    """One event to one URL, delivered at least once; `message_id` is stable across retries."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),)

    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    signed: Mapped[bool] = mapped_column(default=True)
    # pending -> sending -> delivered | failed (gave up)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    lease_expires_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class WebhookAttempt(IdMixin, Base):
    """Every try of a delivery, whatever came of it."""

    __tablename__ = "webhook_attempt"

    delivery_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[float | None]
