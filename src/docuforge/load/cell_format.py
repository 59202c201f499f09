"""What a spreadsheet cell shows: its value through its number format, as Excel displays it.

Percentages, thousands separators, fixed decimals (halves rounded away from zero, as Excel
does), scaling by thousands ("#,##0,"K""), separate formats for negatives, currency symbols,
scientific notation, ISO dates, TRUE/FALSE and error values.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import ROUND_HALF_UP, Decimal


def display(value: object, number_format: str | None = "General") -> str:
    """A cell's value as Excel shows it, where the format is simple: dates as ISO dates, booleans as
    TRUE/FALSE, numbers with their format's decimals, thousands separators, percent and literals."""
    if isinstance(value, str):  # most cells: checked first
        return " ".join(value.split())
    fmt = number_format or "General"
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        timed = bool(re.search(r"[hs]", _strip_literals(fmt), re.IGNORECASE))
        if not timed and value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
        return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    if isinstance(value, int | float):
        return _format_number(value, fmt)
    return " ".join(str(value).split())


def _general(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if value != 0 and abs(value) < 1e-9:
        return f"{value:.6g}"
    rounded = round(value, 10)  # 0.1 + 0.2 shows as 0.3, as it does in Excel
    if rounded.is_integer() and abs(rounded) < 1e15:
        return str(int(rounded))
    return repr(rounded)


@functools.lru_cache(maxsize=512)  # a workbook has few formats and many cells
def _strip_literals(fmt: str) -> str:
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", fmt)


@functools.lru_cache(maxsize=512)
def _sections(fmt: str) -> tuple[str, ...]:
    """A format's ;-separated sections (positive; negative; zero; text), quotes respected."""
    parts, current, quoted = [], "", False
    for char in fmt:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return tuple(parts)


def _format_number(value: float, fmt: str) -> str:
    if fmt in ("General", "@") or "/" in _strip_literals(fmt):  # fractions: not simple
        return _general(value)
    sections = _sections(fmt)
    section, sign = sections[0], "-" if value < 0 else ""
    if value < 0 and len(sections) > 1 and sections[1]:
        section, sign = sections[1], ""  # the negative section writes its own sign, as (1,234)
    elif value == 0 and len(sections) > 2 and sections[2]:
        section = sections[2]
    before, pattern, after = _split_pattern(section)
    if not pattern:
        return (before + after) or _general(value)
    magnitude = abs(value) * 100 ** (before + after).count("%")
    integer, _, fraction = pattern.upper().partition("E")[0].partition(".")
    decimals = sum(fraction.count(ch) for ch in "0#?")
    scale = len(integer) - len(integer.rstrip(","))  # trailing commas divide by 1000 each
    magnitude /= 1000**scale
    if "E" in pattern.upper():
        text = f"{magnitude:.{decimals}E}"
    else:
        # Excel rounds halves away from zero (2.5 -> 3); float formatting would round to even.
        rounded: Decimal | float = magnitude
        if magnitude < 1e15:  # beyond that a float has no digits after the point to round
            rounded = Decimal(repr(magnitude)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        text = f"{rounded:,.{decimals}f}" if "," in integer.rstrip(",") else f"{rounded:.{decimals}f}"
    if float(text.replace(",", "").split("E")[0]) == 0:
        sign = ""  # -0.001 shown with two decimals is 0.00, not -0.00
    return f"{sign}{before}{text}{after}"


@functools.lru_cache(maxsize=512)
def _split_pattern(section: str) -> tuple[str, str, str]:
    """(literal text before, the number's placeholders, literal text after) of one format section."""
    before, pattern, after = "", "", ""
    i = 0
    while i < len(section):
        char = section[i]
        literal = ""
        if char == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            literal, i = section[i + 1 : end], end + 1
        elif char == "\\" and i + 1 < len(section):
            literal, i = section[i + 1], i + 2
        elif char in "_*" and i + 1 < len(section):
            i += 2  # padding and fill characters: no text of their own
            continue
        elif char == "[":
            end = section.find("]", i)
            end = len(section) if end < 0 else end
            code = section[i + 1 : end]
            # [$€-407] is a currency symbol; [Red], [$-409], [>100] are colours, locales, conditions.
            literal = code[1:].split("-")[0] if code.startswith("$") else ""
            i = end + 1
        elif char in "0#?.,Ee+" and (char not in "Ee+" or pattern):
            if after:  # placeholders after a literal in the middle: part of the number
                pattern, after = pattern + after, ""
            pattern += char
            i += 1
            continue
        else:
            literal, i = char, i + 1
        if pattern:
            after += literal
        else:
            before += literal
    # Placeholders swallowed literals between them ("0 000"): keep only the placeholders.
    return before, re.sub(r"[^0#?.,Ee+\-]", "", pattern), after
