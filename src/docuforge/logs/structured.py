"""JSON lines, a JSON array (streamed), logfmt and CSV/TSV with a header."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

import orjson

from docuforge.logs import streams
from docuforge.logs.fields import from_entry
from docuforge.logs.records import Malformed, ParseOptions, Record

Item = Record | Malformed


def _raw(data: bytes, limit: int = 2000) -> str:
    return data[:limit].decode("utf-8", "replace")


def jsonl_line(number: int, data: bytes, zone: dt.tzinfo) -> Item | None:
    if not data.strip():
        return None
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        return Malformed(number, f"invalid JSON: {str(error).split(':', 1)[0]}", _raw(data))
    if not isinstance(value, dict):
        return Malformed(number, "a JSON value that is not an object", _raw(data))
    return from_entry(value, number, zone)


def jsonl(stream: BinaryIO, options: ParseOptions, zone: dt.tzinfo) -> Iterator[Item]:
    for number, data, cut in streams.lines(stream, options.max_line_bytes):
        if cut:
            yield Malformed(number, f"line longer than {options.max_line_bytes} bytes", _raw(data))
            continue
        item = jsonl_line(number, data, zone)
        if item is not None:
            yield item


# Characters that matter to the depth of a JSON text; everything else is skipped by the regex engine.
_STRUCTURE = re.compile(rb'["\\{}\[\]\n]')


def json_array(stream: BinaryIO, options: ParseOptions, zone: dt.tzinfo) -> Iterator[Item]:
    """A top-level JSON array of objects, one element at a time: the array is never loaded whole."""
    buffer = b""
    start = -1  # where the current element began in buffer, -1 between elements
    skip_at = -1  # the byte after a backslash inside a string (it is escaped)
    depth = 0
    in_string = opened = False
    line = element_line = 1
    while chunk := stream.read(streams.READ_SIZE):
        if start >= 0:
            # Keep only the element being read; offsets move with it.
            buffer, position = buffer[start:] + chunk, len(buffer) - start
            skip_at -= start
            start = 0
            if len(buffer) > options.max_line_bytes * 4:
                yield Malformed(element_line, "array element too large", _raw(buffer))
                return
        else:
            buffer, position, skip_at = chunk, 0, -1
        for match in _STRUCTURE.finditer(buffer, position):
            char, index = match.group(), match.start()
            if char == b"\n":
                line += 1
                continue
            if in_string:
                if index == skip_at:
                    continue
                if char == b"\\":
                    skip_at = index + 1
                elif char == b'"':
                    in_string = False
                continue
            if char == b'"':
                in_string = True
            elif char == b"{":
                if depth == 0:
                    start, element_line = index, line
                depth += 1
            elif char == b"}":
                depth -= 1
                if depth == 0 and start >= 0:
                    data = buffer[start : index + 1]
                    start = -1
                    try:
                        value = orjson.loads(data)
                    except orjson.JSONDecodeError as error:
                        reason = f"invalid JSON: {str(error).split(':', 1)[0]}"
                        yield Malformed(element_line, reason, _raw(data))
                    else:
                        yield from_entry(value, element_line, zone, end_line=line)
            elif char == b"[":
                if opened:
                    depth += 1
                opened = True
            elif char == b"]" and depth > 0:
                depth -= 1
    if not opened:
        yield Malformed(1, "not a JSON array", _raw(buffer))
    elif start >= 0:
        yield Malformed(element_line, "the array ends inside an element", _raw(buffer[start:]))


_PAIR = re.compile(r'([^\s=]+)=("(?:[^"\\]|\\.)*"|[^\s"]*)')


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        inner = value[1:-1]
        if "\\" in inner:
            try:
                return orjson.loads(value)
            except orjson.JSONDecodeError:
                return inner.replace('\\"', '"')
        return inner
    return value


def logfmt_line(number: int, text: str, zone: dt.tzinfo) -> Item | None:
    if not text.strip():
        return None
    entry: dict[str, object] = {}
    covered = 0
    for key, value in _PAIR.findall(text):
        entry[key] = _unquote(value) if value[:1] == '"' else value
        covered += len(key) + len(value) + 1
    # logfmt is pairs and spaces: a line mostly of other text is not logfmt.
    if not entry or covered < 0.6 * len(text.strip()):
        return Malformed(number, "not key=value pairs", text[:2000])
    return from_entry(entry, number, zone)


def logfmt(stream: BinaryIO, options: ParseOptions, zone: dt.tzinfo) -> Iterator[Item]:
    for number, data, cut in streams.lines(stream, options.max_line_bytes):
        text = data.decode("utf-8", "replace")
        if cut:
            yield Malformed(number, f"line longer than {options.max_line_bytes} bytes", text[:2000])
            continue
        item = logfmt_line(number, text, zone)
        if item is not None:
            yield item


def delimited(stream: BinaryIO, options: ParseOptions, zone: dt.tzinfo, delimiter: str) -> Iterator[Item]:
    """CSV or TSV whose first row names the columns; a row of another width is malformed."""
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="")
    csv.field_size_limit(options.max_line_bytes)
    reader = csv.reader(text, delimiter=delimiter)
    header: list[str] | None = None
    previous_end = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            yield Malformed(reader.line_num, f"unreadable row: {error}", "")
            previous_end = reader.line_num
            continue
        first, previous_end = previous_end + 1, reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if header is None:
            header = [name.strip() for name in row]
            continue
        if len(row) != len(header):
            yield Malformed(
                first, f"{len(row)} fields where the header has {len(header)}", delimiter.join(row)[:2000]
            )
            continue
        entry = {name: value for name, value in zip(header, row, strict=True) if value != ""}
        yield from_entry(entry, first, zone, end_line=previous_end)
