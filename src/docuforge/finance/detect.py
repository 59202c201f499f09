"""Which financial statement a page holds (or none), with confidence and the evidence that decided it."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from docuforge.finance.labels import normalise
from docuforge.finance.model import Detection, StatementType
from docuforge.finance.numbers import is_amount
from docuforge.finance.rows import Row

TITLES: dict[StatementType, re.Pattern[str]] = {
    StatementType.EQUITY: re.compile(
        r"changes in (shareholders |stockholders |owners |members )?equity|statements? of "
        r"(shareholders |stockholders |owners )equity|changes in net (assets|position)|equity statement",
        re.I,
    ),
    StatementType.CASH_FLOW: re.compile(
        r"cash flows?\b.*statement|statements? of (consolidated )?cash flows?|"
        r"^(consolidated )?cash flows?$|cash flow statement",
        re.I,
    ),
    StatementType.BALANCE_SHEET: re.compile(
        r"balance sheets?|statements? of (consolidated )?financial (position|condition)"
        r"|statement of net assets",
        re.I,
    ),
    StatementType.INCOME_STATEMENT: re.compile(
        r"income statements?|statements? of (consolidated )?(operations|income|earnings|profit or loss|"
        r"comprehensive (income|loss)|loss)|profit (and|&) loss|profit or loss|statements? of operations"
        # public-sector wording (US federal and state/local reports)
        r"|statements? of net cost|statements? of activities",
        re.I,
    ),
}
KEY_LABELS: dict[StatementType, tuple[str, ...]] = {
    StatementType.INCOME_STATEMENT: (
        "revenue",
        "net sales",
        "cost of sales",
        "cost of goods sold",
        "gross profit",
        "operating income",
        "income from operations",
        "operating expense",
        "income tax",
        "net income",
        "earnings per share",
        "profit before tax",
        "finance costs",
        "gross margin",
    ),
    StatementType.BALANCE_SHEET: (
        "total asset",
        "current asset",
        "total liability",
        "current liability",
        "retained earning",
        "shareholders equity",
        "goodwill",
        "inventory",
        "accounts payable",
        "accounts receivable",
        "property plant and equipment",
    ),
    StatementType.CASH_FLOW: (
        "operating activities",
        "investing activities",
        "financing activities",
        "net cash",
        "capital expenditure",
        "purchases of property",
        "dividends paid",
        "beginning of",
        "end of year",
        "end of period",
    ),
    StatementType.EQUITY: (
        "balance at",
        "dividends",
        "share capital",
        "retained earning",
        "total equity",
        "issuance of",
        "other comprehensive",
        "treasury",
    ),
}


class DetectOptions(BaseModel):
    min_amount_rows: int = Field(5, description="Rows with numbers a page needs to hold a statement.")
    title_weight: float = Field(0.6, description="What a statement title near the top of the page is worth.")
    label_weight: float = Field(0.1, description="What each key line label is worth (up to 0.4 in all).")
    min_confidence: float = Field(0.3, description="Below this a page holds no statement.")


def detect_page(rows: list[Row], page: int, options: DetectOptions | None = None) -> Detection:
    """The statement type of one page's rows, or None."""
    options = options or DetectOptions()
    amount_rows = [r for r in rows if sum(is_amount(t.text) for t in r.tokens) >= 1 and len(r.tokens) >= 2]
    if len(amount_rows) < options.min_amount_rows:
        return Detection(statement_type=None, confidence=0.0, pages=[page])
    first_amount = rows.index(amount_rows[0])
    top = [r.text for r in rows[: max(first_amount, 1) + 1] if len(r.text.split()) <= 14][:8]
    labels = " | ".join(normalise(r.text) for r in rows)
    scores: dict[StatementType, float] = {}
    evidence: dict[StatementType, list[str]] = {}
    title_of: dict[StatementType, str] = {}
    for kind, pattern in TITLES.items():
        for text in top:
            if pattern.search(text) and not (
                kind == StatementType.INCOME_STATEMENT and TITLES[StatementType.EQUITY].search(text)
            ):
                scores[kind] = options.title_weight
                evidence.setdefault(kind, []).append(f"title: {text}")
                title_of[kind] = text
                break
        hits = [k for k in KEY_LABELS[kind] if k in labels]
        scores[kind] = scores.get(kind, 0.0) + min(0.4, options.label_weight * len(hits))
        evidence.setdefault(kind, []).extend(f"label: {h}" for h in hits)
    titled = [k for k in scores if k in title_of]
    if len(titled) > 1:  # "Statement of comprehensive income ... and changes in equity": the labels decide
        for kind in titled:
            scores[kind] -= options.title_weight / 2
    best = max(scores, key=lambda k: scores[k])
    confidence = round(min(1.0, scores[best]), 3)
    if confidence < options.min_confidence:
        return Detection(statement_type=None, confidence=round(1 - confidence, 3), pages=[page])
    return Detection(
        statement_type=best,
        confidence=confidence,
        pages=[page],
        title=title_of.get(best),
        evidence=evidence[best],
    )


def group_pages(detections: list[Detection]) -> list[Detection]:
    """Consecutive pages of one type continue one statement when they bring no new title of their own
    (none, or the same one marked "continued")."""
    out: list[Detection] = []
    for det in detections:
        if det.statement_type is None:
            continue
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.statement_type == det.statement_type
            and (det.title is None or "continued" in det.title.lower() or "cont'd" in det.title.lower())
            and prev.pages[-1] == det.pages[0] - 1
        ):
            prev.pages.append(det.pages[0])
            continue
        out.append(det.model_copy(deep=True))
    return out
