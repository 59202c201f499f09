"""Scanned statements: OCR misreads repaired from the sums they break, slanted words straightened into
rows, lost dashes; and labels that wrap under their values."""

from __future__ import annotations

from docuforge.document import Block, BlockType, Document, Page
from docuforge.document.model import BBox, Line, Word
from docuforge.finance.model import Detection, StatementLine, StatementType
from docuforge.finance.read import ReadOptions, read_statement
from docuforge.finance.repair import one_edit_apart, repair
from docuforge.finance.rows import Row, RowOptions, Token, page_rows
from docuforge.finance.validate import find_structure

PERIODS = ["2024", "2023"]


def _lines(rows: list[tuple[str, float | None, float | None]]) -> list[StatementLine]:
    return [
        StatementLine(label=label, values=dict(zip(PERIODS, (a, b), strict=True))) for label, a, b in rows
    ]


def _repair(lines: list[StatementLine], ocr: bool = True):
    structure = find_structure(lines, PERIODS)
    cells = {(i, p) for i in range(len(lines)) for p in PERIODS} if ocr else set()
    return repair(lines, PERIODS, structure, StatementType.BALANCE_SHEET, cells)


def test_one_changed_digit_or_a_lost_sign_is_one_edit() -> None:
    assert one_edit_apart(280, 230, 1)
    assert one_edit_apart(40, -40, 1)
    assert not one_edit_apart(350, 400, 1)  # two digits
    assert not one_edit_apart(120, 70, 1)  # a digit fewer
    assert not one_edit_apart(0, 50, 1)  # a value OCR lost is not read back from the sums


def test_the_one_value_a_digit_away_from_adding_up_is_repaired() -> None:
    lines = _lines(
        [
            ("Cash", 100, 120),
            ("Receivables", 250, 280),  # 230 printed, the 3 read as 8
            ("Total current assets", 350, 350),
        ]
    )
    fixed = _repair(lines)
    assert [(c.kind, c.line, c.period, c.actual, c.expected) for c in fixed] == [
        ("ocr_repair", "Receivables", "2023", 280, 230)
    ]
    assert lines[1].values["2023"] == 230


def test_a_lost_parenthesis_is_repaired() -> None:
    lines = _lines(
        [
            ("Cash", 100, 100),
            ("Receivables", 250, 250),
            ("Allowance", -60, 60),  # (60) printed, the parentheses lost
            ("Total current assets", 290, 290),
        ]
    )
    [fixed] = _repair(lines)
    assert (fixed.line, fixed.actual, fixed.expected) == ("Allowance", 60, -60)


def test_values_from_a_text_layer_are_never_changed() -> None:
    lines = _lines([("Cash", 100, 120), ("Receivables", 250, 280), ("Total current assets", 350, 350)])
    assert _repair(lines, ocr=False) == []
    assert lines[1].values["2023"] == 280


def test_two_readings_that_both_add_up_leave_the_failure_to_validation() -> None:
    lines = _lines(
        [
            ("Cash", 130, 180),  # 180 -> 130, 270 -> 220 and 400 -> 450 each add up
            ("Receivables", 220, 270),
            ("Total current assets", 350, 400),
        ]
    )
    assert _repair(lines) == []
    assert lines[0].values["2023"] == 180


# Rows as OCR gives them (words with boxes and a confidence below 1), read end to end.


def _row(y: float, label: str, values: list[str], x0: float = 0.10, confidence: float = 0.95) -> Row:
    tokens, x = [], x0
    for word in label.split():
        tokens.append(Token(word, (x, y, x + 0.012 * len(word), y + 0.012), 1, False, confidence))
        x += 0.012 * len(word) + 0.006
    for k, value in enumerate(values):
        right = 0.70 + 0.15 * k
        tokens.append(Token(value, (right - 0.011 * len(value), y, right, y + 0.012), 1, False, confidence))
    return Row(tokens, 1)


def _statement(rows: list[Row], options: ReadOptions | None = None):
    header = Row(
        [
            Token("2024", (0.652, 0.08, 0.70, 0.092), 1, False, 0.95),
            Token("2023", (0.802, 0.08, 0.85, 0.092), 1, False, 0.95),
        ],
        1,
    )
    detection = Detection(statement_type=StatementType.BALANCE_SHEET, confidence=0.9, pages=[1])
    return read_statement([[header, *rows]], detection, options)


