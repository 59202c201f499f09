"""OpenAI-compatible chat completions (OpenAI, vLLM, Ollama, llama.cpp's server, LM Studio)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from docuforge.llm.types import Completion, LlmError, LlmOptions, Message, Usage

TRANSIENT_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 529})  # 529: Anthropic overloaded


def read_json(text: str) -> Any:
    """The JSON in an answer, also when wrapped in a ``` fence or prose."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.strip("`")
        stripped = stripped.split("\n", 1)[1] if "\n" in stripped else stripped
    try:
        return json.loads(stripped)
    except ValueError:
        start = min((i for i in (stripped.find("{"), stripped.find("[")) if i >= 0), default=-1)
        end = max(stripped.rfind("}"), stripped.rfind("]"))
        if start >= 0 and end > start:
            try:
                return json.loads(stripped[start : end + 1])
            except ValueError:
                return None
    return None


def raise_for(response: httpx.Response, provider: str) -> None:
    if response.status_code < 400:
        return
    detail = response.text[:300]
    raise LlmError(
        f"{provider} answered {response.status_code}: {detail}",
        transient=response.status_code in TRANSIENT_STATUS,
        status=response.status_code,
    )


class OpenAICompatible:
    """POST {base_url}/chat/completions; the schema goes as response_format json_schema.

    A server that refuses json_schema (llama-cpp-python's own server takes `json_object` with a
    `schema` beside it and builds a grammar from it) is asked that way from then on.
    """

    provider = "openai-compatible"

    def __init__(self, options: LlmOptions, transport: httpx.BaseTransport | None = None) -> None:
        self.options = options
        self.model = options.model
        headers = {"content-type": "application/json"}
        if options.api_key is not None:
            headers["authorization"] = f"Bearer {options.api_key.get_secret_value()}"
        self.http = httpx.Client(
            base_url=options.base_url.rstrip("/"),
            headers=headers,
            timeout=options.timeout,
            transport=transport,
        )
        self.format = "json_schema" if options.json_schema_mode else "json_object"

    def _response_format(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.format == "json_schema":
            return {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": schema, "strict": True},
            }
        return {"type": "json_object", "schema": schema}

    def complete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 1024,
        temperature: float = 0.0,
    ) -> Completion:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [m.model_dump() for m in messages],
            "max_tokens": max_tokens,
            "temperature": temperature,
        }
        if json_schema is not None:
            body["response_format"] = self._response_format(json_schema)
        response = self.http.post("/chat/completions", json=body)
        if (
            json_schema is not None
            and self.format == "json_schema"
            and response.status_code in (400, 422, 500)
            and "json_schema" in response.text
        ):
            self.format = "json_object"
            body["response_format"] = self._response_format(json_schema)
            response = self.http.post("/chat/completions", json=body)
        raise_for(response, self.provider)
        data = response.json()
        try:
            text = data["choices"][0]["message"].get("content") or ""
        except (KeyError, IndexError, TypeError):
            raise LlmError(f"{self.provider} answered no choices", transient=True) from None
        usage = data.get("usage") or {}
        return Completion(
            text=text,
            parsed=read_json(text) if json_schema is not None else None,
            usage=Usage(
                prompt_tokens=int(usage.get("prompt_tokens") or 0),
                completion_tokens=int(usage.get("completion_tokens") or 0),
            ),
            model=str(data.get("model") or self.model),
            provider=self.provider,
        )
