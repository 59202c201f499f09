"""The recogniser's output read as text: greedy CTC decoding, with the recogniser's own second
choices taken where its first is out of place, and words split where it left out a space.

A recogniser's output is, for each column of the line's image, the probability of every
character (0 is the CTC blank). The likeliest character of each column, its repeats and blanks
dropped, is the text; but a fax or a faint copy leaves letters the model cannot tell apart, and
its output still holds what it weighed (`in_place`, `respell`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from docuforge.parsing.ocr import lexicon
from docuforge.parsing.ocr.rapid.adapter import LineWords

# A step between two characters this many times the line's usual one, and this many columns
# more, may be a space the recogniser left out; words.confirm_splits asks the image.
SPLIT_RATIO, SPLIT_EXTRA = 1.6, 1.5
# A line of too few letters to know their usual step ("1x" for "1 x" on a receipt): a step of
# this many columns (a sixth of the line's height each) may be a space (words.SHORT_GAP).
SHORT_STEP = 4

# A character the recogniser put where its word says it cannot be: a lone digit among letters
# ("TELEPH0NE", "FACS1MILE", "n0"), or an underscore joining two words (a form's fill-in line
# under "smokers mention"). Where the recogniser's own second choice at that column, a letter
# (a space for the underscore), has at least RIVAL of the first's probability, it is taken.
RIVAL = 0.2


class Decoder:
    """Greedy CTC decoding over a recogniser's characters, choosing the runner-up for characters
    out of place in their word (`in_place`), spelling unknown words as the runners-up make known
    ones (`respell`), and splitting words where the model left out a space (`word_info`)."""

    def __init__(self, characters: list[str]) -> None:
        self.characters = characters
        self.index = {char: i for i, char in enumerate(characters)}
        letters = np.array([i for i, c in enumerate(characters) if c in LATIN_LETTERS])
        chars = np.array([characters[i] for i in letters])
        self._rivals = {
            "letter": letters,
            "letter_chars": chars,
            "space": np.array([self.index[" "]] if " " in self.index else [], dtype=int),
            # For each letter a-z read, the share of its probability each letter needs to be
            # its rival (lexicon.LOOKALIKES).
            "needed": np.array(
                [
                    [
                        lexicon.LOOKALIKE_RIVAL
                        if rival.lower() in lexicon.LOOKALIKES.get(read, "")
                        else lexicon.RIVAL
                        for rival in chars
                    ]
                    for read in "abcdefghijklmnopqrstuvwxyz"
                ]
            ),
        }

    def __call__(
        self,
        preds: np.ndarray,
        word_boxes: bool = False,
        ratios: Sequence[float] = (1.0,),
        max_ratio: float = 1.0,
    ) -> tuple[list[tuple[str, float]], list[LineWords]]:
        """Each line's text and confidence (the mean of its characters'), and, with `word_boxes`,
        its words. `preds`: lines x columns x characters; `ratios`: each line's width in heights,
        `max_ratio` the width it was padded to."""
        best = preds.argmax(axis=2)
        for line in range(len(best)):
            in_place(preds[line], best[line], self.characters, self._rivals)
            respell(preds[line], best[line], self.characters, self.index, self._rivals)
        sure = np.take_along_axis(preds, best[..., None], axis=2)[..., 0]
        lines: list[tuple[str, float]] = []
        found: list[LineWords] = []
        for k, columns in enumerate(best):
            read = np.ones(len(columns), dtype=bool)
            read[1:] = columns[1:] != columns[:-1]  # a character's run of columns reads once
            read &= columns != 0  # the CTC blank
            confidences = [round(p, 5) for p in np.array(sure[k][read]).tolist()] or [0]
            text = "".join(self.characters[i] for i in columns[read])
            lines.append((text, np.mean(confidences).round(5).tolist()))
            if word_boxes:
                words = word_info(text, read)
                words.line_txt_len = len(columns) * ratios[k] / max_ratio
                words.confs = confidences
                found.append(words)
        return lines, found


def _square(char: str) -> bool:
    """Whether a character is set in its own square: a Chinese character, CJK punctuation or a
    full-width form."""
    return "\u4e00" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef"


def in_place(
    probs: np.ndarray, best: np.ndarray, characters: list[str], rivals: dict[str, np.ndarray]
) -> None:
    """Change, in place, the columns of `best` whose character is out of place in its word."""
    start = np.ones(len(best), dtype=bool)
    start[1:] = best[1:] != best[:-1]
    read = np.flatnonzero(start & (best != 0))  # 0 is the CTC blank
    chars = [characters[i] for i in best[read]]
    accented = [k for k, char in enumerate(chars) if char in ACCENTED]
    if len(accented) == 1:
        # The one accented letter of a line of plain Latin letters: perhaps a speck over an "e".
        k = accented[0]
        plain = rivals["letter"][rivals["letter_chars"] == ACCENTED[chars[k]]]
        _prefer(probs, best, read[k], plain)
    for k, char in enumerate(chars):
        if not (char.isdigit() or char == "_"):
            continue
        before = chars[k - 1] if k else " "
        after = chars[k + 1] if k + 1 < len(chars) else " "
        wanted = None
        if char == "_":
            if before in LATIN_LETTERS and after in LATIN_LETTERS:
                wanted = rivals["space"]
        elif before in LATIN_LETTERS and after in LATIN_LETTERS:
            wanted = rivals["letter"]
        elif (before in LATIN_LETTERS or after in LATIN_LETTERS) and not (
            before.isdigit() or after.isdigit()
        ):
            # At a word's end, only in a word of letters ("MISSOUR1"): not "A4", "3M" or "1st".
            word = _word_around(chars, k)
            if sum(char in LATIN_LETTERS for char in word) >= 3 and sum(map(str.isdigit, word)) == 1:
                wanted = rivals["letter"]
        if wanted is not None and len(wanted):
            _prefer(probs, best, read[k], wanted)


def respell(
    probs: np.ndarray,
    best: np.ndarray,
    characters: list[str],
    index: dict[str, int],
    rivals: dict[str, np.ndarray],
) -> None:
    """Spell, in place, each word of the line that the lexicon does not know as the known word
    the recogniser's second choices make of it (`lexicon.respell`)."""
    start = np.ones(len(best), dtype=bool)
    start[1:] = best[1:] != best[:-1]
    read = np.flatnonzero(start & (best != 0))
    text = "".join(characters[i] for i in best[read])
    tokens = [(m.start(), m.group()) for m in LATIN_WORD.finditer(text)]
    if not tokens:
        return
    letters, letter_chars = rivals["letter"], rivals["letter_chars"]
    spellings: list[tuple[int, str, str]] = []
    for first, token in tokens:
        if len(token) < lexicon.SHORTEST or not token.isascii() or token.lower() in lexicon.words():
            continue  # an accent is the accent rule's to doubt (in_place), with the whole line
        if not (_word_ends(text[first + len(token) :]) and _word_ends(text[:first][::-1])):
            continue  # part of a code, a number or a contraction ("B26478", "x2y", "don't")
        found: list[dict[str, float]] = []
        for k in range(first, first + len(token)):
            column = read[k]
            top = probs[column, best[column]]
            shares = probs[column, letters] / top
            close = shares >= rivals["needed"][ord(text[k].lower()) - ord("a")]
            near: dict[str, float] = {}
            for char, share in zip(letter_chars[close], shares[close], strict=True):
                if char.lower() != text[k].lower():
                    near[char.lower()] = max(near.get(char.lower(), 0.0), float(share))
            found.append(near)
        spelled = lexicon.respell(token, found)
        if spelled is not None:
            spellings.append((first, token, spelled))
    # A line is another language's when most of its words are unknown even as respelled: a fax
    # line of misread English ("somcone", "notificd", "Scrvice") is still English.
    respelled = {first: spelled for first, _, spelled in spellings}
    if lexicon.foreign([respelled.get(first, token) for first, token in tokens]):
        return
    for first, token, spelled in spellings:
        changes = [
            (read[first + k], _run_end(best, read[first + k]), index.get(now, -1))
            for k, (was, now) in enumerate(zip(token, spelled, strict=True))
            if was != now
        ]
        # A letter changed into its neighbour, with no blank column between them, would be
        # read as one letter with it.
        if any(
            new < 0 or (begin and best[begin - 1] == new) or (end < len(best) and best[end] == new)
            for begin, end, new in changes
        ):
            continue
        for begin, end, new in changes:
            best[begin:end] = new


LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+")


def _run_end(best: np.ndarray, column: int) -> int:
    """The column after the run of the character read at `column`."""
    end = column
    while end < len(best) and best[end] == best[column]:
        end += 1
    return end


def _word_ends(rest: str) -> bool:
    """Whether a word of letters followed by `rest` ends there: at a space, the line's end, or
    punctuation that is not followed by a letter or digit (read backwards for the word's start)."""
    return not rest or rest[0].isspace() or (not rest[0].isalnum() and not rest[1:2].isalnum())


def _prefer(probs: np.ndarray, best: np.ndarray, column: int, wanted: np.ndarray) -> None:
    """Read the character at `column` as the likeliest of `wanted`, if it is a close enough rival."""
    top = probs[column, best[column]]
    rival = int(wanted[probs[column, wanted].argmax()])
    if probs[column, rival] >= RIVAL * top:
        end, was = column, best[column]
        while end < len(best) and best[end] == was:  # the character's run of columns
            best[end] = rival
            end += 1


def _word_around(chars: list[str], k: int) -> list[str]:
    first, last = k, k
    while first > 0 and not chars[first - 1].isspace():
        first -= 1
    while last + 1 < len(chars) and not chars[last + 1].isspace():
        last += 1
    return chars[first : last + 1]


LATIN_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# Accented Latin letters and the plain letter under each accent.
ACCENTED = {
    c: unicodedata.normalize("NFD", c)[0]
    for c in map(chr, range(0xC0, 0x250))
    if c.isalpha()
    and unicodedata.normalize("NFD", c)[0] in LATIN_LETTERS
    and len(unicodedata.normalize("NFD", c)) > 1
}


