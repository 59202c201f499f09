"""Inputs: passwords, broken and empty files, page ranges, limits, rotation, properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.parsing.conftest import LOREM, SHORT, Heading, Page, Paragraph, make_pdf

import docuforge
from docuforge.errors import DocumentError, ErrorCode, PayloadTooLarge, UnsupportedDocument
from docuforge.parsing.options import ParseOptions


def options(**fields: object) -> ParseOptions:
    return ParseOptions.model_validate(fields)


def test_password_protected_pdfs() -> None:
    locked = make_pdf([Page([Paragraph(SHORT)])], password="s3cret-pass")
    for given in (None, "wrong"):
        with pytest.raises(DocumentError) as caught:
            docuforge.parse(locked, options(password=given))
        assert caught.value.code == ErrorCode.DOCUMENT_PASSWORD_PROTECTED and caught.value.status_code == 442
    document = docuforge.parse(locked, options(password="s3cret-pass"))
    assert document.pages[0].blocks[0].content == SHORT


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", ErrorCode.DOCUMENT_EMPTY),
        (b"%PDF-1.7\nnot really a pdf", ErrorCode.DOCUMENT_CORRUPT),
        (b"%PDF-1.4\n" + b"\x00" * 500, ErrorCode.DOCUMENT_CORRUPT),
    ],
)
def test_broken_inputs_fail_with_their_code(data: bytes, code: ErrorCode) -> None:
    with pytest.raises(DocumentError) as caught:
        docuforge.parse(data)
    assert caught.value.code == code


def test_truncated_pdf_is_corrupt_or_partial_never_a_crash() -> None:
    whole = make_pdf([Page([Paragraph(LOREM)]), Page([Paragraph(SHORT)])])
    for cut in (len(whole) // 3, len(whole) // 2, len(whole) - 40):
        try:
            document = docuforge.parse(whole[:cut])
        except DocumentError as error:
            assert error.code == ErrorCode.DOCUMENT_CORRUPT
        else:
            assert document.pages  # pdfium repaired it


def test_other_formats_are_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedDocument):
        docuforge.parse(b"\x00\x01\x02 bytes of no known format" * 10)
    with pytest.raises(UnsupportedDocument):
        docuforge.parse(b"fake audio", extension="mp3")
    # A PNG that is not one: a format Docuforge reads, refused as corrupt, not as unsupported.
    with pytest.raises(DocumentError) as caught:
        docuforge.parse(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert caught.value.code == ErrorCode.DOCUMENT_CORRUPT
    with pytest.raises(DocumentError) as caught:
        docuforge.parse(tmp_path / "missing.pdf")
    assert caught.value.code == ErrorCode.NOT_FOUND


def test_page_ranges(tmp_path: Path) -> None:
    pdf = make_pdf([Page([Heading(f"Page {n}", 14)]) for n in range(1, 7)])
    path = tmp_path / "six.pdf"
    path.write_bytes(pdf)
    cases = {
        "2-3": [2, 3],
        "5-": [5, 6],
    }
    for spec, expected in cases.items():
        document = docuforge.parse(path, options(page_range=[spec]))
        assert [p.original_number for p in document.pages] == expected
        assert [p.number for p in document.pages] == list(range(1, len(expected) + 1))
        assert (
            document.pages[0].blocks[0].bbox.original_page == expected[0]
            and document.pages[0].blocks[0].bbox.page == 1
        )
    assert [p.original_number for p in docuforge.parse(path, options(page_range=[{"start": 4}])).pages] == [
        4,
        5,
        6,
    ]
    assert [p.original_number for p in docuforge.parse(path, options(page_range=[6, 1])).pages] == [6, 1]
    picked = docuforge.parse(path, options(page_range=[{"start": 1, "end": 2}, {"start": 6, "end": 6}]))
    assert [p.original_number for p in picked.pages] == [1, 2, 6]
    with pytest.raises(DocumentError) as caught:
        docuforge.parse(path, options(page_range=[10]))
    assert caught.value.code == ErrorCode.INVALID_CONFIG
    with pytest.raises(PayloadTooLarge):
        docuforge.parse(path, max_pages=5)


def rotated(pdf: bytes, degrees: int) -> bytes:
    """The same PDF with /Rotate set on its pages (content untouched)."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    for page in document:
        page.set_rotation(degrees)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_rotated_pages_report_boxes_as_displayed(degrees: int) -> None:
    upright = docuforge.parse(make_pdf([Page([Heading("Sideways", 16), Paragraph(SHORT)])]))
    document = docuforge.parse(
        rotated(make_pdf([Page([Heading("Sideways", 16), Paragraph(SHORT)])]), degrees)
    )
    page = document.pages[0]
    expected_size = (792, 612) if degrees in (90, 270) else (612, 792)
    assert (page.width, page.height, page.rotation) == (*expected_size, degrees)
    # The text is read as before: the layout happens in the text's own frame.
    assert [b.content for b in page.blocks] == [b.content for b in upright.pages[0].blocks]
    box, original = page.blocks[0].bbox, upright.pages[0].blocks[0].bbox
    # Turned a quarter clockwise, the title that ran along the top runs down the right edge.
    if degrees == 90:
        assert (
            abs(box.left - (1 - original.top - original.height)) < 0.01
            and abs(box.top - original.left) < 0.01
        )
    if degrees == 180:
        assert abs(box.left - (1 - original.left - original.width)) < 0.01
    if degrees == 270:
        assert (
            abs(box.top - (1 - original.left - original.width)) < 0.01 and abs(box.left - original.top) < 0.01
        )


