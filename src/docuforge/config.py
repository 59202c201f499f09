"""One Settings object for every process: service, worker and CLI.

Read from the environment (prefix ``DOCUFORGE_``, nested groups joined with ``__``, e.g.
``DOCUFORGE_DB__URL``) and from a ``.env`` file in the working directory. Embedded state lives
under ``data_dir``. In production the object refuses unsafe values and says which.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import os
import secrets
import typing
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

if typing.TYPE_CHECKING:
    from docuforge.parsing.ocr.options import OcrOptions

# Values that must never reach production: the ones in our docs, and the usual examples.
WEAK_SECRETS = frozenset({"", "changeme", "changethis", "secret", "docuforge", "development", "test"})
DEFAULT_S3_CREDENTIALS = frozenset(
    {
        "minioadmin",
        "minio",
        "test",
        "testing",
        "changeme",
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    }
)


class Environment(enum.StrEnum):
    development = "development"
    test = "test"
    production = "production"


class ServerSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Address the HTTP service binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port the HTTP service listens on.")
    public_url: str | None = Field(
        None,
        description="Base URL clients reach the service at, used in signed links "
        "(default: http://HOST:PORT).",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser, comma-separated; empty disables CORS.",
    )
    request_timeout: float = Field(30.0, gt=0, description="Seconds before an ordinary request answers 504.")
    upload_timeout: float = Field(
        3600.0, gt=0, description="Seconds an upload or presigned PUT may take before it answers 504."
    )
    metrics_token: SecretStr | None = Field(
        None, description="If set, GET /metrics requires 'Authorization: Bearer <token>'."
    )
    workers: int = Field(1, ge=1, description="uvicorn worker processes for `docuforge serve`.")
    root_path: str = Field(
        "",
        description="Path prefix the service lives under behind a reverse proxy (e.g. /reducto); "
        "requests are routed with or without it, so the proxy may strip it or pass it on.",
    )

    @field_validator("root_path")
    @classmethod
    def _clean_root_path(cls, value: str) -> str:
        value = value.strip().strip("/")
        return f"/{value}" if value else ""

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}{self.root_path}").rstrip("/")


class DatabaseSettings(BaseModel):
    url: str | None = Field(
        None,
        description="SQLAlchemy URL: postgresql://user@host/db or sqlite:///path "
        "(default: a SQLite file in the data directory).",
    )
    echo: bool = Field(False, description="Log every SQL statement (noisy; for debugging).")
    pool_size: int = Field(
        10, ge=1, description="Connections kept open per process (PostgreSQL; twice as many on SQLite)."
    )
    connect_timeout: float = Field(5.0, gt=0, description="Seconds to wait for a new database connection.")
    auto_upgrade: bool | None = Field(
        None,
        description="Run migrations when the service starts (default: yes for SQLite, no for PostgreSQL, "
        "where `docuforge db upgrade` is a deploy step).",
    )


class StorageBackend(enum.StrEnum):
    local = "local"
    s3 = "s3"


class S3Settings(BaseModel):
    bucket: str = Field("docuforge", description="Bucket that holds every blob.")
    prefix: str = Field("", description="Key prefix inside the bucket, e.g. 'prod/'.")
    endpoint_url: str | None = Field(None, description="S3 endpoint for a non-AWS server (MinIO, Ceph...).")
    public_endpoint_url: str | None = Field(
        None, description="Endpoint clients use in presigned URLs, when it differs from endpoint_url."
    )
    region: str = Field("us-east-1", description="S3 region.")
    access_key_id: SecretStr | None = Field(
        None, description="Access key (default: boto3's credential chain)."
    )
    secret_access_key: SecretStr | None = Field(None, description="Secret key (default: boto3's chain).")
    create_bucket: bool = Field(False, description="Create the bucket at start if it does not exist.")
    part_size: int = Field(
        8 * 1024 * 1024, ge=5 * 1024 * 1024, description="Multipart part size: the most an upload buffers."
    )


class StorageSettings(BaseModel):
    backend: StorageBackend = Field(StorageBackend.local, description="Where blobs live: local or s3.")
    local_path: Path | None = Field(None, description="Blob directory (default: DATA_DIR/blobs).")
    s3: S3Settings = Field(default_factory=S3Settings)
    url_expiry: int = Field(3600, ge=1, description="Seconds a signed blob URL stays valid.")


class JobRunner(enum.StrEnum):
    inprocess = "inprocess"
    celery = "celery"


class JobSettings(BaseModel):
    runner: JobRunner = Field(JobRunner.inprocess, description="inprocess (default) or celery.")
    broker_url: str | None = Field(
        None, description="Celery broker: redis://... or amqp://... (required when runner is celery)."
    )
    default_timeout: float = Field(900.0, gt=0, description="Seconds a job may run unless it asks otherwise.")
    max_timeout: float = Field(3600.0, gt=0, description="Upper bound on any job's own timeout.")
    max_attempts: int = Field(3, ge=1, description="Attempts for a job that fails with a transient error.")
    process_workers: int | None = Field(
        None, ge=1, description="Processes the in-process runner uses for CPU-heavy work (default: CPUs - 1)."
    )
    inline_result_limit: int = Field(
        6 * 1024 * 1024, ge=1024, description="Results larger than this many bytes are returned as a URL."
    )
    lease_seconds: float = Field(
        30.0,
        gt=1,
        description="A running job's lease; a job whose lease lapses (its process died) runs again.",
    )
    retry_base_delay: float = Field(
        2.0, gt=0, description="First retry delay in seconds; doubles each attempt."
    )
    retry_max_delay: float = Field(300.0, gt=0, description="Longest delay between two attempts.")
    poll_interval: float = Field(
        1.0, gt=0, description="Seconds between sweeps for due retries, lapsed leases and unpublished jobs."
    )
    task_modules: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Extra modules that register job types, comma-separated (plugins)."
    )

    @field_validator("task_modules", mode="before")
    @classmethod
    def _split_modules(cls, value: object) -> object:
        if isinstance(value, str):
            return [name.strip() for name in value.split(",") if name.strip()]
        return value


class AdmissionSettings(BaseModel):
    """Bounds on queued work: past them a submission answers 429 with a Retry-After, never piles up."""

    max_queued: int = Field(
        10_000, ge=0, description="Most jobs waiting to run, all organizations together (0: no bound)."
    )
    max_queued_per_organization: int = Field(
        1_000, ge=0, description="Most jobs one organization may have waiting to run (0: no bound)."
    )
    drain_window: float = Field(
        300.0,
        gt=0,
        description="Seconds of recent completions that measure the drain rate behind Retry-After "
        "and GET /capacity's estimated waits.",
    )
    retry_after_max: int = Field(
        60,
        ge=1,
        description="Longest Retry-After a full queue answers, in seconds (the SDKs honour up to 60).",
    )


class RetentionSettings(BaseModel):
    """How long finished jobs keep their results; the sweep deletes them after that."""

    days: float | None = Field(
        None, gt=0, description="Days a finished job's results are kept (default: kept until deleted)."
    )
    organizations: dict[str, float] = Field(
        default_factory=dict,
        description="Days per organization, by name or id, overriding `days`, as JSON, "
        'e.g. \'{"acme": 7, "audit": 365}\'.',
    )
    sweep_interval: float = Field(
        300.0, gt=0, description="Seconds between two sweeps for expired results (in every process)."
    )


class IngestSettings(BaseModel):
    max_upload_bytes: int = Field(
        5 * 1024**3, ge=1, description="Largest file accepted through an upload or presigned PUT."
    )
    url_max_bytes: int = Field(512 * 1024**2, ge=1, description="Largest document fetched from a URL input.")
    url_timeout: float = Field(
        60.0, gt=0, description="Seconds a URL fetch may take, all redirects included."
    )
    url_max_redirects: int = Field(5, ge=0, description="Redirects followed when fetching a URL input.")
    url_allowlist: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Hosts or networks (CIDR) that URL inputs and webhooks may reach even though they are "
        "private, loopback or link-local, comma-separated, e.g. '10.0.0.0/8,minio.internal'.",
    )
    zip_max_members: int = Field(1000, ge=1, description="Most files one ZIP bundle may hold.")
    zip_max_expanded_bytes: int = Field(
        2 * 1024**3, ge=1, description="Most bytes a ZIP bundle may expand to."
    )
    zip_max_ratio: float = Field(
        100.0,
        gt=1,
        description="Highest compression ratio of a ZIP member; beyond it the bundle is a zip bomb.",
    )

    @field_validator("url_allowlist", mode="before")
    @classmethod
    def _split_allowlist(cls, value: object) -> object:
        if isinstance(value, str):
            return [entry.strip() for entry in value.split(",") if entry.strip()]
        return value


class WebhookSettings(BaseModel):
    max_attempts: int = Field(8, ge=1, description="Tries per webhook delivery before it is marked failed.")
    timeout: float = Field(10.0, gt=0, description="Seconds to wait for a webhook receiver to answer.")
    retry_base_delay: float = Field(
        5.0, gt=0, description="First redelivery delay in seconds; grows 4x each try."
    )


class AuthSettings(BaseModel):
    secret_key: SecretStr | None = Field(
        None,
        description="Signs tokens and blob URLs. Required in production; in development a random key "
        "is generated once and kept in the data directory.",
    )
    algorithm: Literal["HS256", "HS384", "HS512"] = Field("HS256", description="JWT signing algorithm.")
    access_token_minutes: int = Field(30, ge=1, description="Lifetime of an access token.")
    refresh_token_days: int = Field(14, ge=1, description="Lifetime of a refresh token.")


RATE = r"^\s*\d+\s*/\s*(second|minute|hour|day)\s*$"
Rate = Annotated[str, Field(pattern=RATE)]


class RateLimitSettings(BaseModel):
    """Budgets as "N/second|minute|hour|day"; empty means unlimited. Each route belongs to a group."""

    enabled: bool = Field(True, description="Apply per-principal and per-IP request budgets.")
    redis_url: str | None = Field(
        None, description="Share budgets across processes through Redis (default: in memory, per process)."
    )
    default_per_principal: Rate | None = Field("1200/minute", description="Most API routes, per key or user.")
    default_per_ip: Rate | None = Field("2400/minute", description="Most API routes, per client address.")
    processing_per_principal: Rate | None = Field(
        "300/minute", description="Job submissions, per key or user."
    )
    processing_per_ip: Rate | None = Field("600/minute", description="Job submissions, per client address.")
    upload_per_principal: Rate | None = Field("300/minute", description="Uploads, per key or user.")
    upload_per_ip: Rate | None = Field("600/minute", description="Uploads, per client address.")
    auth_per_ip: Rate | None = Field("60/minute", description="Login and token refresh, per client address.")
    login_failures_per_account: Rate = Field(
        "10/hour",
        description="Failed logins allowed per account; past it, attempts wait (one more every 6 minutes).",
    )
    login_failures_per_ip: Rate = Field(
        "30/hour", description="Failed logins allowed per client address before it must wait."
    )


class OcrSettings(BaseModel):
    engine: Literal["rapidocr", "rapidocr-fast", "tesseract"] = Field(
        "rapidocr",
        description="OCR engine for scans and photos: rapidocr (built in; a tiny recogniser reads each "
        "page, a larger one what it doubts), rapidocr-fast (the tiny recogniser alone: faster on "
        "receipts and forms, weaker there) or tesseract.",
    )
    threads: int | None = Field(
        None, ge=1, description="CPU threads one OCR run uses (default: the machine's cores, at most 4)."
    )
    page_workers: int | None = Field(
        None,
        ge=1,
        description="Pages of one document read at once, each on one core (default: the machine's "
        "cores, at most 4; 1 reads one page at a time on all of them).",
    )
    device: Literal["auto", "cpu"] = Field(
        "auto", description="auto runs the OCR models on a CUDA GPU where onnxruntime-gpu offers one."
    )
    runtime: Literal["auto", "openvino", "onnxruntime"] = Field(
        "auto",
        description="Runtime of the OCR models on the CPU: auto is OpenVINO (faster) where installed.",
    )
    tesseract_lang: str = Field("eng", description="Tesseract languages, e.g. eng+deu (data installed).")

    def options(self) -> OcrOptions:
        """The engine's typed options: how the service and the CLI hand these settings over."""
        # Imported here: the engine package is heavy and most readers of Settings never parse.
        from docuforge.parsing.ocr.options import OcrOptions

        return OcrOptions(
            engine=self.engine,
            runtime=self.runtime,
            device=self.device,
            threads=self.threads,
            page_workers=self.page_workers,
            tesseract_lang=self.tesseract_lang,
            # Tesseract runs with an environment of its own: where its language data lives, if
            # the process was told, is all it takes from this one.
            tessdata=os.environ.get("TESSDATA_PREFIX"),
        )


