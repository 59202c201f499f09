"""Natural-language fill instructions mapped to form fields, offline.

"the vessel is Northwind, IMO 9321483, arriving 2026-04-02, hazardous cargo: no" is cut into
clauses; a clause names its field by a key ("hazardous cargo: no", "the vessel is Northwind") or by
words that lead to its value ("IMO 9321483", "arriving 2026-04-02"). Each field is described by its
label, name and tooltip; clauses and fields are paired best first by the words they share, and a
value is then read in the field's terms (a checkbox's yes or no, one of a choice's options).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from docuforge.classification import embedding, lexicon

_CLAUSES = re.compile(r"\s*(?:[;\n]|,(?=\s)|(?<=\w{2})\.(?=\s+[A-Z])|\band\b(?=[^,;]*(?::|\bis\b)))\s*")
_KEYED = re.compile(
    r"^(?P<key>[^:=]{1,80}?)\s*(?::|=|\bis\b|\bare\b|\bwas\b|\bshould be\b|\bwill be\b)\s*(?P<value>.+)$",
    re.I,
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|[_\-.\[\]]+")
YES = frozenset(
    {"yes", "y", "true", "checked", "check", "x", "on", "1", "tick", "ticked", "selected", "agree"}
)
NO = frozenset({"no", "n", "false", "unchecked", "off", "0", "none", "not", "unticked", "disagree", "n/a"})
_LEADING = frozenset({"the", "a", "an", "is", "are", "of", "to", "on", "at", "for", "by", "with"})


@dataclass
class Target:
    """A field to fill, as the matcher sees it."""

    key: str
    label: str
    kind: str = "text"  # text, checkbox, radio, dropdown
    options: tuple[str, ...] = ()


@dataclass
class Clause:
    text: str
    key: str | None
    value: str


@dataclass
class Assignment:
    value: str
    clause: str
    score: float


def name_words(name: str) -> str:
    """A field name as words: vessel_name -> vessel name, IMONumber -> IMO Number."""
    return " ".join(part for part in _CAMEL.split(name) if part)


def clauses(instructions: str) -> list[Clause]:
    found = []
    for part in _CLAUSES.split(instructions):
        part = part.strip(" .")
        if not part:
            continue
        keyed = _KEYED.match(part)
        if keyed:
            value = re.sub(r"^(?:the|a|an)\s+(?=\S)", "", keyed.group("value").strip(" .\"'"))
            found.append(Clause(part, keyed.group("key").strip(), value))
        else:
            found.append(Clause(part, None, part))
    return found


def _score(label: list[str], clause: Clause) -> float:
    key = lexicon.stems(clause.key) if clause.key is not None else lexicon.stems(clause.text)
    shared = set(label) & set(key)
    if not shared:
        return 0.0
    recall = len(shared) / len(set(label))
    # A keyed clause should name the field and little else; a bare one also holds its value.
    precision = len(shared) / len(set(key)) if clause.key is not None else 1.0
    return 2 * recall * precision / (recall + precision)


def _strip_key(clause: Clause, label: list[str]) -> str:
    """A bare clause's value: its words once the field's own words are taken off the front."""
    if clause.key is not None:
        return clause.value
    tokens = clause.text.split()
    while tokens and (
        lexicon.stem(re.sub(r"\W", "", tokens[0].lower())) in label or tokens[0].lower() in _LEADING
    ):
        tokens.pop(0)
    return " ".join(tokens).strip(" :")


def read_value(target: Target, value: str) -> str | None:
    """The value in the field's terms; None when it cannot be one (an option that does not exist)."""
    lowered = value.strip().lower()
    if target.kind == "checkbox":
        # Naming a checkbox ticks it, unless the clause says no ("hazardous cargo: no", "not a smoker").
        return "Off" if set(lexicon.words(lowered)) & NO else "Yes"
    if target.kind in ("radio", "dropdown") and target.options:
        by_lower = {o.lower(): o for o in target.options}
        if lowered in by_lower:
            return by_lower[lowered]
        for option in target.options:
            if option.lower() in YES and lowered.split()[:1] and lowered.split()[0] in YES:
                return option
            if option.lower() in NO and lowered.split()[:1] and lowered.split()[0] in NO:
                return option
        close = difflib.get_close_matches(lowered, list(by_lower), n=1, cutoff=0.6)
        if close:
            return by_lower[close[0]]
        stems = set(lexicon.stems(value))
        hits = [o for o in target.options if stems & set(lexicon.stems(o))]
        return hits[0] if len(hits) == 1 else None
    return value.strip() or None


