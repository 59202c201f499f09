"""Timestamps as logs write them, to UTC with the source's own zone kept beside."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

UTC = dt.UTC
_EPOCH = re.compile(r"^\d{9,19}(\.\d+)?$")
# A timestamp at the start of a text line: ISO 8601 / RFC 3339 (T or space), the log4j/Python
# `YYYY-MM-DD HH:MM:SS,mmm`, optional fraction and zone; or a bare epoch number.
LEADING = re.compile(
    r"^\[?(?P<ts>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?"
    r"(?:\s?(?:Z|z|UTC|[+-]\d{2}:?\d{2}))?|\d{10}(?:\.\d{1,9})?|\d{13})\]?(?=\s|$)"
)


@lru_cache(maxsize=64)
def zone_of(name: str) -> dt.tzinfo:
    if name.upper() in ("UTC", "Z", "GMT"):
        return UTC
    return ZoneInfo(name)


def offset_text(value: dt.datetime) -> str | None:
    """+HH:MM of an aware datetime (Z for UTC itself)."""
    offset = value.utcoffset()
    if offset is None:
        return None
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "Z"
    sign = "+" if minutes > 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def from_epoch(number: float) -> tuple[dt.datetime, str]:
    """Seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude."""
    magnitude = abs(number)
    if magnitude >= 1e17:
        number /= 1e9
    elif magnitude >= 1e14:
        number /= 1e6
    elif magnitude >= 1e11:
        number /= 1e3
    return dt.datetime.fromtimestamp(number, UTC), "Z"


_OFFSETS: dict[dt.timedelta, str | None] = {}


def _zone_text(parsed: dt.datetime) -> str | None:
    offset = parsed.utcoffset()
    try:
        return _OFFSETS[offset]  # type: ignore[index]
    except KeyError:
        text = _OFFSETS[offset] = offset_text(parsed)  # type: ignore[index]
        return text


def parse(value: object, default_zone: dt.tzinfo = UTC) -> tuple[dt.datetime, str | None] | None:
    """(UTC datetime, source zone) or None; a zoneless value is read in default_zone (zone None)."""
    if type(value) is str and len(value) >= 20 and value[10] == "T" and value[19] != ",":
        # The common case, RFC 3339 with a zone: no string work before fromisoformat.
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is not None:
                zone = _zone_text(parsed)
                return (parsed if zone == "Z" else parsed.astimezone(UTC)), zone
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return from_epoch(float(value))
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if not text:
        return None
    if text[0].isdigit() and _EPOCH.match(text):
        if text.isdigit() and len(text) > 16:
            # Nanoseconds: integer arithmetic, a float would round the microseconds.
            micros = int(text) // 1000
            return dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(microseconds=micros), "Z"
        try:
            return from_epoch(float(text))
        except (OverflowError, OSError, ValueError):
            return None
    # fromisoformat (3.11) reads RFC 3339 and most ISO 8601; the comma before milliseconds is log4j's.
    if len(text) > 19 and text[19] == ",":
        text = text[:19] + "." + text[20:]
    if text.endswith(" UTC"):
        text = text[:-4] + "Z"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        parsed = _fallback(text)
        if parsed is None:
            return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=default_zone).astimezone(UTC), None
    return parsed.astimezone(UTC), _zone_text(parsed)


_FORMATS = (
    "%d/%b/%Y:%H:%M:%S %z",  # Apache/nginx
    "%a, %d %b %Y %H:%M:%S %z",  # RFC 2822
    "%a %b %d %H:%M:%S %Y",  # ctime
    "%Y/%m/%d %H:%M:%S",  # nginx error log, Go's log package
    "%d-%b-%Y %H:%M:%S",
)


def _fallback(text: str) -> dt.datetime | None:
    # Nanosecond fractions are beyond fromisoformat: keep microseconds.
    match = re.match(r"^(.*?\.\d{6})\d+(.*)$", text)
    if match:
        try:
            return dt.datetime.fromisoformat(match.group(1) + match.group(2))
        except ValueError:
            pass
    for pattern in _FORMATS:
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None
