"""Partitions inside a section: one per value of its `partition_key` found on the pages (one per
account number, per claim number...)."""

from __future__ import annotations

import re

from docuforge.classification import lexicon
from docuforge.document.model import BlockType, Page

_DASHES = "\u2013\u2014"  # en and em dashes
_SEPARATORS = re.compile(rf"^[\s:#=.\-{_DASHES}]*(?:no\.?|number|nr\.?|#)?[\s:#=.\-{_DASHES}]*", re.I)
_VALUE = re.compile(r"[^\s,;|]+(?: [^\s,;|]+){0,3}")


def _after_key(line: str, key_words: list[str]) -> str | None:
    lowered = line.lower()
    end = 0
    for word in key_words:
        at = lowered.find(word, end)
        if at < 0:
            return None
        end = at + len(word)
    # The key's last word may go on ("number" in "numbers"): skip the rest of that word.
    while end < len(line) and line[end].isalnum():
        end += 1
    rest = _SEPARATORS.sub("", line[end:], count=1).strip()
    match = _VALUE.match(rest)
    if not match:
        return None
    value = match.group(0)
    # A value is short and holds a digit or is one word: "12-345", "ACME-7", not a sentence.
    tokens = value.split()
    while len(tokens) > 1 and not any(ch.isdigit() for ch in tokens[-1]):
        tokens.pop()
    value = " ".join(tokens).strip(".:")
    return value or None


def value_on(page: Page, key: str) -> str | None:
    """The value the page gives for the key ("Account number: 12-345" -> "12-345"), if any."""
    key_words = [w for w in lexicon.words(key) if w not in lexicon.STOP] or lexicon.words(key)
    stems = [lexicon.stem(w) for w in key_words]
    prefixes = [w[: max(3, len(s))] for w, s in zip(key_words, stems, strict=True)]
    for block in page.blocks:
        lines = block.content.splitlines() or [block.content]
        if block.table is not None:
            grid = block.table.grid()
            for r, row in enumerate(grid):
                for c, cell in enumerate(row):
                    if cell is None or not cell.text.strip():
                        continue
                    if set(stems) <= set(lexicon.stems(cell.text)):
                        right = row[c + 1] if c + 1 < len(row) else None
                        below = grid[r + 1][c] if r + 1 < len(grid) else None
                        for neighbour in (right, below):
                            if neighbour is not None and neighbour is not cell and neighbour.text.strip():
                                return neighbour.text.strip()
            continue
        if block.type in (BlockType.HEADER, BlockType.FOOTER, BlockType.PAGE_NUMBER, BlockType.TABLE):
            continue
        for line in lines:
            value = _after_key(line, prefixes)
            if value:
                return value
    return None


def normalise(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip().upper()
