"""Checkboxes and radio buttons, drawn or scanned, as marks the layout reads like words.

A found box becomes a word "☑" or "☐" at its place on the page, so it lands in the line of its
label ("☑ Married ☐ Single") through the ordinary layout; blocks holding such marks become
Key Value blocks and list each box with its label and state in `extra["checkboxes"]`.
"""

from __future__ import annotations

import cv2
import numpy as np

from docuforge.document.geometry import Box
from docuforge.document.model import Block, BlockType, Page
from docuforge.document.raw import RawPage, RawWord
from docuforge.parsing.lines import ideographic

CHECKED, UNCHECKED = "\u2611", "\u2610"
_GLYPHS = {
    "\u2610": False, "\u2611": True, "\u2612": True, "\u25a1": False, "\u25a0": True,
    "\u25cb": False, "\u25cf": True, "\u25ef": False, "\u25c9": True, "\u29bf": True,
}  # fmt: skip
_TICKS = frozenset("xX\u2713\u2714\u2715\u2716\u2717\u2718")
MIN_SIDE, MAX_SIDE = 6.0, 20.0  # points: a checkbox is about the height of a capital letter or two
FILLED = 0.12  # share of ink inside a box that means it is ticked


def marks_from_pdf(raw: RawPage) -> None:
    """Square (or round: radio buttons) outlines a PDF draws become marks; a tick or cross drawn as
    text inside, or a shape drawn inside (a filled dot, a check-mark path), ticks them.

    Checkbox characters (☐ ☑ ☒ ○ ●) need nothing: they are words already, read by `_read`.
    """
    squares = [r for r in raw.rects if _square(r)]
    if not squares:
        return
    shapes = raw.rects + raw.hrules + raw.vrules
    found = []
    for box in squares:
        within = [o for o in shapes if o is not box and _contains(box, o)]
        if any(o is not box and o not in within and _touch(box, o) for o in shapes):
            continue  # a square that touches other shapes is a cell of a grid (a calendar), not a box
        if any(_contains(o, box) and o is not box and _square(o) for o in shapes):
            continue  # the inner part of a box already counted (a radio button's dot)
        found.append((box, bool(within)))
    for box, marked in found:
        inside = [w for w in raw.words if _inside(w.box, box) and len(w.text) == 1]
        checked = marked or any(w.text in _TICKS for w in inside)
        raw.words = [w for w in raw.words if w not in inside]
        _insert(raw.words, _mark(box, checked))


def marks_from_image(image: np.ndarray, points: float, raw: RawPage) -> None:
    """Small hollow squares and circles in a scan become marks; OCR's reading of them is dropped.
    So do the boxes OCR read as the ideographs drawn like them, where no outline was found."""
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    found: list[tuple[Box, bool]] = []
    for index, contour in enumerate(contours if hierarchy is not None else ()):
        if hierarchy[0][index][3] != -1:
            continue  # a hole: the outline it belongs to is looked at instead
        x, y, w, h = cv2.boundingRect(contour)
        box = (x * points, y * points, (x + w) * points, (y + h) * points)
        if not _square(box) or hierarchy[0][index][2] == -1:
            continue  # not box-sized, or solid: a bullet or a blot, not an outline
        holes = [contours[k] for k in _children(hierarchy, index)]
        hole = max(holes, key=cv2.contourArea)
        if not (
            _box_outline(contour, hole, w * h) or (_ring_outline(contour, hole, w * h) and _unread(box, raw))
        ) or _in_chinese_text(box, raw):
            continue
        margin = max(2, int(0.2 * min(w, h)))
        interior = ink[y + margin : y + h - margin, x + margin : x + w - margin]
        if interior.size == 0:
            continue
        found.append((box, float(interior.mean()) / 255.0 >= FILLED))
    for box, checked in found:
        raw.words = [w for w in raw.words if not _inside(w.box, box)]
        _insert(raw.words, _mark(box, checked))
    _boxes_read_as_ideographs(raw)


# How the recogniser, which reads Chinese too, reads a checkbox whose outline a fax or a copier
# broke (so that no contour finds it): as the ideograph drawn like it, 口 for an empty box and 区
# for a crossed one ("EMBOSSED区", "区SHIP IMMEDIATELY" on a faxed order form).
_READ_AS_BOX = {"\u53e3": False, "\u56d7": False, "\u533a": True}


def _boxes_read_as_ideographs(raw: RawPage) -> None:
    """A box ideograph standing alone in a line of Latin letters or digits becomes a mark."""
    for index, word in enumerate(raw.words):
        if word.text not in _READ_AS_BOX or word.run < 0:
            continue
        line = _line_of(word, raw)
        if sum(map(ideographic, line)) == 1 and any(c.isascii() and c.isalnum() for c in line):
            raw.words[index] = _mark(word.box, _READ_AS_BOX[word.text])


def _box_outline(contour: np.ndarray, hole: np.ndarray, area: float) -> bool:
    """A thin square outline around a square hole: both fill their bounding rectangles, and the
    hole fills most of the outline. Letters with a counter (o, D, 0, a) fail one of these."""
    corners = cv2.approxPolyDP(contour, 0.06 * cv2.arcLength(contour, True), True)
    if len(corners) != 4 or cv2.contourArea(contour) < 0.9 * area:
        return False
    _, _, hw, hh = cv2.boundingRect(hole)
    return cv2.contourArea(hole) >= 0.55 * area and cv2.contourArea(hole) >= 0.9 * hw * hh


