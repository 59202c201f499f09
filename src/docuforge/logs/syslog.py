"""Syslog: RFC 3164 (BSD, as /var/log/syslog writes it, with or without <PRI>) and RFC 5424."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from docuforge.logs import levels, timestamps
from docuforge.logs.records import Malformed, Record

FACILITIES = (
    "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
    "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5",
    "local6", "local7",
)  # fmt: skip
MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1
)}  # fmt: skip

RFC3164 = re.compile(
    r"^(?:<(?P<pri>\d{1,3})>)?(?P<month>[A-Z][a-z]{2}) (?P<day>[ \d]\d) (?P<time>\d{2}:\d{2}:\d{2})"
    r"(?: (?P<year>\d{4}))? (?P<host>\S+) (?:(?P<tag>[^\s:\[]{1,64})(?:\[(?P<pid>[^\]]*)\])?: ?)?(?P<msg>.*)$"
)
RFC5424 = re.compile(
    r"^<(?P<pri>\d{1,3})>(?P<version>\d{1,2}) (?P<ts>\S+) (?P<host>\S+) (?P<app>\S+) (?P<procid>\S+)"
    r" (?P<msgid>\S+) (?P<sd>-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (?P<msg>.*))?$"
)
_SD_ELEMENT = re.compile(r"\[(?P<id>[^\s\]=]+)(?P<params>(?:\s+[^\s=\]]+=\"(?:[^\"\\]|\\.)*\")*)\s*\]")
_SD_PARAM = re.compile(r'([^\s=\]]+)="((?:[^"\\]|\\.)*)"')


def _priority(value: str | None, attributes: dict[str, Any]) -> str | None:
    if value is None:
        return None
    pri = int(value)
    if pri > 191:
        return None
    facility, severity = divmod(pri, 8)
    attributes["facility"] = FACILITIES[facility] if facility < len(FACILITIES) else facility
    attributes["severity"] = severity
    return levels.SYSLOG[severity]


def _nil(value: str) -> str | None:
    return None if value == "-" else value


def rfc3164_line(number: int, text: str, zone: dt.tzinfo, year: int) -> Record | Malformed | None:
    if not text.strip():
        return None
    match = RFC3164.match(text)
    if match is None or match["month"] not in MONTHS:
        return Malformed(number, "not an RFC 3164 syslog line", text[:2000])
    attributes: dict[str, Any] = {}
    level = _priority(match["pri"], attributes)
    try:
        local = dt.datetime(
            int(match["year"] or year),
            MONTHS[match["month"]],
            int(match["day"]),
            *(int(part) for part in match["time"].split(":")),
            tzinfo=zone,
        )
    except ValueError:
        return Malformed(number, "invalid syslog date", text[:2000])
    if match["pid"]:
        attributes["pid"] = match["pid"]
    message = match["msg"]
    if level is None:
        level = _level_word(message)
    return Record(
        line=number,
        timestamp=local.astimezone(dt.UTC),
        zone=None,
        level=level,
        message=message,
        service=match["tag"],
        host=match["host"],
        attributes=attributes or None,
    )


_LEVEL_WORD = re.compile(r"^\s*[\[<(]?([A-Za-z]{1,9})[\]>):]")


def _level_word(message: str) -> str | None:
    """Programs often start their message with a level ("error: ...", "[WARN] ...")."""
    match = _LEVEL_WORD.match(message)
    return levels.normalize(match.group(1)) if match else None


def rfc5424_line(number: int, text: str, zone: dt.tzinfo) -> Record | Malformed | None:
    if not text.strip():
        return None
    match = RFC5424.match(text)
    if match is None:
        return Malformed(number, "not an RFC 5424 syslog line", text[:2000])
    attributes: dict[str, Any] = {}
    level = _priority(match["pri"], attributes)
    stamp = None
    if match["ts"] != "-":
        stamp = timestamps.parse(match["ts"], zone)
        if stamp is None:
            return Malformed(number, "invalid RFC 5424 timestamp", text[:2000])
    if _nil(match["procid"]):
        attributes["procid"] = match["procid"]
    if _nil(match["msgid"]):
        attributes["msgid"] = match["msgid"]
    if match["sd"] != "-":
        for element in _SD_ELEMENT.finditer(match["sd"]):
            attributes[element["id"]] = {
                key: value.replace('\\"', '"').replace("\\]", "]").replace("\\\\", "\\")
                for key, value in _SD_PARAM.findall(element["params"])
            }
    message = match["msg"] or ""
    if message.startswith("\ufeff"):  # the BOM RFC 5424 puts before a UTF-8 MSG
        message = message[1:]
    return Record(
        line=number,
        timestamp=stamp[0] if stamp else None,
        zone=stamp[1] if stamp else None,
        level=level,
        message=message,
        service=_nil(match["app"]),
        host=_nil(match["host"]),
        attributes=attributes or None,
    )
