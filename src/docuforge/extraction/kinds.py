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
PHONE = re.compile(r"(?:\+?\(?\d[\d\s().-]{6,}\d)")


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
# A legal form names a company outright; a trade word ("cafe", "store") only hints at one.
_LEGAL = re.compile(
    r"\b(sdn\.?\s*bhd|s/b|bhd|ltd|limited|inc|llc|llp|gmbh|corp|corporation|co\.|plc|s\.a\.|pte|bv|"
    r"pty|s\.?r\.?l|s\.?a\.?s)(?=\W|$)",
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
    r"city|state|selangor|kuala|lumpur|johor|district|province|county|zip|level|unit|block|blk|tower|"
    r"mall|centre|center|complex|industrial|estate)\b",
    re.I,
)
_GLUED_STOP = re.compile(r"invoice|receipt", re.I)  # OCR glues "TAX INVOICE" into one word
_REG_CODE = re.compile(
    r"^\W*\(?\s*(co[.\-\s]*(reg|no)|company\s+(no|reg)|reg(istration)?\b|roc|\d{3,}[-\s]?[a-z]\b)", re.I
)
# "03-5569 5002/5003", "+603-9130 2672 ID: 0011": a line that is mostly a phone or id number.
_NUMBER_LINE = re.compile(r"\d[\d\s()./+-]{6,}\d")
_TEL = re.compile(r"\b(te[l1i]|ph|fax|hp|mobile)\b\.?\s*(no\.?)?\s*[:.]", re.I)


def _name_like(seg: Segment) -> bool:
    text = seg.text.strip()
    letters = sum(ch.isalpha() for ch in text)
    return not (
        letters < 3
        or _DOC_WORDS.match(text)
        or values.find_dates(text)
        or _STOP.search(text)
        or letters < 0.5 * len(text.replace(" ", ""))
        or sum(ch.isalpha() for ch in _REG_TAIL.sub("", text)) < 3  # "Reg #1101083-T"
    )


def organisation(
    segments: list[Segment], legal_forms: bool = False, taken: frozenset[int] = frozenset()
) -> tuple[Segment, float] | None:
    """The issuer's name: a line near the top of the first page, one with a company suffix first.

    With `legal_forms`, a legal form (Ltd, GmbH, Sdn Bhd) weighs more than a trade word (cafe, store).
    Lines in `taken` (segment orders) hold another field's value: the customer's name is no issuer.
    """
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
        if not _name_like(seg) or seg.order in taken:
            continue
        score = 1.0 - rank * 0.1
        if legal_forms and _LEGAL.search(text):
            score += 0.9
        elif _SUFFIX.search(text):
            score += 0.3 if legal_forms else 0.5
        # The issuer's name is what the page sets largest near its top.
        score += 0.8 * min(1.0, max(0.0, seg.box.height / median - 1.0))
        if text.isupper():
            score += 0.1
        if best is None or score > best[0]:
            best = (score, seg)
    if best is None:
        return None
    return best[1], min(0.85, 0.45 + 0.25 * best[0])


def _set_alike(a: Segment, b: Segment) -> bool:
    """b continues a: the next line of the same block, set at the same height and in the same case."""
    gap = b.box.top - a.box.bottom
    overlap = min(a.box.right, b.box.right) - max(a.box.left, b.box.left)
    return (
        a.page == b.page
        and (a.block_id == b.block_id or overlap > 0.5 * min(a.box.width, b.box.width))
        and -0.3 * a.box.height < gap < 0.8 * max(a.box.height, b.box.height)
        and 0.75 < a.box.height / max(b.box.height, 1e-6) < 1.33
        and a.text.strip().isupper() == b.text.strip().isupper()
    )


def name_lines(segments: list[Segment], line: Segment) -> list[Segment]:
    """The issuer's name with the line that continues it: a long name set over two lines.

    A line with a legal form ("RESTAURANT SDN BHD") takes the line just above it when that line is
    set alike, holds no digits and no legal form of its own, and the line itself has no name word
    but generic ones; a name without a legal form takes the next line when that one is such a tail.
    """
    index = next((i for i, s in enumerate(segments) if s is line), None)
    if index is None:
        return [line]
    if _LEGAL.search(line.text) and generic_only(line.text) and index > 0:
        above = segments[index - 1]
        if (
            _set_alike(above, line)
            and _name_like(above)
            and not _LEGAL.search(above.text)
            and not any(ch.isdigit() for ch in above.text)
        ):
            return [above, line]
    elif not _LEGAL.search(line.text) and index + 1 < len(segments):
        below = segments[index + 1]
        if _set_alike(line, below) and _LEGAL.search(below.text) and generic_only(below.text):
            return [line, below]
    return [line]


