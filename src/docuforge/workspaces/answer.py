"""The offline answer engine: extractive, from the retrieved passages, no model.

It picks the sentence (or record field) the passages support best: question words it shares,
weighted by how rare they are among the candidates, plus the passage's retrieval rank. For a
question with a typed answer (an amount, a date, yes/no, a party, a percentage, a count) it also
takes the value of that type from the best sentences that hold one and puts it first.
Each heuristic is switchable (AnswerOptions) so a benchmark can show what it buys.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field

from docuforge.index.bm25 import tokens
from docuforge.index.store import Hit

Kind = Literal["amount", "date", "time", "yes_no", "party", "percentage", "count", "identifier", "text"]

_YES_NO = re.compile(
    r"^(is|are|was|were|does|do|did|has|have|had|can|could|will|would|shall|should|must|may)\b", re.I
)
_CURRENCY = r"(?:EUR|USD|GBP|CHF|JPY|CAD|AUD|SEK|NOK|DKK|PLN|€|\$|£|¥)"
_NUMBER = r"\d{1,3}(?:[,.\u2019' ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
# Scale words, and the capital letters tables write for them (58.6B, 3.71T: not "2023b").
_SCALE = r"(?:\s?(?:million|billion|trillion|thousand|bn|mn|m|k)\b|(?-i:[KMBT])\b)?"
AMOUNT = re.compile(
    rf"{_CURRENCY}\s?(?:{_NUMBER}){_SCALE}|(?:{_NUMBER}){_SCALE}\s?(?:{_CURRENCY}|euros?|dollars?|pounds?)",
    re.I,
)
PLAIN_NUMBER = re.compile(rf"(?<![\w.])(?:{_NUMBER}){_SCALE}(?![\w])", re.I)
NUMBER_WORD = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|dozen)\b",
    re.I,
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# The second year of a range ("1992-93", "2019/2020") is a when, like the first.
_YEAR_RANGE = re.compile(r"\b(?:19|20)\d\d\s?[-\u2013\u2014/]\s?(?:\d{2}|(?:19|20)\d\d)\b")
# A number right after a capitalized name or a lone letter names a version or a model
# ("Dolma 1.7", "IBM i 7.2", "Wang 1200"), not an amount or a count.
_NAMED = re.compile(r"(?:\b[A-Z][A-Za-z]*|\b[a-z])\s$")
TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s?(?:[ap]\.?\s?m\.?(?=\W|$)|o'clock)|\b\d{1,2}\s?[ap]\.m\.", re.I)
# An identifier mixes digits with letters or joins digit groups with a dash or slash:
# REDP-5110-00, 07-1315, ISO/IEC 27001, AB12345.
IDENTIFIER = re.compile(
    r"\b(?=[A-Za-z0-9./-]*\d)(?:[A-Z]{1,8}[-/ ]?\d[\w./-]*|\d+(?:[-/]\w+)+|[A-Z0-9]*\d[A-Z][A-Z0-9]*)\b"
)
PERCENT = re.compile(rf"(?:{_NUMBER})\s?(?:%|per ?cent\b|percent\b)", re.I)
_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
DATE = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}\b"
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|\b(?:{_MONTHS})\.?\s+\d{{4}}\b",
    re.I,
)
_ORG_SUFFIX = (
    r"(?:Inc|Ltd|LLC|GmbH|AG|SA|S\.A|NV|BV|plc|Corp(?:oration)?|Company|Co|Group|Council|Ministry|"
    r"Agency|Authority|University|Institute|Bank)\.?"
)
PARTY = re.compile(
    rf"\b(?:[A-Z][\w&'\-]*\.?\s+){{0,5}}{_ORG_SUFFIX}\b"
    rf"|\b(?:City|Municipality|Department|Ministry|Republic|State|Port|Region) of (?:[A-Z][\w\-]*\s?){{1,4}}"
)
# Capitalized words in a row, initials included ("Betty D. Montgomery", "MICHAEL A. KNOWLES").
_CAPITALIZED = re.compile(
    r"\b[A-Z][\w&'\-]+(?:\s+(?:(?:of|and|&|de|der|van|von|the)\s+)?(?:[A-Z]\.|[A-Z][\w&'\-]+)){1,5}"
)
_NEGATION = re.compile(r"\b(no|not|never|none|without|neither|nor|n't|excluded|shall not|does not)\b", re.I)
# Sentences end at . ! ? before a capital or digit, and at line ends (a table row is one line).
_WORDS = re.compile(r"[^\W_]+(?:[.,'][^\W_]+)*")
# An initial ("Betty D. Montgomery") or a common abbreviation's full stop ends no sentence.
_SENTENCE = re.compile(
    r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\bNo\.)(?<!\bno\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bv\.)"
    r"(?<!\bvs\.)(?<!\bInc\.)(?<!\bCo\.)(?<!\bNo\.)\s+(?=[A-Z0-9\"'(])|\n+"
)


_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "first": "1",
    "second": "2", "third": "3",
}  # fmt: skip


def _stem(term: str) -> str:
    """A light plural stem, so "totals" meets "total" and "checks" "check" (not "class", "its")."""
    if len(term) <= 3 or not term.endswith("s") or term.endswith(("ss", "us", "is")):
        return term
    if term.endswith("ies"):
        return term[:-3] + "y"
    if term.endswith("es") and term[-3] in "sxz":
        return term[:-2]
    return term[:-1]


def terms(text: str, normalize: bool = True) -> list[str]:
    """The words an answer is matched on: tokens, with number words as digits and plurals stemmed."""
    found = tokens(text)
    if not normalize:
        return found
    return [_NUMBER_WORDS.get(term) or _stem(term) for term in found]


def _counts(sentence: str, value: str, counted: str, normalize: bool, at: int | None = None) -> bool:
    """Whether the value counts the noun asked: written before it ("3.9 trillion tokens") or in a
    table row's column of that name ("Tokens: 3.71T")."""
    at = sentence.find(value) if at is None else at
    if at < 0:
        return False
    if counted in terms(sentence[at + len(value) :].split(";", 1)[0], normalize)[:2]:
        return True
    field = sentence[:at].rsplit("; ", 1)[-1]
    return field.endswith(": ") and counted in terms(field, normalize)


