"""Block types, heading levels, lists, key-values, furniture and reading order on generated PDFs."""

from __future__ import annotations

from tests.parsing.conftest import LOREM, Heading, Page, Paragraph, blocks, make_pdf

import docuforge
from docuforge.document.model import BlockType, Document


def test_title_and_section_headers_with_levels(report_pdf: bytes) -> None:
    document = docuforge.parse(report_pdf)
    titles = blocks(document, BlockType.TITLE)
    assert [b.content for b in titles] == ["Annual Report 2025"] and titles[0].level == 1
    headers = {b.content: b.level for b in blocks(document, BlockType.SECTION_HEADER)}
    assert headers == {"1. Revenue by region": 2, "2. Outlook": 2, "2.1 Details": 3, "3. Appendix": 2}


def test_lists_and_key_values(report_pdf: bytes) -> None:
    document = docuforge.parse(report_pdf)
    items = [b.content for b in blocks(document, BlockType.LIST_ITEM)]
    assert items == [
        "\u2022 First point about growth.",
        "\u2022 Second point, which is long enough to wrap onto another line of text in the list.",
    ]
    pairs = [b.content for b in blocks(document, BlockType.KEY_VALUE)]
    assert pairs == ["Prepared by: Finance team", "Date: 2026-01-31"]


def test_running_headers_footers_and_page_numbers(report_pdf: bytes) -> None:
    document = docuforge.parse(report_pdf)
    for page in document.pages:
        kinds = {
            b.type: b.content
            for b in page.blocks
            if b.type in (BlockType.HEADER, BlockType.FOOTER, BlockType.PAGE_NUMBER)
        }
        assert kinds == {
            BlockType.HEADER: "ACME Corp - Annual Report",
            BlockType.FOOTER: "Confidential",
            BlockType.PAGE_NUMBER: str(page.number),
        }
    markdown = docuforge.to_markdown(document)
    assert "ACME Corp" not in markdown and "Confidential" not in markdown
    assert "ACME Corp" in docuforge.to_markdown(document, include_furniture=True)


def test_boxes_are_normalized_top_left_and_one_based(report_pdf: bytes) -> None:
    document = docuforge.parse(report_pdf)
    title = blocks(document, BlockType.TITLE)[0]
    assert title.bbox.page == 1 and title.bbox.original_page == 1
    assert 0.09 < title.bbox.left < 0.13 and title.bbox.top < 0.15  # 72 pt margin on a letter page
    for block in document.blocks():
        box = block.bbox
        assert (
            0 <= box.left <= 1
            and 0 <= box.top <= 1
            and box.left + box.width <= 1.0001
            and box.top + box.height <= 1.0001
        )
        assert block.lines and all(line.text for line in block.lines)
    order = [b.bbox.top for b in document.pages[0].blocks if b.type not in (BlockType.HEADER,)][:4]
    assert order == sorted(order)


def test_two_and_three_columns_read_column_by_column(columns_pdf: bytes) -> None:
    document = docuforge.parse(columns_pdf)
    texts = [b.content for b in document.blocks() if b.type is not BlockType.FIGURE]
    starts = [t.split(".")[0] for t in texts]
    assert starts == [
        "A Paper in Columns",
        "Left one",
        "Left two",
        "Right one",
        "Right two",
        "Figure 1: Bars by month",
        "Col A",
        "Col B",
        "Col C",
    ]
    figure = blocks(document, BlockType.FIGURE)[0]
    assert figure.caption == "Figure 1: Bars by month"
    caption = next(b for b in document.blocks() if b.content.startswith("Figure 1"))
    assert caption.caption_of == figure.id
    ordered = [b.type for b in document.blocks()]
    assert ordered.index(BlockType.FIGURE) == starts.index("Right two") + 1


def test_document_round_trips_through_json(report_pdf: bytes) -> None:
    document = docuforge.parse(report_pdf)
    assert Document.model_validate_json(document.model_dump_json()) == document


def test_on_page_reports_progress_and_can_stop_the_parse(report_pdf: bytes) -> None:
    seen: list[tuple[int, int]] = []
    docuforge.parse(report_pdf, on_page=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]

    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        if done == 2:
            raise Stop

    import pytest

    with pytest.raises(Stop):
        docuforge.parse(report_pdf, on_page=stop)


def test_a_numbered_heading_that_wraps_stays_one_heading() -> None:
    from tests.parsing.conftest import Columns

    pdf = make_pdf(
        [
            Page(
                [
                    Columns(
                        [
                            [Heading("41. Harbor Operations Overview", 18), Paragraph(LOREM)],
                            [Paragraph(LOREM)],
                        ]
                    )
                ]
            )
        ]
    )
    headings = [
        b.content
        for b in docuforge.parse(pdf).blocks()
        if b.type in (BlockType.TITLE, BlockType.SECTION_HEADER)
    ]
    assert headings == ["41. Harbor Operations Overview"]


