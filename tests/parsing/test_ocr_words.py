"""Words of a recognised line: spaces the recogniser left out are found again where the image
shows them, and word boxes end where the ink ends."""

from __future__ import annotations

import itertools

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from tests.fixtures.images import FONT

from docuforge.parsing.ocr import OcrWord
from docuforge.parsing.ocr.rapid import RapidEngine
from docuforge.parsing.ocr.rapid.batching import least_character
from docuforge.parsing.ocr.rapid.cascade import QUICK_LEAST, QUICK_SURE, odd_case
from docuforge.parsing.ocr.rapid.decoding import word_info
from docuforge.parsing.ocr.rapid.engine import bgr
from docuforge.parsing.ocr.rapid.words import confirm_splits, runs, signs

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
MONO_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"


def selection(columns: list[int], length: int) -> np.ndarray:
    chosen = np.zeros(length, dtype=bool)
    chosen[columns] = True
    return chosen


def test_a_wide_step_between_two_characters_parts_the_words() -> None:
    # Positions as the recogniser read "47500 SUBANGJAYA," on a receipt: G at 28, J at 33.
    columns = [2, 5, 7, 9, 12, 14, 16, 18, 21, 23, 26, 28, 33, 35, 38, 40, 43]
    info = word_info("47500 SUBANGJAYA,", selection(columns, 77))
    assert ["".join(w) for w in info.words] == ["47500", "SUBANG", "JAYA,"]
    assert info.word_cols[1] == [16, 18, 21, 23, 26, 28]


def test_even_steps_keep_a_word_whole() -> None:
    columns = [2, 4, 7, 9, 11, 14, 16, 18, 21]
    info = word_info("recipient", selection(columns, 40))
    assert ["".join(w) for w in info.words] == ["recipient"]


def line(parts: list[tuple[str, int]]) -> tuple[np.ndarray, dict[str, tuple[int, int]]]:
    """A white strip with each text drawn at its x; returns the image and each text's ink extent."""
    font = ImageFont.truetype(FONT, 30)
    image = Image.new("RGB", (700, 60), "white")
    draw = ImageDraw.Draw(image)
    extents = {}
    for text, x in parts:
        draw.text((x, 14), text, fill="black", font=font)
        left, _, right, _ = draw.textbbox((x, 14), text, font=font)
        extents[text] = (left, right)
    return np.asarray(image), extents


def paper_between_letters(pixels: np.ndarray) -> set[tuple[int, int]]:
    """(first blank column, first inked column after it) of every gap between letters."""
    ink = (pixels.mean(axis=2) < 128).any(axis=0)
    return {(start, start + n) for start, n in runs(~ink)}


def test_a_split_where_the_image_shows_a_space_is_kept_and_its_edges_follow_the_ink() -> None:
    image, ink = line([("SUBANG", 20), ("JAYA", 20 + 140 + 14)])
    subang, jaya = ink["SUBANG"], ink["JAYA"]
    box = (10.0, 8.0, 300.0, 52.0)
    # The positions put the boundary a few pixels into JAYA.
    words = [
        OcrWord("SUBANG", (subang[0], 8.0, jaya[0] + 6, 52.0), 0.9),
        OcrWord("JAYA", (jaya[0] + 9, 8.0, jaya[1], 52.0), 0.9),
    ]
    kept = confirm_splits(words, "SUBANGJAYA", box, image)
    assert [w.text for w in kept] == ["SUBANG", "JAYA"]
    # The boundary is the band of paper between SUBANG's last letter and JAYA's first.
    assert (kept[0].box[2], kept[1].box[0]) in paper_between_letters(image)
    assert subang[1] - 4 <= kept[0].box[2] < kept[1].box[0] <= jaya[0] + 1