def _option_named(target: Target, clause: Clause) -> str | None:
    """The one option of a choice that a clause names as a word ("burns LNG" -> LNG)."""
    if target.kind not in ("radio", "dropdown") or not target.options:
        return None
    said = set(lexicon.words(clause.text))
    named = [o for o in target.options if set(lexicon.words(o)) and set(lexicon.words(o)) <= said]
    return named[0] if len(named) == 1 else None


def _value_of_phrase(text: str) -> str:
    """A paraphrase's value: its leading lower-case words off ("works at Acme Corp" -> "Acme Corp"),
    and a number's trailing words ("earns 52,000 a year" -> "52,000")."""
    tokens = text.split()
    while len(tokens) > 1 and tokens[0].isalpha() and tokens[0].islower():
        tokens.pop(0)
    if tokens and tokens[0][:1].isdigit():
        for cut, token in enumerate(tokens[1:], start=1):
            if token.isalpha() and token.islower():
                tokens = tokens[:cut]
                break
    return " ".join(tokens).strip(" .:")


def _by_meaning(
    parts: list[Clause], targets: list[Target], found: dict[str, Assignment], used: set[int], floor: float
) -> None:
    """Pair what the words left unpaired by meaning: "born on 1984-03-12" and "Date of birth"."""
    open_targets = [t for t in targets if t.key not in found]
    open_parts = [i for i in range(len(parts)) if i not in used]
    if not open_targets or not open_parts:
        return
    # The clause without its digits and addresses: its value should not sway what it is about.
    phrases = [re.sub(r"\S*\d\S*|\S+@\S+", " ", parts[i].key or parts[i].text) for i in open_parts]
    similar = embedding.similarities([f"{t.label} ({name_words(t.key)})" for t in open_targets], phrases)
    if similar is None:
        return
    pairs = sorted(
        ((float(similar[a, b]), a, b) for a in range(len(open_targets)) for b in range(len(open_parts))),
        reverse=True,
    )
    for score, a, b in pairs:
        target, index = open_targets[a], open_parts[b]
        if score < floor or target.key in found or index in used:
            continue
        clause = parts[index]
        raw = clause.value if clause.key is not None else _value_of_phrase(clause.text)
        value = _option_named(target, clause) or read_value(
            target, clause.text if target.kind == "checkbox" else raw
        )
        if value is None:
            continue
        found[target.key] = Assignment(value=value, clause=clause.text, score=round(score, 3))
        used.add(index)


def assign(
    instructions: str, targets: list[Target], threshold: float = 0.34, meaning_floor: float | None = 0.4
) -> dict[str, Assignment]:
    """Each field's value from the instructions, best pairs first; fields left out get nothing.

    Words decide first; what they leave is paired by sentence embeddings (where installed) when
    `meaning_floor` is set, at a cosine of at least that much.
    """
    parts = clauses(instructions)
    labels = {t.key: lexicon.stems(f"{t.label} {name_words(t.key)}") for t in targets}
    pairs = []
    for target in targets:
        label = labels[target.key]
        if not label:
            continue
        for index, clause in enumerate(parts):
            score = _score(label, clause)
            if score < threshold and _option_named(target, clause):
                score = threshold  # the clause names one of the field's options
            if score >= threshold:
                pairs.append((score, len(label), target, index))
    pairs.sort(key=lambda p: (-p[0], -p[1]))
    found: dict[str, Assignment] = {}
    used: set[int] = set()
    for score, _, target, index in pairs:
        if target.key in found or index in used:
            continue
        clause = parts[index]
        value = read_value(target, _strip_key(clause, labels[target.key]))
        if value is None:
            value = _option_named(target, clause)
        if value is None:
            continue
        found[target.key] = Assignment(value=value, clause=clause.text, score=round(score, 3))
        used.add(index)
    if meaning_floor is not None:
        _by_meaning(parts, targets, found, used, meaning_floor)
    return found
