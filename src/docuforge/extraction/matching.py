"""How well a label on the page names a schema field: lexical, and by meaning where embeddings exist.

Lexical: the field's name split into words (snake_case, camelCase, kebab), the words of its
description, and a small table of synonyms that documents use for the same thing (qty for
quantity, "bill to" for customer...). Dense: cosine similarity of MiniLM embeddings of the label
and of the field's name and description (`docuforge.index.embeddings`), when that module is
installed and the option is on; lexical alone otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from docuforge.extraction.schema import Field

STOPWORDS = frozenset(
    "a an the of for to in on at by is are be this that from with and or as its it if any all "
    "which who what when where how was were will shall should would can could may might please "
    "document field value given shown written printed e g eg ie i".split()
)

# Words documents use for the same thing. Each group is symmetric; multi-word entries are phrases.
SYNONYMS: list[set[str]] = [
    {"number", "no", "num", "nr", "#", "id", "ref", "reference", "code"},
    {"quantity", "qty", "units", "count", "pcs"},
    {"amount", "amt", "sum", "value"},
    {
        "total",
        "grand total",
        "amount due",
        "balance due",
        "total due",
        "total amount",
        "nett",
        "net total",
        "payable",
        "total payable",
        "amount payable",
        "total inclusive",
        "total incl",
    },
    {"price", "rate", "unit price", "unit cost", "cost"},
    {"description", "item", "items", "particulars", "product", "details", "article", "service"},
    {"date", "dated", "day"},
    {"invoice", "inv", "bill", "tax invoice"},
    {"purchase order", "po", "p.o", "order"},
    {"vendor", "seller", "supplier", "merchant", "store", "shop", "company", "from", "issuer", "business"},
    {"customer", "buyer", "client", "bill to", "billed to", "sold to", "purchaser", "recipient"},
    {"ship to", "deliver to", "delivery address", "shipping address", "consignee"},
    {"address", "addr", "location"},
    {"phone", "tel", "telephone", "mobile", "contact number", "ph"},
    {"email", "e-mail", "mail"},
    {"tax", "vat", "gst", "sales tax"},
    {
        "subtotal",
        "sub total",
        "sub-total",
        "net amount",
        "total before tax",
        "total excl tax",
        "pre-tax total",
    },
    {"due date", "payment due", "due", "pay by", "payable by"},
    {"name", "full name"},
    {"signature", "signed", "sign"},
    {"birth", "dob", "born"},
    {"discount", "disc", "rebate"},
]

_SPLIT_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD = re.compile(r"[#]|[^\W_]+", re.UNICODE)


def stem(word: str) -> str:
    """A crude English stem: enough for rounding/rounded, items/item, charges/charge."""
    if word.endswith(("ss", "us", "is")):
        return word
    for suffix in ("ings", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "es" and not word.endswith(("ses", "xes", "ches", "shes")):
                return word[:-1]
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """Lower-case words of a name or label: snake, camel and kebab case split, stopwords out."""
    spaced = _SPLIT_CAMEL.sub(" ", text.replace("_", " ").replace("-", " "))
    return tuple(w for w in (m.group(0).lower() for m in _WORD.finditer(spaced)) if w not in STOPWORDS)


def stems(text: str) -> frozenset[str]:
    # Numbers in a label ("Tax (8%)", "Line 12") say which one, not what it is.
    return frozenset(stem(w) for w in words(text) if not w.isdigit())


@lru_cache(maxsize=1)
def _synonym_stems() -> list[frozenset[frozenset[str]]]:
    return [frozenset(stems(phrase) for phrase in group) for group in SYNONYMS]


@lru_cache(maxsize=65536)
def expand(terms: frozenset[str]) -> frozenset[str]:
    """The terms and every synonym whose phrase the terms contain."""
    out = set(terms)
    for group in _synonym_stems():
        if any(phrase and phrase <= terms for phrase in group):
            for phrase in group:
                out |= phrase
    return frozenset(out)


@dataclass
class FieldTerms:
    """A field's vocabulary: its name's words (strong), its description's (weak), with synonyms."""

    name: frozenset[str]
    name_expanded: frozenset[str]
    description: frozenset[str]
    context: frozenset[str] = field(default_factory=frozenset)
    text: str = ""