def test_a_split_inside_a_word_the_image_shows_no_space_for_is_undone() -> None:
    image, ink = line([("recipient", 20)])
    left, right = ink["recipient"]
    box = (10.0, 8.0, right + 10.0, 52.0)
    middle = (left + right) / 2
    words = [
        OcrWord("recip", (left, 8.0, middle - 2, 52.0), 0.9),
        OcrWord("ient", (middle + 2, 8.0, right, 52.0), 0.8),
    ]
    kept = confirm_splits(words, "recipient", box, image)
    assert [w.text for w in kept] == ["recipient"]
    assert kept[0].box == (left, 8.0, right, 52.0) and kept[0].confidence == 0.8


def test_a_split_narrower_than_the_lines_own_spaces_is_undone() -> None:
    # Monospaced receipt type: the L of "Lot" leaves a wide gap before the o, but the spaces the
    # recogniser did read on the line are wider still.
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 30)
    image = Image.new("RGB", (700, 60), "white")
    ImageDraw.Draw(image).text((20, 14), "Lot 3,   Jalan   Pelabur", fill="black", font=font)
    pixels = np.asarray(image)
    cell = font.getlength("L")
    words = [
        OcrWord("L", (20, 8.0, 20 + cell, 52.0), 0.9),
        OcrWord("ot", (20 + cell, 8.0, 20 + 3 * cell, 52.0), 0.9),
        OcrWord("3,", (20 + 4 * cell, 8.0, 20 + 6 * cell, 52.0), 0.9),
        OcrWord("Jalan", (20 + 9 * cell, 8.0, 20 + 14 * cell, 52.0), 0.9),
        OcrWord("Pelabur", (20 + 17 * cell, 8.0, 20 + 24 * cell, 52.0), 0.9),
    ]
    kept = confirm_splits(words, "Lot 3, Jalan Pelabur", (10.0, 8.0, 20 + 25 * cell, 52.0), pixels)
    assert [w.text for w in kept] == ["Lot", "3,", "Jalan", "Pelabur"]


def test_rapidocr_reads_a_line_into_words_whose_edges_are_the_paper_between_them() -> None:
    font = ImageFont.truetype(FONT, 40)
    image = Image.new("RGB", (900, 120), "white")
    ImageDraw.Draw(image).text((30, 35), "Invoice total due", fill="black", font=font)
    pixels = np.asarray(image)
    gaps = paper_between_letters(pixels)
    lines = RapidEngine().read(pixels)
    words = lines[0].words
    assert [w.text for w in words] == ["Invoice", "total", "due"]
    for before, after in itertools.pairwise(words):
        assert (before.box[2], after.box[0]) in gaps


def test_word_boxes_map_back_onto_the_page_as_rapidocr_maps_them() -> None:
    """The one-step mapping gives each word the extent RapidOCR's point-by-point one gives, for
    level, tilted and upright-standing (vertical) lines."""
    from rapidocr.cal_rec_boxes.main import CalRecBoxes, Direction

    from docuforge.parsing.ocr.rapid.adapter import word_boxes

    ours, theirs = word_boxes(), CalRecBoxes()
    words = [
        [[0.0, 0.0], [41.5, 0.0], [41.5, 30.0], [0.0, 30.0]],
        [[52.2, 1.0], [120.0, 1.0], [120.0, 29.0], [52.2, 29.0]],
        [[131.0, 0.0], [199.9, 0.0], [199.9, 30.0], [131.0, 30.0]],
    ]
    lines = {
        Direction.HORIZONTAL: [
            [[100.4, 200.7], [300.2, 200.7], [300.2, 231.1], [100.4, 231.1]],  # level
            [[100.0, 210.0], [299.0, 196.0], [301.0, 227.0], [102.0, 241.0]],  # tilted
        ],
        Direction.VERTICAL: [[[50.0, 40.0], [81.0, 40.0], [81.0, 240.0], [50.0, 240.0]]],
    }
    for direction, quads in lines.items():
        for quad in quads:
            box = np.array(quad, dtype=np.float32)
            mapped = ours.reverse_rotate_crop_image(
                box.copy(), [list(map(list, w)) for w in words], direction
            )
            expected = theirs.reverse_rotate_crop_image(
                box.copy(), [list(map(list, w)) for w in words], direction
            )
            extent = [
                (min(x for x, _ in q), min(y for _, y in q), max(x for x, _ in q), max(y for _, y in q))
                for q in expected
            ]
            assert [(q[0][0], q[0][1], q[2][0], q[2][1]) for q in mapped] == extent
            assert len(set(extent)) == 3  # three words, three places: the check compares something


