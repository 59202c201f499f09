"""One parsed log record, one malformed line, and the options every parser takes."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from pydantic import BaseModel, Field


class LogFormat(enum.StrEnum):
    auto = "auto"
    jsonl = "jsonl"
    json_array = "json_array"
    logfmt = "logfmt"
    csv = "csv"
    tsv = "tsv"
    syslog_rfc3164 = "syslog_rfc3164"
    syslog_rfc5424 = "syslog_rfc5424"
    apache_common = "apache_common"
    apache_combined = "apache_combined"
    text = "text"


# Names people send for the same formats (the seed's example says "json").
ALIASES = {
    "json": LogFormat.jsonl,
    "ndjson": LogFormat.jsonl,
    "jsonlines": LogFormat.jsonl,
    "json_lines": LogFormat.jsonl,
    "array": LogFormat.json_array,
    "syslog": LogFormat.syslog_rfc3164,
    "rfc3164": LogFormat.syslog_rfc3164,
    "rfc5424": LogFormat.syslog_rfc5424,
    "common": LogFormat.apache_common,
    "clf": LogFormat.apache_common,
    "nginx": LogFormat.apache_combined,
    "combined": LogFormat.apache_combined,
    "apache": LogFormat.apache_combined,
    "plain": LogFormat.text,
    "plaintext": LogFormat.text,
}


def log_format(value: str | LogFormat | None) -> LogFormat:
    """The format a name stands for; ValueError for one we do not read."""
    if value is None or value == "":
        return LogFormat.auto
    if isinstance(value, LogFormat):
        return value
    name = value.strip().lower().replace("-", "_")
    if name in ALIASES:
        return ALIASES[name]
    return LogFormat(name)


LEVELS = ("trace", "debug", "info", "warn", "error", "fatal")


class ParseOptions(BaseModel):
    """How a log file is read."""

    format: LogFormat = Field(
        LogFormat.auto, description="The log's format; auto sniffs it from the first lines."
    )
    default_timezone: str = Field(
        "UTC", description="Zone of timestamps that carry none (an IANA name such as Europe/Paris, or UTC)."
    )
    year: int | None = Field(
        None, description="Year of RFC 3164 syslog timestamps, which have none (default: the current year)."
    )
    max_line_bytes: int = Field(
        1024 * 1024, ge=1024, description="Longer lines are cut to this size and reported as malformed."
    )
    max_record_lines: int = Field(
        1000, ge=1, description="Continuation lines joined to one record at most (stack traces)."
    )
    columnar: bool = Field(
        True,
        description="Read JSON lines with DuckDB's vectorised JSON functions (the same records, faster);"
        " off: one line at a time in Python.",
    )


class Record:
    """A log record: UTC timestamp (the source's zone in `zone`), level, message and the rest."""

    __slots__ = (
        "attributes",
        "end_line",
        "host",
        "level",
        "line",
        "logger",
        "message",
        "service",
        "timestamp",
        "zone",
    )

    def __init__(
        self,
        line: int,
        timestamp: dt.datetime | None,
        zone: str | None,
        level: str | None,
        message: str,
        logger: str | None = None,
        service: str | None = None,
        host: str | None = None,
        attributes: dict[str, Any] | None = None,
        end_line: int | None = None,
    ) -> None:
        self.line = line
        self.end_line = end_line if end_line is not None else line
        self.timestamp = timestamp
        self.zone = zone
        self.level = level
        self.message = message
        self.logger = logger
        self.service = service
        self.host = host
        self.attributes = attributes

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self) -> str:
        return f"Record(line={self.line}, level={self.level!r}, message={self.message[:60]!r})"


class Malformed:
    """A line no parser could read: kept with its number and why."""

    __slots__ = ("line", "raw", "reason")

    def __init__(self, line: int, reason: str, raw: str) -> None:
        self.line = line
        self.reason = reason
        self.raw = raw

    def __repr__(self) -> str:
        return f"Malformed(line={self.line}, reason={self.reason!r})"
