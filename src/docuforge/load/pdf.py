"""The PDF backend (pypdfium2: Apache-2.0/BSD): words with boxes and fonts, rules, images.

One page at a time, so memory does not grow with the page count. Coordinates come out in
points, origin top-left, of the page as displayed (its /Rotate applied).

Speed matters here: calls into pdfium from Python cost more than the work they do, so they are
not made per character. Words are found in the page's text string (one call); only each word's
first and last character are asked for boxes and font.
"""

from __future__ import annotations

import ctypes
import math
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from docuforge.document.geometry import Box
from docuforge.document.model import DocumentProperties
from docuforge.document.raw import RawPage, RawWord
from docuforge.errors import DocumentError, ErrorCode

_SPACES = frozenset(" \t\r\n\u00a0\u2002\u2003\u2009\u200b\x00")
_SOFT_HYPHENS = frozenset("\ufffe\x02\u00ad")
_RULE = 2.5  # points: a drawn shape thinner than this is a line
_MAX_OBJECTS = 20_000  # a page with more drawing objects than this is a picture, not a layout
_METADATA = {
    "Title": "title",
    "Author": "author",
    "Subject": "subject",
    "Keywords": "keywords",
    "Creator": "creator",
    "Producer": "producer",
    "CreationDate": "created_at",
    "ModDate": "modified_at",
}


Transform = Callable[[float, float], tuple[float, float]]


def _forward(rotation: int, left: float, bottom: float, right: float, top: float) -> Transform:
    """Page space (PDF user space, y up) to a top-left frame of the page turned by `rotation`."""
    if rotation == 90:
        return lambda x, y: (y - bottom, x - left)
    if rotation == 180:
        return lambda x, y: (right - x, y - bottom)
    if rotation == 270:
        return lambda x, y: (top - y, right - x)
    return lambda x, y: (x - left, top - y)


def _inverse(rotation: int, left: float, bottom: float, right: float, top: float) -> Transform:
    if rotation == 90:
        return lambda fx, fy: (fy + left, fx + bottom)
    if rotation == 180:
        return lambda fx, fy: (right - fx, fy + bottom)
    if rotation == 270:
        return lambda fx, fy: (right - fy, top - fx)
    return lambda fx, fy: (fx + left, top - fy)