def through_legal_form(name: str) -> str:
    """A name cut after its legal form: "ACME CO. THE GARDENS MALL" names ACME CO. at a branch."""
    forms = list(_LEGAL.finditer(name))
    last = forms[-1] if forms else None
    if last is None or sum(ch.isalpha() for ch in name[last.end() :]) < 3:
        return name
    return name[: last.end()].strip()


def generic_only(text: str) -> bool:
    """Nothing but a legal form and trade words ("RESTAURANT SDN BHD"): the tail of a name, not one."""
    rest = _SUFFIX.sub(" ", _LEGAL.sub(" ", without_registration(text)))
    return not [w for w in re.findall(r"[^\W\d_]{2,}", rest)]


def registration_like(text: str) -> bool:
    """A value that is a registration or id number, not a name ("Reg #1101083-T", "(139386 X)")."""
    return bool(_REG_CODE.match(text)) or sum(ch.isalpha() for ch in _REG_TAIL.sub("", text)) < 3


_REG_TAIL = re.compile(
    r"\s*[(\[]?\s*(?:co\.?\s*)?(?:reg\.?\s*(?:no\.?)?\s*[:#]?\s*)?\d[\d\w./-]{3,}.*$", re.I
)


def without_registration(name: str) -> str:
    """A company name without the registration number printed after it ("ACME SDN BHD (123456-X)")."""
    cut = _REG_TAIL.sub("", name).strip(" ,;:-")
    return cut if sum(ch.isalpha() for ch in cut) >= 3 else name


def _not_address(text: str) -> bool:
    return bool(
        _STOP.search(text)
        or _GLUED_STOP.search(text)
        or values.find_dates(text)
        or EMAIL.search(text)
        or _REG_CODE.match(text)
        or (PHONE.fullmatch(text) and sum(ch.isdigit() for ch in text) >= 7)
    )


def _phone_or_id(text: str) -> bool:
    """A phone or id line ("Te1 : +603 2856", "03-5569 5002/5003 ID: 0011"), OCR slips and all."""
    if _TEL.search(text):
        return True
    number = _NUMBER_LINE.search(text)
    if number is None or sum(ch.isdigit() for ch in number.group(0)) < 7:
        return False
    rest = text[: number.start()] + text[number.end() :]
    return sum(ch.isalpha() for ch in rest) <= 0.3 * len(text.replace(" ", ""))


def address_lines(segments: list[Segment], after: Segment | None, block: bool = False) -> list[Segment]:
    """The lines of an address: after the issuer's name (or near the top), up to phone, tax or dates.

    Before the first address line, registration numbers, dates and phone lines are stepped over
    (receipts print them between the name and the address); after it they end the address. With
    `block`, phone and id lines end it whatever their OCR slips, and the address is taken back over
    the lines just above its first cue that read as its start (a number, a comma: "Level 6, Wisma").
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
    first = 0
    for index, seg in enumerate(pool):
        text = seg.text.strip()
        other = _not_address(text) or (block and _phone_or_id(text))
        if not chosen:
            if index > 4:
                break
            if other or not _ADDRESS_CUE.search(text):
                continue
            first = index
        elif other:
            break
        if chosen and seg.box.top - chosen[-1].box.bottom > 2.5 * max(seg.box.height, 0.008):
            break
        chosen.append(seg)
        if len(chosen) >= 6:
            break
    if block and chosen:
        for seg in reversed(pool[:first]):
            text = seg.text.strip()
            head = chosen[0]
            if (
                _not_address(text)
                or _phone_or_id(text)
                or not (any(ch.isdigit() for ch in text) or "," in text)
                or head.box.top - seg.box.bottom > 1.5 * max(head.box.height, 0.008)
                or len(chosen) >= 6
            ):
                break
            chosen.insert(0, seg)
    return chosen