def _matched_on(sentence: str, normalize: bool, row_labels: bool) -> set[str]:
    """The words a sentence is matched to the question on.

    A table row ("label; column: value; ...") is named by its first cell and its columns, not by
    the numbers in its cells: "one reclassification" is the row whose label says so, not any row
    holding a 1.
    """
    if row_labels and "; " in sentence and ": " in sentence:
        fields = sentence.split("; ")
        named = [
            fields[0].rsplit(": ", 1)[-1],
            *(field.rsplit(": ", 1)[0] for field in fields if ": " in field),
        ]
        return set(terms(" ".join(named), normalize))
    return set(terms(sentence, normalize))


def _counted(question: str, normalize: bool) -> str | None:
    """The noun a "how many" question counts: "How many tokens ..." -> token."""
    match = re.search(r"\bhow many\s+([^\W\d_][\w-]*)", question, re.I)
    if not match:
        return None
    found = terms(match.group(1), normalize)
    return found[0] if found else None


class AnswerOptions(BaseModel):
    typed_values: bool = Field(True, description="Put the value a typed question asks for first.")
    nearest_value: bool = Field(
        True,
        description="Of several values of the kind asked in a sentence, take the one nearest after the "
        "question's words (a table row's cell under the asked column), not the first.",
    )
    rank_weight: float = Field(
        0.35, ge=0, description="How much a passage's retrieval rank adds to its sentences."
    )
    max_sentence: int = Field(
        400, ge=50, description="Characters of a supporting sentence kept in the answer."
    )
    citations: int = Field(3, ge=1, le=20, description="Passages cited with an answer.")
    skip_years: bool = Field(
        True,
        description="A bare year, a range of years or a version after a name (Dolma 1.7) is not taken "
        "as an amount or a count.",
    )
    short_penalty: float = Field(
        0.2, ge=0, description="Taken off a sentence of five words or fewer that holds no value (a heading)."
    )
    context_weight: float = Field(
        0.3, ge=0, le=1, description="Share of credit for question words found in the sentence's passage."
    )
    row_labels: bool = Field(
        True,
        description="A table row matches the question by its first cell and column names, not its values.",
    )
    normalize_terms: bool = Field(
        True,
        description="Match words by a light plural stem and number words as digits (one = 1); "
        "a count is the number written before the noun counted (3.9 trillion tokens).",
    )


class Answer(BaseModel):
    answer: str
    value: str | None = Field(None, description="The typed value found (amount, date, yes/no, party...).")
    kind: Kind = "text"
    confidence: float = Field(ge=0, le=1)
    cited: list[Hit] = Field(
        default_factory=list, description="The passages the answer rests on, best first."
    )


