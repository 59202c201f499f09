from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, Field, model_validator


class BundleMember(BaseModel):
    file_id: str
    filename: str
    size: int
    extension: str | None


class UploadResponse(BaseModel):
    """Reducto's Upload: `file_id` to pass as `input`; `presigned_url` to PUT the bytes to when empty."""

    file_id: str
    presigned_url: str | None = None
    size: int | None = None
    extension: str | None = None
    files: list[BundleMember] | None = Field(None, description="For a ZIP bundle: its members, each a file.")


class DeleteUploadResponse(BaseModel):
    file_id: str


class IngestInit(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=512, description="The file's name.")
    filename: str | None = Field(
        None, min_length=1, max_length=512, description="Seed 002's name for `name`."
    )
    log_format: str | None = Field(
        None,
        max_length=32,
        description="A log file (seed 002): its format (auto, jsonl, logfmt...); runs a logs job.",
    )
    size: int = Field(ge=1, description="Its exact size in bytes; checked when the upload completes.")
    format: str | None = Field(
        None, max_length=16, description="Its type (pdf, docx, png...); else from the name."
    )
    type: str = Field("parse", description="The job to run on it once uploaded.")
    config: dict = Field(default_factory=dict, description="That job's options, as its endpoint takes them.")

    @model_validator(mode="after")
    def _named(self) -> IngestInit:
        if not (self.name or self.filename):
            raise ValueError("name (or filename) is required")
        self.name = self.name or self.filename
        return self


class IngestInitResponse(BaseModel):
    job_id: uuid.UUID
    file_id: str
    presigned_url: str
    expires_in: int
    status: str = "Idle"


class IngestComplete(BaseModel):
    job_id: uuid.UUID


class IngestCompleteResponse(BaseModel):
    job_id: uuid.UUID
    file_id: str
    status: str
    message: str = "Job queued successfully"


class FileView(BaseModel):
    """An uploaded file, as a picker of earlier uploads shows it."""

    file_id: str = Field(description="reducto://<id>.<extension>: pass it as `input`.")
    filename: str | None = Field(description="The name it was uploaded under (the SDK sends `upload`).")
    size: int | None = Field(description="Bytes; unknown while a presigned upload is pending.")
    extension: str | None = Field(description="Its type: pdf, docx, png...")
    status: Literal["ready", "pending"] = Field(
        description="pending: a presigned URL was handed out and its bytes have not been seen yet."
    )
    bundle_id: str | None = Field(None, description="For a ZIP bundle's member: the bundle's file_id.")
    created_at: dt.datetime


class FileList(BaseModel):
    files: list[FileView] = Field(description="Newest first.")
    total: int = Field(description="Files matching the filters, over all pages.")
    limit: int
    offset: int