class LlmSettings(BaseModel):
    provider: Literal["none", "openai-compatible", "openai", "anthropic"] = Field(
        "none",
        description="Optional LLM for the llm extract engine and later features: none, openai-compatible "
        "(OpenAI, vLLM, Ollama, llama.cpp server, LM Studio; `openai` is the same) or anthropic.",
    )
    base_url: str | None = Field(
        None,
        description="API base URL (default: https://api.openai.com/v1 or https://api.anthropic.com).",
    )
    api_key: SecretStr | None = Field(None, description="API key of the LLM provider.")
    model: str | None = Field(None, description="Model name to request.")
    timeout: float = Field(120.0, gt=0, description="Seconds to wait for one LLM call.")
    max_retries: int = Field(
        2, ge=0, description="Retries of a call that failed transiently (backoff doubles)."
    )
    backoff: float = Field(0.5, ge=0, description="Seconds before the first retry.")
    breaker_failures: int = Field(
        5, ge=1, description="Consecutive failed calls that open the circuit (calls then fail fast)."
    )
    breaker_reset: float = Field(
        30.0, gt=0, description="Seconds an open circuit waits before letting one probe call through."
    )
    max_tokens: int = Field(1024, ge=16, description="Most tokens one LLM answer may use (extract).")
    json_schema_mode: bool = Field(
        True, description="Send the schema as structured output (response_format json_schema)."
    )

    def options(self) -> Any:
        """The engine's LlmOptions for these settings (None when no provider is configured)."""
        if self.provider == "none":
            return None
        from docuforge.llm.types import LlmOptions, Provider

        anthropic = self.provider == "anthropic"
        default_url = "https://api.anthropic.com" if anthropic else "https://api.openai.com/v1"
        return LlmOptions(
            provider=Provider.anthropic if anthropic else Provider.openai_compatible,
            base_url=self.base_url or default_url,
            model=self.model or "default",
            api_key=self.api_key,
            timeout=self.timeout,
            max_retries=self.max_retries,
            backoff=self.backoff,
            breaker_failures=self.breaker_failures,
            breaker_reset=self.breaker_reset,
            json_schema_mode=self.json_schema_mode,
        )