def word_info(text: str, selection: np.ndarray) -> LineWords:
    """Words of a recognised line, split also where the model left out a space.

    The recogniser often reads two words set close together as one ("SUBANGJAYA", "recipientof"),
    yet the positions at which it read each character still show the gap: the step from one
    character to the next is about twice the line's usual step. RapidOCR splits only at steps
    over 5 columns, which a line of small type never reaches.
    """
    columns = np.flatnonzero(selection)
    if len(columns) != len(text) or not len(columns):
        return LineWords()
    steps = [
        int(columns[i] - columns[i - 1])
        for i in range(1, len(text))
        if not text[i].isspace() and not text[i - 1].isspace()
    ]
    usual = float(np.median(steps)) if len(steps) >= 4 else None
    words: list[list[str]] = []
    cols: list[list[int]] = []
    kinds: list[bool | None] = []
    for i, char in enumerate(text):
        if char.isspace():
            if words and words[-1]:
                words.append([])
                cols.append([])
                kinds.append(None)
            continue
        kind = _square(char)
        step = int(columns[i] - columns[i - 1]) if i else 0
        gap = (
            i
            and not text[i - 1].isspace()
            and (
                step > 5
                or (usual is None and step >= SHORT_STEP)
                or (usual is not None and step >= max(SPLIT_RATIO * usual, usual + SPLIT_EXTRA))
            )
        )
        if not words or (words[-1] and (kinds[-1] != kind or gap)):
            words.append([])
            cols.append([])
            kinds.append(kind)
        if kinds[-1] is None:
            kinds[-1] = kind
        words[-1].append(char)
        cols[-1].append(int(columns[i]))
    keep = [i for i, w in enumerate(words) if w]
    return LineWords(
        words=[words[i] for i in keep],
        word_cols=[cols[i] for i in keep],
        square=[bool(kinds[i]) for i in keep],
    )
