"""Plain text lines that start with a timestamp; lines that do not (stack traces) join the record above."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from docuforge.logs import levels, streams, timestamps
from docuforge.logs.records import Malformed, ParseOptions, Record

# After the timestamp: log4j/logback (`LEVEL [thread] a.b.C - msg`), Python (`- name - LEVEL - msg`,
# `LEVEL name: msg`), Go/Rust (`LEVEL msg`), each piece optional.
_HEAD = re.compile(
    r"^(?:[-|]\s+)?(?:\[(?P<thread0>[^\]]{0,80})\]\s+)?(?:(?P<pre>[\w.$/-]{1,120})\s+-\s+)?"
    r"[\[<(]?(?P<level>[A-Za-z]{1,11})[\]>)]?:?(?:\s+|$)(?:[-|]\s+)?"
    r"(?:\[(?P<thread>[^\]]{0,80})\]\s+)?"
    r"(?:(?P<logger>[\w$/-]+(?:\.[\w$/-]+)+)(?::\d+)?(?::|\s+-)\s+|(?P<named>[\w.$/-]{1,120})\s+-\s+)?"
    r"(?P<message>.*)$",
    re.DOTALL,
)


def split_head(rest: str) -> tuple[str | None, str | None, dict[str, Any] | None, str]:
    """(level, logger, attributes, message) of what follows the timestamp."""
    match = _HEAD.match(rest)
    if match is None:
        return None, None, None, rest
    word = match["level"]
    level = levels.normalize(word) if (len(word) > 1 or word.isupper()) else None
    if level is None:
        return None, None, None, rest
    thread = match["thread"] or match["thread0"]
    logger = match["logger"] or match["named"] or match["pre"]
    return level, logger, ({"thread": thread} if thread else None), match["message"]


def text_line_start(text: str) -> re.Match[str] | None:
    return timestamps.LEADING.match(text)


def text(stream: BinaryIO, options: ParseOptions, zone: dt.tzinfo) -> Iterator[Record | Malformed]:
    current: Record | None = None
    parts: list[str] = []
    budget = options.max_line_bytes * 4

    def finish() -> Record:
        assert current is not None
        while len(parts) > 1 and not parts[-1].strip():
            parts.pop()
        current.message = "\n".join(parts)
        return current

    for number, data, cut in streams.lines(stream, options.max_line_bytes):
        line = data.decode("utf-8", "replace")
        match = None if cut else timestamps.LEADING.match(line)
        stamp = timestamps.parse(match["ts"], zone) if match else None
        if stamp is None:
            if cut:
                yield Malformed(number, f"line longer than {options.max_line_bytes} bytes", line[:2000])
            elif current is None:
                if line.strip():
                    yield Malformed(number, "no leading timestamp", line[:2000])
            elif (number - current.line) >= options.max_record_lines or budget <= 0:
                yield Malformed(number, "continuation beyond the record's limit", line[:2000])
            else:
                parts.append(line)
                budget -= len(line)
                current.end_line = number
            continue
        if current is not None:
            yield finish()
        assert match is not None
        level, logger, attributes, message = split_head(line[match.end() :].lstrip())
        current = Record(
            line=number,
            timestamp=stamp[0],
            zone=stamp[1],
            level=level,
            message="",
            logger=logger,
            attributes=attributes,
        )
        parts = [message]
        budget = options.max_line_bytes * 4
    if current is not None:
        yield finish()
