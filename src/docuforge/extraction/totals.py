"""Choosing the grand total among several "total" lines by what the rest of the document says.

Receipts and invoices print many totals: before and after tax, before and after rounding, a total
quantity, the tax summary's totals. Label words alone rarely settle which is the amount that was
due. The document itself does: the grand total is the amount the payment lines repeat (cash, card,
amount due), the sum of a subtotal and its tax or of a total and its rounding, and it is not much
smaller than the other totals. Each candidate's label score is weighed by that evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docuforge.extraction import values
from docuforge.extraction.candidates import Layout
from docuforge.extraction.matching import stems
from docuforge.extraction.schema import Field

if TYPE_CHECKING:
    from docuforge.extraction.offline import Choice

_TOTAL = frozenset(stems("total due payable paid grand"))
_NOT_GRAND = frozenset(
    stems("sub subtotal tax vat gst discount quantity qty count item line before excl exclusive net unit")
)
_PAYMENT = frozenset(
    stems("cash card visa master mastercard amex paid pay payment tender tendered credit debit")
)
_TAX = frozenset(stems("tax gst vat sst service"))
_SUB = frozenset(stems("subtotal sub net excl exclusive before"))
_DISCOUNT = frozenset(stems("discount disc less rebate"))
_CHANGE = frozenset(stems("change"))
_ROUNDING = frozenset(stems("rounding round adj adjustment"))
# "Total:- 12.00", "Total: -12.00": a dash after the colon is a leader in many receipts' style.
_LEADER = re.compile(r"[:\uff1a]\s*-\s*$")
_CENT = 0.005


def is_grand_total(field: Field) -> bool:
    """The field asks for the amount due or paid, not a subtotal, a tax or a count."""
    name = stems(field.name)
    if name & _NOT_GRAND:
        return False
    if name & _TOTAL:
        return True
    return "amount" in name and bool(stems(field.description) & _TOTAL)


@dataclass
class _Amount:
    value: float
    order: int
    label: frozenset[str]


def _amounts(layout: Layout) -> list[_Amount]:
    """Every positive amount printed, with the words of the label it sits beside (if any)."""
    labels: dict[int, frozenset[str]] = {}
    for pair in layout.pairs:
        if pair.value is not None and pair.source != "prefix":
            order = pair.value.segment.order
            labels[order] = labels.get(order, frozenset()) | stems(pair.label)
    out = []
    for seg in layout.segments:
        words = labels.get(seg.order, frozenset()) | stems(seg.text)
        for match in values.find_amounts(seg.text):
            value = float(match.value)
            if abs(value) >= _CENT:
                out.append(_Amount(value, seg.order, words))
    return out


def _same(a: float, b: float) -> bool:
    return abs(a - b) < _CENT


def _consistent(value: float, amounts: list[_Amount], own: int) -> bool:
    """value = subtotal + tax, = another total + rounding or discount, = cash tendered - change."""
    others = [a for a in amounts if a.order != own and not _same(abs(a.value), value)]
    subs = [a for a in others if a.label & (_SUB | _TOTAL) and 0 < a.value]
    # Amounts by cent, so that a long invoice's thousands of amounts cost one lookup each.
    parts: dict[int, set[int]] = {}
    for a in others:
        if a.label & (_TAX | _ROUNDING | _DISCOUNT | _TOTAL):
            parts.setdefault(round(a.value * 100), set()).add(a.order)
    for sub in subs:
        rest = round((value - sub.value) * 100)
        if parts.get(rest, set()) - {sub.order}:
            return True
    change = {round(a.value * 100) for a in others if a.label & _CHANGE}
    return any(
        round((a.value - value) * 100) in change for a in others if a.label & _PAYMENT and a.value > value
    )


def rerank(candidates: list[Choice], layout: Layout) -> list[Choice]:
    """The candidates of a grand-total field, rescored by repetition, arithmetic and magnitude."""
    numeric = [c for c in candidates if isinstance(c.value, int | float) and c.span is not None]
    if len(numeric) < 1:
        return candidates
    amounts = _amounts(layout)
    for choice in numeric:
        assert choice.span is not None
        # "Total:- 51.88" is a leader, not a minus; a credit note's "(51.88)" keeps its sign.
        if choice.value < 0 and _LEADER.search(choice.span.segment.text[: choice.span.start + 1]):
            choice.value = -choice.value
    boosts = []
    for choice in numeric:
        assert choice.span is not None
        own = choice.span.segment.order
        value = float(choice.value)
        repeats = {a.order for a in amounts if a.order != own and _same(abs(a.value), value)}
        paid = {a.order for a in amounts if a.order in repeats and a.label & _PAYMENT}
        boost = 1 + 0.25 * min(len(repeats), 2) + 0.25 * min(len(paid), 1)
        if _consistent(value, amounts, own):
            boost += 0.3
        boosts.append(boost)
    # A total the rest of the page corroborates outweighs a much smaller one: the tax line's amount.
    corroborated = [float(c.value) for c, b in zip(numeric, boosts, strict=True) if b > 1 and c.score >= 0.3]
    biggest = max(corroborated, default=0.0)
    for choice, boost in zip(numeric, boosts, strict=True):
        if biggest and float(choice.value) < 0.5 * biggest and boost == 1:
            boost *= 0.6
        choice.score *= boost
    return candidates