def test_table_cells_stacked_close_are_not_taken_for_a_sideways_line() -> None:
    """Two-letter cells of a narrow table column sit as close as a sideways line's letters; only
    single letters in boxes wider than high (or read unsurely) are pieces of one, so the cells
    stay as read."""
    from docuforge.parsing.ocr import OcrLine
    from docuforge.parsing.ocr.rapid.recovery import sideways_lines

    cells = [
        OcrLine("11", (391, 31, 413, 50), 1.0),
        OcrLine("Y", (393, 53, 412, 72), 1.0),
        OcrLine("Y", (393, 76, 412, 95), 1.0),
        OcrLine("12", (392, 99, 414, 118), 1.0),
    ]
    asked: list[int] = []

    def recognize(crops: list[np.ndarray]) -> list[tuple[str, float]]:
        asked.append(len(crops))
        return [("1YF12", 0.99)] * len(crops)

    image = np.full((200, 600, 3), 255, dtype=np.uint8)
    assert sideways_lines(cells, [], image, recognize) == cells
    assert asked == []
    # A receipt's quantity column: a "1" boxed alone stands taller than wide, as a sideways
    # line's letters do, but read surely it is upright.
    ones = [OcrLine(q, (391, y, 413, y + 34), 0.999) for q, y in zip("1121", (31, 78, 125, 172), strict=True)]
    assert sideways_lines(ones, [], image, recognize) == ones
    assert asked == []
    # The same boxes as single letters laid on their side are one line, read again whole.
    letters = [OcrLine(c, (391, y, 413, y + 19), 0.9) for c, y in zip("8209", (31, 53, 76, 99), strict=True)]
    assert [line.text for line in sideways_lines(letters, [], image, recognize)] == ["1YF12"]
    assert asked == [2]  # read turned a quarter each way


def test_a_short_line_is_split_only_where_its_letters_stand_a_space_apart() -> None:
    """ "1 x" on a receipt, read "1x": two letters give no usual step to compare with, so the
    recogniser's step only proposes the split and the image decides: a space's width of paper
    between them, which letters of one word never leave."""
    mono = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 30)
    cell = mono.getlength("1")
    info = word_info("1x", selection([2, 6], 20))  # the columns RapidOCR gave SROIE 138's "1x"
    assert ["".join(w) for w in info.words] == ["1", "x"]
    for text, expected in (("1 x", ["1", "x"]), ("Lx", ["Lx"]), ("1x", ["1x"])):
        image = Image.new("RGB", (300, 60), "white")
        ImageDraw.Draw(image).text((20, 14), text, fill="black", font=mono)
        end = 20 + len(text) * cell
        words = [
            OcrWord("1" if text[0] == "1" else text[0], (20, 8.0, 20 + cell, 52.0), 0.9),
            OcrWord("x", (end - cell, 8.0, end, 52.0), 0.9),
        ]
        kept = confirm_splits(words, text.replace(" ", ""), (10.0, 8.0, end + 10, 52.0), np.asarray(image))
        assert [w.text for w in kept] == expected, text


def drawn_strip(parts: list[tuple[str, int]], stroke: tuple[int, int, int]) -> np.ndarray:
    """line()'s strip with a stroke a pixel thick from x0 to x1 at row y."""
    image = Image.fromarray(line(parts)[0])
    x0, x1, y = stroke
    ImageDraw.Draw(image).line((x0, y, x1, y), fill="black", width=1)
    return np.asarray(image)


