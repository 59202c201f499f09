"""The LLM engine: the schema and the document (text with block ids) to a provider in JSON mode.

The answer is validated against the schema and repaired once; each leaf's citation is found by
locating its value in the document's lines. With array_extract a long document is read in
segments of pages and the arrays of their answers merged without duplicates.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from docuforge.document.model import Block, BlockType, Document
from docuforge.extraction import values
from docuforge.extraction.candidates import Segment, read_layout
from docuforge.extraction.citations import cite, locate
from docuforge.extraction.options import ExtractOptions, Leaf
from docuforge.extraction.schema import Field, normalised_schema, validation_errors
from docuforge.llm.types import LLMClient, LlmOutputError, Message, Usage
from docuforge.render import tables

FOUND = 0.8  # confidence of a value the model gave and the document shows
NOT_FOUND = 0.3  # a value the model gave that no line of the document holds
CHARS_PER_SEGMENT = 12000  # about 3000 tokens of document per call

INSTRUCTIONS = (
    "Extract the fields of the JSON schema from the document below. Answer with one JSON object that "
    "matches the schema. Copy values as they are written in the document; use null for a value the "
    "document does not give. Each block of the document starts with its id in brackets."
)


def _block_text(block: Block) -> str:
    if block.type is BlockType.TABLE and block.table is not None:
        return tables.render(block.table, "md")
    return block.content


def document_text(document: Document, pages: set[int] | None = None) -> str:
    """The document as lines of `[block id] text`, tables as Markdown."""
    lines = []
    for page in document.pages:
        if pages is not None and page.number not in pages:
            continue
        for block in page.blocks:
            if block.extra.get("merged_into"):
                continue
            text = _block_text(block).strip()
            if text:
                lines.append(f"[{block.id}] {text}")
    return "\n".join(lines)


def relaxed(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every leaf nullable and every property required: a model must answer each key."""
    schema = copy.deepcopy(normalised_schema(schema))

    def walk(node: Any) -> None:
        if not isinstance(node, dict):
            return
        kind = node.get("type")
        if kind == "object" or "properties" in node:
            props = node.get("properties") or {}
            for child in props.values():
                walk(child)
            node["required"] = list(props)
            node["additionalProperties"] = False
        elif kind == "array":
            walk(node.get("items"))
        elif isinstance(kind, str):
            node["type"] = [kind, "null"]
            if "enum" in node and None not in node["enum"]:
                node["enum"] = [*node["enum"], None]
        for key in ("$defs", "definitions"):
            for child in (node.get(key) or {}).values():
                walk(child)

    walk(schema)
    return schema


def _coerce(field: Field, value: Any, date_order: str) -> Any:
    """A value of the wrong type made right where its text allows (\"$1,200\" for a number)."""
    if value is None:
        return [] if field.type == "array" else None
    if field.type == "object":
        source = value if isinstance(value, dict) else {}
        return {p.name: _coerce(p, source.get(p.name), date_order) for p in field.properties}
    if field.type == "array":
        items = value if isinstance(value, list) else [value]
        return [_coerce(field.items, v, date_order) for v in items] if field.items else []
    text = str(value)
    if field.type in ("number", "integer"):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return int(value) if field.type == "integer" else value
        found = values.find_amounts(text)
        if not found:
            return None
        return int(found[-1].value) if field.type == "integer" else found[-1].value
    if field.type == "boolean":
        return value if isinstance(value, bool) else values.parse_bool(text)
    if field.enum:
        option, score = values.nearest_option(text, field.enum)
        return option if score >= 0.6 else None
    if field.format == "date":
        dates = values.find_dates(text, date_order)
        return dates[0].value if dates else text
    return text if isinstance(value, str) else json.dumps(value)


def _ask(
    client: LLMClient, messages: list[Message], schema: dict[str, Any], options: ExtractOptions
) -> tuple[Any, Usage]:
    usage = Usage()
    strict = relaxed(schema)
    answer = client.complete(messages, json_schema=strict, max_tokens=options.max_tokens)
    usage += answer.usage
    errors = ["the answer is not JSON"] if answer.parsed is None else validation_errors(strict, answer.parsed)
    if not errors:
        return answer.parsed, usage
    # One repair: the model sees its answer and what is wrong with it.
    repair = [
        *messages,
        Message(role="assistant", content=answer.text[:4000]),
        Message(
            role="user",
            content="That answer does not match the schema: "
            + "; ".join(errors[:8])
            + ". Answer again with only the corrected JSON object.",
        ),
    ]
    second = client.complete(repair, json_schema=strict, max_tokens=options.max_tokens)
    usage += second.usage
    if second.parsed is not None:
        return second.parsed, usage
    if answer.parsed is not None:
        return answer.parsed, usage
    raise LlmOutputError(f"the model's answer is not JSON even after a repair: {second.text[:200]!r}")


