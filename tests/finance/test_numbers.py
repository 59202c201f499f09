import pytest

from docuforge.finance.labels import clean_label
from docuforge.finance.numbers import find_currency, find_scale, guess_decimal_mark, parse_amount
from docuforge.finance.periods import parse_period


@pytest.mark.parametrize(
    ("text", "decimal", "value"),
    [
        ("1,234", ".", 1234.0),
        ("(1,234)", ".", -1234.0),
        ("1,234-", ".", -1234.0),
        ("-1,234.5", ".", -1234.5),
        ("1.234,5", ",", 1234.5),
        ("(1.234.567)", ",", -1234567.0),
        ("1\u00a0234,50", ",", 1234.5),
        ("\u2014", ".", 0.0),
        ("-", ".", 0.0),
        ("$ 1,234", ".", 1234.0),
        ("\u20ac(12)", ".", -12.0),
        ("1,234*", ".", 1234.0),
        ("512\u2020", ".", 512.0),
        ("12.5", ".", 12.5),
        ("Revenue", ".", None),
        ("2024-12-31", ".", None),
    ],
)
def test_amounts_as_accountants_print_them(text: str, decimal: str, value: float | None) -> None:
    assert parse_amount(text, decimal) == value


def test_decimal_mark_is_guessed_from_the_statement() -> None:
    assert guess_decimal_mark(["1.234", "12.345.678", "(4.500)"]) == ","
    assert guess_decimal_mark(["1,234", "12,345,678", "4.5"]) == "."


@pytest.mark.parametrize(
    ("text", "scale"),
    [
        ("(in thousands of U.S. dollars)", 1000),
        ("$ millions", 1_000_000),
        ("\u20ac'000", 1000),
        ("(in euros)", 1),
        ("USD m", 1_000_000),
        ("(\u00a3m)", 1_000_000),
        ("Revenue by segment", 1),
    ],
)
def test_scale(text: str, scale: int) -> None:
    assert find_scale(text)[0] == scale


def test_currency() -> None:
    assert find_currency("(in thousands of U.S. dollars)")[0] == "USD"
    assert find_currency("(\u20ac'000)")[0] == "EUR"
    assert find_currency("(CHF thousands)")[0] == "CHF"
    assert find_currency("(in pounds sterling)")[0] == "GBP"
    assert find_currency("Amounts as reported")[0] is None


def test_labels_lose_leaders_notes_and_markers() -> None:
    assert clean_label("Revenue . . . . . . . .") == ("Revenue", None)
    assert clean_label("Inventories (Note 7)") == ("Inventories", "7")
    assert clean_label("Trade receivables Note 4.2") == ("Trade receivables", "4.2")
    assert clean_label("Current assets:") == ("Current assets", None)
    assert clean_label("Goodwill*") == ("Goodwill", None)


@pytest.mark.parametrize(
    ("label", "key", "months"),
    [
        ("2024", "FY2024", 12),
        ("FY2023", "FY2023", 12),
        ("Year ended December 31, 2024", "FY2024", 12),
        ("Q3 2024", "2024Q3", 3),
        ("Three months ended September 30, 2024", "2024-09-30/3M", 3),
        ("December 31, 2024", "2024-12-31", None),
        ("31 Dec 2023", "2023-12-31", None),
        ("2022-12-31", "2022-12-31", None),
    ],
)
def test_periods(label: str, key: str, months: int | None) -> None:
    period = parse_period(label)
    assert period.key == key
    assert period.months == months