class ExtractSettings(BaseModel):
    engine: Literal["offline", "llm"] = Field(
        "offline",
        description="Which engine answers /extract when a request does not say (settings.engine): "
        "offline (no LLM) or llm (DOCUFORGE_LLM__PROVIDER must be set).",
    )


class DocumentOpsSettings(BaseModel):
    """Split, classify and edit (form filling)."""

    embeddings: bool = Field(
        True,
        description="Split, classify's accurate model and form filling also compare meanings with the "
        "bundled sentence embeddings.",
    )
    edit_font: str = Field(
        "Helvetica", description="Standard PDF font the filled values are written in (Helvetica, Courier...)."
    )


class WorkspaceSettings(BaseModel):
    vector_url: str | None = Field(
        None,
        description="Chroma server URL (`chroma run`), shared by every API process and worker; "
        "default: Chroma's embedded engine in DATA_DIR/chroma (one process: use a server with Celery).",
    )
    vector_path: Path | None = Field(
        None, description="Embedded Chroma directory (default: DATA_DIR/chroma)."
    )
    top_k: int = Field(
        5, ge=1, le=50, description="Passages an answer is drawn from, unless asked otherwise."
    )
    passage_size: int = Field(700, ge=100, le=8000, description="Characters aimed at per indexed passage.")
    question_concurrency: int = Field(
        4, ge=1, le=64, description="Questions of one question job answered at the same time."
    )
    max_questions: int = Field(1000, ge=1, description="Most questions in one set or question job.")


