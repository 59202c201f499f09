"""Typed readings of text: amounts in both conventions, dates to ISO, booleans, enums."""

from __future__ import annotations

import pytest

from docuforge.extraction import values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,234.56", 1234.56),
        ("1.234,56 €", 1234.56),
        ("EUR 1 234,50", 1234.5),
        ("(75.00)", -75.0),
        ("-RM 0.02", -0.02),
        ("12.50-", -12.5),
        ("$2.5 million", 2_500_000.0),
        ("USD 3k", 3000.0),
        ("12,50", 12.5),
        ("1,000", 1000.0),
        ("RM33.90", 33.9),
    ],
)
def test_amounts(text: str, expected: float) -> None:
    found = values.find_amounts(text)
    assert found and found[-1].value == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("12-01-19", "DMY", "2019-01-12"),
        ("03/04/2024", "MDY", "2024-03-04"),
        ("03/04/2024", "DMY", "2024-04-03"),
        ("25/12/2023", "MDY", "2023-12-25"),  # a first part over 12 is a day whatever the order
        ("2024-02-29", "DMY", "2024-02-29"),
        ("March 5, 2024", "DMY", "2024-03-05"),
        ("5th Mar 2024", "MDY", "2024-03-05"),
        ("14 JAN 2018 10:15", "DMY", "2018-01-14"),
    ],
)
def test_dates(text: str, order: str, expected: str) -> None:
    assert values.find_dates(text, order)[0].value == expected


def test_dates_reject_impossible_and_glued_codes() -> None:
    assert values.find_dates("31/02/2024") == []
    assert values.find_dates("HC03-7-15") == []


def test_date_order_from_the_document() -> None:
    assert values.date_order_of(["Issued 25/03/2024", "due 04/04/2024"]) == "DMY"
    assert values.date_order_of(["03/25/2024"]) == "MDY"
    assert values.date_order_of(["04/04/2024"]) is None


def test_booleans_and_enums() -> None:
    assert values.parse_bool("Yes") is True
    assert values.parse_bool("☐") is False
    assert values.parse_bool("maybe") is None
    assert values.nearest_option("Paid by VISA card", ["cash", "visa", "mastercard"]) == ("visa", 1.0)
    option, score = values.nearest_option("mastercrd", ["cash", "visa", "mastercard"])
    assert option == "mastercard" and score > 0.8
