"""split(document, sections): a packet's pages into named sections, partitions and a table of contents.

Offline: each page's text is matched to each section's name and description (words weighted by how
well they tell sections apart; sentence embeddings too where installed), and page signals
(signals.py) say where a new document starts. A Viterbi pass picks each page's section: staying in
a section is free, changing costs less where a page looks like a new document's first.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field

from docuforge.classification import embedding, lexicon
from docuforge.document.model import Document, Page
from docuforge.splitting import partitions, signals

Confidence = Literal["high", "medium", "low"]


class Section(BaseModel):
    """A kind of document the packet may hold."""

    name: str
    description: str = ""
    partition_key: str | None = Field(None, description="Split the section by this field's values.")


class SplitOptions(BaseModel):
    rules: str | None = Field(
        None, description="Rules in words; phrases in quotes mark where a section starts."
    )
    allow_page_overlap: bool = Field(
        True, description="A page where one section ends and the next begins joins both."
    )
    auto_partition: bool = Field(
        True, description="Pages that do not show the partition value join the running partition."
    )
    table_cutoff: Literal["truncate", "preserve"] = Field(
        "truncate", description="preserve: never cut a table continued across pages."
    )
    page_signals: bool = Field(True, description="Use page signals (titles, numbering, headers...).")
    embeddings: bool = Field(True, description="Use the bundled sentence embeddings when installed.")
    switch_cost: float = Field(0.35, ge=0, description="Cost of changing section where no signal says so.")


class PageEvidence(BaseModel):
    page_number: int
    evidence: str
    confidence: Confidence


class Partition(BaseModel):
    name: str
    pages: list[int]
    confidence: float
    evidence: list[PageEvidence] = Field(default_factory=list)


class Split(BaseModel):
    name: str
    pages: list[int]
    confidence: float
    evidence: list[PageEvidence] = Field(default_factory=list)
    partitions: list[Partition] | None = None


class TocEntry(BaseModel):
    """One document of the packet: its title and where it runs."""

    title: str
    section: str
    start_page: int
    end_page: int


class SplitResult(BaseModel):
    splits: list[Split]
    toc: list[TocEntry]
    boundaries: list[int] = Field(description="Pages where a document starts.")


def _idf(sections: list[Section]) -> tuple[list[Counter[str]], dict[str, float]]:
    queries = []
    for section in sections:
        query: Counter[str] = Counter()
        for stem in lexicon.stems(section.name):
            query[stem] += 2
        for stem in lexicon.stems(section.description):
            query[stem] += 1
        queries.append(query)
    frequency = Counter(stem for query in queries for stem in set(query))
    return queries, {stem: math.log(1 + len(sections) / n) for stem, n in frequency.items()}


def _scores(
    pages: list[signals.PageSignals], sections: list[Section], options: SplitOptions
) -> tuple[list[list[float]], list[list[list[str]]]]:
    """Per page and section: a score in 0..1 and the words that matched."""
    queries, idf = _idf(sections)
    scores, matched = [], []
    for page in pages:
        body, head = set(lexicon.stems(page.text)), set(lexicon.stems(page.head))
        row, words = [], []
        for query in queries:
            total = sum(weight * idf[s] for s, weight in query.items()) or 1.0
            hit = [s for s in query if s in body]
            gained = sum(query[s] * idf[s] * (1.5 if s in head else 1.0) for s in hit)
            row.append(min(1.0, gained / total))
            words.append(hit)
        scores.append(row)
        matched.append(words)
    if options.embeddings:
        similar = embedding.similarities(
            [f"{s.name}: {s.description}" for s in sections], [p.text[:700] or " " for p in pages]
        )
        if similar is not None:
            for i, row in enumerate(scores):
                for j in range(len(row)):
                    row[j] = 0.5 * row[j] + 0.5 * min(1.0, max(0.0, (float(similar[j, i]) - 0.1) / 0.5))
    return scores, matched


def _viterbi(scores: list[list[float]], pages: list[signals.PageSignals], options: SplitOptions) -> list[int]:
    """Each page's section: the path of highest score less the cost of its changes."""
    n = len(scores[0])
    best = list(scores[0])
    back: list[list[int]] = []
    for i in range(1, len(scores)):
        page = pages[i]
        locked = options.table_cutoff == "preserve" and page.continued_table
        cost = 1e6 if locked else options.switch_cost * (1.0 - page.strength)
        row, pointers = [], []
        for s in range(n):
            came = max(range(n), key=lambda t, s=s: best[t] - (0.0 if t == s else cost))
            row.append(best[came] - (0.0 if came == s else cost) + scores[i][s])
            pointers.append(came)
        best, back = row, [*back, pointers]
    state = max(range(n), key=lambda s: best[s])
    path = [state]
    for pointers in reversed(back):
        state = pointers[state]
        path.append(state)
    return path[::-1]


