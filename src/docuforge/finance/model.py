"""The statement as the library, the API and the CLI all return it (the issue's JSON shape)."""

from __future__ import annotations

import enum

from pydantic import BaseModel, ConfigDict, Field


class StatementType(enum.StrEnum):
    INCOME_STATEMENT = "income_statement"
    BALANCE_SHEET = "balance_sheet"
    CASH_FLOW = "cash_flow"
    EQUITY = "equity"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CellRef(_Model):
    """Where a value was printed: 1-based page and a box normalised to the page (left, top, width, height)."""

    page: int
    bbox: tuple[float, float, float, float]


class Citation(_Model):
    page: int = Field(description="1-based page of the line.")
    bbox: tuple[float, float, float, float] = Field(description="The line's label: left, top, width, height.")
    values: dict[str, CellRef] = Field(default_factory=dict, description="Each value's cell, by period.")


class StatementLine(_Model):
    label: str = Field(description="The line's label, cleaned of leaders and note references.")
    level: int = Field(0, description="Hierarchy level, 0 the outermost.")
    values: dict[str, float | None] = Field(
        default_factory=dict, description="Per period label: the number as printed, before scale."
    )
    is_total: bool = Field(False, description="A total or subtotal of lines above it.")
    note: str | None = Field(None, description="The note reference printed with the line.")
    citation: Citation | None = None


class Period(_Model):
    """A column header parsed into a period."""

    label: str
    year: int | None = None
    quarter: int | None = None
    months: int | None = Field(None, description="Length: 12 for a year, 3 for a quarter.")
    end_date: str | None = Field(None, description="ISO date the period ends, when printed.")
    key: str = Field(description="What aligns the column across statements: FY2024, 2024Q3, 2024-12-31...")


class Check(_Model):
    """One validation: a total recomputed from its components, or the balance-sheet equation."""

    kind: str = Field(
        description="sum (a total down its components), balance_sheet_equation, across (changes in "
        "equity: the total column along a line), or ocr_repair (a scanned value read again from the sums "
        "it enters: actual as OCR read it, expected as repaired)."
    )
    line: str = Field(description="The line checked.")
    period: str
    expected: float = Field(description="What the components add up to.")
    actual: float | None = Field(description="What was printed.")
    ok: bool
    lines: list[str] = Field(default_factory=list, description="The lines involved (components).")


class Detection(_Model):
    statement_type: StatementType | None = Field(description="None: not a financial statement.")
    confidence: float
    pages: list[int] = Field(default_factory=list)
    title: str | None = None
    evidence: list[str] = Field(
        default_factory=list, description="Title and key line labels that decided it."
    )


class Statement(_Model):
    statement_type: StatementType
    company: str | None = None
    currency: str | None = Field(None, description="ISO 4217 code.")
    scale: int = Field(1, description="1, 1000 or 1000000: multiply printed values by it.")
    periods: list[str] = Field(default_factory=list, description="Column labels, left to right.")
    lines: list[StatementLine] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    # Beyond the shape, still useful to clients:
    title: str | None = None
    pages: list[int] = Field(default_factory=list)
    period_details: list[Period] = Field(default_factory=list)
    confidence: float = Field(0.0, description="Detection confidence times the share of checks that pass.")
    evidence: list[str] = Field(default_factory=list)

    def amount(self, line: StatementLine, period: str) -> float | None:
        """A line's value in currency units (scale applied)."""
        value = line.values.get(period)
        return None if value is None else value * self.scale
