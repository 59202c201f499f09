"""Switches for the table finder's mechanisms, one per capability, all on by default.

Each mechanism can be switched off so that a benchmark's ablation shows what it buys
(benchmarks/tables/run.py --ablation). The switches are read when a page is parsed, never cached.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass
class TableMechanisms:
    # Column edges from where the body's values line up (their right or left edges) and the
    # whitespace that runs down the body between them, not only from gaps wide enough to see.
    value_columns: bool = True
    # Header rows resolved against the body's columns: a header over several of them spans them,
    # a header set on several lines is one header row.
    header_spans: bool = True
    # Rules that bound part of a table (a rule under its header, a frame around it) bound its
    # extent: text beside them or above the header is no part of it.
    rule_bounds: bool = True
    # Rows of right-to-left text read right to left: columns and the words within a cell.
    rtl_rows: bool = True
    # A page whose text runs a quarter turn is read upright before its tables are found.
    turn_tables: bool = True
    # A cell's text wrapped onto more lines stays in its row.
    wrapped_cells: bool = True
    # A hyphen at the end of a cell's line is the text's own: kept, the lines joined without a space.
    cell_hyphens: bool = True


MECHANISMS = TableMechanisms()


def fields() -> tuple[dataclasses.Field, ...]:
    return dataclasses.fields(TableMechanisms)


def switch(name: str, on: bool) -> None:
    if name not in {f.name for f in fields()}:
        raise ValueError(f"no table mechanism named {name!r}")
    setattr(MECHANISMS, name, on)
