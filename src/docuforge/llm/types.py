"""The LLM layer's vocabulary: messages in, a completion (text, parsed JSON, tokens) out."""

from __future__ import annotations

import enum
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field, SecretStr

from docuforge.errors import DocuforgeError, ErrorCode


class Provider(enum.StrEnum):
    openai_compatible = "openai-compatible"
    anthropic = "anthropic"


class Message(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class Completion(BaseModel):
    text: str
    parsed: Any = Field(None, description="The answer read as JSON, when JSON was asked for and it parses.")
    usage: Usage = Field(default_factory=Usage)
    model: str = ""
    provider: str = ""


class LlmOptions(BaseModel):
    """Which provider to call and how patiently (built from DOCUFORGE_LLM__* by the service and CLI)."""

    provider: Provider = Provider.openai_compatible
    base_url: str = Field("http://127.0.0.1:8080/v1", description="API base URL.")
    model: str = Field("default", description="Model name to request.")
    api_key: SecretStr | None = None
    timeout: float = Field(120.0, gt=0, description="Seconds one call may take.")
    max_retries: int = Field(2, ge=0, description="Retries of a call that failed transiently.")
    backoff: float = Field(0.5, ge=0, description="Seconds before the first retry; doubled each time.")
    breaker_failures: int = Field(5, ge=1, description="Consecutive failures that open the circuit.")
    breaker_reset: float = Field(30.0, gt=0, description="Seconds an open circuit waits before a probe.")
    json_schema_mode: bool = Field(True, description="Send the schema as structured output where supported.")


class LLMClient(Protocol):
    """What every provider offers: one completion, JSON-constrained when a schema is given."""

    provider: str
    model: str

    def complete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 1024,
        temperature: float = 0.0,
    ) -> Completion: ...


class LlmError(DocuforgeError):
    """The provider failed: unreachable, timed out, or answered an error."""

    status_code = 502
    code = ErrorCode.LLM_PROVIDER_ERROR

    def __init__(self, message: str, *, transient: bool = True, status: int | None = None) -> None:
        super().__init__(message)
        self.retryable = transient
        self.upstream_status = status


class CircuitOpen(DocuforgeError):
    """Too many recent failures: calls fail at once until a probe succeeds.

    Its code is Reducto's SERVICE_UNAVAILABLE (job views carry only Reducto's codes); the message
    starts with "LLM circuit open".
    """

    status_code = 503
    code = ErrorCode.SERVICE_UNAVAILABLE
    transient = True


class LlmOutputError(DocuforgeError):
    """The model's answer could not be read as the schema asks, even after a repair."""

    status_code = 422
    code = ErrorCode.LLM_OUTPUT_PARSE_FAILED
