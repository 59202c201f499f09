"""What kind of value a field holds (date, amount, organisation, address...) and reading it from text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docuforge.extraction import values
from docuforge.extraction.candidates import Segment, Span
from docuforge.extraction.matching import stems
from docuforge.extraction.schema import Field

_AMOUNT_WORDS = frozenset(
    stems(
        "total amount price cost tax subtotal balance fee charge sum paid due payable vat gst discount value"
    )
)
_DATE_WORDS = frozenset(stems("date dated day issued birth dob expiry expires"))
_ORG_WORDS = frozenset(
    stems(
        "company vendor merchant store seller supplier issuer business shop restaurant "
        "organisation organization employer firm"
    )
)
_PERSON_HINT = frozenset(stems("customer buyer client recipient employee applicant person"))
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\+?\d[\d\s().-]{6,}\d)")


def kind_of(field: Field) -> str:
    """The reading a field needs, from its type, format, name and description."""
    if field.enum:
        return "enum"
    if field.type == "boolean":
        return "boolean"
    if field.type == "integer":
        return "integer"
    if field.type == "number":
        return "amount"
    name = stems(field.name)
    described = stems(field.description)
    if field.format in ("date", "date-time") or name & _DATE_WORDS:
        return "date"
    if "email" in name or "mail" in name:
        return "email"
    if name & frozenset(stems("phone telephone tel mobile fax")):
        return "phone"
    if "address" in name or ("address" in described and not name & frozenset(stems("name email"))):
        return "address"
    if name & _AMOUNT_WORDS and not name & frozenset(stems("name description number id")):
        return "amount_text"
    if (name & _ORG_WORDS) or ("name" in name and described & _ORG_WORDS and not described & _PERSON_HINT):
        return "organisation"
    return "text"


@dataclass
class Reading:
    value: Any
    span: Span
    quality: float


def _sub(span: Span, start: int, end: int) -> Span:
    return Span(span.segment, span.start + start, span.start + end)


def read(kind: str, field: Field, span: Span, date_order: str, checked: bool | None = None) -> Reading | None:
    """The field's value in the span's text, the part of the span it occupies, and how clean it was."""
    text = span.text
    if kind == "boolean":
        if checked is not None:
            return Reading(checked, span, 1.0)
        parsed = values.parse_bool(text)
        return Reading(parsed, span, 0.9) if parsed is not None else None
    if checked is not None and kind != "enum":
        return None
    if kind in ("amount", "amount_text", "integer"):
        found = values.find_integers(text) if kind == "integer" else values.find_amounts(text)
        if not found:
            return None
        letters = sum(ch.isalpha() for ch in re.sub(values.CURRENCY, "", text, flags=re.I))
        match = found[-1] if kind != "integer" else found[0]
        quality = 1.0 if letters <= 3 else 0.6
        if kind == "amount_text":
            raw = text[match.start : match.end].strip()
            return Reading(raw, _sub(span, match.start, match.end), quality)
        if kind == "amount" and field.type == "number" and len(found) > 2:
            quality *= 0.7
        return Reading(match.value, _sub(span, match.start, match.end), quality)
    if kind == "date":
        dates = values.find_dates(text, date_order)
        if not dates:
            return None
        match = dates[0]
        return Reading(match.value, _sub(span, match.start, match.end), 1.0)
    if kind == "enum":
        option, score = values.nearest_option(text, list(field.enum or []))
        return Reading(option, span, score) if score >= 0.6 else None
    if kind == "email":
        m = EMAIL.search(text)
        return Reading(m.group(0), _sub(span, m.start(), m.end()), 1.0) if m else None
    if kind == "phone":
        m = PHONE.search(text)
        if not m or sum(ch.isdigit() for ch in m.group(0)) < 7:
            return None
        return Reading(m.group(0).strip(), _sub(span, m.start(), m.end()), 1.0)
    cleaned = values.clean_string(text)
    if (
        not cleaned
        or sum(ch.isalnum() for ch in cleaned) == 0
        or (not stems(cleaned) and not any(c.isdigit() for c in cleaned))
    ):
        return None  # nothing but stopwords ("To" after "Billed") is no value
    if kind in ("organisation", "address") and sum(ch.isalpha() for ch in cleaned) < 3:
        return None
    offset = text.find(cleaned)
    quality = 1.0 if len(cleaned) <= 120 else 0.7
    if offset >= 0:
        return Reading(cleaned, _sub(span, offset, offset + len(cleaned)), quality)
    return Reading(cleaned, span, quality)


# ------------------------------------------------------------------ positional readings (no label)

_SUFFIX = re.compile(
    r"\b(sdn\.?\s*bhd|s/b|bhd|ltd|limited|inc|llc|llp|gmbh|corp|corporation|co\.|company|plc|s\.a\.|pte|"
    r"enterprise|trading|restaurant|cafe|café|mart|store|shop|hardware|stationery|bakery|supermarket|services)\b",
    re.I,
)
_DOC_WORDS = re.compile(
    r"^\W*(tax\s+)?(invoice|receipt|bill|quotation|quote|statement|purchase order|order|cash|official|"
    r"simplified|copy|welcome|thank)",
    re.I,
)
_STOP = re.compile(
    r"\b(tel|telephone|phone|fax|gst|vat|reg(istration)?\.?\s*no|co\.?\s*reg|email|e-mail|www\.|http|"
    r"invoice|receipt|cashier|date|table|order|bill|tin|abn|sst)\b",
    re.I,
)
_ADDRESS_CUE = re.compile(
    r"\b(\d{4,6}|jalan|jln|road|rd|street|st|avenue|ave|lane|ln|drive|dr|blvd|boulevard|lot|no\.?|taman|"
    r"suite|floor|fl|building|bldg|plaza|park|highway|hwy|way|court|ct|place|pl|square|sq|po box|p\.o\.|"
    r"city|state|selangor|kuala|lumpur|johor|district|province|county|zip)\b",
    re.I,
)
_GLUED_STOP = re.compile(r"invoice|receipt", re.I)  # OCR glues "TAX INVOICE" into one word
_REG_CODE = re.compile(r"^\W*\(?\s*(co\.?\s*(reg|no)|company\s+no|roc|\d{3,}[-\s]?[a-z]\b)", re.I)


def organisation(segments: list[Segment]) -> tuple[Segment, float] | None:
    """The issuer's name: a line near the top of the first page, one with a company suffix first."""
    if not segments:
        return None
    first_page = min(s.page for s in segments)
    top = [s for s in segments if s.page == first_page and s.box.top < 0.4][:14]
    if not top:
        return None
    heights = sorted(s.box.height for s in top)
    median = heights[len(heights) // 2] or 1.0
    best: tuple[float, Segment] | None = None
    for rank, seg in enumerate(top):
        text = seg.text.strip()
        letters = sum(ch.isalpha() for ch in text)
        if letters < 3 or _DOC_WORDS.match(text) or values.find_dates(text) or _STOP.search(text):
            continue
        if letters < 0.5 * len(text.replace(" ", "")):
            continue
        if sum(ch.isalpha() for ch in _REG_TAIL.sub("", text)) < 3:
            continue  # a registration number line ("Reg #1101083-T")
        score = 1.0 - rank * 0.1
        if _SUFFIX.search(text):
            score += 0.5
        # The issuer's name is what the page sets largest near its top.
        score += 0.8 * min(1.0, max(0.0, seg.box.height / median - 1.0))
        if text.isupper():
            score += 0.1
        if best is None or score > best[0]:
            best = (score, seg)
    if best is None:
        return None
    return best[1], min(0.85, 0.45 + 0.25 * best[0])


_REG_TAIL = re.compile(
    r"\s*[(\[]?\s*(?:co\.?\s*)?(?:reg\.?\s*(?:no\.?)?\s*[:#]?\s*)?\d[\d\w./-]{3,}.*$", re.I
)


def without_registration(name: str) -> str:
    """A company name without the registration number printed after it ("ACME SDN BHD (123456-X)")."""
    cut = _REG_TAIL.sub("", name).strip(" ,;:-")
    return cut if sum(ch.isalpha() for ch in cut) >= 3 else name


def address_lines(segments: list[Segment], after: Segment | None) -> list[Segment]:
    """The lines of an address: after the issuer's name (or near the top), up to phone, tax or dates.

    Before the first address line, registration numbers, dates and phone lines are stepped over
    (receipts print them between the name and the address); after it they end the address.
    """
    start = 0
    if after is not None:
        start = next((i + 1 for i, s in enumerate(segments) if s is after), 0)
    pool = (
        [s for s in segments[start : start + 14] if s.page == segments[start].page]
        if start < len(segments)
        else []
    )
    chosen: list[Segment] = []
    for index, seg in enumerate(pool):
        text = seg.text.strip()
        other = bool(
            _STOP.search(text)
            or _GLUED_STOP.search(text)
            or values.find_dates(text)
            or EMAIL.search(text)
            or _REG_CODE.match(text)
            or (PHONE.fullmatch(text) and sum(ch.isdigit() for ch in text) >= 7)
        )
        if not chosen:
            if index > 4:
                break
            if other or not _ADDRESS_CUE.search(text):
                continue
        elif other:
            break
        if chosen and seg.box.top - chosen[-1].box.bottom > 2.5 * max(seg.box.height, 0.008):
            break
        chosen.append(seg)
        if len(chosen) >= 6:
            break
    return chosen