def test_document_properties() -> None:
    pdf = make_pdf([Page([Paragraph(SHORT)])], title="The Title", author="An Author")
    plain = docuforge.parse(pdf)
    assert plain.properties.title is None
    document = docuforge.parse(pdf, options(document_properties=True))
    assert document.properties.title == "The Title" and document.properties.author == "An Author"


def test_words_only_when_asked() -> None:
    pdf = make_pdf([Page([Paragraph(SHORT)])])
    assert all(not line.words for b in docuforge.parse(pdf).blocks() for line in b.lines)
    words = [
        w
        for b in docuforge.parse(pdf, options(word_boxes=True)).blocks()
        for line in b.lines
        for w in line.words
    ]
    assert [w.text for w in words] == SHORT.split()
    assert all(w.bbox.width > 0 and w.bbox.page == 1 for w in words)


def test_characters_beyond_the_bmp_are_joined_from_their_utf16_halves() -> None:
    """pdfium reports U+1D400 as two "characters" (0xD835, 0xDC00): words must carry the real
    character, and a lone half (a broken font map) must not reach the output as a surrogate, which
    UTF-8 cannot encode."""
    from docuforge.load.pdf import _join_surrogates

    assert _join_surrogates("x\ud835\udc00y") == "x\U0001d400y"
    assert _join_surrogates("a\ud835") == "a\ufffd"
    assert _join_surrogates("a\udc00b").encode("utf-8") == "a\ufffdb".encode()


def test_characters_set_apart_by_spacing_are_separate_words() -> None:
    """Two table values drawn as one text run with wide character spacing (no space character
    between them) are two words, not "00"."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from docuforge.load.pdf import PdfSource

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(72, 720, "Hawaii")
    canvas._code.append("BT /F1 8 Tf 25 Tc 100 700 Td (00) Tj ET")  # 25 pt between the two zeros
    canvas._code.append("BT /F1 8 Tf 0.5 Tc 100 680 Td (Spaced) Tj ET")  # letter-spaced: one word
    canvas.save()
    with PdfSource(buffer.getvalue()) as source:
        words = [w.text for w in source.page(0).words]
    assert words == ["Hawaii", "0", "0", "Spaced"]


def test_text_running_up_a_page_turned_for_display_reads_forwards() -> None:
    """A page turned for display (/Rotate 90) with every line drawn running up the page
    (ICDAR's eu-015). pdfium gives such characters a clockwise angle of 270 degrees; read with
    the wrong turn, every line came out backwards ("Total Grand")."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(595, 842))
    canvas.setPageRotation(90)
    canvas.rotate(90)  # user space now runs up the page: x along +y, y along -x
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, -100, "Grand Total of enquiries")
    canvas.drawString(72, -120, "Second line follows")
    canvas.save()
    document = docuforge.parse(buffer.getvalue())
    text = docuforge.to_markdown(document)
    assert text.index("Grand Total of enquiries") < text.index("Second line follows"), text


def test_right_to_left_lines_read_from_the_right() -> None:
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(TTFont("DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont("DejaVuSans", 14)
    right = 500.0
    for word in ("שלום", "עולם", "טוב"):  # the first word sits rightmost, as a reader of Hebrew sees it
        width = canvas.stringWidth(word, "DejaVuSans", 14)
        canvas.drawString(right - width, 500, word[::-1])  # glyphs in visual order, as PDFs store them
        right -= width + 5
    canvas.drawString(72, 450, "Latin stays left to right")
    canvas.save()
    contents = {b.content for b in docuforge.parse(buffer.getvalue()).blocks()}
    assert contents == {"שלום עולם טוב", "Latin stays left to right"}
