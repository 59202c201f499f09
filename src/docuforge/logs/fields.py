"""Structured entries (JSON objects, logfmt pairs, CSV rows) to records, by well-known field names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docuforge.logs import levels, timestamps
from docuforge.logs.records import Malformed, Record

# First match wins; the names of ECS, OpenTelemetry, bunyan/pino, logrus, zap, structlog, GCP, Serilog.
TIME_KEYS = ("@timestamp", "timestamp", "time", "ts", "datetime", "date", "@t", "t", "eventTime", "Timestamp")
LEVEL_KEYS = (
    "level",
    "log.level",
    "severity",
    "lvl",
    "levelname",
    "loglevel",
    "@l",
    "Level",
    "severity_text",
)
MESSAGE_KEYS = ("message", "msg", "@message", "@m", "@mt", "event", "log", "text", "Message", "body")
LOGGER_KEYS = ("logger", "log.logger", "logger_name", "loggerName", "name", "caller_logger", "component")
SERVICE_KEYS = ("service", "service.name", "service_name", "app", "application", "svc", "program")
HOST_KEYS = ("host", "hostname", "host.name", "host_name", "server")


def _take(entry: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if key in entry:
            value = entry[key]
            if isinstance(value, dict | list):
                continue
            del entry[key]
            return value
    return None


def _nested(entry: dict[str, Any], outer: str, inner: tuple[str, ...]) -> Any:
    """ECS writes {"log": {"level": ...}}, {"service": {"name": ...}}, {"host": {"name": ...}}."""
    value = entry.get(outer)
    if not isinstance(value, dict):
        return None
    for key in inner:
        if key in value and not isinstance(value[key], dict | list):
            found = value.pop(key)
            if not value:
                del entry[outer]
            return found
    return None


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def from_entry(
    entry: dict[str, Any], line: int, default_zone: dt.tzinfo, end_line: int | None = None
) -> Record:
    """A record from one entry; the fields it does not name become its attributes."""
    stamp = _take(entry, TIME_KEYS)
    level_value = _take(entry, LEVEL_KEYS)
    if level_value is None:
        level_value = _nested(entry, "log", ("level",))
    message = _take(entry, MESSAGE_KEYS)
    logger = _take(entry, LOGGER_KEYS) or _nested(entry, "log", ("logger",))
    service = _take(entry, SERVICE_KEYS) or _nested(entry, "service", ("name",))
    host = _take(entry, HOST_KEYS) or _nested(entry, "host", ("name", "hostname"))
    parsed = timestamps.parse(stamp, default_zone) if stamp is not None else None
    if stamp is not None and parsed is None:
        entry["_timestamp"] = stamp  # kept where it can be seen, not silently dropped
    level = levels.normalize(level_value)
    if level is None and level_value is not None:
        entry["_level"] = level_value
    return Record(
        line=line,
        end_line=end_line,
        timestamp=parsed[0] if parsed else None,
        zone=parsed[1] if parsed else None,
        level=level,
        message=_text(message) or "",
        logger=_text(logger),
        service=_text(service),
        host=_text(host),
        attributes=entry or None,
    )


def not_an_object(line: int, raw: str, what: str = "a JSON value that is not an object") -> Malformed:
    return Malformed(line, what, raw)
