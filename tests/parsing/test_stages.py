"""The pipeline's stages: each optional one switched off by name changes only what it does."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from tests.parsing.conftest import blocks

import docuforge
from docuforge.document.model import BlockType
from docuforge.parsing.options import ParseOptions
from docuforge.parsing.pipeline import STAGES
from docuforge.parsing.stages import PAGE_STAGES

FURNITURE = (BlockType.HEADER, BlockType.FOOTER, BlockType.PAGE_NUMBER)


def test_the_stages_run_in_their_order() -> None:
    assert [stage.name for stage in STAGES] == [
        "read",
        "sheet_tables",
        "slide_order",
        "select_pages",
        "furniture",
        "headings",
        "merge_tables",
    ]
    assert [stage.name for stage in PAGE_STAGES] == [
        "checkbox_marks",
        "layout",
        "checkboxes",
        "column_tables",
        "ocr_confidence",
    ]


def test_switching_off_furniture_leaves_running_lines_as_text(report_pdf: bytes) -> None:
    whole = docuforge.parse(report_pdf)
    assert blocks(whole, BlockType.PAGE_NUMBER) and blocks(whole, BlockType.HEADER)
    ablated = docuforge.parse(report_pdf, ParseOptions(skip_stages={"furniture"}))
    assert not any(b.type in FURNITURE for b in ablated.blocks())
    assert "ACME Corp - Annual Report" in [b.content for b in ablated.blocks()]
    # The other stages still ran: headings keep their levels.
    levels = {b.content: b.level for b in blocks(ablated, BlockType.SECTION_HEADER)}
    assert levels["2.1 Details"] == 3


def test_switching_off_headings_leaves_levels_unset(report_pdf: bytes) -> None:
    ablated = docuforge.parse(report_pdf, ParseOptions(skip_stages={"headings"}))
    whole = docuforge.parse(report_pdf)
    assert {b.level for b in blocks(whole, BlockType.SECTION_HEADER)} == {2, 3}
    assert {b.level for b in blocks(ablated, BlockType.SECTION_HEADER)} != {2, 3}
    assert [b.content for b in ablated.blocks()] == [b.content for b in whole.blocks()]


def test_only_optional_stages_can_be_switched_off() -> None:
    for required in ("read", "layout", "select_pages", "sheet_tables", "no_such_stage"):
        with pytest.raises(ValidationError):
            ParseOptions.model_validate({"skip_stages": [required]})
