"""A consolidation as an Excel workbook: one sheet per statement type, totals and variances as formulas."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from docuforge.finance.consolidate import ConsolidatedStatement, Consolidation
from docuforge.finance.model import StatementLine, StatementType
from docuforge.finance.validate import find_structure

SHEET_NAMES = {
    StatementType.INCOME_STATEMENT: "Income statement",
    StatementType.BALANCE_SHEET: "Balance sheet",
    StatementType.CASH_FLOW: "Cash flow",
    StatementType.EQUITY: "Changes in equity",
}
SCALE_WORDS = {1: "", 1000: "thousands", 1_000_000: "millions", 1_000_000_000: "billions"}
HEADER_ROW = 4  # rows above it: title, currency and scale, a blank


def to_xlsx(consolidation: Consolidation) -> bytes:
    """The workbook's bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for statement in consolidation.statements:
        _sheet(workbook, statement, consolidation.company)
    if not consolidation.statements:
        workbook.create_sheet("Statements")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number_format(statement: ConsolidatedStatement) -> str:
    decimals = any(v is not None and v != int(v) for line in statement.lines for v in line.values.values())
    body = "#,##0.0" if decimals else "#,##0"
    return f'{body};({body});"\u2013"'


def _sheet(workbook: Workbook, statement: ConsolidatedStatement, company: str | None) -> None:
    sheet = workbook.create_sheet(SHEET_NAMES[statement.statement_type])
    periods = statement.periods
    n = len(periods)
    scale_word = SCALE_WORDS.get(statement.scale, f"x{statement.scale}")
    unit = " ".join(filter(None, [statement.currency, scale_word])) or "units"
    sheet.cell(
        1,
        1,
        " \u2014 ".join(filter(None, [company or statement.company, SHEET_NAMES[statement.statement_type]])),
    ).font = Font(bold=True, size=13)
    sheet.cell(2, 1, f"In {unit}" if scale_word else f"In {statement.currency or 'units'}").font = Font(
        italic=True
    )
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE4EE")
    header = [f"Line item ({unit})"] + [f"{p} ({unit})" for p in periods]
    pairs = [(periods[i], periods[i + 1]) for i in range(n - 1)]
    header += [f"\u0394 {a} vs {b}" for a, b in pairs] + [f"\u0394% {a} vs {b}" for a, b in pairs]
    for col, text in enumerate(header, start=1):
        cell = sheet.cell(HEADER_ROW, col, text)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center" if col > 1 else "left", wrap_text=True)
    number = _number_format(statement)
    lines = [
        StatementLine(label=line.label, level=line.level, values=dict(line.values), is_total=line.is_total)
        for line in statement.lines
    ]
    groups = find_structure(lines, periods).groups
    first = HEADER_ROW + 1
    rule = Border(top=Side(style="thin"))
    for i, line in enumerate(statement.lines):
        row = first + i
        heading = all(v is None for v in line.values.values())
        label = sheet.cell(row, 1, line.label)
        label.alignment = Alignment(indent=line.level * 2)
        if line.is_total or heading:
            label.font = bold
        if heading:
            continue
        group = groups.get(i)
        for p, period in enumerate(periods):
            col = 2 + p
            cell = sheet.cell(row, col)
            value = line.values.get(period)
            if group is not None and group.verified and value is not None:
                letter = get_column_letter(col)
                terms = "".join(
                    f"{'+' if s > 0 else '-'}{letter}{first + c}"
                    for c, s in zip(group.components, group.signs, strict=True)
                )
                cell.value = "=" + terms.lstrip("+")  # the user edits a figure, the totals follow
            else:
                cell.value = value
            cell.number_format = number
            if line.is_total:
                cell.font = bold
                cell.border = rule
        for k in range(n - 1):
            now, before = get_column_letter(2 + k), get_column_letter(3 + k)
            if line.values.get(periods[k]) is None or line.values.get(periods[k + 1]) is None:
                continue
            delta = sheet.cell(row, 2 + n + k, f"={now}{row}-{before}{row}")
            delta.number_format = number
            pct = sheet.cell(
                row,
                2 + n + (n - 1) + k,
                f'=IF({before}{row}=0,"",({now}{row}-{before}{row})/ABS({before}{row}))',
            )
            pct.number_format = "0.0%"
            if line.is_total:
                delta.font = pct.font = bold
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 2)
    widest = max([len(line.label) + 2 * line.level for line in statement.lines] + [20])
    sheet.column_dimensions["A"].width = min(70, widest + 4)
    for col in range(2, len(header) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = max(14, min(24, len(header[col - 1]) * 0.8))
    sheet.row_dimensions[HEADER_ROW].height = 32
