from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class SvixWebhook(BaseModel):
    """Deliver to the organization's configured endpoint (set with /configure_webhook)."""

    model_config = ConfigDict(extra="ignore")
    mode: Literal["svix"] = "svix"
    channels: list[str] = Field(default_factory=list)


class DirectWebhook(BaseModel):
    """Deliver to this URL."""

    model_config = ConfigDict(extra="ignore")
    mode: Literal["direct"] = "direct"
    url: str


class LegacyWebhook(BaseModel):
    """The top-level `webhook` of edit_async and the legacy bodies."""

    model_config = ConfigDict(extra="ignore")
    mode: Literal["disabled", "svix", "direct"] = "disabled"
    url: str | None = None
    channels: list[str] = Field(default_factory=list)
    metadata: Any = None


class EndpointConfig(BaseModel):
    url: str | None = Field(None, max_length=2048, description="Where job events go (svix mode).")
    channels: list[str] = Field(
        default_factory=list, description="Only events for these channels; empty: all."
    )
    enabled: bool = True


class EndpointRead(EndpointConfig):
    model_config = ConfigDict(from_attributes=True)
    secret: str = Field(description="Verify deliveries with this Standard Webhooks secret (whsec_...).")
    updated_at: dt.datetime


class AttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    number: int
    at: dt.datetime
    status_code: int | None
    error: str | None
    duration_ms: float | None


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    message_id: str
    job_id: uuid.UUID | None
    url: str
    status: str
    attempts: int
    created_at: dt.datetime
    delivered_at: dt.datetime | None
    next_attempt_at: dt.datetime
    last_error: str | None
    payload: dict[str, Any]
    history: list[AttemptRead] = Field(default_factory=list)


class DeliveryList(BaseModel):
    deliveries: list[DeliveryRead]
