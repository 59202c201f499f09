"""Anthropic's Messages API; a schema is asked for as the input of a forced tool call."""

from __future__ import annotations

from typing import Any

import httpx

from docuforge.llm.openai import raise_for, read_json
from docuforge.llm.types import Completion, LlmError, LlmOptions, Message, Usage

API_VERSION = "2023-06-01"
TOOL = "record_answer"


class Anthropic:
    """POST {base_url}/v1/messages with x-api-key and anthropic-version."""

    provider = "anthropic"

    def __init__(self, options: LlmOptions, transport: httpx.BaseTransport | None = None) -> None:
        self.options = options
        self.model = options.model
        headers = {"content-type": "application/json", "anthropic-version": API_VERSION}
        if options.api_key is not None:
            headers["x-api-key"] = options.api_key.get_secret_value()
        base = options.base_url.rstrip("/").removesuffix("/v1")
        self.http = httpx.Client(base_url=base, headers=headers, timeout=options.timeout, transport=transport)

    def complete(
        self,
        messages: list[Message],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 1024,
        temperature: float = 0.0,
    ) -> Completion:
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        body: dict[str, Any] = {
            "model": self.model,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "messages": [m.model_dump() for m in messages if m.role != "system"],
        }
        if system:
            body["system"] = system
        if json_schema is not None:
            # The Messages API's structured output: a tool whose input is the schema, and a forced call.
            body["tools"] = [{"name": TOOL, "description": "Record the answer.", "input_schema": json_schema}]
            body["tool_choice"] = {"type": "tool", "name": TOOL}
        response = self.http.post("/v1/messages", json=body)
        raise_for(response, self.provider)
        data = response.json()
        blocks = data.get("content")
        if not isinstance(blocks, list):
            raise LlmError(f"{self.provider} answered no content", transient=True)
        text = "".join(b.get("text", "") for b in blocks if b.get("type") == "text")
        parsed = next((b.get("input") for b in blocks if b.get("type") == "tool_use"), None)
        if parsed is None and json_schema is not None:
            parsed = read_json(text)
        usage = data.get("usage") or {}
        return Completion(
            text=text,
            parsed=parsed,
            usage=Usage(
                prompt_tokens=int(usage.get("input_tokens") or 0),
                completion_tokens=int(usage.get("output_tokens") or 0),
            ),
            model=str(data.get("model") or self.model),
            provider=self.provider,
        )
