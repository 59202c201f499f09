from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from docuforge.db import Base, IdMixin, TimestampMixin
from docuforge.models.organization import OrganizationOwned


class File(IdMixin, TimestampMixin, OrganizationOwned, Base):
    """An uploaded document. Its bytes live in blob storage under `key`."""

    __tablename__ = "file"

    key: Mapped[str] = mapped_column(String(512), unique=True)
    filename: Mapped[str | None] = mapped_column(String(512))
    extension: Mapped[str | None] = mapped_column(String(16))
    size: Mapped[int | None] = mapped_column(BigInteger)
    # pending: a presigned upload was handed out and may not have happened yet.
    status: Mapped[str] = mapped_column(String(16), default="ready")
    # Members of an uploaded ZIP bundle point at it.
    bundle_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("file.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[str | None] = mapped_column(String(80))
    # The stored object's version when a presigned upload was completed; reads insist on it, so a
    # later PUT to the same URL cannot swap the document under a file that is already ready.
    version: Mapped[str | None] = mapped_column(String(256))
