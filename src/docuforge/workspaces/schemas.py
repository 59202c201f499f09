"""The workspaces API's request and response bodies."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DocumentStatus = Literal["pending", "indexing", "ready", "failed"]
WorkspaceStatus = Literal["empty", "indexing", "ready", "failed"]
Engine = Literal["offline", "llm"]


class RetrievalSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    top_k: int | None = Field(None, ge=1, le=50, description="Passages an answer is drawn from.")
    mode: Literal["hybrid", "dense", "lexical"] | None = Field(
        None, description="hybrid (dense and BM25 fused), dense or lexical."
    )
    dense_weight: float | None = Field(None, ge=0, le=10, description="Weight of the dense ranking.")
    lexical_weight: float | None = Field(None, ge=0, le=10, description="Weight of the BM25 ranking.")


class WorkspaceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200, description="What the workspace is called.")
    description: str | None = Field(None, max_length=10_000, description="What it holds, for people.")
    prompt: str | None = Field(
        None, max_length=20_000, description="Instructions the LLM engine answers under."
    )
    model: str | None = Field(None, max_length=200, description="Default LLM model for answers (LLM engine).")
    retrieval: RetrievalSettings | None = Field(None, description="How passages are retrieved.")


class WorkspaceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10_000)
    prompt: str | None = Field(None, max_length=20_000)
    model: str | None = Field(None, max_length=200)
    retrieval: RetrievalSettings | None = None


class DocumentCounts(BaseModel):
    pending: int = 0
    indexing: int = 0
    ready: int = 0
    failed: int = 0


class WorkspaceView(BaseModel):
    id: str
    name: str
    description: str | None
    prompt: str | None
    model: str | None
    retrieval: RetrievalSettings
    status: WorkspaceStatus = Field(
        description="empty (no documents), indexing (some not yet indexed), ready, or failed (none indexed)."
    )
    document_count: int
    documents: DocumentCounts
    created_at: dt.datetime
    updated_at: dt.datetime


class WorkspaceList(BaseModel):
    workspaces: list[WorkspaceView]
    total: int = Field(description="Workspaces matching the filters, over all pages.")
    limit: int
    offset: int


class AddDocumentsRequest(BaseModel):
    """A document already uploaded (POST /upload) or a URL; or send the file itself as multipart `file`."""

    model_config = ConfigDict(extra="forbid")
    file_id: str | None = Field(
        None, description="reducto://... of an upload; a ZIP bundle adds each member."
    )
    url: str | None = Field(
        None, max_length=4096, description="An http(s) URL, fetched through the SSRF guard."
    )


class DocumentView(BaseModel):
    id: str
    filename: str
    type: Literal["document", "json", "csv"] = Field(
        description="document (parsed: PDF, office, images...), json or csv (read as records)."
    )
    status: DocumentStatus
    source: str = Field(description="upload, file, url or zip.")
    size: int | None = None
    pages: int | None = None
    passages: int | None = Field(None, description="Passages indexed.")
    error: str | None = None
    duplicate: bool = Field(
        False, description="This content was already in the workspace: nothing was added."
    )
    created_at: dt.datetime


class AddDocumentsResponse(BaseModel):
    job_id: str | None = Field(description="The indexing job (GET /job/{job_id}); none when nothing is new.")
    documents: list[DocumentView]


class DocumentList(BaseModel):
    documents: list[DocumentView]
    total: int
    limit: int
    offset: int


class Box(BaseModel):
    left: float
    top: float
    width: float
    height: float


class Citation(BaseModel):
    document_id: str
    filename: str
    page: int
    bbox: Box | None = Field(
        description="The passage's box on its page, normalized to [0, 1]; none for records."
    )
    text: str
    row: int | None = Field(None, description="For a JSON or CSV record: its position in the file.")
    score: float | None = Field(None, description="The passage's retrieval score in [0, 1].")


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(min_length=1, max_length=4000)
    model: str | None = Field(
        None, max_length=200, description="LLM model to answer with; uses the LLM engine."
    )
    top_k: int | None = Field(None, ge=1, le=50, description="Passages to answer from.")
    document_type: str | None = Field(None, description="Only documents of this type: document, json or csv.")
    engine: Engine | None = Field(
        None, description="offline (extractive, the default) or llm (the workspace's or the request's model)."
    )


class AskResponse(BaseModel):
    answer: str
    citations: list[Citation]
    confidence: float = Field(ge=0, le=1, description="How well the cited passages support the answer.")
    engine: str = Field(description="offline, or llm:<model>.")
    value: str | None = Field(
        None, description="The typed value found: an amount, a date, Yes/No, a party..."
    )
    kind: str | None = Field(
        None, description="What the question asks for: amount, date, yes_no, party, text..."
    )


class SearchFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    document_ids: list[str] | None = None
    document_types: list[str] | None = None
    pages: list[int] | None = None


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1, max_length=4000)
    top_k: int | None = Field(None, ge=1, le=100)
    filters: SearchFilters | None = None


class SearchHit(Citation):
    document_type: str
    score: float  # type: ignore[assignment]


class SearchResponse(BaseModel):
    hits: list[SearchHit]


class QuestionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(
        None, max_length=200, description="Your id for the question (default: its position)."
    )
    question: str = Field(min_length=1, max_length=4000)
    expected_fragments: list[str] = Field(
        default_factory=list, description="Strings a right answer contains; they score the answer."
    )
    document_type: str | None = Field(None, description="Ask only documents of this type.")


class QuestionSetCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    questions: list[QuestionIn] = Field(min_length=1)


class QuestionSetView(BaseModel):
    id: str
    name: str
    questions: list[QuestionIn]
    created_at: dt.datetime


class QuestionSetList(BaseModel):
    question_sets: list[QuestionSetView]


class QuestionJobCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question_set_id: str | None = Field(None, description="A saved question set to run.")
    questions: list[QuestionIn] | None = Field(None, description="Or questions given here.")
    model: str | None = Field(None, max_length=200, description="LLM model to answer with (the LLM engine).")
    engine: Engine | None = None
    top_k: int | None = Field(None, ge=1, le=50)


class QuestionJobCreated(BaseModel):
    job_id: str


class QuestionResultView(BaseModel):
    question_id: str
    question: str
    answer: str
    citations: list[Citation]
    fragment_confidence: float | None = Field(
        description="Share of the expected fragments found in the answer and its cited passages."
    )
    retrieval_confidence: float = Field(description="The engine's own confidence in the answer.")
    expected_fragments: list[str]
    fragments_found: list[str]
    engine: str
    error: str | None = None


class QuestionJobView(BaseModel):
    job_id: str
    status: Literal["pending", "running", "completed", "failed", "cancelled"]
    progress: float
    estimated_completion: dt.datetime | None = Field(
        description="When the job should end, at its pace so far."
    )
    question_set_id: str | None
    total: int
    answered: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    error: str | None = None
    results: list[QuestionResultView] | None = None


class QuestionJobList(BaseModel):
    jobs: list[QuestionJobView]
    total: int
    limit: int
    offset: int
