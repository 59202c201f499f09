from __future__ import annotations

from typing import Any

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from docuforge.db import Base, IdMixin, JSONDoc, TimestampMixin
from docuforge.models.organization import OrganizationOwned


class Pipeline(IdMixin, TimestampMixin, OrganizationOwned, Base):
    """A saved configuration: parse options, then split, extract or edit; run by id."""

    __tablename__ = "pipeline"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    # The steps as sent (parse, split, extract, edit), checked when saved.
    config: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    created_by: Mapped[str | None] = mapped_column(String(200))