def test_a_thin_dash_between_two_words_is_ink_not_a_space() -> None:
    # "improvements\u2014it" in a scan: the dash is a pixel thick. Taken for paper, it made a
    # space, and the next word's box started after the dash, far enough off to look like a column.
    _, ink = line([("work", 20), ("it", 120)])
    work, it = ink["work"], ink["it"]
    _, top, _, bottom = ImageFont.truetype(FONT, 30).getbbox("x")
    middle = 14 + (top + bottom) // 2  # half the x-height, where a dash is set
    image = drawn_strip([("work", 20), ("it", 120)], (work[1] + 2, it[0] - 2, middle))
    box = (10.0, 8.0, 160.0, 52.0)
    words = [
        OcrWord("work", (work[0], 8.0, work[1] + 8, 52.0), 0.9),
        OcrWord("\u2014it", (it[0] - 12, 8.0, it[1], 52.0), 0.9),
    ]
    kept = confirm_splits(words, "work\u2014it", box, image)
    assert [w.text for w in kept] == ["work\u2014it"]


def test_an_underline_under_two_words_leaves_their_space_a_space() -> None:
    _, ink = line([("two", 20), ("words", 100)])
    two, words_ = ink["two"], ink["words"]
    baseline = 14 + ImageFont.truetype(FONT, 30).getbbox("x")[3]
    image = drawn_strip([("two", 20), ("words", 100)], (two[0], words_[1], baseline + 3))
    words = [
        OcrWord("two", (two[0], 8.0, two[1] + 6, 52.0), 0.9),
        OcrWord("words", (words_[0] + 4, 8.0, words_[1], 52.0), 0.9),
    ]
    kept = confirm_splits(words, "twowords", (10.0, 8.0, words_[1] + 10.0, 52.0), image)
    assert [w.text for w in kept] == ["two", "words"]


def test_a_lone_two_and_ten_among_latin_words_are_equals_and_plus() -> None:
    """The recogniser reads Chinese too, and takes a formula's lone "=" for 二 and "+" for 十."""

    def read(texts: list[str]) -> list[str]:
        words = [OcrWord(text, (10.0 * i, 0.0, 10.0 * i + 8, 10.0), 0.9) for i, text in enumerate(texts)]
        signs(words)
        return [w.text for w in words]

    assert read(["Lu", "二", "v2", "十", "0"]) == ["Lu", "=", "v2", "+", "0"]
    # Among Chinese, or alone on its line (a chapter's numeral), 二 is two.
    assert read(["第", "二", "章"]) == ["第", "二", "章"]
    assert read(["二"]) == ["二"]
    assert read(["二", "、"]) == ["二", "、"]


@pytest.fixture(scope="module")
def rapid() -> RapidEngine:
    return RapidEngine()


def decode(engine: RapidEngine, spelled: list[tuple[str, dict[str, float]]]) -> str:
    """What the engine's decoder reads from columns that each hold one character at 0.6, with the
    given rivals beside it, and a blank column after each (so that repeated letters stay two)."""
    decoder = engine.careful.batches.decoder
    columns = []
    for char, rivals in spelled:
        column = np.full(len(decoder.characters), 1e-5, dtype=np.float32)
        column[decoder.index[char]] = 0.6
        for rival, p in rivals.items():
            column[decoder.index[rival]] = p
        blank = np.full(len(decoder.characters), 1e-5, dtype=np.float32)
        blank[0] = 0.9
        columns += [column, blank]
    [(text, _)], _ = decoder(np.stack(columns)[None])
    return text


def spell(text: str, **rivals: dict[str, float]) -> list[tuple[str, dict[str, float]]]:
    """Each character of `text`; rivals given by position, as p3={"O": 0.3}."""
    return [(char, rivals.get(f"p{i}", {})) for i, char in enumerate(text)]


