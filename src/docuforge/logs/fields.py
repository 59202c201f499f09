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


# key -> (role, rank): one dict lookup per key of the entry instead of a scan per role.
_ROLES = ("time", "level", "message", "logger", "service", "host")
ROLE_OF: dict[str, tuple[int, int]] = {}
for _role, _keys in enumerate((TIME_KEYS, LEVEL_KEYS, MESSAGE_KEYS, LOGGER_KEYS, SERVICE_KEYS, HOST_KEYS)):
    for _rank, _key in enumerate(_keys):
        ROLE_OF.setdefault(_key, (_role, _rank))
_SCALAR = (str, int, float, bool)


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


def from_entry(
    entry: dict[str, Any], line: int, default_zone: dt.tzinfo, end_line: int | None = None
) -> Record:
    """A record from one entry; the fields it does not name become its attributes."""
    chosen: list[Any] = [None] * 6
    ranks = [99] * 6
    keys: list[str | None] = [None] * 6
    role_of = ROLE_OF
    for key in entry:
        role = role_of.get(key)
        if role is not None and role[1] < ranks[role[0]]:
            value = entry[key]
            if value is not None and type(value) in _SCALAR:
                chosen[role[0]], ranks[role[0]], keys[role[0]] = value, role[1], key
    for key in keys:
        if key is not None:
            del entry[key]
    stamp, level_value, message, logger, service, host = chosen
    if level_value is None and "log" in entry:
        level_value = _nested(entry, "log", ("level",))
    if logger is None and "log" in entry:
        logger = _nested(entry, "log", ("logger",))
    if service is None and "service" in entry:
        service = _nested(entry, "service", ("name",))
    if host is None and "host" in entry:
        host = _nested(entry, "host", ("name", "hostname"))
    parsed = timestamps.parse(stamp, default_zone) if stamp is not None else None
    if stamp is not None and parsed is None:
        entry["_timestamp"] = stamp  # kept where it can be seen, not silently dropped
    level = levels.normalize(level_value) if level_value is not None else None
    if level is None and level_value is not None:
        entry["_level"] = level_value
    return Record(
        line,
        parsed[0] if parsed else None,
        parsed[1] if parsed else None,
        level,
        message if type(message) is str else ("" if message is None else str(message)),
        logger if logger is None or type(logger) is str else str(logger),
        service if service is None or type(service) is str else str(service),
        host if host is None or type(host) is str else str(host),
        entry or None,
        end_line,
    )


def not_an_object(line: int, raw: str, what: str = "a JSON value that is not an object") -> Malformed:
    return Malformed(line, what, raw)
