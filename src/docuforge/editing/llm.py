"""Instructions mapped to fields by an LLM (docuforge.llm), when one is configured.

The model answers one JSON object, held by a schema to the form's fields and their options; every
answer is then read in the field's terms (instructions.read_value), so a value that cannot be the
field's (an option it does not have) is dropped and the offline mapping fills what is left.
"""

from __future__ import annotations

import json
from typing import Any

from docuforge.editing.instructions import Assignment, Target, read_value
from docuforge.llm.types import LLMClient, LlmError, Message

_SYSTEM = (
    "You fill in a form. Read the user's instructions and answer one JSON object with a value for "
    "each field the instructions give, copied exactly as written; use null for the others. "
    "Checkboxes are Yes or Off."
)


def _schema(targets: list[Target]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for target in targets:
        if target.kind == "checkbox":
            kind: dict[str, Any] = {"enum": ["Yes", "Off", None]}
        elif target.options:
            kind = {"enum": [*target.options, None]}
        else:
            kind = {"type": ["string", "null"]}
        properties[target.key] = {**kind, "description": target.label}
    return {"type": "object", "properties": properties, "additionalProperties": False}


def assign_with_llm(
    instructions: str, targets: list[Target], llm: LLMClient, max_tokens: int = 512
) -> tuple[dict[str, Assignment], dict[str, int]]:
    """The fields the LLM fills, and its token usage; an LLM failure answers nothing (offline fills)."""
    fields = "\n".join(
        f"- {t.key}: {t.label} ({t.kind}{'; options: ' + ', '.join(t.options) if t.options else ''})"
        for t in targets
    )
    messages = [
        Message(role="system", content=_SYSTEM),
        Message(role="user", content=f"Fields:\n{fields}\n\nInstructions:\n{instructions}"),
    ]
    try:
        answer = llm.complete(messages, json_schema=_schema(targets), max_tokens=max_tokens)
    except LlmError:
        return {}, {}
    parsed = answer.parsed
    if parsed is None:
        try:
            parsed = json.loads(answer.text)
        except ValueError:
            parsed = None
    usage = {"prompt_tokens": answer.usage.prompt_tokens, "completion_tokens": answer.usage.completion_tokens}
    if not isinstance(parsed, dict):
        return {}, usage
    by_key = {t.key: t for t in targets}
    found = {}
    for key, raw in parsed.items():
        if key not in by_key or raw is None or not str(raw).strip():
            continue
        value = read_value(by_key[key], str(raw))
        if value is not None:
            found[key] = Assignment(value=value, clause="(llm)", score=1.0)
    return found, usage