def test_a_character_out_of_place_in_its_word_is_read_as_the_recognisers_second_choice(
    rapid: RapidEngine,
) -> None:
    # A lone digit among letters, where a letter was a close second: a fax's "TELEPH0NE".
    assert decode(rapid, spell("TELEPH0NE", p6={"O": 0.3})) == "TELEPHONE"
    assert decode(rapid, spell("MISSOUR1", p7={"I": 0.2})) == "MISSOURI"
    # An underscore between two words, where a space was close: a fill-in line under them.
    assert decode(rapid, spell("smokers_mention", p7={" ": 0.25})) == "smokers mention"
    # The one accented letter of a plain line, where the plain letter was close.
    assert decode(rapid, spell("smokérs", p4={"e": 0.3})) == "smokers"


def test_a_character_in_place_or_read_with_no_close_rival_stays(rapid: RapidEngine) -> None:
    # A second choice far behind: the recogniser saw the digit.
    assert decode(rapid, spell("TELEPH0NE", p6={"O": 0.05})) == "TELEPH0NE"
    # Words that hold digits: a paper size, a company's name, an ordinal.
    assert decode(rapid, spell("A4 paper", p1={"A": 0.4})) == "A4 paper"
    assert decode(rapid, spell("3M", p0={"B": 0.4})) == "3M"
    assert decode(rapid, spell("1st", p0={"l": 0.4})) == "1st"
    assert decode(rapid, spell("B52", p1={"S": 0.4})) == "B52"
    # An underscore that is not between two words.
    assert decode(rapid, spell("x_1", p1={" ": 0.4})) == "x_1"
    # A line with its accents (French): every accent stands.
    assert decode(rapid, spell("été", p0={"e": 0.3}, p2={"e": 0.3})) == "été"


def test_a_word_the_lexicon_does_not_know_is_spelled_as_the_word_the_recognisers_second_choices_make(
    rapid: RapidEngine,
) -> None:
    """A fax's "e" read as "c", "o" as "c", "A" as "N": the recogniser had the right letter close
    behind, and only it makes a word."""
    assert decode(rapid, spell("ccrporation", p1={"o": 0.3})) == "corporation"
    assert decode(rapid, spell("The addrcssed letter", p8={"e": 0.15})) == "The addressed letter"
    # Capitals stay capitals, whatever case the rival was read in; punctuation stays.
    assert decode(rapid, spell("CONFIDENTINL:", p10={"a": 0.12})) == "CONFIDENTIAL:"
    # Two letters at once, the likeliest pair that makes a word ("cmployoe").
    assert decode(rapid, spell("cmployoe", p0={"e": 0.4}, p6={"e": 0.3, "a": 0.2})) == "employee"
    # Of two words the rivals make, the likelier: "conlensate" with "d" well ahead of "s".
    assert decode(rapid, spell("conlensate", p3={"d": 0.5, "s": 0.1})) == "condensate"
    # Letters a faint copy turns into each other count from further behind ("m" read as "n"):
    # here at 0.04 against the read letter's 0.6.
    assert decode(rapid, spell("infornation", p5={"m": 0.04})) == "information"
    assert decode(rapid, spell("suppller", p5={"i": 0.035})) == "supplier"


def test_a_fax_line_of_misread_english_words_is_still_english(rapid: RapidEngine) -> None:
    """Most of its long words are unknown as read, but known as its rivals spell them: the line
    is English gone wrong, not another language."""
    line = "Plcase notity thc scnder"
    read = decode(rapid, spell(line, p2={"e": 0.3}, p11={"f": 0.3}, p19={"e": 0.3}))
    assert read == "Please notify thc sender"