def question_kind(question: str) -> Kind:
    """What sort of value the question asks for, from its wording."""
    text = question.strip().lower()
    if re.search(r"\bwhat time\b|\bat what hour\b", text):
        return "time"
    # "the docket number", "the number of this publication": a name, unlike "the number of people".
    if re.search(
        r"\b(docket|case|publication|reference|ref|serial|invoice|order|policy|account|model|part|report|"
        r"document|file|tender|contract|registration|tracking|project|form|isbn|issn)\s+(number|no\.?|id|code)\b"
        r"|\bnumber of (this|that) |\b(identifier|reference code)\b",
        text,
    ):
        return "identifier"
    if re.search(r"\b(percentage|percent|per cent|rate|share|ratio)\b|%", text):
        return "percentage"
    if re.search(r"\bhow (many|much time)\b|\bnumber of\b|\bcount of\b", text):
        return "count"
    if re.search(
        r"\bhow much\b|\b(value|price|cost|costs|budget|amount|fee|fees|total|sum|revenue|revenues|income|"
        r"turnover|salary|payment|deposit|guarantee|penalty amount|profit|loss|assets|liabilities|cash)\b",
        text,
    ) and not _YES_NO.match(text):
        return "amount"
    if re.search(
        r"^when\b|\b(date|deadline|dated|until when|by when|what day|which day|what year|which year)\b", text
    ):
        return "date"
    who = re.match(
        r"^who\b|^which (company|firm|organi[sz]ation|party|entity|bank|supplier|contractor)\b", text
    )
    role = re.search(
        r"\b(name of the|contracting authority|buyer|supplier|contractor|vendor|issuer|awardee|bidder)\b",
        text,
    )
    if who or (role and not _YES_NO.match(text)):
        return "party"
    if _YES_NO.match(text):
        return "yes_no"
    return "text"


def _sentences(hit: Hit) -> list[str]:
    if hit.row is not None:
        return [hit.text.strip()]  # a record is read whole: its fields explain each other
    lines = []
    for piece in _SENTENCE.split(hit.text):
        piece = piece.strip().lstrip("#-* ").strip()
        if len(piece) > 2:
            lines.append(piece)
    return lines or [hit.text.strip()]


def _matches(kind: Kind, sentence: str) -> list[re.Match[str]]:
    if kind == "amount":
        return list(AMOUNT.finditer(sentence)) or list(PLAIN_NUMBER.finditer(sentence))
    if kind == "percentage":
        return list(PERCENT.finditer(sentence))
    if kind == "count":
        return list(PLAIN_NUMBER.finditer(sentence)) or list(NUMBER_WORD.finditer(sentence))
    if kind == "date":
        return list(DATE.finditer(sentence))
    if kind == "time":
        return list(TIME.finditer(sentence))
    if kind == "identifier":
        return list(IDENTIFIER.finditer(sentence))
    if kind == "party":
        return list(PARTY.finditer(sentence)) or list(_CAPITALIZED.finditer(sentence))
    return []


_LABEL = re.compile(
    r"\b(table|figure|fig\.|chart|section|note|page|no\.|item|chapter|article|appendix|annex|example)\s*$",
    re.I,
)


def _value(
    kind: Kind,
    sentence: str,
    asked: set[str] | None = None,
    skip_years: bool = False,
    normalize: bool = False,
    counted: str | None = None,
) -> str | None:
    """The value of the kind asked; with `asked` (the question's words, as `terms` gives them), the
    one nearest after them; for a count, one written before the noun `counted` comes first."""
    found = [
        m
        for m in _matches(kind, sentence)
        if m.group(0).strip(" .,;")
        # "Table 5" names a table; but "No. 07-1315" is the identifier asked for.
        and (kind == "identifier" or not _LABEL.search(sentence[max(0, m.start() - 12) : m.start()]))
    ]
    if asked:
        # A value the question itself names (the year in "issuance in 2007") is not the answer.
        kept = [m for m in found if not set(terms(m.group(0), normalize)) <= asked]
        found = kept if normalize else kept or found
    if skip_years and kind in ("amount", "count"):
        # A bare year, or a number inside a date or a range of years, is when, rarely the amount
        # or count asked for; nor is a version or model number after a name.
        dates = [(d.start(), d.end()) for d in DATE.finditer(sentence)]
        dates += [(d.start(), d.end()) for d in _YEAR_RANGE.finditer(sentence)]
        found = [
            m
            for m in found
            if not _YEAR.match(m.group(0).strip(" .,;"))
            and not any(start <= m.start() < end for start, end in dates)
            and not (
                _NAMED.search(sentence[max(0, m.start() - 24) : m.start()])
                and not re.search(r"[a-z]", m.group(0).lower().lstrip("0123456789.,' "))
                and not AMOUNT.fullmatch(m.group(0))
            )
        ]
    if not found:
        return None
    if counted and kind == "count":
        counting = [m for m in found if _counts(sentence, m.group(0), counted, normalize, m.start())]
        if counting:
            return _cleaned(counting[0].group(0))
    best = found[0]
    if asked and len(found) > 1:
        anchors = [
            m.end()
            for m in _WORDS.finditer(sentence)
            if terms(m.group(0), normalize)[:1] and terms(m.group(0), normalize)[0] in asked
        ]
        if anchors:

            def distance(match: re.Match[str]) -> float:
                before = [match.start() - end for end in anchors if end <= match.start()]
                return min(before) if before else 10_000 + min(abs(match.start() - end) for end in anchors)

            best = min(found, key=distance)
    return _cleaned(best.group(0))


