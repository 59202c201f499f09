"""Chunking: the six modes, sizes, overlap, filters and page markers."""

from __future__ import annotations

import pytest
from tests.fixtures.pdfs import LOREM, Figure, Heading, Page, Paragraph, make_pdf

import docuforge
from docuforge.chunk import chunk
from docuforge.chunk.options import ChunkOptions
from docuforge.document.model import BlockType, Document


@pytest.fixture(scope="module")
def document() -> Document:
    pages = [
        Page(
            [
                Heading("Guide", 20),
                Paragraph(LOREM),
                Heading("1. Start", 14),
                Paragraph(LOREM),
                Paragraph(LOREM),
            ],
            page_number=True,
        ),
        Page(
            [
                Heading("2. Middle", 14),
                Paragraph(LOREM),
                Figure(caption="Figure 1: A chart"),
                Heading("3. End", 14),
                Paragraph(LOREM),
            ],
            page_number=True,
        ),
    ]
    return docuforge.parse(make_pdf(pages))


def chunks(document: Document, **options: object) -> list:
    return chunk(document, ChunkOptions.model_validate(options))


def test_disabled_is_one_chunk_of_everything(document: Document) -> None:
    [only] = chunks(document, mode="disabled")
    assert len(only.blocks) == sum(len(p.blocks) for p in document.pages)
    assert only.content.startswith("# Guide") and "## 3. End" in only.content


def test_block_and_page_modes(document: Document) -> None:
    assert [len(c.blocks) for c in chunks(document, mode="block")] == [1] * sum(
        len(p.blocks) for p in document.pages
    )
    pages = chunks(document, mode="page")
    assert len(pages) == 2 and {b.bbox.page for b in pages[1].blocks} == {2}


def test_section_modes_start_at_headings(document: Document) -> None:
    sections = chunks(document, mode="section")
    assert [c.blocks[0].content for c in sections] == ["Guide", "1. Start", "2. Middle", "3. End"]
    per_page = chunks(document, mode="page_sections")
    assert [c.blocks[0].content for c in per_page] == ["Guide", "1. Start", "2. Middle", "3. End"]
    assert all(len({b.bbox.page for b in c.blocks}) == 1 for c in per_page)


def test_variable_keeps_headings_and_captions_with_their_content(document: Document) -> None:
    pieces = chunks(document, mode="variable", size=400)
    assert len(pieces) >= 3
    for piece in pieces:
        assert piece.blocks[-1].type not in (BlockType.TITLE, BlockType.SECTION_HEADER), (
            "a heading ended a chunk"
        )
        ids = {b.id for b in piece.blocks}
        for block in piece.blocks:
            if block.caption_of:
                assert block.caption_of in ids, "a caption left its figure"
        assert len(piece.content) < 3 * 400


def test_overlap_repeats_the_end_of_the_previous_chunk(document: Document) -> None:
    pieces = chunks(document, mode="section", overlap=40)
    plain = chunks(document, mode="section")
    for previous, current, original in zip(plain, pieces[1:], plain[1:], strict=False):
        shared = current.content[: len(current.content) - len(original.content) - 2]
        assert previous.content.endswith(shared) and 0 < len(shared) <= 40
        assert current.content.endswith(original.content)


def test_filter_blocks_and_page_markers(document: Document) -> None:
    options = ChunkOptions.model_validate({"filter_blocks": ["Page Number", "Figure"], "page_markers": True})
    [only] = chunk(document, options)
    assert any(b.type is BlockType.PAGE_NUMBER for b in only.blocks)  # kept in blocks
    assert "<!-- page 1 start -->" in only.content and "<!-- page 2 end -->" in only.content
    assert "\n\n1\n\n" not in only.content and "axis" not in only.content
    assert "axis" not in only.embed
