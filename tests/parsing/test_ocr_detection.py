"""The text detector looks only at the inked part of a page: its margins cost the network nothing,
and it finds the lines it finds on the whole page, boxed to a few pixels alike (the network weighs
its channels by all it sees, so a page seen without its margins is weighed a little otherwise).
A page with ink to its edges (a scan, a photo) and a blank page are searched as they are."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from docuforge.parsing.ocr.rapid import RapidEngine, detection
from docuforge.parsing.ocr.rapid.detection import inked_area
from docuforge.parsing.ocr.rapid.words import percentiles

SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
TEXT = [
    "Quarterly report of the northern warehouse",
    "Deliveries rose by a tenth over the spring",
    "and the loading bays were rebuilt in June.",
    "Orders shipped within two days: 96 percent",
]
LETTER = 30  # the type size the page is drawn in, in pixels
# "The same line at the same place": a box may move by less than a third of its letters' height
# when the detector sees the page without its margins. The network's arithmetic differs by host
# (OpenVINO computes in bf16 where the CPU has AVX512-BF16 or AMX, in fp32 elsewhere), which moves
# an edge by a few pixels either way; a third of a letter is far below a line's spacing (50).
SAME = LETTER // 3


@pytest.fixture(scope="module")
def rapid() -> RapidEngine:
    return RapidEngine()


def page(number_at: tuple[int, int] | None = (1500, 1900), paper: str = "white") -> np.ndarray:
    """A 200 dpi page (as RapidOCR hands it to the detector, BGR) with a paragraph in its middle
    and wide margins, and a page number where asked."""
    image = Image.new("RGB", (1545, 2000), paper)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SANS, LETTER)
    for row, line in enumerate(TEXT):
        draw.text((300, 700 + 50 * row), line, fill="black", font=font)
    if number_at is not None:
        draw.text(number_at, "17", fill="black", font=font)
    return np.ascontiguousarray(np.asarray(image)[:, :, ::-1])


def searched(rapid: RapidEngine, image: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[tuple[int, ...]]]:
    """The lines found on the image the way the engine searches, the lines found by RapidOCR's
    detector on the whole image, and the shapes of what the network was given the first way."""
    parts = rapid.detection.parts
    shapes: list[tuple[int, ...]] = []
    run = parts.run
    parts.run = lambda pixels: (shapes.append(pixels.shape), run(pixels))[1]  # type: ignore[method-assign]
    try:
        found = rapid.detection.search(image)
    finally:
        del parts.run
    whole = parts.find(image)
    return found.boxes, whole.boxes, shapes


def test_the_network_sees_the_inked_part_and_finds_the_lines_it_finds_on_the_whole_page(
    rapid: RapidEngine,
) -> None:
    image = page()
    found, whole, shapes = searched(rapid, image)
    assert len(whole) == len(TEXT) + 1  # the paragraph's lines and the page number
    # The same lines, in the same order, at the same places to a few pixels (a letter is LETTER).
    assert found.shape == whole.shape
    assert np.abs(found.astype(int) - whole.astype(int)).max() <= SAME
    # The network was given the inked part only: the paragraph down to the page number, not
    # the page's top third or its left margin.
    (_, _, rows, columns) = shapes[0]
    assert rows <= 0.7 * 1024 and columns <= 0.9 * 800  # of the whole page's 1024 x 800
    numbers = [box for box in found if box[:, 1].min() > 1850]
    assert len(numbers) == 1 and 1490 <= numbers[0][:, 0].min() and numbers[0][:, 0].max() <= 1560


def test_ink_far_out_in_a_corner_is_still_searched(rapid: RapidEngine) -> None:
    image = page(number_at=(40, 30))
    found, whole, _ = searched(rapid, image)
    assert found.shape == whole.shape
    assert np.abs(found.astype(int) - whole.astype(int)).max() <= SAME
    assert any(box[:, 1].max() < 90 and box[:, 0].min() < 80 for box in found)


def test_a_page_inked_to_its_edges_or_blank_is_searched_whole(rapid: RapidEngine) -> None:
    scan = page()
    scan[:12] = 30  # the scanner's dark border along the top and the left
    scan[:, :12] = 30
    assert inked_area(scan) is None
    found, whole, shapes = searched(rapid, scan)
    assert np.array_equal(found, whole)
    assert [shape[2:] for shape in shapes] == [(1024, 800)]  # the whole page, at the detector's scale
    blank = page(number_at=None)
    blank[:] = 255
    assert inked_area(blank) is None
    assert rapid.detect(blank[:, :, ::-1]) == []


def test_light_letters_on_dark_paper_are_ink_too(rapid: RapidEngine) -> None:
    image = 255 - page()  # white letters on black paper
    found, whole, shapes = searched(rapid, image)
    assert shapes and found.shape == whole.shape == (len(TEXT) + 1, 4, 2)
    assert np.abs(found.astype(int) - whole.astype(int)).max() <= SAME


def test_percentiles_from_a_histogram_are_numpys() -> None:
    generator = np.random.default_rng(7)
    for count in (1, 2, 5, 333, 10_000):
        for top in (2, 40, 766):
            values = generator.integers(0, top, count).astype(np.uint16)
            assert percentiles(values, (2, 50, 90)) == pytest.approx(np.percentile(values, (2, 50, 90)))


def test_the_margin_reaches_past_the_ink_on_the_detectors_grid() -> None:
    image = np.full((800, 640, 3), 255, dtype=np.uint8)
    image[300:340, 200:420] = 0
    top, bottom, left, right = inked_area(image)
    margin, grid = detection.INK_MARGIN, detection.GRID
    assert top <= 300 - margin and bottom >= 340 + margin and left <= 200 - margin and right >= 420 + margin
    assert all(edge % grid == 0 for edge in (top, bottom, left, right))


def test_yellow_letters_on_white_paper_are_ink() -> None:
    image = np.full((800, 640, 3), 255, dtype=np.uint8)
    image[300:340, 200:420] = (0, 255, 255)  # yellow, blue first: grey 226 on 255
    assert inked_area(image) is not None
    image[:] = 255
    image[300:340, 200:420] = 245  # a shade no scanner tells from paper
    assert inked_area(image) is None
