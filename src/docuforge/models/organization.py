from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from docuforge.db import Base, IdMixin, TimestampMixin


class Organization(IdMixin, TimestampMixin, Base):
    """A tenant: every user, key and resource belongs to exactly one."""

    __tablename__ = "organization"

    name: Mapped[str] = mapped_column(String(200), unique=True)


class OrganizationOwned:
    """Mixin for every resource a tenant owns; queries go through auth.tenancy, which filters on it."""

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
