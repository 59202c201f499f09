"""Words the recogniser was unsure of, spelled as the word its own second choices make.

A fax or a faint copy leaves letters the recogniser cannot tell apart: "e" read as "c"
("addrcssed", "thc"), "o" as "c" ("ccrporation"), "a" as "n" ("confidentinl"). Its output still
holds what it weighed: at each character's column, the probability of every other character.
Where a word is not in the lexicon and its second choices at one or two columns, each close
enough to the first, spell a word that is, that word was on the paper far more often than the
misspelling was. Nothing is invented: every letter read is one the recogniser itself saw as
likely at that place.

The lexicon is English (pyspellchecker's word list, MIT, 160,000 words that occur at least 50
times in its corpus). A line most of whose words it does not know, even as respelled, is another
language's, and is left as read (`foreign`).
"""

from __future__ import annotations

import functools
import itertools

# A second choice counts when its probability is at least this share of the first's, or of
# LOOKALIKE_RIVAL for the letters that a fax or a faint copy turns into each other: FUNSD's
# "infornation", "enzynes" and "suppller" hold their true letter below 0.1 of the misread one's
# (eight words right and none wrong there at 0.05, December 2026).
RIVAL = 0.1
LOOKALIKE_RIVAL = 0.05
LOOKALIKES = {"c": "eo", "e": "co", "o": "ce", "m": "n", "n": "m", "i": "l", "l": "i"}
# Words shorter than this are left alone: too many short strings are words ("thc" would find
# "the", but "tbe" finds both "the" and "tee").
SHORTEST = 4
# At most this many letters of a word are changed.
MOST_CHANGED = 2


@functools.lru_cache(maxsize=1)
def words() -> frozenset[str]:
    """The lexicon, lower-case; empty where pyspellchecker is not installed."""
    try:
        from spellchecker import SpellChecker
    except ImportError:
        return frozenset()
    return frozenset(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def foreign(line_words: list[str]) -> bool:
    """Whether a line reads as another language than the lexicon's: of its words of at least
    SHORTEST letters, at least two, and most, are unknown to it."""
    known = words()
    long = [w.lower() for w in line_words if len(w) >= SHORTEST and w.isalpha()]
    unknown = sum(w not in known for w in long)
    return unknown >= 2 and unknown > len(long) / 2


def respell(word: str, rivals: list[dict[str, float]]) -> str | None:
    """The known word that `word` becomes when at most MOST_CHANGED of its letters are replaced by
    their rivals (`rivals[i]`: letter -> its probability over the read letter's, for position i);
    the likeliest such word, or None where the word is known already or none is."""
    known = words()
    if len(word) < SHORTEST or not known or word.lower() in known:
        return None
    places = [(i, letter, share) for i, found in enumerate(rivals) for letter, share in found.items()]
    best: tuple[float, str] | None = None
    for changed in range(1, MOST_CHANGED + 1):
        for choice in itertools.combinations(places, changed):
            if len({i for i, _, _ in choice}) < changed:
                continue  # two rivals for the same letter
            letters = list(word)
            likelihood = 1.0
            for i, letter, share in choice:
                letters[i] = letter.upper() if word[i].isupper() else letter.lower()
                likelihood *= share
            candidate = "".join(letters)
            if candidate.lower() in known and (best is None or likelihood > best[0]):
                best = (likelihood, candidate)
    return None if best is None else best[1]