def _segments(document: Document, options: ExtractOptions) -> list[set[int] | None]:
    numbers = [p.number for p in document.pages]
    if not options.array_extract or len(numbers) <= options.pages_per_segment:
        return [None]
    step = options.pages_per_segment
    return [set(numbers[i : i + step]) for i in range(0, len(numbers), step)]


def merge(field: Field, first: Any, second: Any) -> Any:
    """Scalars: the first answer that has one; arrays: both, each distinct item once."""
    if field.type == "object":
        a = first if isinstance(first, dict) else {}
        b = second if isinstance(second, dict) else {}
        return {p.name: merge(p, a.get(p.name), b.get(p.name)) for p in field.properties}
    if field.type == "array":
        seen: set[str] = set()
        out = []
        for item in [*(first or []), *(second or [])]:
            key = json.dumps(item, sort_keys=True, default=str)
            if key not in seen:
                seen.add(key)
                out.append(item)
        return out
    return first if first is not None else second


def _cite(
    value: Any, path: tuple[str | int, ...], segments: list[Segment], leaves: list[Leaf], date_order: str
) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _cite(child, (*path, key), segments, leaves, date_order)
        return
    if isinstance(value, list):
        for index, child in enumerate(value):
            _cite(child, (*path, index), segments, leaves, date_order)
        return
    if value is None:
        return
    span = None
    for text in _written_forms(value, segments, date_order):
        span = locate(text, segments)
        if span is not None:
            break
    confidence = FOUND if span is not None else NOT_FOUND
    citations = [cite(span, confidence)] if span is not None else []
    leaves.append(Leaf(path=list(path), value=value, citations=citations, confidence=confidence))


def _written_forms(value: Any, segments: list[Segment], date_order: str) -> list[str]:
    """How a typed value may be written on the page: 1200.0 as 1,200.00; an ISO date as the page has it."""
    if isinstance(value, bool):
        return ["yes" if value else "no", str(value).lower()]
    if isinstance(value, int | float):
        forms = [f"{value:,.2f}", f"{value:.2f}", f"{value:,}", str(value)]
        if float(value).is_integer():
            forms.append(str(int(value)))
        return list(dict.fromkeys(forms))
    text = str(value)
    forms = [text]
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        for seg in segments:
            for match in values.find_dates(seg.text, date_order):
                if match.value == text:
                    forms.append(seg.text[match.start : match.end])
    return forms


def extract_llm(
    document: Document,
    schema: dict[str, Any],
    root: Field,
    options: ExtractOptions,
    client: LLMClient,
    on_segment: Callable[[int, int], None] | None = None,
) -> tuple[Any, list[Leaf], dict[str, int]]:
    date_order = (
        options.date_order
        if options.date_order != "auto"
        else (values.date_order_of([b.content for b in document.blocks()]) or "DMY")
    )
    usage = Usage()
    merged: Any = None
    parts = _segments(document, options)
    for number, pages in enumerate(parts, start=1):
        text = document_text(document, pages)[: CHARS_PER_SEGMENT * (1 if pages is not None else 4)]
        messages = [
            Message(role="system", content=f"{options.system_prompt}\n\n{INSTRUCTIONS}"),
            Message(
                role="user",
                content=f"JSON schema:\n{json.dumps(normalised_schema(schema))}\n\n"
                f"Document:\n{text}\n\nJSON:",
            ),
        ]
        answer, spent = _ask(client, messages, schema, options)
        usage += spent
        value = _coerce(root, answer, date_order)
        merged = value if merged is None else merge(root, merged, value)
        if on_segment is not None:
            on_segment(number, len(parts))
    leaves: list[Leaf] = []
    _cite(merged, (), read_layout(document).segments, leaves, date_order)
    return (
        merged,
        leaves,
        {
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "total_tokens": usage.total_tokens,
        },
    )
