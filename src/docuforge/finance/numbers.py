"""Numbers as accountants print them, and the scale and currency a statement states."""

from __future__ import annotations

import re
from collections.abc import Iterable

DASHES = frozenset({"-", "\u2013", "\u2014", "\u2012", "\u2212", "--", "\u2015", "nil", "Nil", "NIL"})
CURRENCY_SYMBOLS = {
    "$": "USD",
    "US$": "USD",
    "\u20ac": "EUR",
    "\u00a3": "GBP",
    "\u00a5": "JPY",
    "CHF": "CHF",
    "C$": "CAD",
    "A$": "AUD",
    "R$": "BRL",
    "\u20b9": "INR",
}
CURRENCY_CODES = frozenset(
    {
        "USD",
        "EUR",
        "GBP",
        "JPY",
        "CHF",
        "CAD",
        "AUD",
        "CNY",
        "INR",
        "SEK",
        "NOK",
        "DKK",
        "BRL",
        "MXN",
        "ZAR",
        "SGD",
        "HKD",
        "KRW",
        "NZD",
        "PLN",
    }
)
CURRENCY_WORDS = (
    ("u.s. dollar", "USD"),
    ("us dollar", "USD"),
    ("dollars", "USD"),
    ("euro", "EUR"),
    ("pounds sterling", "GBP"),
    ("sterling", "GBP"),
    ("swiss franc", "CHF"),
    ("yen", "JPY"),
    ("canadian dollar", "CAD"),
)
# Footnote markers a value carries: *, †, ‡, a superscript digit or letter in parentheses.
_MARKERS = re.compile(r"(\*+|[\u2020\u2021\u00b9\u00b2\u00b3\u2070-\u2079]+|\([a-z]\))$")
_SYMBOLS = re.compile(
    r"^(US\$|C\$|A\$|R\$|[$\u20ac\u00a3\u00a5\u20b9])\s*|\s*(US\$|[$\u20ac\u00a3\u00a5\u20b9])$"
)
_DIGITS = re.compile(r"^\d{1,3}([.,'\u00a0\u202f ]\d{3})*([.,]\d+)?$|^\d+([.,]\d+)?$")


def parse_amount(text: str, decimal: str | None = None) -> float | None:
    """A printed amount as a number: "(1,234)" -> -1234, "1.234,5-" -> -1234.5, "—" -> 0; None if not one.

    decimal is the statement's decimal mark ("." or ","); None guesses from the text alone.
    """
    s = text.strip()
    if not s:
        return None
    if s in DASHES:
        return 0.0
    s = _MARKERS.sub("", s).strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    elif s.startswith("(") and s.count("(") == 1 and ")" not in s:
        negative, s = True, s[1:].strip()  # "(1,234" with the parenthesis split off into the next word
    s = _SYMBOLS.sub("", s).strip()
    if len(s) > 3 and s[:3] in CURRENCY_CODES and not s[:3].isdigit():
        s = s[3:].strip()  # "CHF1,234", "EUR (12)"
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s.endswith("-") or s.endswith("\u2212"):
        negative, s = True, s[:-1].strip()
    if s.startswith(("-", "\u2212", "\u2013")):
        negative, s = True, s[1:].strip()
    if s in DASHES or s == "":
        return 0.0 if s else None
    if not _DIGITS.match(s):
        return None
    value = _to_float(s, decimal)
    if value is None:
        return None
    return -value if negative else value


def _to_float(s: str, decimal: str | None) -> float | None:
    s = s.replace("\u00a0", " ").replace("\u202f", " ").replace("'", " ")
    groups = s.replace(" ", "")
    if decimal is None:
        decimal = guess_decimal_mark([s])
    if decimal == ",":
        groups = groups.replace(".", "").replace(",", ".")
    else:
        groups = groups.replace(",", "")
    try:
        return float(groups)
    except ValueError:
        return None


def guess_decimal_mark(texts: Iterable[str]) -> str:
    """ "," when the numbers group thousands with dots (1.234.567, 1.234,56), else "."."""
    comma = dot = 0
    for text in texts:
        t = text.strip("()-$\u20ac\u00a3 ")
        if re.search(r"\d\.\d{3}(\.\d{3})*,\d+$|\d\.\d{3}\.\d{3}$", t) or re.search(
            r"^\d{1,3}( \d{3})+,\d+$", t
        ):
            comma += 2
        elif re.search(r"\d,\d{3}(,\d{3})*\.\d+$|\d,\d{3},\d{3}$", t):
            dot += 2
        elif re.search(r"^\d{1,3}\.\d{3}$", t):
            comma += 1
        elif re.search(r"^\d{1,3},\d{3}$", t):
            dot += 1
        elif re.search(r"^\d+,\d{1,2}$", t):
            comma += 1
        elif re.search(r"^\d+\.\d{1,2}$", t):
            dot += 1
    return "," if comma > dot else "."


def is_amount(text: str) -> bool:
    return parse_amount(text, ".") is not None or parse_amount(text, ",") is not None


_SCALES = (
    (re.compile(r"\bbillions?\b|\bbn\b", re.I), 1_000_000_000),
    (
        re.compile(
            r"\bmillions?\b|\bmn\b|\bmio\b|[$\u20ac\u00a3]\s*m\b|\b(?:USD|EUR|GBP|CHF|CAD|AUD|JPY)\s?m\b|'000,000|000,000s",
            re.I,
        ),
        1_000_000,
    ),
    (
        re.compile(
            r"\bthousands?\b|'000\b|\b000s\b|\bk\b|\(000\)|\$000|\u20ac000|\u00a3000|\bTEUR\b|\bkEUR\b", re.I
        ),
        1000,
    ),
)


def find_scale(text: str) -> tuple[int, str | None]:
    """The scale a statement states ("in thousands", "$ millions", "€'000") and the phrase that said it."""
    for pattern, scale in _SCALES:
        match = pattern.search(text)
        if match:
            return scale, match.group(0)
    return 1, None


def find_currency(text: str) -> tuple[str | None, str | None]:
    """The ISO code of the currency a statement names or prints, and the evidence."""
    for code in re.findall(r"\b[A-Z]{3}\b", text):
        if code in CURRENCY_CODES:
            return code, code
    if re.search(r"\bTEUR\b|\bkEUR\b", text):
        return "EUR", "EUR"
    lowered = text.lower()
    for word, code in CURRENCY_WORDS:
        if word in lowered:
            return code, word
    for symbol in sorted(CURRENCY_SYMBOLS, key=len, reverse=True):
        if symbol in text and symbol != "CHF":
            return CURRENCY_SYMBOLS[symbol], symbol
    return None, None