class EmbeddingSettings(BaseModel):
    threads: int | None = Field(
        1,
        ge=1,
        description="BLAS threads each process embeds with (workspaces, extract, split, classify, "
        "finance); 1 avoids oversubscribing the CPUs when the API, workers and their pool processes "
        "embed side by side (none: the library's default).",
    )


class SmtpSettings(BaseModel):
    host: str | None = Field(None, description="SMTP server for notification emails; unset, none are sent.")
    port: int = Field(587, ge=1, le=65535, description="SMTP port.")
    security: Literal["none", "starttls", "tls"] = Field(
        "starttls", description="none (a local relay), starttls (upgrade on connect) or tls (implicit TLS)."
    )
    username: str | None = Field(None, description="SMTP login, if the server asks for one.")
    password: SecretStr | None = Field(None, description="SMTP password.")
    sender: str = Field("docuforge@localhost", description="The From address of notification emails.")
    timeout: float = Field(30.0, gt=0, description="Seconds to wait for the SMTP server.")
    max_attachment_bytes: int = Field(
        10_000_000, ge=0, description="Larger workbooks are linked from the email instead of attached."
    )


class LogSettings(BaseModel):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Lowest level logged.")
    format: Literal["json", "console"] = Field(
        "json", description="json (one object per line) or console (for people at a terminal)."
    )