def _map_box(transform: Transform, box: Box) -> Box:
    x0, y0 = transform(box[0], box[1])
    x1, y1 = transform(box[2], box[3])
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _box(to_frame: Transform, left: float, bottom: float, right: float, top: float) -> Box:
    x0, y0 = to_frame(left, top)
    x1, y1 = to_frame(right, bottom)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _dominant_angle(textpage: object, text: str, count: int) -> int:
    """The direction most text runs in, in page space, to the nearest quarter turn."""
    votes = {0: 0, 90: 0, 180: 0, 270: 0}
    step = max(1, count // 200)
    for i in range(0, count, step):
        if text[i] in _SPACES:
            continue
        angle = raw.FPDFText_GetCharAngle(textpage, i)
        if angle < 0:
            continue
        # pdfium measures the angle clockwise (text running up the page reads 270 degrees); the
        # frames here turn counter-clockwise, as PDF user space does.
        votes[(4 - round(math.degrees(angle) / 90) % 4) % 4 * 90] += 1
    return max(votes, key=lambda k: (votes[k], k == 0))


class PdfSource:
    """An open PDF. Use as a context manager; pages are read one at a time."""

    def __init__(self, source: str | Path | bytes, password: str | None = None) -> None:
        try:
            self.pdf = pdfium.PdfDocument(source, password=password)
        except pdfium.PdfiumError as error:
            code = getattr(error, "err_code", None)
            if code == raw.FPDF_ERR_PASSWORD:
                message = (
                    "the PDF is password-protected" if not password else "the document password is wrong"
                )
                raise DocumentError(
                    message + "; pass it in settings.document_password",
                    code=ErrorCode.DOCUMENT_PASSWORD_PROTECTED,
                    status_code=442,
                ) from None
            if code == raw.FPDF_ERR_SECURITY:
                raise DocumentError(
                    "the PDF uses an unsupported encryption scheme",
                    code=ErrorCode.DOCUMENT_PASSWORD_PROTECTED,
                    status_code=442,
                ) from None
            raise DocumentError(f"the PDF cannot be read: {error}", code=ErrorCode.DOCUMENT_CORRUPT) from None
        self.page_count = len(self.pdf)
        if self.page_count == 0:
            self.close()
            raise DocumentError("the PDF has no pages", code=ErrorCode.DOCUMENT_EMPTY)

    def __enter__(self) -> PdfSource:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.pdf.close()

    def properties(self) -> DocumentProperties:
        try:
            metadata = self.pdf.get_metadata_dict(skip_empty=True)
        except pdfium.PdfiumError:
            return DocumentProperties()
        return DocumentProperties(**{_METADATA[k]: str(v) for k, v in metadata.items() if k in _METADATA})

    def page(self, index: int, *, with_graphics: bool = True) -> RawPage:
        try:
            page = self.pdf[index]
        except pdfium.PdfiumError as error:
            raise DocumentError(
                f"page {index + 1} cannot be read: {error}", code=ErrorCode.DOCUMENT_CORRUPT
            ) from None
        try:
            rotation = page.get_rotation() % 360
            left, bottom, right, top = page.get_cropbox()
            w, h = right - left, top - bottom
            textpage = page.get_textpage()
            try:
                count = textpage.count_chars()
                text = textpage.get_text_range(0, count) if count > 0 else ""
                if len(text) != count:  # characters beyond the BMP break the one-to-one mapping; rare
                    text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
                frame = _dominant_angle(textpage.raw, text, count) if count else rotation
                if frame == 0 and count:
                    frame = rotation if rotation and not text.strip() else 0
                to_frame = _forward(frame, left, bottom, right, top)
                from_frame = _inverse(frame, left, bottom, right, top)
                to_display = _forward(rotation, left, bottom, right, top)
                swap = frame in (90, 270)
                display_swap = rotation in (90, 270)
                result = RawPage(
                    index=index,
                    width=h if swap else w,
                    height=w if swap else h,
                    rotation=rotation,
                    display_width=h if display_swap else w,
                    display_height=w if display_swap else h,
                    to_display=lambda box: _map_box(to_display, _map_box(from_frame, box)),
                )
                if count:
                    _read_words(textpage.raw, text, count, to_frame, result)
            finally:
                textpage.close()
            if with_graphics:
                _read_graphics(page, to_frame, result)
            return result
        finally:
            page.close()

    def render(self, index: int, scale: float) -> object:
        """The page as a PIL image (for crops and OCR)."""
        page = self.pdf[index]
        try:
            return page.render(scale=scale).to_pil()
        finally:
            page.close()


def _read_words(handle: object, text: str, count: int, to_frame: Transform, out: RawPage) -> None:
    rect = raw.FS_RECTF()
    box = ctypes.byref(rect)
    fonts: dict[bytes, bool] = {}
    unmapped = 0
    i = 0
    while i < count:
        if text[i] in _SPACES:
            i += 1
            continue
        start = i
        while i < count and text[i] not in _SPACES and text[i] not in _SOFT_HYPHENS:
            i += 1
        hyphenated = i < count and text[i] in _SOFT_HYPHENS
        end = i - 1
        if hyphenated:
            # A soft hyphen ends the word's first half; its other half starts the next line.
            while i < count and text[i] in _SOFT_HYPHENS:
                i += 1
        if end < start:
            continue
        pieces = _pieces(handle, start, end, to_frame, rect, box)
        for k, (first, last, word_box) in enumerate(pieces):
            last_piece = k == len(pieces) - 1
            unmapped += _emit(handle, text, first, last, word_box, hyphenated and last_piece, out, fonts)
    out.garbled = unmapped / count
    if any(all(char in _ACCENTS for char in w.text) for w in out.words):
        out.words = _place_loose_accents(handle, out.words, to_frame)


def _word_box(
    handle: object, start: int, end: int, to_frame: Transform, rect: object, box: object
) -> tuple[float, float, float, float]:
    """The frame box of characters start..end (loose boxes: they span the font's ascent and descent)."""
    raw.FPDFText_GetLooseCharBox(handle, start, box)
    left, top, right, bottom = rect.left, rect.top, rect.right, rect.bottom
    if end != start:
        raw.FPDFText_GetLooseCharBox(handle, end, box)
        left, right = min(left, rect.left, rect.right), max(right, rect.right, rect.left)
        top, bottom = max(top, rect.top, rect.bottom), min(bottom, rect.bottom, rect.top)
    fx0, fy0 = to_frame(left, top)
    fx1, fy1 = to_frame(right, bottom)
    return min(fx0, fx1), min(fy0, fy1), max(fx0, fx1), max(fy0, fy1)


def _pieces(
    handle: object, start: int, end: int, to_frame: Transform, rect: object, box: object
) -> list[tuple[int, int, Box]]:
    """A "word" pdfium reports without a space inside can still be two values set apart on the line
    (table cells written as one text run): split it where its characters leave a wide gap. Only
    words wider than any glyphs could make them are looked at, so this costs next to nothing.
    Each piece comes with its frame box."""
    whole = _word_box(handle, start, end, to_frame, rect, box)
    size = whole[3] - whole[1]
    if end == start or whole[2] - whole[0] <= 1.1 * size * (end - start + 1) + 2:
        return [(start, end, whole)]
    pieces: list[tuple[int, int, Box]] = []
    for index in range(start, end + 1):
        char = _word_box(handle, index, index, to_frame, rect, box)
        if pieces and char[0] - pieces[-1][2][2] <= 0.5 * size:
            first, _, (x0, y0, x1, y1) = pieces[-1]
            pieces[-1] = (first, index, (x0, min(y0, char[1]), max(x1, char[2]), max(y1, char[3])))
        else:
            pieces.append((index, index, char))
    return pieces


def _emit(
    handle: object,
    text: str,
    start: int,
    end: int,
    word_box: Box,
    hyphenated: bool,
    out: RawPage,
    fonts: dict[bytes, bool],
) -> int:
    """Append the word of characters start..end; answer how many of them had no Unicode mapping."""
    unmapped = 0
    word = text[start : end + 1]
    if any("\ud800" <= char <= "\udfff" for char in word):
        # pdfium hands a character beyond the BMP (math letters, emoji) over as two UTF-16 halves.
        word = _join_surrogates(word)
    if any(char in _ACCENTS for char in word):
        word = _compose_accents(handle, start, word)
    x0, y0, x1, y1 = word_box
    weight = raw.FPDFText_GetFontWeight(handle, start)
    bold = weight >= 600 or _bold_by_name(handle, start, fonts)
    if "\ufffd" in word:
        unmapped += word.count("\ufffd")
        word = word.replace("\ufffd", "")
        if not word:
            return unmapped
    if "''" in word or "``" in word or "\u2018\u2018" in word or "\u2019\u2019" in word:
        word = _double_quotes(word)
    # The loose box spans the font's ascent and descent: its height is a steady proxy for size.
    out.words.append(RawWord(word, x0, y0, x1, y1, y1 - y0, bold, hyphenated, start, end - start + 1))
    return unmapped


def _place_loose_accents(handle: object, words: list[RawWord], to_frame: Transform) -> list[RawWord]:
    """Accents that came out as words of their own go back on the letter under them."""
    accents = [w for w in words if all(char in _ACCENTS for char in w.text)]
    rest = [w for w in words if w not in accents]
    for accent in accents:
        centre = (accent.x0 + accent.x1) / 2
        below = [
            w for w in rest if w.x0 <= centre <= w.x1 and w.y0 - accent.y1 < w.y1 - w.y0 and accent.y0 < w.y1
        ]
        if not below:
            continue
        word = min(below, key=lambda w: abs(w.y0 - accent.y0))
        # The letters of the word as drawn; accents already folded in have no letter of their own.
        letters = [
            word.start + k for k in range(word.length) if _char(handle, word.start + k) not in _ACCENTS
        ]
        if len(letters) != len(word.text):
            continue
        centres = []
        for index in letters:
            left, _, right, _ = raw_box(handle, index)
            fx0, _ = to_frame(left, 0)
            fx1, _ = to_frame(right, 0)
            centres.append((fx0 + fx1) / 2)
        target = min(range(len(word.text)), key=lambda k: abs(centres[k] - centre))
        mark = _ACCENTS[accent.text[0]]
        word.text = unicodedata.normalize("NFC", word.text[: target + 1] + mark) + word.text[target + 1 :]
    return rest


# Spacing accents that some producers (TeX) draw as glyphs of their own over a letter.
_ACCENTS = {
    "\u00b4": "\u0301",  # acute
    "\u02c7": "\u030c",  # caron
    "\u00a8": "\u0308",  # diaeresis
    "\u02dc": "\u0303",  # tilde
    "\u02c6": "\u0302",  # circumflex
    "\u0060": "\u0300",  # grave
    "\u00b8": "\u0327",  # cedilla
    "\u02d8": "\u0306",  # breve
    "\u02d9": "\u0307",  # dot above
    "\u02da": "\u030a",  # ring above
    "\u02dd": "\u030b",  # double acute
    "\u02db": "\u0328",  # ogonek
    "\u00af": "\u0304",  # macron
}


def _compose_accents(handle: object, start: int, word: str) -> str:
    """Put each spacing accent on the letter it is drawn over: "Mina\u00b4c\u02c7" is "Min\u00e1\u010d"."""
    boxes = [raw_box(handle, start + k) for k in range(len(word))]
    letters = list(word)
    for k, char in enumerate(word):
        mark = _ACCENTS.get(char)
        if not mark:
            continue
        centre = (boxes[k][0] + boxes[k][2]) / 2
        candidates = [j for j in (k - 1, k + 1) if 0 <= j < len(word) and word[j].isalpha()]
        if not candidates:
            continue
        target = min(candidates, key=lambda j: abs((boxes[j][0] + boxes[j][2]) / 2 - centre))
        letters[target] = unicodedata.normalize("NFC", letters[target] + mark)
        letters[k] = ""
    return "".join(letters)


def _double_quotes(word: str) -> str:
    """Two single quotes drawn side by side (TeX's ``quote'') are a double quote."""
    for pair, single in (
        ("``", "\u201c"),
        ("\u2018\u2018", "\u201c"),
        ("''", "\u201d"),
        ("\u2019\u2019", "\u201d"),
    ):
        word = word.replace(pair, single)
    return word


def _join_surrogates(word: str) -> str:
    """Pairs of UTF-16 halves as the one character they encode; a lone half is unmappable (U+FFFD)."""
    return word.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _char(handle: object, index: int) -> str:
    return chr(raw.FPDFText_GetUnicode(handle, index))


def raw_box(handle: object, index: int) -> tuple[float, float, float, float]:
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    raw.FPDFText_GetCharBox(
        handle, index, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top)
    )
    return left.value, bottom.value, right.value, top.value


