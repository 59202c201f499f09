from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from docuforge.db import Base, IdMixin, JSONDoc, TimestampMixin, utcnow
from docuforge.models.organization import OrganizationOwned


class Workspace(IdMixin, TimestampMixin, OrganizationOwned, Base):
    """A collection of documents that questions are asked of; its passages live in the vector engine."""

    __tablename__ = "workspace"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    # The instructions the LLM engine answers under; the offline engine ignores them.
    prompt: Mapped[str | None] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(String(200))
    # Retrieval settings: top_k, mode, weights (docuforge.index.retrieval.RetrievalOptions).
    retrieval: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    created_by: Mapped[str | None] = mapped_column(String(80))


class WorkspaceDocument(IdMixin, TimestampMixin, OrganizationOwned, Base):
    """One document (or JSON/CSV file of records) in a workspace, and how far its indexing got."""

    __tablename__ = "workspace_document"
    __table_args__ = (UniqueConstraint("workspace_id", "content_hash"),)

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(512))
    # document (parsed) | json | csv (read as records)
    type: Mapped[str] = mapped_column(String(16))
    extension: Mapped[str | None] = mapped_column(String(16))
    # upload | file | url | zip
    source: Mapped[str] = mapped_column(String(16))
    file_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("file.id", ondelete="SET NULL"))
    url: Mapped[str | None] = mapped_column(Text)
    # sha256 of the bytes; a URL's is known once it has been fetched.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(BigInteger)
    # pending -> indexing -> ready | failed
    status: Mapped[str] = mapped_column(String(16), default="pending")
    error: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[int | None]
    passages: Mapped[int | None]
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))


class QuestionSet(IdMixin, TimestampMixin, OrganizationOwned, Base):
    """Saved questions, each with the fragments a right answer contains."""

    __tablename__ = "question_set"

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    # [{id, question, expected_fragments: [...], document_type}]
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSONDoc, default=list)


class WorkspaceJob(OrganizationOwned, Base):
    """Which workspace a job works for: its history, and the jobs that block a deletion."""

    __tablename__ = "workspace_job"
    __table_args__ = (Index("ix_workspace_job_workspace_id_created_at", "workspace_id", "created_at"),)

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    # index | questions
    kind: Mapped[str] = mapped_column(String(16))
    question_set_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("question_set.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class QuestionResult(IdMixin, Base):
    """One question's answer in a question job, written as soon as it is answered."""

    __tablename__ = "question_result"
    __table_args__ = (UniqueConstraint("job_id", "position"),)

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    question_id: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")
    citations: Mapped[list[dict[str, Any]]] = mapped_column(JSONDoc, default=list)
    expected_fragments: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    fragments_found: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    fragment_confidence: Mapped[float | None] = mapped_column(Float)
    retrieval_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    engine: Mapped[str] = mapped_column(String(40), default="offline")
    error: Mapped[str | None] = mapped_column(Text)
    seconds: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
