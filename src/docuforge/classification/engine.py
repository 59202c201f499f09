"""classify(document, categories): which category a document belongs to, with its evidence.

Offline: the first pages' title, text and layout signals (features.py) are matched to each
category's name and criteria word by word (lexicon.py), and by sentence embeddings where the
bundled model is installed. The scores become a confidence by a softmax over the categories.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from docuforge.classification import embedding, features, lexicon
from docuforge.document.model import Document


class Category(BaseModel):
    """A category and what a document must look like to belong to it."""

    name: str = Field(description="The label, e.g. 'invoice'.")
    criteria: list[str] = Field(default_factory=list, description="Traits a member shows.")


class ClassifyOptions(BaseModel):
    pages: list[int] | None = Field(
        None, description="1-based pages to read (default: the first `max_pages`)."
    )
    max_pages: int = Field(5, ge=1, le=25, description="How many pages to read at most.")
    metadata: str | None = Field(None, description="Text about the document, read with its own.")
    accurate: bool = Field(False, description="Also score every page alone and keep each category's best.")
    layout_signals: bool = Field(True, description="Turn layout (tables, forms, slides...) into words.")
    # Off by default: they cost accuracy on the tuning half (benchmarks/results/classification.md).
    embeddings: bool = Field(False, description="Also use the bundled sentence embeddings when installed.")
    temperature: float = Field(0.08, gt=0, description="Softmax temperature from scores to confidences.")


class CriterionScore(BaseModel):
    criterion: str
    score: float
    matched: list[str] = Field(default_factory=list, description="The criterion's words found.")


class CategoryScore(BaseModel):
    category: str
    score: float
    confidence: float
    criteria: list[CriterionScore] = Field(default_factory=list)


class Classification(BaseModel):
    category: str
    confidence: float
    evidence: list[str] = Field(default_factory=list)
    scores: list[CategoryScore] = Field(default_factory=list)
    pages: list[int] = Field(default_factory=list, description="The pages read.")


def _lexical(category: Category, title: set[str], found: set[str]) -> tuple[float, list[CriterionScore]]:
    name = lexicon.stems(category.name)
    name_in_text, _ = lexicon.coverage(name, found)
    name_in_title, _ = lexicon.coverage(name, title)
    criteria = []
    for criterion in category.criteria:
        share, hits = lexicon.coverage(lexicon.stems(criterion), found)
        criteria.append(CriterionScore(criterion=criterion, score=share, matched=hits))
    name_score = 0.6 * name_in_text + 0.4 * name_in_title
    if not criteria:
        return name_score, criteria
    criteria_score = sum(c.score for c in criteria) / len(criteria)
    return 0.4 * name_score + 0.6 * criteria_score, criteria


def _texts_of(feats: features.Features, options: ClassifyOptions) -> list[str]:
    texts = [feats.title, feats.title, feats.text]  # a title says more than a paragraph
    if options.metadata:
        texts.append(options.metadata)
    if options.layout_signals:
        texts.append(feats.signal_text())
    return texts


def _score(
    document: Document, categories: list[Category], pages: list[int] | None, options: ClassifyOptions
) -> tuple[list[tuple[float, list[CriterionScore]]], features.Features]:
    feats = features.extract(document, pages, options.max_pages)
    texts = _texts_of(feats, options)
    found = set(lexicon.bag(texts))
    title = set(lexicon.stems(feats.title))
    scored = [_lexical(category, title, found) for category in categories]
    similar = None
    if options.embeddings:
        descriptions = [f"{c.name}: {'; '.join(c.criteria)}" for c in categories]
        summary = " ".join([feats.title, (options.metadata or ""), feats.text[:1500], feats.signal_text()])
        similar = embedding.similarities(descriptions, [summary])
    if similar is not None:
        # Cosines of related sentences sit around 0.2-0.7: rescale before mixing with word overlap.
        scored = [
            (0.5 * score + 0.5 * min(1.0, max(0.0, (float(similar[i, 0]) - 0.1) / 0.5)), crit)
            for i, (score, crit) in enumerate(scored)
        ]
    return scored, feats


def classify(
    document: Document, categories: list[Category], options: ClassifyOptions | None = None
) -> Classification:
    """The category the document's first pages fit best, its confidence, and why."""
    options = options or ClassifyOptions()
    if not categories:
        raise ValueError("classify needs at least one category")
    scored, feats = _score(document, categories, options.pages, options)
    if options.accurate:
        for page in feats.pages:
            alone, _ = _score(document, categories, [page], options)
            scored = [
                (max(score, page_score), crit)
                for (score, crit), (page_score, _) in zip(scored, alone, strict=True)
            ]
    peak = max(score for score, _ in scored)
    weights = [math.exp((score - peak) / options.temperature) for score, _ in scored]
    total = sum(weights)
    results = [
        CategoryScore(category=c.name, score=round(score, 4), confidence=round(w / total, 4), criteria=crit)
        for c, (score, crit), w in zip(categories, scored, weights, strict=True)
    ]
    best = max(results, key=lambda r: r.score)
    evidence = []
    if feats.title:
        evidence.append(f"title: {feats.title!r}")
    evidence += [f"{name}: {why}" for name, why in feats.signals.items()] if options.layout_signals else []
    evidence += [
        f"criterion {c.criterion!r} matched {', '.join(c.matched)}" for c in best.criteria if c.matched
    ]
    return Classification(
        category=best.category,
        confidence=best.confidence,
        evidence=evidence,
        scores=results,
        pages=feats.pages,
    )