def _cleaned(value: str) -> str:
    value = value.strip(" ,;")
    # A sentence's full stop is not the value's, but the one of "p.m." is.
    return value if re.search(r"\b[ap]\.m\.$", value, re.I) else value.rstrip(".")


def _yes_no(question: str, sentence: str) -> str:
    """Yes unless the supporting sentence negates what the question asks (and the question does not)."""
    negated = bool(_NEGATION.search(sentence)) != bool(_NEGATION.search(question))
    return "No" if negated else "Yes"


def answer(question: str, hits: list[Hit], options: AnswerOptions | None = None) -> Answer:
    """The best-supported sentence of the passages, led by the typed value when there is one."""
    options = options or AnswerOptions()
    kind = question_kind(question)
    if not hits:
        return Answer(answer="No passage in this workspace answers the question.", kind=kind, confidence=0.0)
    normalize = options.normalize_terms
    asked = Counter(terms(question, normalize))
    counted = _counted(question, normalize) if normalize else None
    candidates: list[tuple[int, str, set[str]]] = [
        (rank, sentence, _matched_on(sentence, normalize, options.row_labels))
        for rank, hit in enumerate(hits)
        for sentence in _sentences(hit)
    ]
    frequency = Counter(term for _, _, words in candidates for term in words)
    total = len(candidates)

    def weight(term: str) -> float:
        return math.log(1 + (total + 1) / (frequency.get(term, 0) + 0.5))

    possible = sum(weight(term) for term in asked) or 1.0
    context: list[set[str]] = [set(terms(hit.filename, normalize)) for hit in hits]
    for rank, _, present in candidates:
        context[rank] |= present
    scored: list[tuple[float, float, int, str, str | None]] = []
    for rank, sentence, present in candidates:
        coverage = sum(weight(term) for term in asked if term in present) / possible
        # Words of the question found elsewhere in the passage (a table's title over its row) count a little.
        around = (
            sum(weight(term) for term in asked if term not in present and term in context[rank]) / possible
        )
        coverage = min(1.0, coverage + options.context_weight * around)
        value = (
            _value(
                kind,
                sentence,
                set(asked) if options.nearest_value else None,
                options.skip_years,
                normalize,
                counted,
            )
            if options.typed_values
            else None
        )
        score = coverage + options.rank_weight / (1 + rank) + (0.25 if value else 0.0)
        if value and counted and _counts(sentence, value, counted, normalize):
            score += 0.25
        if not value and len(present) <= 5:
            score -= options.short_penalty
        scored.append((score, coverage, rank, sentence, value))
    scored.sort(key=lambda item: (-item[0], item[2]))
    _, coverage, rank, sentence, value = scored[0]
    if options.typed_values and kind not in ("text", "yes_no") and value is None:
        # The best sentence holds no value of the kind asked: take it from the next best that does.
        for _, other_coverage, other_rank, other_sentence, other_value in scored[1:6]:
            if other_value and other_coverage >= coverage * 0.5:
                value, rank, sentence, coverage = other_value, other_rank, other_sentence, other_coverage
                break
    if options.typed_values and kind == "yes_no":
        value = _yes_no(question, sentence)
    shown = (
        sentence
        if len(sentence) <= options.max_sentence
        else sentence[: options.max_sentence].rsplit(" ", 1)[0] + "..."
    )
    text = f"{value} \u2014 {shown}" if value and value not in shown[: len(value) + 2] else shown
    if value and kind == "yes_no":
        text = f"{value} \u2014 {shown}"
    others = [hit for position, hit in enumerate(hits) if position != rank]
    cited = [hits[rank], *others[: options.citations - 1]]
    dense = hits[rank].dense_score
    similarity = max(0.0, min(1.0, (dense - 0.2) / 0.5)) if dense is not None else hits[rank].score
    typed = 1.0 if (kind == "text" or value) else 0.0
    confidence = round(max(0.0, min(1.0, 0.5 * coverage + 0.3 * similarity + 0.2 * typed)), 4)
    return Answer(answer=text, value=value, kind=kind, confidence=confidence, cited=cited)
