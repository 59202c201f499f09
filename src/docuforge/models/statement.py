from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from docuforge.db import Base, IdMixin, JSONDoc, TimestampMixin
from docuforge.models.organization import OrganizationOwned


class FinancialStatement(IdMixin, TimestampMixin, OrganizationOwned, Base):
    """One financial statement read from a document (or sent as JSON): its lines, periods and checks."""

    __tablename__ = "financial_statement"
    __table_args__ = (
        Index("ix_financial_statement_org_company", "organization_id", "company"),
        Index("ix_financial_statement_org_type_period", "organization_id", "statement_type", "period"),
    )

    statement_type: Mapped[str] = mapped_column(String(32))
    company: Mapped[str | None] = mapped_column(String(300))
    # The newest period's key (FY2024, 2024Q3, 2024-12-31): what filters and consolidations sort on.
    period: Mapped[str | None] = mapped_column(String(40))
    periods: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    currency: Mapped[str | None] = mapped_column(String(8))
    scale: Mapped[int] = mapped_column(default=1)
    title: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    # The Statement model's JSON (lines with citations, checks, period details, pages, evidence).
    body: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"), index=True)
    file_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("file.id", ondelete="SET NULL"), index=True)
    created_by: Mapped[str | None] = mapped_column(String(80))


class Consolidation(IdMixin, TimestampMixin, OrganizationOwned, Base):
    """Statements of a company across periods, aligned, with variances; computed by a job."""

    __tablename__ = "consolidation"

    name: Mapped[str | None] = mapped_column(String(300))
    company: Mapped[str | None] = mapped_column(String(300))
    statement_ids: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    # pending -> completed | failed (the job that computes it says why)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"), index=True)
    created_by: Mapped[str | None] = mapped_column(String(80))