def _page_confidence(score: float, row: list[float]) -> Confidence:
    others = sorted(row, reverse=True)
    second = others[1] if len(others) > 1 else 0.0
    if score >= 0.3 and score >= 1.5 * second:
        return "high"
    if score > 0.1 and score >= second:
        return "medium"
    return "low"


_CONF_VALUE = {"high": 1.0, "medium": 0.6, "low": 0.3}


def _partitions(
    section: Section, pages: list[Page], evidence: dict[int, PageEvidence], options: SplitOptions
) -> list[Partition]:
    assert section.partition_key
    groups: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    running: str | None = None
    previous: int | None = None
    for page in pages:
        value = partitions.value_on(page, section.partition_key)
        if previous is not None and page.original_number != previous + 1:
            running = None  # a gap: the next document of this section need not continue the last
        previous = page.original_number
        if value is not None:
            running = partitions.normalise(value)
            names.setdefault(running, value)
        elif not options.auto_partition:
            continue
        if running is None:
            continue
        groups.setdefault(running, []).append(page.original_number)
    return [
        Partition(
            name=names[key],
            pages=numbers,
            confidence=round(sum(_CONF_VALUE[evidence[p].confidence] for p in numbers) / len(numbers), 3),
            evidence=[evidence[p] for p in numbers],
        )
        for key, numbers in groups.items()
    ]


def split(document: Document, sections: list[Section], options: SplitOptions | None = None) -> SplitResult:
    """Assign the document's pages to the sections; partitions, page evidence and a table of contents."""
    options = options or SplitOptions()
    if not sections:
        raise ValueError("split needs at least one section")
    if not document.pages:
        return SplitResult(
            splits=[Split(name=s.name, pages=[], confidence=0.0) for s in sections], toc=[], boundaries=[]
        )
    pages = signals.read(document.pages, options.rules, None if options.page_signals else {"rule_phrase"})
    scores, matched = _scores(pages, sections, options)
    path = _viterbi(scores, pages, options)
    members: dict[int, list[int]] = {s: [] for s in range(len(sections))}
    evidence: dict[int, PageEvidence] = {}
    toc: list[TocEntry] = []
    boundaries: list[int] = []
    for i, (page, state) in enumerate(zip(pages, path, strict=True)):
        if page.blank and options.page_signals:
            continue  # a separator belongs to no section
        starts = (
            i == 0
            or path[i - 1] != state
            or page.strength >= 0.5
            or (options.page_signals and pages[i - 1].blank)
        )
        confidence = _page_confidence(scores[i][state], scores[i])
        words = matched[i][state]
        why = (
            [f"matches {sections[state].name!r} on {', '.join(words[:6])}"]
            if words
            else [f"continues {sections[state].name!r}"]
        )
        why += page.reasons if starts else []
        evidence[page.number] = PageEvidence(
            page_number=page.number, evidence="; ".join(why), confidence=confidence
        )
        members[state].append(page.number)
        if starts:
            boundaries.append(page.number)
            if (
                options.allow_page_overlap
                and toc
                and page.title_mid_page
                and toc[-1].section != sections[state].name
            ):
                # The heading sits below the top: the page also ends the previous document.
                previous = next(j for j, s in enumerate(sections) if s.name == toc[-1].section)
                members[previous].append(page.number)
                toc[-1].end_page = page.number
            toc.append(
                TocEntry(
                    title=page.title or sections[state].name,
                    section=sections[state].name,
                    start_page=page.number,
                    end_page=page.number,
                )
            )
        elif toc:
            toc[-1].end_page = page.number
    by_number = {p.original_number: p for p in document.pages}
    splits = []
    for index, section in enumerate(sections):
        numbers = sorted(set(members[index]))
        confidence = (
            round(sum(_CONF_VALUE[evidence[p].confidence] for p in numbers) / len(numbers), 3)
            if numbers
            else 0.0
        )
        found = Split(
            name=section.name, pages=numbers, confidence=confidence, evidence=[evidence[p] for p in numbers]
        )
        if section.partition_key and numbers:
            found.partitions = _partitions(section, [by_number[p] for p in numbers], evidence, options)
        splits.append(found)
    return SplitResult(splits=splits, toc=toc, boundaries=boundaries)
