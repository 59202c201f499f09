"""Structured logs: one JSON object per line, request IDs bound, secrets never printed.

Every process (service, worker, CLI) calls ``configure_logging`` once. Standard-library loggers
(uvicorn, alembic, celery) are routed through the same processors, so their lines are JSON and
redacted too.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from typing import Any

import structlog

REDACTED = "[redacted]"

# Keys whose values are secrets whatever they look like.
_SECRET_KEY = re.compile(
    r"pass(word|wd)?|secret|token|authorization|api[_-]?key|cookie|signature|credential|private[_-]?key|^sig$",
    re.IGNORECASE,
)
# Secrets that turn up inside free text: our API keys, JWTs, webhook secrets, bearer headers,
# passwords in URLs, and signatures in query strings.
_SECRET_TEXT = [
    # Long enough to be a key; the 8-character prefix that lists show is no secret.
    (re.compile(r"\bdf_[A-Za-z0-9]{20,}"), "df_" + REDACTED),
    (re.compile(r"\bwhsec_[A-Za-z0-9+/=_\-]{8,}"), "whsec_" + REDACTED),
    (re.compile(r"\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*"), REDACTED),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]+"), r"\1 " + REDACTED),
    (re.compile(r"(://[^/\s:@]+):[^@\s/]+@"), r"\1:" + REDACTED + "@"),
    (
        re.compile(
            r"(?i)([?&](?:sig|signature|token|x-amz-signature|x-amz-credential|x-amz-security-token"
            r"|api_key|password)=)[^&\s\"']+"
        ),
        r"\1" + REDACTED,
    ),
]


def redact_text(text: str) -> str:
    for pattern, replacement in _SECRET_TEXT:
        text = pattern.sub(replacement, text)
    return text


# Names that mention a secret but describe it: an api_key_id or a key's prefix is not the key.
_DESCRIPTIVE = ("_id", "_ids", "_prefix", "_name", "_role", "_at", "_count", "_expires_in", "_type")


def _is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key)) and not key.lower().endswith(_DESCRIPTIVE)


def redact(value: Any, key: str | None = None) -> Any:
    """A copy of value with secrets replaced, by key name and by what the text looks like."""
    if key is not None and _is_secret_key(key) and value not in (None, "", False):
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _redact_event(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    # uvicorn's color_message duplicates the event with terminal escapes.
    event_dict.pop("color_message", None)
    return {k: (redact(v, k) if k != "event" else redact(v)) for k, v in event_dict.items()}


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (test runners and daemons swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        return


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        _redact_event,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer(sort_keys=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[structlog.stdlib.ExtraAdder(), *shared],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = _StderrHandler()
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn installs its own handlers; ours replace them. Its access log is superseded by ours,
    # which knows the request ID and never prints query-string secrets.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "celery", "alembic"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    for noisy in (
        "botocore",
        "boto3",
        "s3transfer",
        "urllib3",
        "httpx",
        "httpcore",
        "aiosqlite",
        "asyncio",
        "alembic",
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)
