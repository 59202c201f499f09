"""Errors that carry their HTTP status and a stable machine code.

Every failure a client can see, from an HTTP handler or inside a job, is a ``DocuforgeError``.
One handler renders them (``server/errors.py``) as::

    {"error": {"name": "DOCUMENT_CORRUPT", "code": 422, "message": "...", "request_id": "..."}}

which is the shape of Reducto's ``ErrorDetail`` (``name`` is the stable code, ``code`` the status),
so a job's error and a request's error read the same. Every response says whether sending the
request again can help (``x-should-retry``, which the official SDK obeys over its status rules):
an error that is not ``transient`` will recur, so clients are told not to resend it.
"""

from __future__ import annotations

import enum
from typing import Any, ClassVar


class ErrorCode(enum.StrEnum):
    # Reducto's ErrorCode values that Docuforge produces.
    TIMEOUT = "TIMEOUT"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    QUEUE_FULL = "QUEUE_FULL"
    JOB_STATE_ERROR = "JOB_STATE_ERROR"
    DOCUMENT_CORRUPT = "DOCUMENT_CORRUPT"
    DOCUMENT_EMPTY = "DOCUMENT_EMPTY"
    DOCUMENT_UNSUPPORTED = "DOCUMENT_UNSUPPORTED"
    DOCUMENT_TOO_LARGE = "DOCUMENT_TOO_LARGE"
    OFFICE_CONVERSION_TOO_LARGE = "OFFICE_CONVERSION_TOO_LARGE"
    IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE"
    IMAGE_TOO_SMALL = "IMAGE_TOO_SMALL"
    DOCUMENT_PASSWORD_PROTECTED = "DOCUMENT_PASSWORD_PROTECTED"  # noqa: S105 - an error name
    FORM_FILL_FAILED = "FORM_FILL_FAILED"
    PROCESSING_FAILED = "PROCESSING_FAILED"
    SUBPROCESS_CRASHED = "SUBPROCESS_CRASHED"
    OVERSIZED_RESULT = "OVERSIZED_RESULT"
    LLM_OUTPUT_PARSE_FAILED = "LLM_OUTPUT_PARSE_FAILED"
    LLM_PROVIDER_ERROR = "LLM_PROVIDER_ERROR"
    INVALID_CONFIG = "INVALID_CONFIG"
    INVALID_SCHEMA = "INVALID_SCHEMA"
    AUTH_ERROR = "AUTH_ERROR"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    NOT_FOUND = "NOT_FOUND"
    JOB_DELETION_IN_PROGRESS = "JOB_DELETION_IN_PROGRESS"
    JOB_DELETED = "JOB_DELETED"
    JOB_NOT_COMPLETE = "JOB_NOT_COMPLETE"
    JOB_CANCELLED = "JOB_CANCELLED"
    RATE_LIMIT = "RATE_LIMIT"
    CELL_COUNT_EXCEEDED = "CELL_COUNT_EXCEEDED"
    URL_NOT_ALLOWED = "URL_NOT_ALLOWED"
    # Docuforge's own, for requests rather than documents.
    INVALID_REQUEST = "INVALID_REQUEST"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    CONFLICT = "CONFLICT"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    ARCHIVE_REJECTED = "ARCHIVE_REJECTED"
    PIPELINE_NOT_FOUND = "PIPELINE_NOT_FOUND"


class DocuforgeError(Exception):
    """Base of every error a client may see; subclasses fix status and code."""

    status_code: ClassVar[int] = 500
    code: ErrorCode = ErrorCode.INTERNAL_ERROR
    # Transient errors are worth retrying (a job retries them with backoff); the rest fail at once.
    transient: ClassVar[bool] = False

    def __init__(
        self,
        message: str,
        *,
        code: ErrorCode | None = None,
        status_code: int | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
        transient: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code  # type: ignore[misc]
        if transient is not None:
            self.transient = transient  # type: ignore[misc]
        self.details = details
        self.headers = headers or {}

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process boundaries (worker processes, Celery); keep code and status intact.
        return (_rebuild, (type(self), self.message, self.__dict__))

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"name": str(self.code), "code": self.status_code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return body


def _rebuild(cls: type[DocuforgeError], message: str, state: dict[str, Any]) -> DocuforgeError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class InvalidRequest(DocuforgeError):
    status_code = 400
    code = ErrorCode.INVALID_REQUEST


class AuthenticationFailed(DocuforgeError):
    status_code = 401
    code = ErrorCode.AUTH_ERROR

    def __init__(self, message: str = "Invalid or missing credentials", **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(message, **kwargs)


class PermissionDenied(DocuforgeError):
    status_code = 403
    code = ErrorCode.PERMISSION_DENIED


class NotFound(DocuforgeError):
    status_code = 404
    code = ErrorCode.NOT_FOUND


class Conflict(DocuforgeError):
    status_code = 409
    code = ErrorCode.CONFLICT


class Gone(DocuforgeError):
    status_code = 410
    code = ErrorCode.JOB_DELETED


class PayloadTooLarge(DocuforgeError):
    status_code = 413
    code = ErrorCode.DOCUMENT_TOO_LARGE


class UnsupportedDocument(DocuforgeError):
    status_code = 415
    code = ErrorCode.DOCUMENT_UNSUPPORTED


class DocumentError(DocuforgeError):
    """The document itself is the problem (corrupt, empty, protected...): retrying will not help."""

    status_code = 422
    code = ErrorCode.DOCUMENT_CORRUPT


class RateLimited(DocuforgeError):
    status_code = 429
    code = ErrorCode.RATE_LIMIT
    transient = True

    def __init__(self, retry_after: int, message: str = "Too many requests") -> None:
        super().__init__(message, headers={"Retry-After": str(max(1, retry_after))})
        self.retry_after = retry_after


class ServiceUnavailable(DocuforgeError):
    status_code = 503
    code = ErrorCode.SERVICE_UNAVAILABLE
    transient = True


class RequestTimeout(DocuforgeError):
    status_code = 504
    code = ErrorCode.TIMEOUT
    transient = True


class JobStateError(DocuforgeError):
    status_code = 409
    code = ErrorCode.JOB_STATE_ERROR


class SubprocessCrashed(DocuforgeError):
    """The process doing the work died (killed, out of memory, a crash in native code)."""

    status_code = 500
    code = ErrorCode.SUBPROCESS_CRASHED
    transient = True