def test_a_word_is_left_as_read_where_it_is_known_or_its_rivals_are_far_or_it_is_no_plain_word(
    rapid: RapidEngine,
) -> None:
    # The rival is far behind: the recogniser saw a "c". A lookalike's rival ("o" for "c") may
    # be further behind than another letter's, but not this far.
    assert decode(rapid, spell("ccrporation", p1={"o": 0.02})) == "ccrporation"
    assert decode(rapid, spell("conlensate", p3={"d": 0.04})) == "conlensate"
    # Known words stay, though a rival makes another word ("cost", "cast").
    assert decode(rapid, spell("total cost", p7={"a": 0.5})) == "total cost"
    # Short words: too many short strings are words.
    assert decode(rapid, spell("thc", p2={"e": 0.5})) == "thc"
    # Part of a code or a contraction.
    assert decode(rapid, spell("REF B26478ccst", p11={"o": 0.5})) == "REF B26478ccst"
    assert decode(rapid, spell("It wasn't", p5={"r": 0.5})) == "It wasn't"
    # A line in another language: "gestern" could be "western", and is German.
    german = "Der Vertrag wurde gestern unterschrieben"
    assert decode(rapid, spell(german, p18={"w": 0.5})) == german
    # Accented words are the accent rule's (two accents on the line: French, left alone).
    assert decode(rapid, spell("Le côté", p4={"o": 0.5}, p6={"e": 0.5})) == "Le côté"


def strip(text: str, width: int) -> np.ndarray:
    """A line of black serif type on white, 40 pixels high."""
    image = Image.new("RGB", (width, 40), "white")
    ImageDraw.Draw(image).text((6, 6), text, fill="black", font=ImageFont.truetype(SERIF, 24))
    return np.asarray(image)


def test_a_line_whose_letters_are_narrow_for_its_height_is_read_again_stretched(rapid: RapidEngine) -> None:
    """Small type set tight (a fax's fine print) gives the recogniser fewer columns than letters."""
    text = "please notify us immediately by telephone and return the facsimile by mail"
    squeezed = cv2.resize(strip(text, 1000), None, fx=0.53, fy=1.0, interpolation=cv2.INTER_AREA)
    bare = rapid.careful.batches([squeezed])
    assert bare.texts[0] != text  # read once, letters drop out
    [(read, confidence)] = rapid.recognize([squeezed])
    assert read == text
    assert confidence > bare.scores[0]


def mono_line(text: str) -> np.ndarray:
    """A line of bold monospaced type on white, as tight as the detector crops it (RGB)."""
    font = ImageFont.truetype(MONO_BOLD, 18)
    _, _, right, bottom = font.getbbox(text)
    image = Image.new("RGB", (right + 12, bottom + 12), "white")
    ImageDraw.Draw(image).text((6, 6), text, fill="black", font=font)
    return np.asarray(image)


def smudged(line: np.ndarray, seed: int) -> np.ndarray:
    """The line blurred and speckled as a fax blurs and speckles it."""
    noise = np.random.default_rng(seed).normal(0, 60, line.shape[:2])[..., None]
    return np.clip(cv2.GaussianBlur(line.astype(np.float32), (5, 5), 0) + noise, 0, 255).astype(np.uint8)


def test_the_least_likely_character_of_a_line_is_read_from_its_columns() -> None:
    blank = [0.9, 0.05, 0.05]
    a_sure, a_less, b_unsure = [0.05, 0.9, 0.05], [0.2, 0.7, 0.1], [0.3, 0.1, 0.6]
    # "a" over two columns (its surer one counts), a blank, then a doubtful "b".
    assert least_character(np.array([a_less, a_sure, blank, b_unsure, blank])) == pytest.approx(0.6)
    assert least_character(np.array([blank, blank])) == 0.0  # nothing read: nothing to trust


@pytest.fixture
def careful_reads(rapid: RapidEngine, monkeypatch: pytest.MonkeyPatch) -> list[list[np.ndarray]]:
    """The lines the default engine's small recogniser is given, call by call."""
    cascade = rapid.recognition
    given: list[list[np.ndarray]] = []
    careful = cascade.careful

    def reading(images, word_boxes=False):  # type: ignore[no-untyped-def]
        given.append(list(images))
        return careful(images, word_boxes)

    monkeypatch.setattr(cascade, "careful", reading)
    return given


