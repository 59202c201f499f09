"""Column headers parsed into periods: years, fiscal years, quarters, "three months ended", dates."""

from __future__ import annotations

import re

from docuforge.finance.model import Period

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_LENGTHS = {
    "three": 3,
    "3": 3,
    "six": 6,
    "6": 6,
    "nine": 9,
    "9": 9,
    "twelve": 12,
    "12": 12,
    "fifty-two": 12,
    "52": 12,
    "fifty-three": 12,
    "53": 12,
}
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def looks_like_period(text: str) -> bool:
    """A header cell that names a period (a year appears in it, or a quarter)."""
    return bool(re.search(r"\b(19|20)\d{2}\b|\bQ[1-4]\b|\bFY\s?\d{2}\b", text, re.I))


def parse_period(label: str) -> Period:
    """One column header as a Period; the key aligns the same period across statements."""
    text = " ".join(label.split())
    low = text.lower()
    year = quarter = months = None
    end_date = None
    years = re.findall(r"\b((?:19|20)\d{2})\b", text)
    if years:
        year = int(years[-1])
    iso = re.search(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b", text)
    if iso:
        end_date = f"{iso.group(1)}-{iso.group(2)}-{iso.group(3)}"
    else:
        md = re.search(_MONTH + r"\s+(\d{1,2}),?\s+((?:19|20)\d{2})", low)
        dm = re.search(r"\b(\d{1,2})\.?\s+" + _MONTH + r",?\s+((?:19|20)\d{2})", low)
        if md:
            month, day, y = MONTHS[md.group(1)[:3]], int(md.group(2)), int(md.group(3))
            end_date = f"{y:04d}-{month:02d}-{day:02d}"
        elif dm:
            month, day, y = MONTHS[dm.group(2)[:3]], int(dm.group(1)), int(dm.group(3))
            end_date = f"{y:04d}-{month:02d}-{day:02d}"
        elif year is not None:
            ended = re.search(r"ended\s+" + _MONTH + r"(?:\s+(\d{1,2}))?", low)
            if ended:
                month = MONTHS[ended.group(1)[:3]]
                day = int(ended.group(2)) if ended.group(2) else _DAYS[month - 1]
                end_date = f"{year:04d}-{month:02d}-{day:02d}"
    q = re.search(r"\bQ([1-4])\b|\b([1-4])Q\b|\b(first|second|third|fourth) quarter\b", text, re.I)
    if q:
        quarter = int(
            q.group(1) or q.group(2) or ("first", "second", "third", "fourth").index(q.group(3).lower()) + 1
        )
        months = 3
    length = re.search(
        r"\b(three|six|nine|twelve|3|6|9|12|fifty-two|fifty-three|52|53)[\s-]+(months?|weeks?)", low
    )
    if length:
        months = _LENGTHS[length.group(1)]
    fy = re.search(r"\bFY\s?'?(\d{2,4})\b", text, re.I)
    if fy and year is None:
        digits = fy.group(1)
        year = int(digits) if len(digits) == 4 else 2000 + int(digits)
    if months is None and (
        fy or re.search(r"\byears?\b|\bannual\b", low) or re.fullmatch(r"(19|20)\d{2}", text)
    ):
        months = 12
    if quarter is not None and year is not None:
        key = f"{year}Q{quarter}"
    elif months == 3 and end_date:
        key = f"{end_date}/3M"
    elif months and months not in (12,) and end_date:
        key = f"{end_date}/{months}M"
    elif end_date and months != 12:
        key = end_date
    elif year is not None:
        key = f"FY{year}"
    else:
        key = low
    return Period(label=text, year=year, quarter=quarter, months=months, end_date=end_date, key=key)
