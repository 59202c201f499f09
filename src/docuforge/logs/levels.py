"""Levels from the many spellings, numbers and syslog severities to six words."""

from __future__ import annotations

_WORDS = {
    "trace": ("trace", "trc", "finest", "finer", "verbose", "vrb", "v", "t", "all"),
    "debug": ("debug", "dbg", "fine", "config", "d", "debg", "dbug"),
    "info": ("info", "inf", "information", "informational", "notice", "note", "i", "n", "log", "ok"),
    "warn": ("warn", "warning", "wrn", "w", "wrng", "warnings"),
    "error": ("error", "err", "e", "severe", "fail", "failure", "failed", "eror", "exception"),
    "fatal": ("fatal", "critical", "crit", "crt", "emerg", "emergency", "alert", "panic", "f", "c", "ftl"),
}
SPELLINGS: dict[str, str] = {spelling: level for level, words in _WORDS.items() for spelling in words}

# Syslog severities 0..7 (RFC 5424 §6.2.1).
SYSLOG = ("fatal", "fatal", "fatal", "error", "warn", "info", "info", "debug")

# bunyan/pino numbers; Python logging's 10..50 agree with them up to 50, where Python says CRITICAL.
_NUMBERS = {10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal"}


# The spellings as written most often (INFO, Info, info), found without any string work.
_EXACT: dict[object, str] = {}
for _spelling, _level in SPELLINGS.items():
    for _variant in (_spelling, _spelling.upper(), _spelling.capitalize()):
        _EXACT[_variant] = _level


def normalize(value: object) -> str | None:
    """trace/debug/info/warn/error/fatal, or None when the value names no level."""
    if type(value) is str:
        found = _EXACT.get(value)
        if found is not None:
            return found
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _NUMBERS.get(int(value))
    text = str(value).strip().strip("[]<>()").lower()
    found = SPELLINGS.get(text)
    if found is not None:
        return found
    if text.isdigit():
        number = int(text)
        if 0 <= number <= 7 and len(text) == 1:
            return SYSLOG[number]
        return _NUMBERS.get(number)
    return None