CLEAN = ["Amount due before the end of", "Marketing research department", "Invoice 4471 due on receipt"]


def test_the_tiny_recogniser_reads_clean_lines_and_the_small_one_short_lines_and_doubted_ones(
    rapid: RapidEngine, careful_reads: list[list[np.ndarray]]
) -> None:


    clean = [bgr(strip(text, 420)) for text in CLEAN]
    fax = bgr(smudged(strip("Received from the sender on", 420), seed=4))
    amount = bgr(strip("$ 60", 80))  # a short line: the small recogniser's alone
    cascade = rapid.recognition
    # The tiny recogniser alone misreads the smudged line.
    assert cascade.quick([fax]).texts[0] != "Received from the sender on"
    out = cascade([clean[0], amount, *clean[1:], fax])
    assert list(out.texts) == [CLEAN[0], "$ 60", *CLEAN[1:], "Received from the sender on"]
    assert len(careful_reads) == 1 and len(careful_reads[0]) == 2
    assert careful_reads[0][0] is amount and careful_reads[0][1] is fax


def test_a_line_the_tiny_recogniser_reads_in_odd_case_is_read_again(
    rapid: RapidEngine, careful_reads: list[list[np.ndarray]]
) -> None:
    """Capitals that are small letters drawn larger: the tiny recogniser takes one for the other
    with full confidence, and the letters beside it give it away."""


    text = "UI/UX Design"
    line = bgr(mono_line(text))
    clean = [bgr(strip(words, 420)) for words in CLEAN]
    cascade = rapid.recognition
    quick = cascade.quick([line])
    # Read wrong, and sure of it: neither the line's confidence nor its least sure letter doubts it.
    assert quick.texts[0] == "UI/Ux Design" and quick.scores[0] >= QUICK_SURE
    assert cascade.quick.least_likely[0] >= QUICK_LEAST
    out = cascade([*clean, line])
    assert list(out.texts) == [*CLEAN, text]
    assert len(careful_reads) == 1 and len(careful_reads[0]) == 1 and careful_reads[0][0] is line


def test_odd_case_is_told_from_compounds_and_names() -> None:
    for odd in ("UI/Ux Design", "VAT InvOice", "RevieW", "CoST", "SWISs"):
        assert odd_case(odd), odd
    for plain in ("AI-Assisted Writing", "So the Company", "IBM DB2 for i", "McDonald", "iPhone"):
        assert not odd_case(plain), plain


def test_a_page_the_tiny_recogniser_doubts_much_of_is_read_again_whole(
    rapid: RapidEngine, careful_reads: list[list[np.ndarray]]
) -> None:


    lines = [bgr(smudged(strip(text, 420), seed)) for seed, text in enumerate(CLEAN, start=1)]
    lines.append(bgr(strip("Received from the sender on", 420)))  # one clean line of four
    out = rapid.recognition(lines)
    assert len(careful_reads) == 1 and len(careful_reads[0]) == len(lines)  # the whole page at once
    assert list(out.texts) == [*CLEAN, "Received from the sender on"]


def test_a_line_reads_the_same_whatever_lines_are_read_beside_it(rapid: RapidEngine) -> None:
    """RapidOCR pads each line of a batch to the batch's widest line, and padding changes what
    the model reads: each line is padded to a width of its own, and read with lines of that
    width only."""

    line = strip("Invoice 4471 due on receipt", 380)
    wide = [strip("Payment by bank transfer to the account named on the back of this page", 1100)]
    short = [strip("Total", 80), strip("12.50", 80)]
    # A little narrower: padded to the same step as the line, and read in its batch.
    near = [strip("Invoice 4471 due on receipt", 370)]
    alone = rapid.recognize([line])
    assert alone[0][0] == "Invoice 4471 due on receipt"
    beside = rapid.recognize([*short, line, *wide, *near])
    assert beside[2][0] == alone[0][0]
    assert beside[2][1] == pytest.approx(alone[0][1], abs=1e-6)
    assert [text for text, _ in beside[:2]] == ["Total", "12.50"]
    assert beside[4][0] == alone[0][0]
    # Padded to the wide line in one batch, the same line is read with another confidence.
    batched = rapid.careful.batches.parts.read_batch([*short, line, *wide])
    assert abs(batched[2][1] - alone[0][1]) > 1e-4


