"""Letters the detector left unboxed, or boxed together as one tall line: a receipt's quantity
"1", alone in its column, is read from the ink no line covers, and its tax codes "S", "S", "S",
one above another, each upright; ink that is no letter (a box's border, a tick, a picture) is
not read. (That a column of "1"s is no sideways line: test_ocr_words.)"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from docuforge.parsing.ocr import OcrLine
from docuforge.parsing.ocr.rapid import RapidEngine
from docuforge.parsing.ocr.rapid.recovery import missed_marks, stacked_letters

MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
ROWS = [("KAYA PUFF", "4", "1.60"), ("SLICE CAKE", "1", "8.70"), ("CHEESE TART", "1", "3.40")]
ROWS += [("BUTTER BUN", "2", "4.20"), ("RED BEAN", "1", "2.10")]
QUANTITY_X = 430  # where each row's quantity is drawn


@pytest.fixture(scope="module")
def rapid() -> RapidEngine:
    return RapidEngine()


def receipt(size: int = 20) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A receipt photographed tall and narrow, its items in three columns: the detector sees it
    shrunk by half, where a lone quantity is a few pixels wide."""
    image = Image.new("RGB", (900, 2000), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(MONO, size)
    for row, (name, quantity, amount) in enumerate(ROWS):
        y = 300 + 2 * size * row
        draw.text((60, y), name, fill="black", font=font)
        draw.text((QUANTITY_X, y), quantity, fill="black", font=font)
        draw.text((600, y), amount, fill="black", font=font)
    return image, draw


def quantities(lines: list[OcrLine]) -> list[str]:
    column = [line for line in lines if abs(line.box[0] - QUANTITY_X) < 20]
    return [line.text for line in sorted(column, key=lambda line: line.box[1])]


def test_a_letter_alone_in_a_row_is_read_though_the_detector_left_it_unboxed(rapid: RapidEngine) -> None:
    image, _ = receipt()
    pixels = np.asarray(image)
    lines = rapid.read(pixels)
    assert quantities(lines) == [q for _, q, _ in ROWS]
    assert "KAYA PUFF" in [line.text for line in lines] and "2.10" in [line.text for line in lines]
    # Found again from the ink alone, whatever the detector boxed, and boxed where it stands.
    others = [line for line in lines if abs(line.box[0] - QUANTITY_X) >= 20]
    found = missed_marks(pixels, others, rapid.recognize)
    assert quantities(found) == [q for _, q, _ in ROWS] and len(found) == len(ROWS)
    for line, row in zip(sorted(found, key=lambda line: line.box[1]), range(len(ROWS)), strict=True):
        x0, y0, x1, y1 = line.box
        assert QUANTITY_X - 2 <= x0 < x1 <= QUANTITY_X + 16
        assert 300 + 40 * row - 2 <= y0 < y1 <= 300 + 40 * row + 26
        assert [word.text for word in line.words] == [line.text]


def test_ink_that_is_no_letter_is_not_read(rapid: RapidEngine) -> None:
    image, draw = receipt()
    # A box around the items; a tick beside the last amount; a picture level with the first
    # row, a stroke of its pattern shaped as a "1" would be.
    draw.rectangle((40, 280, 720, 520), outline="black", width=2)
    draw.line((700, 470, 706, 480, 716, 458), fill="black", width=3)
    draw.rectangle((760, 250, 880, 360), fill=(120, 110, 100))
    draw.text((810, 300), "1", fill=(40, 35, 30), font=ImageFont.truetype(MONO, 20))
    pixels = np.asarray(image)
    lines = rapid.read(pixels)
    assert sorted(line.text for line in lines) == sorted(text for row in ROWS for text in row)
    others = [line for line in lines if abs(line.box[0] - QUANTITY_X) >= 20]
    found = missed_marks(pixels, others, rapid.recognize)
    assert quantities(found) == [q for _, q, _ in ROWS] and len(found) == len(ROWS)  # nothing more


def test_only_a_sure_reading_of_a_letter_or_digit_is_kept(rapid: RapidEngine) -> None:
    """What a piece of ink reads as decides: a tick reads "V", a dash among Latin letters "一"."""
    image, _ = receipt()
    pixels = np.asarray(image)
    others = [line for line in rapid.read(pixels) if abs(line.box[0] - QUANTITY_X) >= 20]
    readings = [("V", 0.99), ("一", 0.99), ("-", 0.99), ("7", 0.9), ("1", 0.99)]

    def recognize(crops: list[np.ndarray]) -> list[tuple[str, float]]:
        assert len(crops) == len(readings)
        return readings

    assert [line.text for line in missed_marks(pixels, others, recognize)] == ["1"]


def test_light_letters_on_dark_paper_are_found_as_dark_ones_on_light(rapid: RapidEngine) -> None:
    image, _ = receipt()
    pixels = 255 - np.asarray(image)  # white type on black
    lines = rapid.read(pixels)
    assert quantities(lines) == [q for _, q, _ in ROWS]
    others = [line for line in lines if abs(line.box[0] - QUANTITY_X) >= 20]
    assert quantities(missed_marks(pixels, others, rapid.recognize)) == [q for _, q, _ in ROWS]


def test_letters_one_above_another_boxed_as_one_tall_line_are_read_each_upright(rapid: RapidEngine) -> None:
    image, draw = receipt(size=24)
    font = ImageFont.truetype(MONO, 24)
    for row in range(3):  # tax codes beside the first three amounts, rows a few pixels apart
        draw.text((700, 300 + 30 * row), "S", fill="black", font=font)
    pixels = np.asarray(image)
    flat = [line for line in rapid.read(pixels) if line.box[0] < 680]
    column = OcrLine("SSS", (696.0, 296.0, 718.0, 390.0), 0.82)  # as the detector boxed it
    found = stacked_letters([*flat, column], pixels, rapid.recognize)
    stack = [line for line in found if line.box[0] >= 680]
    assert [line.text for line in stack] == ["S", "S", "S"]
    for line, row in zip(stack, range(3), strict=True):
        assert 296 + 30 * row <= line.box[1] < line.box[3] <= 300 + 30 * row + 30
    assert [line for line in found if line.box[0] < 680] == flat

    # Letters lying on their side (a line running up the margin) stand wider than tall: they
    # are a sideways line's, not a stack.
    turned = Image.new("RGB", (200, 60), "white")
    ImageDraw.Draw(turned).text((4, 6), "M M M", fill="black", font=ImageFont.truetype(MONO, 36))
    upright = np.asarray(image).copy()
    upright[300:500, 760:820] = np.rot90(np.asarray(turned))
    sideways = OcrLine("SSS", (760.0, 300.0, 820.0, 500.0), 0.6)
    assert stacked_letters([*flat, sideways], upright, rapid.recognize) == [*flat, sideways]