class LogFilesSettings(BaseModel):
    cache_dir: Path | None = Field(
        None, description="Copies of log Parquet fetched from S3 to query (default: DATA_DIR/cache/logs)."
    )
    query_threads: int | None = Field(
        None, ge=1, description="DuckDB threads per log query (default: all cores)."
    )
    max_jobs_per_query: int = Field(100, ge=1, description="Most log jobs one query across jobs reads.")
    cache_max_bytes: int = Field(
        10 * 1024**3, ge=0, description="Most bytes of log Parquet copies cached (least recently used go)."
    )
    cache_max_age: float = Field(
        7 * 86400, gt=0, description="Seconds a cached log Parquet copy is kept unused."
    )
    default_timezone: str = Field("UTC", description="Zone of log timestamps written without one.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DOCUFORGE_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
        validate_default=True,
    )

    env: Environment = Field(Environment.development, description="development, test or production.")
    debug: bool = Field(False, description="Verbose errors in responses. Refused in production.")
    data_dir: Path = Field(Path("docuforge-data"), description="Where every piece of embedded state lives.")
    server: ServerSettings = Field(default_factory=ServerSettings)
    db: DatabaseSettings = Field(default_factory=DatabaseSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    jobs: JobSettings = Field(default_factory=JobSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    admission: AdmissionSettings = Field(default_factory=AdmissionSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    webhooks: WebhookSettings = Field(default_factory=WebhookSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    rate_limits: RateLimitSettings = Field(default_factory=RateLimitSettings)
    ocr: OcrSettings = Field(default_factory=OcrSettings)
    llm: LlmSettings = Field(default_factory=LlmSettings)
    extract: ExtractSettings = Field(default_factory=ExtractSettings)
    workspaces: WorkspaceSettings = Field(default_factory=WorkspaceSettings)
    embeddings: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    document_ops: DocumentOpsSettings = Field(default_factory=DocumentOpsSettings)
    logfiles: LogFilesSettings = Field(default_factory=LogFilesSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)

    @field_validator("data_dir")
    @classmethod
    def _absolute_data_dir(cls, value: Path) -> Path:
        # Workers and the service must agree on paths whatever their working directory.
        return value.expanduser().resolve()

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.env is Environment.production:
            problems = self.production_problems()
            if problems:
                raise ValueError("unsafe settings for production: " + "; ".join(problems))
        return self

    def production_problems(self) -> list[str]:
        """What would make this configuration unsafe to expose, one sentence each."""
        problems = []
        secret = self.auth.secret_key.get_secret_value() if self.auth.secret_key else ""
        if secret.lower() in WEAK_SECRETS or len(secret) < 32:
            problems.append(
                "DOCUFORGE_AUTH__SECRET_KEY must be set to a random value of at least 32 characters"
            )
        if "*" in self.server.cors_origins:
            problems.append("DOCUFORGE_SERVER__CORS_ORIGINS must list origins, not '*'")
        if self.debug:
            problems.append("DOCUFORGE_DEBUG must be off")
        if self.storage.backend is StorageBackend.s3:
            for name in ("access_key_id", "secret_access_key"):
                value = getattr(self.storage.s3, name)
                if value is not None and value.get_secret_value() in DEFAULT_S3_CREDENTIALS:
                    problems.append(
                        f"DOCUFORGE_STORAGE__S3__{name.upper()} is a well-known default credential"
                    )
        return problems

    @property
    def database_url(self) -> str:
        """The async SQLAlchemy URL, whatever form the user gave."""
        return async_database_url(self.db.url or f"sqlite:///{self.data_dir / 'docuforge.db'}")

    @property
    def db_kind(self) -> str:
        return self.database_url.split(":", 1)[0].split("+", 1)[0]

    @property
    def is_sqlite(self) -> bool:
        return self.db_kind == "sqlite"

    @property
    def blob_dir(self) -> Path:
        return (self.storage.local_path or self.data_dir / "blobs").expanduser().resolve()

    @cached_property
    def signing_key(self) -> bytes:
        """The key behind JWTs and signed URLs (see AuthSettings.secret_key)."""
        if self.auth.secret_key is not None:
            return self.auth.secret_key.get_secret_value().encode()
        return _data_dir_secret(self.data_dir)

    def derived_key(self, purpose: str) -> bytes:
        """A key of its own per use (tokens, blob links), so one can never stand in for another."""
        return hmac.new(self.signing_key, purpose.encode(), hashlib.sha512).digest()


def async_database_url(url: str) -> str:
    """Map the URL forms people write to the async drivers Docuforge uses."""
    for plain, driver in (
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgresql+psycopg://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


def _data_dir_secret(data_dir: Path) -> bytes:
    path = data_dir / ".secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        # Write aside, then link into place: when two processes start at once, exactly one key
        # wins and nobody ever reads a half-written file.
        tmp = data_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it or set DOCUFORGE_AUTH__SECRET_KEY")
    return key.encode()


def _accepted_values(annotation: Any) -> list[str]:
    """The values an enumerated setting takes (a Literal or an Enum), for the reference."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(member.value) for member in annotation]
    if typing.get_origin(annotation) is Literal:
        return [str(value) for value in typing.get_args(annotation)]
    return []


def settings_reference() -> str:
    """Every setting as a Markdown table, generated from the models so the docs cannot drift."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            annotation = field.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                walk(annotation, f"{prefix}{name.upper()}__")
                continue
            if field.default_factory is not None:
                default = field.default_factory()  # type: ignore[call-arg]
            else:
                default = field.default
            if isinstance(default, enum.Enum):
                default = default.value
            shown = "" if default in (None, "", []) else f"`{default}`"
            meaning = field.description or ""
            accepted = _accepted_values(annotation)
            if accepted:
                meaning += f" One of: {', '.join(f'`{value}`' for value in accepted)}."
            rows.append(f"| `{prefix}{name.upper()}` | {shown} | {meaning} |")

    walk(Settings, "DOCUFORGE_")
    return "\n".join(rows)
