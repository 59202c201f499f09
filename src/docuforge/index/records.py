"""JSON and CSV files as records: each row or object becomes one passage, `field: value; ...`.

A JSON file is a list of objects, or an object whose largest list of objects holds the records
(the rest of it becomes a record of its own); nested objects flatten to dotted field names.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from docuforge.index.store import Passage

MAX_FIELD = 2000  # characters of one value kept in a record's text


class RecordsError(ValueError):
    """The file cannot be read as records."""


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        out: list[tuple[str, str]] = []
        for key, inner in value.items():
            out.extend(_flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            return [(prefix, ", ".join(str(item) for item in value))] if value else []
        out = []
        for index, item in enumerate(value, 1):
            out.extend(_flatten(item, f"{prefix}[{index}]"))
        return out
    if value is None or value == "":
        return []
    return [(prefix or "value", str(value)[:MAX_FIELD])]


def json_records(data: bytes) -> list[list[tuple[str, str]]]:
    try:
        value = json.loads(_decode(data))
    except json.JSONDecodeError as error:
        raise RecordsError(f"not valid JSON: {error}") from None
    if isinstance(value, list):
        return [fields for item in value if (fields := _flatten(item))]
    if isinstance(value, dict):
        lists = [
            (key, inner)
            for key, inner in value.items()
            if isinstance(inner, list) and inner and all(isinstance(item, dict) for item in inner)
        ]
        if lists:
            key, biggest = max(lists, key=lambda pair: len(pair[1]))
            rest = {k: v for k, v in value.items() if k != key}
            records = [fields for item in biggest if (fields := _flatten(item))]
            head = _flatten(rest)
            return ([head] if head else []) + records
        return [fields] if (fields := _flatten(value)) else []
    return [fields] if (fields := _flatten(value)) else []


def csv_records(data: bytes) -> list[list[tuple[str, str]]]:
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [name.strip() or f"column {i + 1}" for i, name in enumerate(rows[0])]
    records = []
    for row in rows[1:]:
        fields = [
            (header[i] if i < len(header) else f"column {i + 1}", cell.strip()[:MAX_FIELD])
            for i, cell in enumerate(row)
            if cell.strip()
        ]
        if fields:
            records.append(fields)
    return records


def record_passages(
    records: list[list[tuple[str, str]]], document_id: str, filename: str, document_type: str
) -> list[Passage]:
    return [
        Passage(
            id=f"{document_id}:{number}",
            document_id=document_id,
            filename=filename,
            document_type=document_type,
            page=1,
            row=number + 1,
            text="; ".join(f"{name}: {value}" for name, value in fields),
        )
        for number, fields in enumerate(records)
    ]
