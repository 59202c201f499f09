"""ParseOptions.time_budget: a parse whose budget runs out keeps the pages it finished, names the rest."""

from __future__ import annotations

from tests.fixtures.pdfs import LOREM, Heading, Page, Paragraph, make_pdf

import docuforge
from docuforge.parsing.options import ParseOptions
from docuforge.parsing.pipeline import missing_pages

PDF = make_pdf([Page([Heading(f"Chapter {n}", 18), Paragraph(LOREM)]) for n in range(1, 5)])


def test_a_spent_budget_keeps_the_first_pages_and_names_the_rest() -> None:
    # A microsecond is spent by the time the first page is done; the first page always runs.
    options = ParseOptions(time_budget=1e-6)
    document = docuforge.parse(PDF, options)
    assert [page.number for page in document.pages] == [1]
    assert document.blocks().__next__().content == "Chapter 1"
    assert missing_pages(document, options) == [2, 3, 4]
    assert "the time budget ran out: 3 of 4 pages not parsed (pages 2, 3, 4)" in document.warnings


def test_page_range_and_an_ample_budget() -> None:
    ranged = ParseOptions(time_budget=1e-6, page_range=[2, 4])
    document = docuforge.parse(PDF, ranged)
    assert len(document.pages) == 1 and missing_pages(document, ranged) == [4]
    ample = ParseOptions(time_budget=600)
    whole = docuforge.parse(PDF, ample)
    assert len(whole.pages) == 4 and missing_pages(whole, ample) == [] and not whole.warnings
    assert missing_pages(docuforge.parse(PDF), ParseOptions()) == []
