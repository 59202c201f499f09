"""Text to typed values: amounts, dates, booleans, integers, enum options.

Each finder returns matches with their character span, so a value can be cited by the words it
came from. Both separator conventions are read (1,234.56 and 1.234,56); parentheses and a
trailing minus mean a negative amount; scale words (thousand, million, k, m, bn) multiply.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

CURRENCY = r"(?:[$€£¥₹₩₽]|US\$|RM|S\$|A\$|C\$|USD|EUR|GBP|JPY|INR|MYR|SGD|AUD|CAD|CHF|CNY|Rs\.?)"
_NUMBER = r"\d{1,3}(?:[,.\u2009\u202f' ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,4})?"
_SCALE = r"(?:thousand|million|billion|mn|bn|k|m|b)\b"
AMOUNT = re.compile(
    rf"(?P<open>\()?\s*(?P<sign>[-\u2212\u2013])?\s*(?P<cur1>{CURRENCY})?\s*(?P<sign2>[-\u2212\u2013])?\s*"
    rf"(?P<num>{_NUMBER})(?!\d)(?:\s*(?P<scale>{_SCALE}))?\s*(?P<cur2>{CURRENCY}(?![A-Za-z]))?"
    rf"(?P<close>\))?(?P<trail>-)?",
    re.IGNORECASE,
)
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
}

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "janv", "januar", "enero"),
            ("feb", "february", "fev", "février", "februar", "febrero"),
            ("mar", "march", "mars", "märz", "marzo"),
            ("apr", "april", "avr", "avril", "abril"),
            ("may", "mai", "mayo"),
            ("jun", "june", "juin", "juni", "junio"),
            ("jul", "july", "juil", "juillet", "juli", "julio"),
            ("aug", "august", "août", "aout", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre"),
            ("oct", "october", "octobre", "oktober", "octubre"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "décembre", "dezember", "diciembre", "dez"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_PATTERNS = [
    ("ymd", re.compile(r"(?<![\w.])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d])")),
    ("num", re.compile(r"(?<![\w.])(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?![\d])")),
    (
        "dmy_name",
        re.compile(
            rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?[\s\-/.]*({_MONTH})\.?[\s\-/.,]*(\d{{4}}|\d{{2}})(?!\d)",
            re.I,
        ),
    ),
    ("mdy_name", re.compile(rf"\b({_MONTH})\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?,?\s*(\d{{4}})(?!\d)", re.I)),
]


@dataclass
class Match:
    value: Any
    start: int
    end: int


def _number(raw: str) -> float | None:
    text = raw.replace("\u2009", "").replace("\u202f", "").replace("'", "").replace(" ", "")
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        # The separator written last is the decimal one.
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        text = text.replace(thousands, "").replace(decimal, ".")
    elif commas:
        head, _, tail = text.rpartition(",")
        # 1,234 is a thousand and more; 12,50 and 1,5 are decimals.
        text = text.replace(",", "") if commas > 1 or len(tail) == 3 else f"{head.replace(',', '')}.{tail}"
    elif dots > 1:
        text = text.replace(".", "")
    elif dots == 1:
        head, _, tail = text.partition(".")
        if len(tail) == 3 and len(head) <= 3 and head not in ("0", ""):
            # 1.234 alone is ambiguous; written with a dot and three digits it is usually thousands
            # in the comma-decimal convention, but a price of 1.234 also occurs: keep it decimal.
            pass
    try:
        return float(text)
    except ValueError:
        return None


def find_amounts(text: str) -> list[Match]:
    """Every number in the text read as an amount, with its sign, currency and scale applied."""
    found = []
    for m in AMOUNT.finditer(text):
        value = _number(m.group("num"))
        if value is None:
            continue
        scale = m.group("scale")
        if scale:
            lowered = scale.lower()
            # A lone m or b right after a number is a scale only with a currency in sight.
            if lowered in ("m", "b") and not (m.group("cur1") or m.group("cur2")):
                scale = None
            else:
                value *= _SCALES[lowered]
        negative = bool(m.group("sign") or m.group("sign2") or m.group("trail"))
        if m.group("open") and m.group("close"):
            negative = True
        found.append(
            Match(-value if negative else value, m.start("num") if not negative else m.start(), m.end())
        )
    return found


def has_currency(text: str) -> bool:
    return re.search(CURRENCY, text, re.IGNORECASE) is not None


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _make(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def date_order_of(texts: list[str]) -> str | None:
    """DMY or MDY where some numeric date in the texts settles it (a first part over 12 is a day)."""
    votes = {"DMY": 0, "MDY": 0}
    for text in texts:
        for m in DATE_PATTERNS[1][1].finditer(text):
            first, second = int(m.group(1)), int(m.group(3))
            if first > 12 >= second >= 1:
                votes["DMY"] += 1
            elif second > 12 >= first >= 1:
                votes["MDY"] += 1
    if votes["DMY"] == votes["MDY"]:
        return None
    return "DMY" if votes["DMY"] > votes["MDY"] else "MDY"


def find_dates(text: str, order: str = "DMY") -> list[Match]:
    """Dates in the text as ISO strings; `order` settles 03/04/2024 (DMY or MDY)."""
    found: list[Match] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            iso = None
            if kind == "ymd":
                iso = _make(int(m.group(1)), int(m.group(3)), int(m.group(4)))
            elif kind == "num":
                a, b, year = int(m.group(1)), int(m.group(3)), _year(m.group(4))
                day, month = (a, b) if order == "DMY" else (b, a)
                if month > 12 and day <= 12:
                    day, month = month, day
                iso = _make(year, month, day)
            elif kind == "dmy_name":
                iso = _make(_year(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
            else:
                iso = _make(_year(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
            if iso:
                found.append(Match(iso, m.start(), m.end()))
                taken.append((m.start(), m.end()))
    found.sort(key=lambda match: match.start)
    return found


_TRUE = {"yes", "y", "true", "checked", "x", "✓", "✔", "☑", "☒", "on", "1", "oui", "ja", "si", "sí"}
_FALSE = {"no", "n", "false", "unchecked", "☐", "off", "0", "none", "non", "nein"}


def parse_bool(text: str) -> bool | None:
    word = text.strip().strip(".:").lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    first = word.split()[0] if word.split() else ""
    if first in ("yes", "☑", "☒", "✓", "✔"):
        return True
    if first in ("no", "☐"):
        return False
    return None


def find_integers(text: str) -> list[Match]:
    found = []
    for match in find_amounts(text):
        if float(match.value).is_integer():
            found.append(Match(int(match.value), match.start, match.end))
    return found


def nearest_option(text: str, options: list[Any]) -> tuple[Any, float]:
    """The enum option the text names, and how sure (1.0 for a whole-word match)."""
    lowered = text.lower()
    best, score = options[0] if options else None, 0.0
    for option in options:
        name = str(option).lower()
        if not name:
            continue
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lowered):
            return option, 1.0
        ratio = difflib.SequenceMatcher(None, name, lowered[: len(name) * 3]).ratio()
        if ratio > score:
            best, score = option, ratio
    return best, score


def clean_string(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" \t:;,-")
