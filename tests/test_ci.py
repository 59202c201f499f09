"""CI is read one way: tests/fixtures/services.py's in_ci(), which every skip goes through."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.fixtures.services import in_ci

TESTS = Path(__file__).parent


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("TRUE", True), ("yes", True), (" True ", True), ("", False), ("0", False)],
)
def test_ci_is_read_one_way(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_no_test_reads_ci_by_itself() -> None:
    reading = re.compile(r"""environ(\.get\(|\[)\s*["']CI["']|getenv\(\s*["']CI["']""")
    offenders = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if path.name != "services.py" and reading.search(path.read_text())
    ]
    assert offenders == []
