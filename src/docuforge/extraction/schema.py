"""The user's JSON Schema as a tree of fields: what the extractors fill and the answer is checked by."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jsonschema

from docuforge.errors import DocuforgeError, ErrorCode

LEAF_TYPES = frozenset({"string", "number", "integer", "boolean"})


class SchemaError(DocuforgeError):
    """The schema is not a JSON Schema the extractors can fill: the request is wrong, not the document."""

    status_code = 400
    code = ErrorCode.INVALID_SCHEMA

    def __init__(self, message: str) -> None:
        # The same schema fails the same way: clients must not retry it.
        super().__init__(message, headers={"x-should-retry": "false"})


@dataclass
class Field:
    """One property of the schema: a leaf (string, number...), an object of fields or an array of them."""

    name: str
    type: str
    description: str = ""
    format: str | None = None
    enum: list[Any] | None = None
    properties: list[Field] = field(default_factory=list)
    items: Field | None = None
    required: bool = False
    nullable: bool = True

    @property
    def leaf(self) -> bool:
        return self.type in LEAF_TYPES

    def leaves(self) -> int:
        """How many leaf fields the schema asks for (arrays count their item's leaves once)."""
        if self.leaf:
            return 1
        if self.type == "array":
            return self.items.leaves() if self.items else 0
        return sum(p.leaves() for p in self.properties)


def _resolve(node: Any, root: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    if not isinstance(node, dict):
        return {}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/") and depth < 20:
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        merged = {**_resolve(target, root, depth + 1), **{k: v for k, v in node.items() if k != "$ref"}}
        return merged
    for key in ("anyOf", "oneOf"):
        options = node.get(key)
        if isinstance(options, list):
            # "string or null" and friends: the first alternative that is not null describes the value.
            chosen = next((o for o in options if isinstance(o, dict) and o.get("type") != "null"), {})
            rest = {k: v for k, v in node.items() if k != key}
            return {**_resolve(chosen, root, depth + 1), **rest}
    return node


def _type_of(node: dict[str, Any]) -> tuple[str, bool]:
    kind = node.get("type")
    nullable = False
    if isinstance(kind, list):
        nullable = "null" in kind
        kind = next((k for k in kind if k != "null"), "string")
    if kind is None:
        if "properties" in node:
            kind = "object"
        elif "items" in node:
            kind = "array"
        elif "enum" in node:
            values = node["enum"]
            kind = "number" if values and all(isinstance(v, int | float) for v in values) else "string"
        else:
            kind = "string"
    return str(kind), nullable


def _build(name: str, node: Any, root: dict[str, Any], required: bool, depth: int) -> Field:
    if depth > 12:
        raise SchemaError("the schema nests deeper than 12 levels")
    node = _resolve(node, root)
    kind, nullable = _type_of(node)
    result = Field(
        name=name,
        type=kind,
        description=str(node.get("description") or node.get("title") or ""),
        format=node.get("format"),
        enum=list(node["enum"]) if isinstance(node.get("enum"), list) else None,
        required=required,
        nullable=nullable or not required,
    )
    if kind == "object":
        needed = set(node.get("required") or [])
        for key, child in (node.get("properties") or {}).items():
            result.properties.append(_build(str(key), child, root, key in needed, depth + 1))
    elif kind == "array":
        result.items = _build(name, node.get("items") or {"type": "string"}, root, True, depth + 1)
    elif kind not in LEAF_TYPES:
        raise SchemaError(
            f"field {name!r} has type {kind!r}; use object, array, string, number, integer or boolean"
        )
    return result


@lru_cache(maxsize=256)
def _schema_problem(schema_json: str) -> str | None:
    # Checking against the meta-schema costs more than a small extraction: once per distinct schema.
    try:
        jsonschema.Draft202012Validator.check_schema(json.loads(schema_json))
    except jsonschema.SchemaError as error:
        return str(error.message)
    return None


def parse_schema(schema: Any) -> Field:
    """Check the schema and read it as fields; a bare {name: {...}} mapping is taken as properties."""
    if not isinstance(schema, dict) or not schema:
        raise SchemaError("the schema must be a JSON object (a JSON Schema with properties)")
    if (
        "properties" not in schema
        and "type" not in schema
        and all(isinstance(v, dict) for v in schema.values())
    ):
        schema = {"type": "object", "properties": schema}
    problem = _schema_problem(json.dumps(schema, sort_keys=True, default=str))
    if problem:
        raise SchemaError(f"not a valid JSON Schema: {problem}")
    root = _build("", schema, schema, True, 0)
    if root.type == "array" and root.items is not None:
        return root
    if root.type != "object":
        raise SchemaError("the schema's top level must be an object or an array of objects")
    if not root.properties:
        raise SchemaError("the schema has no properties to extract")
    return root


def normalised_schema(schema: dict[str, Any]) -> dict[str, Any]:
    if (
        "properties" not in schema
        and "type" not in schema
        and all(isinstance(v, dict) for v in schema.values())
    ):
        return {"type": "object", "properties": schema}
    return schema


def validation_errors(schema: dict[str, Any], value: Any) -> list[str]:
    """Where the value breaks the schema, one line each (empty when it conforms)."""
    validator = jsonschema.Draft202012Validator(normalised_schema(schema))
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
        for e in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
    ][:20]
