"""Splitting packets into named sections, offline (engine: no web, no database)."""

from docuforge.splitting.engine import (
    PageEvidence,
    Partition,
    Section,
    Split,
    SplitOptions,
    SplitResult,
    TocEntry,
    split,
)

__all__ = [
    "PageEvidence",
    "Partition",
    "Section",
    "Split",
    "SplitOptions",
    "SplitResult",
    "TocEntry",
    "split",
]
