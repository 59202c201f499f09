"""What extraction takes (ExtractOptions) and gives (Extraction: the value, and a citation per leaf)."""

from __future__ import annotations

import enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from docuforge.document.model import BBox

DEFAULT_PROMPT = "Be precise and thorough."


class Engine(enum.StrEnum):
    offline = "offline"
    llm = "llm"


class ExtractOptions(BaseModel):
    """How to extract: which engine, how to match labels, and how to read ambiguous values."""

    model_config = ConfigDict(extra="forbid")

    engine: Engine = Field(
        Engine.offline,
        description="offline: read fields from the document's structure, no LLM; llm: ask the configured "
        "LLM provider with the schema and the document.",
    )
    system_prompt: str = Field(DEFAULT_PROMPT, description="Instructions to the LLM engine.")
    dense: bool = Field(
        False,
        description="Also match labels to fields by meaning (the bundled MiniLM embeddings): finds labels "
        "that share no word with a field, at a cost of seconds per document on a CPU; off: words and "
        "synonyms only.",
    )
    date_order: Literal["auto", "DMY", "MDY"] = Field(
        "auto",
        description="How to read 03/04/2025: auto follows the document's unambiguous dates, else DMY.",
    )
    min_score: float = Field(0.45, ge=0, le=1, description="Weakest label match the offline engine accepts.")
    deep: bool = Field(
        False,
        description="A second, more thorough pass over the fields the first left empty: offline, labels "
        "also matched by meaning (MiniLM) and accepted at a lower score; llm, the offline engine's "
        "reading fills what the model left empty.",
    )
    table_headers: bool = Field(
        True,
        description="Offline: a table headed by a row of labels links each header to its column, and "
        "its cells are values, never labels; off: every cell may label its neighbour.",
    )
    split_headers: bool = Field(
        True,
        description="Offline: a table header cell that names as many columns as it stands over "
        '("Quantity Rate" over two columns of values) gives each column one of its words.',
    )
    dates_not_labels: bool = Field(
        True, description="Offline: a line that reads as a date is a value, never a label standing alone."
    )
    total_evidence: bool = Field(
        True,
        description="Offline: choose a grand total among several total lines by the payment lines that "
        "repeat it, subtotal + tax = total, and its size; off: by label words alone.",
    )
    name_lines: bool = Field(
        True,
        description="Offline: an issuer's name found by position may run over two prominent lines, and "
        "label values that read as registration numbers are no names.",
    )
    address_block: bool = Field(
        True,
        description="Offline: an unlabelled address is the run of lines between the issuer's name and the "
        "next phone, tax or labelled line, taken back to its first line.",
    )
    array_extract: bool = Field(
        False, description="LLM engine: read long documents in segments and merge their arrays."
    )
    pages_per_segment: int = Field(8, ge=1, description="LLM engine: pages per segment with array_extract.")
    max_tokens: int = Field(1024, ge=16, description="LLM engine: most tokens one answer may use.")


class Citation(BaseModel):
    """Where a value was read: the block(s), the page, a normalized box and the text there."""

    block_ids: list[str]
    page: int
    bbox: BBox
    text: str
    confidence: float = Field(ge=0, le=1)


class Leaf(BaseModel):
    """One extracted leaf value with its citations."""

    path: list[str | int]
    value: Any
    citations: list[Citation] = Field(default_factory=list)
    confidence: float = Field(0.0, ge=0, le=1)


class Extraction(BaseModel):
    """The value that conforms to the schema, each leaf's citations and an overall confidence."""

    value: Any
    leaves: list[Leaf] = Field(default_factory=list)
    confidence: Literal["high", "low"] = "low"
    confidence_reason: str | None = None
    engine: Engine = Engine.offline
    num_fields: int = 0
    num_pages: int = 0
    usage: dict[str, int] = Field(default_factory=dict, description="LLM tokens, where an LLM answered.")
    warnings: list[str] = Field(default_factory=list)

    def cited(self) -> Any:
        """The value with every leaf replaced by {value, citations, confidence}."""
        by_path = {tuple(leaf.path): leaf for leaf in self.leaves}

        def walk(node: Any, path: tuple[str | int, ...]) -> Any:
            if isinstance(node, dict):
                return {k: walk(v, (*path, k)) for k, v in node.items()}
            if isinstance(node, list):
                return [walk(v, (*path, i)) for i, v in enumerate(node)]
            leaf = by_path.get(path)
            return {
                "value": node,
                "citations": [c.model_dump() for c in leaf.citations] if leaf else [],
                "confidence": round(leaf.confidence, 4) if leaf else 0.0,
            }

        return walk(self.value, ())