def test_a_number_in_the_top_margin_of_one_page_is_not_a_page_number() -> None:
    """In a longer document page numbers recur in one margin; a figure that opens one page's body
    (a value carried over from the previous column, say) is content."""
    pages = [Page([Heading(f"Part {n}", 14), Paragraph(LOREM)], page_number=True) for n in range(1, 5)]
    pages[2] = Page([Paragraph("137"), Paragraph(LOREM)], page_number=True)
    document = docuforge.parse(make_pdf(pages))
    numbers = [b.content for b in document.blocks() if b.type is BlockType.PAGE_NUMBER]
    assert numbers == ["1", "2", "3", "4"]
    assert "137" in [b.content for b in document.pages[2].blocks if b.type is BlockType.TEXT]


def test_chinese_words_and_lines_are_joined_without_spaces_english_with_them() -> None:
    from docuforge.document.raw import RawWord
    from docuforge.parsing.cells import text_of
    from docuforge.parsing.layout import join_lines
    from docuforge.parsing.lines import make_segment

    def words(*texts: str, top: float = 10) -> list[RawWord]:
        out, x = [], 10.0
        for text in texts:
            out.append(RawWord(text, x, top, x + 12 * len(text), top + 12, 12, False))
            x += 12 * len(text) + 6  # set apart, as OCR sets each Chinese character
        return out

    assert make_segment(words("比", "2007", "年", "增", "加", "。")).text == "比2007年增加。"
    assert make_segment(words("Harbor", "traffic", "rose")).text == "Harbor traffic rose"
    # Korean spaces its words, corner brackets included.
    korean = make_segment(words("2020.1.1.", "「감염병예방법」", "관련")).text
    assert korean == "2020.1.1. 「감염병예방법」 관련"
    assert join_lines(["茶园生态", "更加优化", "and more"]) == "茶园生态更加优化and more"
    assert join_lines(["Harbor traffic", "rose."]) == "Harbor traffic rose."
    assert text_of(words("茶", "园") + words("生", "态", top=30)) == "茶园生态"
    assert text_of(words("two", "words") + words("next", "line", top=30)) == "two words next line"


def test_a_numbered_line_in_the_body_face_heads_what_follows_a_numbered_list_does_not() -> None:
    """Journals set their section headings in the text's own size and weight, or in italics:
    "3.1. Soxhlet extraction" on a line of its own over a paragraph. A list's numbered items,
    one after the other, stay list items."""
    plain = 10
    steps = ["1. Weigh the sample", "2. Dry it overnight", "3. Extract it with hexane"]
    pdf = make_pdf(
        [
            Page(
                [
                    Paragraph(LOREM),
                    Heading("2.9. Removal of sulfur and lipids", plain, bold=False),
                    Paragraph(LOREM),
                    Heading("3. Results and discussion", plain, bold=False),
                    Paragraph(LOREM),
                    Paragraph("The steps were these:"),
                    *(Paragraph(step) for step in steps),
                    Paragraph(LOREM),
                ]
            )
        ]
    )
    document = docuforge.parse(pdf)
    headings = [b.content for b in document.blocks() if b.type in (BlockType.TITLE, BlockType.SECTION_HEADER)]
    assert headings == ["2.9. Removal of sulfur and lipids", "3. Results and discussion"]
    assert [b.content for b in blocks(document, BlockType.LIST_ITEM)] == steps


def test_a_quiz_whose_choices_reach_the_bottom_margin_keeps_them_and_its_one_page_number() -> None:
    """A scanned workbook page: the last questions' choices (letters and fractions set numerator
    over denominator, each piece a block of its own) run into the bottom margin above the folio.
    The page has one page number, in the row nearest its edge; the rows of pieces are content."""
    from docuforge.document.model import BBox, Block, Line, Page
    from docuforge.parsing.furniture import mark_furniture

    def block(text: str, left: float, top: float, width: float = 0.02, height: float = 0.015) -> Block:
        box = BBox(left=left, top=top, width=width, height=height, page=1, original_page=1)
        return Block(
            id=f"b{left}-{top}",
            type=BlockType.TEXT,
            bbox=box,
            content=text,
            lines=[Line(text=text, bbox=box)],
        )

    body = [
        block("6. " + LOREM, 0.1, 0.1, 0.8, 0.5),
        block("7. Which fraction of the bills were twenties?", 0.1, 0.8, 0.8, 0.05),
    ]
    choices = []  # two questions' choices side by side, in the page's two columns
    fractions = [
        ("1", "4"),
        ("2", "5"),
        ("3", "10"),
        ("1", "2"),
        ("5", "6"),
        ("2", "3"),
        ("7", "8"),
        ("1", "3"),
    ]
    for k, (numerator, denominator) in enumerate(fractions):
        left = 0.08 + 0.11 * k
        choices += [block("ABCDFGHJ"[k], left, 0.885), block(numerator, left + 0.04, 0.87)]
        choices.append(block(denominator, left + 0.04, 0.9))
    folio = [block("416", 0.08, 0.96, 0.03), block("Chapter 9 Use Factors and Multiples", 0.13, 0.96, 0.33)]
    page = Page(number=1, original_number=1, width=612, height=792, ocr=True, blocks=body + choices + folio)
    mark_furniture(Document(pages=[page], total_pages=1))
    assert [b.content for b in page.blocks if b.type is BlockType.PAGE_NUMBER] == ["416"]
    assert [b.content for b in page.blocks if b.type is BlockType.FOOTER] == [
        "Chapter 9 Use Factors and Multiples"
    ]
    assert all(b.type is BlockType.TEXT for b in choices)
