"""Apache/nginx access logs: the Common Log Format and the Combined one (referer and user agent)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from docuforge.logs.records import Malformed, Record

ACCESS = re.compile(
    r'^(?P<client>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<time>[^\]]+)\] "(?P<request>(?:[^"\\]|\\.)*)"'
    r" (?P<status>\d{3}|-) (?P<bytes>\d+|-)"
    r'(?: "(?P<referer>(?:[^"\\]|\\.)*)" "(?P<agent>(?:[^"\\]|\\.)*)")?(?P<rest>.*)$'
)


def _when(text: str) -> tuple[dt.datetime, str | None] | None:
    # 10/Oct/2000:13:55:36 -0700; strptime is slow, so the fixed layout is cut by hand.
    try:
        day, month, rest = text.split("/", 2)
        year, clock = rest.split(":", 1)
        hms, _, offset = clock.partition(" ")
        hours, minutes, seconds = hms.split(":")
        tz: dt.tzinfo = dt.UTC
        zone = None
        if offset:
            sign = -1 if offset[0] == "-" else 1
            delta = dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
            tz = dt.timezone(sign * delta)
            zone = "Z" if not delta else f"{offset[0]}{offset[1:3]}:{offset[3:5]}"
        local = dt.datetime(
            int(year), _MONTHS[month], int(day), int(hours), int(minutes), int(seconds[:2]), tzinfo=tz
        )
    except (ValueError, KeyError, IndexError):
        return None
    return local.astimezone(dt.UTC), zone


_MONTHS = {name: n for n, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1
)}  # fmt: skip


def _dash(value: str | None) -> str | None:
    return None if value in (None, "-", "") else value


def access_line(number: int, text: str, combined: bool) -> Record | Malformed | None:
    if not text.strip():
        return None
    match = ACCESS.match(text)
    if match is None:
        return Malformed(number, "not an access log line", text[:2000])
    if combined and match["agent"] is None:
        return Malformed(number, "no referer and user agent (a combined log line has both)", text[:2000])
    when = _when(match["time"])
    if when is None:
        return Malformed(number, "invalid access log time", text[:2000])
    request = match["request"]
    attributes: dict[str, Any] = {"client_ip": match["client"]}
    parts = request.split(" ")
    if len(parts) == 3:
        attributes["method"], attributes["path"], attributes["protocol"] = parts
    status = match["status"]
    if status != "-":
        attributes["status"] = int(status)
    if match["bytes"] != "-":
        attributes["bytes"] = int(match["bytes"])
    for name, value in (("ident", match["ident"]), ("user", match["user"])):
        if _dash(value):
            attributes[name] = value
    if _dash(match["referer"]):
        attributes["referer"] = match["referer"]
    if _dash(match["agent"]):
        attributes["user_agent"] = match["agent"]
    if match["rest"].strip():
        attributes["extra"] = match["rest"].strip()  # nginx adds request time, upstream...
    # An access line has no level of its own: its status code says how it went.
    code = int(status) if status != "-" else 0
    level = "error" if code >= 500 else "warn" if code >= 400 else "info"
    return Record(
        line=number,
        timestamp=when[0],
        zone=when[1],
        level=level,
        message=request,
        attributes=attributes,
    )