def _ring_outline(contour: np.ndarray, hole: np.ndarray, area: float) -> bool:
    """A thin circle around a round hole (a radio button), both filling about pi/4 of their
    bounding squares. A capital O has this shape too: `_unread` tells the two apart."""
    _, _, hw, hh = cv2.boundingRect(hole)
    if not hw or not hh or not 0.8 <= hw / hh <= 1.25:
        return False
    round_outer = 0.7 <= cv2.contourArea(contour) / area <= 0.86
    round_hole = 0.7 <= cv2.contourArea(hole) / (hw * hh) <= 0.86
    return round_outer and round_hole and cv2.contourArea(hole) >= 0.4 * area


def _unread(box: Box, raw: RawPage) -> bool:
    """Whether OCR read no letter or digit where a ring is: a ring inside a word, or standing as
    the word "O", is a letter; the detector passes over a radio button's empty circle."""
    return not any(any(c.isalnum() for c in word.text) for word in _on(box, raw, 0.2))


def _in_chinese_text(box: Box, raw: RawPage) -> bool:
    """Whether a square lies on a character OCR read in a line of Chinese: 园, 国 and 回 are
    drawn as a box around strokes, like a ticked checkbox. (A box beside a label in a form, read
    as 口 or 区 by itself, is still a box.)"""
    for word in _on(box, raw, 0.5):
        if any(ideographic(c) for c in word.text):
            return sum(map(ideographic, _line_of(word, raw))) >= 3
    return False


def _line_of(word: RawWord, raw: RawPage) -> str:
    """The characters of the OCR line a word was read in (none for a word off any line)."""
    if word.run < 0:
        return ""
    return "".join(w.text for w in raw.words if w.run == word.run)


def _on(box: Box, raw: RawPage, share: float) -> list[RawWord]:
    """The words OCR read over `share` of the box's width and height."""
    return [
        word
        for word in raw.words
        if min(box[2], word.x1) - max(box[0], word.x0) > share * (box[2] - box[0])
        and min(box[3], word.y1) - max(box[1], word.y0) > share * (box[3] - box[1])
    ]


def _children(hierarchy: np.ndarray, index: int) -> list[int]:
    found = []
    child = hierarchy[0][index][2]
    while child != -1:
        found.append(child)
        child = hierarchy[0][child][0]
    return found


def label_checkboxes(page: Page) -> None:
    """Blocks that hold marks become Key Value blocks, each mark listed with the text after it."""
    for block in page.blocks:
        if block.type in (BlockType.TABLE, BlockType.FIGURE):
            continue  # a table's cells keep their marks as text
        if _closes_proof(block, page):
            block.type = BlockType.TEXT
            continue
        boxes = _read(block)
        if boxes:
            block.type = BlockType.KEY_VALUE  # a line of boxes is never a heading, whatever its size
            block.level = None
            block.extra["checkboxes"] = boxes


# A box closing a paragraph after the full stop of its last sentence is the end-of-proof sign
# of mathematics (the tombstone, set at the end of the line), not a box to tick: forms put their
# boxes beside short labels ("Married ☐", "☐ I agree").
_PROOF_ENDS = "."
_PROOF_WORDS = 6


def _closes_proof(block: Block, page: Page) -> bool:
    """Whether a block of one empty box is the tombstone at the right end of a paragraph's last
    line, set apart from it by the width of the measure."""
    if block.content.strip() not in _GLYPHS or _GLYPHS[block.content.strip()]:
        return False
    mark = block.bbox
    middle = mark.top + mark.height / 2
    for other in page.blocks:
        if other is block or other.type not in (BlockType.TEXT, BlockType.LIST_ITEM) or not other.lines:
            continue
        last = other.lines[-1].bbox
        words = other.content.split()
        if (
            last.top <= middle <= last.top + last.height
            and last.left + last.width <= mark.left
            and len(words) > _PROOF_WORDS
            and words[-1].endswith(_PROOF_ENDS)
        ):
            return True
    return False


def _read(block: Block) -> list[dict[str, object]]:
    words = block.content.split()
    found: list[dict[str, object]] = []
    if (
        len(words) > _PROOF_WORDS
        and words[-1] in _GLYPHS
        and not _GLYPHS[words[-1]]
        and words[-2].endswith(_PROOF_ENDS)
    ):
        words = words[:-1]
    for k, word in enumerate(words):
        if word in _GLYPHS:
            label: list[str] = []
            for following in words[k + 1 :]:
                if following in _GLYPHS:
                    break
                label.append(following)
            found.append({"label": " ".join(label), "checked": _GLYPHS[word]})
    return found


def _insert(words: list[RawWord], mark: RawWord) -> None:
    """Put the mark before the first word to its right on its line: the layout reads words in order."""
    middle = (mark.y0 + mark.y1) / 2
    for index, word in enumerate(words):
        if word.y0 <= middle <= word.y1 and word.x0 >= mark.x1 - 1:
            words.insert(index, mark)
            return
    words.append(mark)


def _mark(box: Box, checked: bool) -> RawWord:
    x0, y0, x1, y1 = box
    return RawWord(CHECKED if checked else UNCHECKED, x0, y0, x1, y1, y1 - y0, False)


def _square(box: Box) -> bool:
    w, h = box[2] - box[0], box[3] - box[1]
    return MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE and 0.8 <= w / h <= 1.25


def _touch(a: Box, b: Box, slack: float = 1.0) -> bool:
    return a[0] - slack <= b[2] and b[0] - slack <= a[2] and a[1] - slack <= b[3] and b[1] - slack <= a[3]


def _contains(outer: Box, inner: Box) -> bool:
    """`inner` lies within `outer` and is clearly smaller: a dot or tick drawn in a box."""
    return (
        outer[0] <= inner[0] and inner[2] <= outer[2] and outer[1] <= inner[1] and inner[3] <= outer[3]
    ) and (inner[2] - inner[0]) < 0.8 * (outer[2] - outer[0])


def _inside(inner: Box, outer: Box) -> bool:
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= cx <= outer[2] and outer[1] <= cy <= outer[3]