def field_terms(item: Field, parents: Sequence[str] = ()) -> FieldTerms:
    name = stems(item.name)
    description = stems(item.description) - name
    context = frozenset().union(*(stems(p) for p in parents)) if parents else frozenset()
    text = " ".join(words(item.name))
    if item.description:
        text = f"{text}: {item.description}"
    # Descriptions are not widened by synonyms: "issued the invoice" must not make "Bill to" a vendor.
    return FieldTerms(name, expand(name), description - expand(name), context - name, text)


def lexical(terms: FieldTerms, label: str) -> float:
    """0..1: how much of the label the field's words explain, and how much of the name it covers."""
    label_stems = stems(label)
    if not label_stems or not terms.name:
        return 0.0
    label_expanded = expand(label_stems)
    strong = label_stems & terms.name_expanded
    weak = (label_stems & (terms.description | terms.context)) - strong
    precision = (len(strong) + len(weak)) / len(label_stems)
    covered = len(terms.name & label_expanded) / len(terms.name)
    if not strong and covered == 0:
        # A label that shares only description words names the field weakly at best.
        return 0.4 * precision if weak else 0.0
    # Each description word the label also carries makes it the more specific match
    # ("Total rounded" over "Total" for "the total paid, after rounding").
    return min(1.0, 0.6 * precision + 0.4 * covered) * (1 + 0.05 * min(len(weak), 3)) / 1.15


Embed = Callable[[Sequence[str]], Any]


def load_embedder() -> Embed | None:
    """The shared MiniLM embedder, or None where `docuforge.index.embeddings` is not installed."""
    import importlib

    try:
        # Imported by name: the shared embeddings module is optional (a later merge brings it).
        module = importlib.import_module("docuforge.index.embeddings")
    except ImportError:
        return None
    return module.embed  # type: ignore[no-any-return]


class Scorer:
    """Label-to-field scores for one extraction, embedding each distinct text once."""

    def __init__(self, embed: Embed | None = None, dense_weight: float = 0.5) -> None:
        self.embed = embed
        self.dense_weight = dense_weight
        self._vectors: dict[str, Any] = {}

    def prepare(self, texts: Sequence[str]) -> None:
        if self.embed is None:
            return
        fresh = [t for t in dict.fromkeys(texts) if t and t not in self._vectors]
        if fresh:
            from threadpoolctl import threadpool_limits

            # A document's labels are a few dozen short texts: small matrix products that BLAS
            # threads only slow down (and, on a shared machine, fight other processes over).
            with threadpool_limits(limits=1, user_api="blas"):
                vectors = self.embed(fresh)
            for text, vector in zip(fresh, vectors, strict=True):
                self._vectors[text] = vector

    def dense(self, terms: FieldTerms, label: str) -> float | None:
        if self.embed is None:
            return None
        self.prepare([terms.text, label])
        cosine = float(self._vectors[terms.text] @ self._vectors[label])
        # MiniLM puts unrelated short phrases near 0.2 and paraphrases above 0.7.
        return min(1.0, max(0.0, (cosine - 0.3) / 0.45))

    def score(self, terms: FieldTerms, label: str) -> float:
        lexical_score = lexical(terms, label)
        dense_score = self.dense(terms, label) if len(label) <= 80 else None
        if dense_score is None:
            return lexical_score
        # Meaning can find a label no word of the field shares, but alone it is weaker evidence.
        blended = (1 - self.dense_weight) * lexical_score + self.dense_weight * dense_score
        return max(lexical_score, blended, 0.85 * dense_score)
