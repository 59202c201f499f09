"""The table finder's mechanisms, each on tables drawn with a known grid, in several variants
(fonts, sizes, widths, row counts, languages, rule styles), and each switched off once to show
that the drawn tables need it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from benchmarks.tables.drawn import FAMILIES, Sample

import docuforge
from docuforge.document.model import BlockType, Table
from docuforge.parsing import mechanisms


@pytest.fixture(autouse=True)
def _switches() -> Iterator[None]:
    yield
    for field in mechanisms.fields():
        mechanisms.switch(field.name, True)


def grid_of(table: Table) -> list[list[str]]:
    grid = [["" for _ in range(table.n_cols)] for _ in range(table.n_rows)]
    for cell in table.cells:
        grid[cell.row][cell.col] = cell.text
    return grid


def tables(sample: Sample) -> list[Table]:
    document = docuforge.parse(sample.pdf)
    return [b.table for b in document.blocks() if b.type is BlockType.TABLE and b.table is not None]


def read_exactly(sample: Sample) -> bool:
    return any(grid_of(t) == sample.grid for t in tables(sample))


def check(kind: str, seeds: list[int], mechanism: str) -> None:
    samples = [FAMILIES[kind](seed) for seed in seeds]
    assert len({s.variant for s in samples}) >= 3, "the seeds must draw several variants"
    for sample in samples:
        assert read_exactly(sample), (sample.name, [grid_of(t) for t in tables(sample)], sample.grid)
    mechanisms.switch(mechanism, False)
    assert not all(read_exactly(sample) for sample in samples), f"{mechanism} off changes nothing here"


def test_columns_from_value_alignment() -> None:
    """Narrow numeric columns and invoices' quantity, unit price and amount, a few points apart."""
    check("numeric", [0, 2, 4, 8, 10, 12], "value_columns")


def test_group_headers_span_their_sub_columns() -> None:
    samples = [FAMILIES["spanning"](seed) for seed in (0, 2, 4, 6)]
    for sample in samples:
        found = [t for t in tables(sample) if grid_of(t) == sample.grid]
        assert found, (sample.name, [grid_of(t) for t in tables(sample)])
        spans = {(c.row, c.col, c.row_span, c.col_span) for c in found[0].cells if c.col_span > 1}
        assert spans == set(sample.spans), sample.name
    mechanisms.switch("header_spans", False)
    assert not all(read_exactly(sample) for sample in samples)


def test_multi_line_headers_are_one_header_row() -> None:
    check("multiline", [0, 2, 4, 6, 8], "header_spans")


def test_partly_ruled_tables_keep_within_their_rules() -> None:
    """A rule under the header or a frame around the table; a title above and labels beside it."""
    check("partial", [0, 2, 4, 8, 10], "rule_bounds")


def test_right_to_left_tables() -> None:
    """Hebrew and Arabic: first column the rightmost, each cell's words in logical order."""
    samples = [FAMILIES["rtl"](seed) for seed in (0, 2, 4, 6, 8)]
    assert {s.variant[:2] for s in samples} == {"he", "ar"}
    check("rtl", [0, 2, 4, 6, 8], "rtl_rows")


def test_turned_table_beside_upright_text() -> None:
    seeds = [seed for seed in range(0, 40, 2) if FAMILIES["rotated"](seed).variant.startswith("mixed")][:3]
    samples = [FAMILIES["rotated"](seed) for seed in seeds]
    assert len(samples) == 3
    for sample in samples:
        assert read_exactly(sample), sample.name
    mechanisms.switch("turn_tables", False)
    assert not any(read_exactly(sample) for sample in samples)


def test_tables_on_turned_pages_are_read_upright() -> None:
    seeds = [s for s in range(0, 40, 2) if not FAMILIES["rotated"](s).variant.startswith("mixed")][:4]
    for sample in (FAMILIES["rotated"](seed) for seed in seeds):
        assert read_exactly(sample), sample.name


def test_wrapped_cell_text_stays_in_its_row() -> None:
    check("wrapped", [0, 2, 4, 20, 22], "wrapped_cells")


def test_hyphens_that_belong_to_the_text_are_kept() -> None:
    check("hyphen", [0, 2, 4, 6], "cell_hyphens")


def test_superscripts_and_footnote_marks_keep_one_table() -> None:
    for sample in (FAMILIES["footnote"](seed) for seed in (0, 2, 4, 6, 8, 10)):
        found = tables(sample)
        assert len(found) == 1 and grid_of(found[0]) == sample.grid, sample.name


def test_every_switch_is_named() -> None:
    with pytest.raises(ValueError, match="no table mechanism"):
        mechanisms.switch("no_such_mechanism", False)
