"""Extraction: a Document and a JSON Schema in, the schema's value with a citation per leaf out.

import docuforge
result = docuforge.extract("invoice.pdf", {"type": "object", "properties": {...}})
result.value, result.cited(), result.confidence
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from docuforge.document.model import Document
from docuforge.errors import DocuforgeError, ErrorCode
from docuforge.extraction.matching import Scorer, load_embedder
from docuforge.extraction.options import Citation, Engine, Extraction, ExtractOptions, Leaf
from docuforge.extraction.schema import Field, SchemaError, parse_schema
from docuforge.llm.types import LLMClient

HIGH = 0.6  # the weakest leaf confidence an answer may hold and still be called high


def _missing_required(field: Field, value: Any) -> list[str]:
    missing: list[str] = []
    if field.type == "object" and isinstance(value, dict):
        for prop in field.properties:
            child = value.get(prop.name)
            if prop.required and (child is None or child == [] or child == {}):
                missing.append(prop.name)
            elif child is not None:
                missing += [f"{prop.name}.{m}" for m in _missing_required(prop, child)]
    return missing


def overall(root: Field, value: Any, leaves: list[Leaf]) -> tuple[str, str | None]:
    """high when every leaf found is well supported and nothing required is missing."""
    weak = [".".join(str(p) for p in leaf.path) for leaf in leaves if leaf.confidence < HIGH]
    missing = _missing_required(root, value)
    if not leaves:
        return "low", "nothing in the document matched the schema"
    reasons = []
    if missing:
        reasons.append("required fields not found: " + ", ".join(missing[:8]))
    if weak:
        reasons.append("weakly supported: " + ", ".join(weak[:8]))
    return ("low", "; ".join(reasons)) if reasons else ("high", None)


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _merge(first: Any, second: Any, path: tuple[str | int, ...], filled: set[tuple[str | int, ...]]) -> Any:
    """first, with every empty place filled from second (recording the paths filled)."""
    if isinstance(first, dict) and isinstance(second, dict):
        return {k: _merge(v, second.get(k), (*path, k), filled) for k, v in first.items()}
    if _empty(first) and not _empty(second):
        filled.add(path)
        return second
    return first


def _deep_pass(
    document: Document, root: Field, options: ExtractOptions, value: Any, leaves: list[Leaf]
) -> tuple[Any, list[Leaf]]:
    """Fill what the first pass left empty from a more thorough offline reading."""
    from docuforge.extraction.offline import extract_offline

    embed = load_embedder()
    thorough = options.model_copy(
        update={
            "engine": Engine.offline,
            "dense": embed is not None,
            "min_score": min(options.min_score, 0.3),
        }
    )
    second, second_leaves = extract_offline(document, root, thorough, Scorer(embed))
    filled: set[tuple[str | int, ...]] = set()
    merged = _merge(value, second, (), filled)

    def under_filled(leaf: Leaf) -> bool:
        return any(tuple(leaf.path[: len(p)]) == p for p in filled)

    # A filled place's citations are the second pass's; the first's (of an empty value) go.
    kept = [leaf for leaf in leaves if not under_filled(leaf)]
    return merged, kept + [leaf for leaf in second_leaves if under_filled(leaf)]


def extract(
    document: Document | str | Path,
    schema: dict[str, Any],
    options: ExtractOptions | None = None,
    *,
    llm: LLMClient | None = None,
    on_segment: Callable[[int, int], None] | None = None,
) -> Extraction:
    """Fill a JSON Schema from a document, each leaf cited; a path is parsed first.

    The llm engine needs `llm` (docuforge.llm.client(...)); `on_segment(done, total)` follows its calls.
    """
    options = options or ExtractOptions()
    if not isinstance(document, Document):
        from docuforge.parsing.options import ParseOptions
        from docuforge.parsing.pipeline import parse

        # Word boxes: each citation hugs its value.
        document = parse(Path(document), ParseOptions(word_boxes=True))
    root = parse_schema(schema)
    if options.engine is Engine.llm:
        if llm is None:
            raise DocuforgeError(
                "the llm engine needs an LLM provider (DOCUFORGE_LLM__PROVIDER)",
                code=ErrorCode.INVALID_CONFIG,
                status_code=400,
            )
        from docuforge.extraction.llm import extract_llm

        value, leaves, usage = extract_llm(document, schema, root, options, llm, on_segment)
        if options.deep:
            value, leaves = _deep_pass(document, root, options, value, leaves)
    else:
        from docuforge.extraction.offline import extract_offline

        scorer = Scorer(load_embedder() if options.dense else None)
        value, leaves = extract_offline(document, root, options, scorer)
        usage = {}
        if options.deep:
            value, leaves = _deep_pass(document, root, options, value, leaves)
    confidence, reason = overall(root, value, leaves)
    return Extraction(
        value=value,
        leaves=leaves,
        confidence=confidence,  # type: ignore[arg-type]
        confidence_reason=reason,
        engine=options.engine,
        num_fields=root.leaves(),
        num_pages=len(document.pages),
        usage=usage,
    )


__all__ = ["Citation", "Engine", "ExtractOptions", "Extraction", "Leaf", "SchemaError", "extract"]