def test_a_line_doubted_for_one_word_has_that_word_read_again_with_its_neighbours(
    rapid: RapidEngine, careful_reads: list[list[np.ndarray]]
) -> None:
    """The small recogniser reads only the part of the line that holds the doubted word, cut in
    the paper between words, and its reading is spliced into the tiny one's, boxes and all."""


    text = "Pay the SWISS bank transfer for the new office building in Geneva"
    line = bgr(mono_line(text))
    cascade = rapid.recognition
    quick = cascade.quick([line], word_boxes=True)
    # The tiny recogniser's misreading, with confidence; the case gives it away.
    assert quick.texts[0] == text.replace("SWISS", "SWISs") and quick.scores[0] >= QUICK_SURE
    # Among clean lines, as on a page: a page doubted much is read again whole.
    clean = [bgr(strip(words, 420)) for words in CLEAN * 2]
    out = cascade([line, *clean], word_boxes=True)
    assert list(out.texts) == [text, *CLEAN * 2]
    [parts] = careful_reads  # one call: the parts of every doubted line together
    assert parts and sum(part.shape[1] for part in parts) < 0.6 * line.shape[1]
    for part in parts:
        assert part.shape[0] == line.shape[0]
        # Cut where there is no ink: the part's first and last columns are paper.
        assert part[:, 0].min() > 128 and part[:, -1].min() > 128
    words = out.words[0]
    assert ["".join(w) for w in words.words] == text.split()
    # The part's words stand where they stand on the line, between their neighbours.
    starts = [cols[0] for cols in words.word_cols]
    assert starts == sorted(starts) and starts[-1] < words.line_txt_len
    assert len(words.confs) == len(out.texts[0])
    # Without word boxes (a few lines read to settle orientation) the line is read again whole.
    careful_reads.clear()
    assert cascade([line, *clean]).texts[0] == text
    assert careful_reads[0][0] is line


def test_what_is_read_again_of_a_doubted_line_is_what_its_readings_doubt(rapid: RapidEngine) -> None:
    """A doubted line with no unsure letter, no unsure space and no odd case keeps the tiny
    reading; an unsure space has the words either side of it read again; a line doubted over
    most of its width is read again whole."""

    from docuforge.parsing.ocr.rapid.batching import Sureness
    from docuforge.parsing.ocr.rapid.cascade import doubted_windows

    text = "Marketing research department report for the second quarter"
    line = bgr(strip(text, 800))
    quick = rapid.quick
    out = quick([line], word_boxes=True)
    assert out.texts[0] == text
    info, read = out.words[0], quick.sureness[0]
    sure = Sureness(np.maximum(read.columns, 0.99), tuple((c, 0.99) for c, _ in read.spaces))
    assert doubted_windows(text, info, sure, line) == []
    # The space between "report" and "for" read unsure: those two words, with one either side.
    report, after = info.word_cols[3], info.word_cols[4]
    space = next(c for c, _ in sure.spaces if report[-1] < c < after[0])
    unsure = sure._replace(spaces=tuple((c, 0.5 if c == space else p) for c, p in sure.spaces))
    [window] = doubted_windows(text, info, unsure, line)
    assert (window.first, window.last) == (2, 5)
    part = line[:, window.left : window.right]
    assert rapid.careful([part]).texts[0] == "department report for the"
    # Most of the line doubted: read whole.
    columns = sure.columns.copy()
    for cols in info.word_cols[1::2]:
        columns[cols] = 0.5
    assert doubted_windows(text, info, sure._replace(columns=columns), line) is None