def test_a_scanned_misread_is_repaired_and_reported() -> None:
    rows = [
        _row(0.10, "Cash and cash equivalents", ["1,200", "1,100"]),
        _row(0.12, "Accounts receivable", ["3,400", "3,800"]),  # 3,300 printed
        _row(0.14, "Inventories", ["2,000", "2,100"]),
        _row(0.16, "Total current assets", ["6,600", "6,500"]),
        _row(0.18, "Property and equipment", ["4,000", "3,900"]),
        _row(0.20, "Total assets", ["10,600", "10,400"]),
    ]
    statement = _statement(rows)
    receivable = statement.lines[1]
    assert receivable.values == {"2024": 3400, "2023": 3300}
    assert all(c.ok for c in statement.checks)
    [repaired] = [c for c in statement.checks if c.kind == "ocr_repair"]
    assert (repaired.line, repaired.period, repaired.actual, repaired.expected) == (
        "Accounts receivable",
        "2023",
        3800,
        3300,
    )
    off = _statement(rows, ReadOptions(repair_misreads=False))
    assert off.lines[1].values["2023"] == 3800
    assert [c.line for c in off.checks if not c.ok] == ["Total current assets"]


def test_a_label_that_wraps_under_its_values_is_one_line() -> None:
    rows = [
        _row(0.10, "Cash", ["1,200", "1,100"]),
        _row(0.13, "Unexpended appropriations - funds from other", ["2,000", "1,900"]),
        _row(0.1425, "Than Dedicated Collections", []),  # set solid under it, rows further apart
        _row(0.17, "Other assets", ["300", "200"]),
        _row(0.20, "Total assets", ["3,500", "3,200"]),
    ]
    statement = _statement(rows)
    assert [line.label for line in statement.lines] == [
        "Cash",
        "Unexpended appropriations - funds from other Than Dedicated Collections",
        "Other assets",
        "Total assets",
    ]
    off = _statement(rows, ReadOptions(wrap_below_values=False))
    assert len(off.lines) == 5


def test_a_scanned_line_whose_dashes_were_lost_reads_zero() -> None:
    rows = [
        _row(0.10, "Current assets", []),
        _row(0.12, "Cash", ["1,200", "1,100"], x0=0.12),
        _row(0.14, "Other current assets", [], x0=0.12),  # "—  —" printed, not read
        _row(0.16, "Inventories", ["2,000", "2,100"], x0=0.12),
        _row(0.18, "Total current assets", ["3,200", "3,200"]),
    ]
    statement = _statement(rows)
    other = statement.lines[2]
    assert other.values == {"2024": 0, "2023": 0}
    assert [line.level for line in statement.lines] == [0, 1, 1, 1, 0]
    assert all(c.ok for c in statement.checks)
    off = _statement(rows, ReadOptions(lost_dashes=False))
    assert off.lines[2].values == {"2024": None, "2023": None}


def test_words_of_a_slanted_scan_are_gathered_into_their_rows() -> None:
    slope = 0.03  # dy per dx, page-normalised: about 1.4 degrees on a letter page
    lines = []
    for r in range(8):
        y = 0.2 + 0.02 * r
        words = []
        for x, text in ((0.10, f"Item{r}"), (0.16, "and"), (0.60, "1,234"), (0.80, "5,678")):
            top = y + slope * x
            box = BBox(left=x, top=top, width=0.05, height=0.012, page=1, original_page=1)
            words.append(Word(text=text, bbox=box, confidence=0.93))
        box = BBox(left=0.1, top=y, width=0.75, height=0.04, page=1, original_page=1)
        lines.append(Line(text=" ".join(w.text for w in words), bbox=box, words=words, confidence=0.93))
    block = Block(
        id="p1-b0",
        type=BlockType.TEXT,
        bbox=BBox(left=0.1, top=0.2, width=0.75, height=0.2, page=1, original_page=1),
        lines=lines,
    )
    page = Page(number=1, original_number=1, width=612, height=792, blocks=[block], ocr=True)
    document = Document(pages=[page])
    rows = page_rows(document, page)
    assert [r.text for r in rows] == [f"Item{r} and 1,234 5,678" for r in range(8)]
    crooked = page_rows(document, page, RowOptions(deskew=False))
    assert [r.text for r in crooked] != [r.text for r in rows]
