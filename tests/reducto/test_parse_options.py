"""Reducto's `parsing` options translated into the engine's: every honoured option reaches it."""

from __future__ import annotations

from docuforge.chunk.options import ChunkOptions
from docuforge.document.model import BlockType
from docuforge.parsing.ocr.options import OcrOptions
from docuforge.parsing.options import PageSpan, SpreadsheetOptions, select_pages
from docuforge.reducto.parse.options import ParseOptions, chunk_options, engine_options, page_specs


def test_defaults_translate_to_the_engines_defaults() -> None:
    from docuforge.parsing.options import ParseOptions as EngineOptions

    assert engine_options(ParseOptions()) == EngineOptions()
    assert chunk_options(ParseOptions()) == ChunkOptions()


def test_every_honoured_option_reaches_the_engine() -> None:
    wire = ParseOptions.model_validate(
        {
            "formatting": {"merge_tables": True, "table_output_format": "html", "add_page_markers": True},
            "retrieval": {
                "chunking": {"chunk_mode": "variable", "chunk_size": 300, "chunk_overlap": 20},
                "embedding_optimized": True,
                "filter_blocks": ["Page Number"],
            },
            "settings": {
                "document_password": "secret",
                "extract_document_properties": True,
                "extraction_mode": "ocr",
                "force_file_extension": ".pdf",
                "page_range": [{"start": 2, "end": 3}, {"start": 7}],
                "return_citations": True,
                "time_budget": 12.5,
            },
            "spreadsheet": {
                "clustering": "fast",
                "exclude": ["hidden_rows"],
                "include": ["formula"],
                "max_cell_count": 1000,
                "split_large_tables": {"enabled": False, "size": {"row": 20, "column": 5}},
            },
        }
    )
    ocr = OcrOptions(engine="tesseract")
    engine = engine_options(wire, ocr)
    assert engine.ocr_mode == "ocr" and engine.ocr is ocr
    assert engine.page_range == [PageSpan(start=2, end=3), PageSpan(start=7)]
    assert engine.password == "secret" and engine.file_format == ".pdf"
    assert engine.document_properties and engine.word_boxes and engine.merge_tables
    assert engine.time_budget == 12.5
    assert engine.spreadsheet == SpreadsheetOptions(
        clustering="fast",
        exclude=frozenset({"hidden_rows"}),
        include=frozenset({"formula"}),
        max_cell_count=1000,
        split_tables=False,
        split_rows=20,
        split_cols=5,
    )
    assert chunk_options(wire) == ChunkOptions(
        mode="variable",
        size=300,
        overlap=20,
        table_format="html",
        page_markers=True,
        filter_blocks=[BlockType.PAGE_NUMBER],
        embedding_optimized=True,
    )


def test_word_boxes_come_with_ocr_data_or_citations() -> None:
    for settings in ({"return_ocr_data": True}, {"return_citations": True}):
        assert engine_options(ParseOptions.model_validate({"settings": settings})).word_boxes
    assert not engine_options(ParseOptions()).word_boxes


def test_every_page_range_shape_selects_the_same_pages_as_before() -> None:
    shapes = {
        "one range": ({"start": 4}, [3, 4, 5]),
        "ranges": ([{"start": 1, "end": 2}, {"start": 6, "end": 6}], [0, 1, 5]),
        "numbers": ([6, 1, 6], [5, 0]),
        "strings": (["2-3", "5-", "9"], [1, 2, 4, 5]),
        "sheet names only": (["Sales"], []),
    }
    for name, (spec, expected) in shapes.items():
        wire = ParseOptions.model_validate({"settings": {"page_range": spec}})
        assert select_pages(page_specs(wire.settings.page_range), 6) == expected, name
    assert page_specs(None) is None
    assert engine_options(
        ParseOptions.model_validate({"settings": {"page_range": ["Sales", "2"]}})
    ).sheet_names() == ["Sales"]


def test_options_the_engine_does_not_honour_are_listed() -> None:
    wire = ParseOptions.model_validate(
        {
            "enhance": {"intelligent_ordering": True},
            "formatting": {"include": ["comments"]},
            "settings": {"return_images": ["page"], "embed_pdf_metadata": True},
        }
    )
    assert wire.unsupported() == [
        "enhance.intelligent_ordering",
        "formatting.include=comments",
        "settings.embed_pdf_metadata",
        "settings.return_images=page",
    ]