_TEX_BOLD = re.compile(rb"(?:^|[^a-z])(?:cm|sf|ec|lm|t1|ts)?bx(?:\d|[^a-z]|$)")
_BOLD_MARKS = (b"bold", b"black", b"heavy", b"semibold", b"demi", b"-medi", b"extrab", b"ultrab")


def _bold_by_name(handle: object, index: int, fonts: dict[bytes, bool]) -> bool:
    """Bold by the font's name (many fonts declare no weight): Helvetica-Bold, CMBX10, ..."""
    buffer = ctypes.create_string_buffer(96)
    flags = ctypes.c_int()
    raw.FPDFText_GetFontInfo(handle, index, buffer, 96, ctypes.byref(flags))
    name = buffer.value
    known = fonts.get(name)
    if known is None:
        lowered = name.lower().split(b"+", 1)[-1]  # drop the subset tag, ABCDEF+
        known = fonts[name] = any(mark in lowered for mark in _BOLD_MARKS) or bool(_TEX_BOLD.search(lowered))
    return known or bool(flags.value & (1 << 18))


def _read_graphics(page: pdfium.PdfPage, to_frame: Transform, out: RawPage) -> None:
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    refs = tuple(ctypes.byref(v) for v in (left, bottom, right, top))
    seen = 0

    def walk(count: int, get: Callable[[int], object], depth: int) -> None:
        nonlocal seen
        for k in range(count):
            seen += 1
            if seen > _MAX_OBJECTS:
                return
            obj = get(k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                if depth < 4:
                    walk(
                        raw.FPDFFormObj_CountObjects(obj),
                        lambda j, o=obj: raw.FPDFFormObj_GetObject(o, j),
                        depth + 1,
                    )
                continue
            if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE):
                continue
            if not raw.FPDFPageObj_GetBounds(obj, *refs):
                continue
            box = _box(to_frame, left.value, bottom.value, right.value, top.value)
            w, h = box[2] - box[0], box[3] - box[1]
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                if w > 8 and h > 8:
                    out.images.append(box)
                continue
            out.drawings += 1
            if h <= _RULE and w > _RULE * 2:
                out.hrules.append(box)
            elif w <= _RULE and h > _RULE * 2:
                out.vrules.append(box)
            elif w > 4 and h > 4:
                out.rects.append(box)

    walk(raw.FPDFPage_CountObjects(page.raw), lambda k: raw.FPDFPage_GetObject(page.raw, k), 0)
