"""Line labels: cleaned of leaders, note references and markers; normalised for matching."""

from __future__ import annotations

import re

_LEADERS = re.compile(r"(?:\s*[.\u2026\u00b7_])(?:\s*[.\u2026\u00b7_]){2,}\s*")
_NOTE = re.compile(
    r"\s*\((?:notes?|note no\.?)\s*([\w.,\- ]+)\)\s*$|\s+notes?\s+(\d+[a-z]?(?:[.,]\s?\d+[a-z]?)*)\s*$", re.I
)
_MARKER = re.compile(r"\s*(\*+|[\u2020\u2021\u00b9\u00b2\u00b3]+|\(\d\))\s*$")
_STOP = frozenset(
    {"and", "of", "the", "in", "for", "from", "to", "net", "a", "on", "at", "&", "total", "other"}
)
_ABBREVIATIONS = {
    "&": "and",
    "amortisation": "amortization",
    "equiv": "equivalents",
    "expenses": "expense",
    "receivables": "receivable",
    "payables": "payable",
    "liabilities": "liability",
    "inventories": "inventory",
    "stockholders": "shareholders",
    "assets": "asset",
}


def clean_label(text: str) -> tuple[str, str | None]:
    """The label without leaders, trailing colon or markers, and the note reference it carried."""
    label = _LEADERS.sub(" ", text).strip()
    note = None
    match = _NOTE.search(label)
    if match:
        note = (match.group(1) or match.group(2)).strip()
        label = label[: match.start()].strip()
    label = _MARKER.sub("", label).strip()
    label = label.rstrip(":").strip()
    return " ".join(label.split()), note


def normalise(label: str) -> str:
    """Lower case, punctuation out, common spellings and plurals folded: for matching labels."""
    text = label.lower().replace("&", " and ").replace("\u2019", "'")
    text = re.sub(r"[^a-z0-9 ]+", " ", text.replace("'s", "s"))
    words = [_ABBREVIATIONS.get(w, w) for w in text.split()]
    return " ".join(words)


def content_words(label: str) -> set[str]:
    return {w for w in normalise(label).split() if w not in _STOP and len(w) > 1}


# IFRS and US GAAP name many accounts differently; these pairs are the profession's, not any one filer's.
_SYNONYMS = (
    ("profit for the year", "net income"),
    ("profit for the period", "net income"),
    ("net profit", "net income"),
    ("net earnings", "net income"),
    ("turnover", "revenue"),
    ("net sales", "revenue"),
    ("sales", "revenue"),
    ("cost of goods sold", "cost of sales"),
    ("cost of revenue", "cost of sales"),
    ("finance costs", "interest expense"),
    ("profit before tax", "income before income taxes"),
    ("income from operations", "operating income"),
    ("operating profit", "operating income"),
    ("provision for income taxes", "income tax expense"),
    ("trade receivables", "accounts receivable net"),
    ("trade payables", "accounts payable"),
    ("share capital", "common stock"),
    ("capital expenditures", "purchases of property and equipment"),
    ("share based payments", "stock based compensation"),
    ("gross margin", "gross profit"),
)


def canonical(label: str) -> str:
    """The normalised label with IFRS wording turned into US GAAP's, where the two name one account."""
    text = normalise(label)
    for theirs, ours in _SYNONYMS:
        if text == normalise(theirs):
            return normalise(ours)
    return text
