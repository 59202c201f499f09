from __future__ import annotations

import random

import pytest

from tests.fixtures.statements import GStatement, Style, build, make_pdf, reported


@pytest.fixture(scope="session")
def two_years() -> tuple[bytes, bytes, dict[str, GStatement]]:
    """Two annual reports: 2024's (2024 and 2023) and 2023's (2023 and 2022, its labels worded otherwise)."""
    style = Style(notes=True)
    rng = random.Random(2024)
    kinds = ("income_statement", "balance_sheet", "cash_flow")
    full = {k: build(k, rng, n_periods=3, style=style, company="Acme Widgets Inc.", variant=0) for k in kinds}
    worded = {
        k: build(k, rng, n_periods=3, style=style, company="Acme Widgets Inc.", variant=1) for k in kinds
    }
    latest = make_pdf([(reported(full[k], 0, 2), style) for k in kinds])
    earlier = make_pdf([(reported(full[k], 1, 2, variant_of=worded[k]), style) for k in kinds])
    return latest, earlier, full


from tests.jobs.conftest import fresh_database_url  # noqa: E402 - the jobs' fixture, for the API tests

__all__ = ["fresh_database_url"]
