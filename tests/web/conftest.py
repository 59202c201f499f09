"""One service and one browser for all the Studio's browser tests (Debian's Chromium, never
Playwright's own download); each test gets a fresh browser context, so nothing carries over."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.processes import bootstrap_key, docuforge_server
from tests.fixtures.studio import CHROMIUM, CI, WIDE, Studio

ROOT = Path(__file__).parents[2]


# Package-scoped: Playwright's sync API runs an event loop on the main thread while it is open,
# and the async tests of the packages after this one need that thread free.
@pytest.fixture(scope="package")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    workdir = tmp_path_factory.mktemp("studio")
    shots = Path(os.environ.get("DOCUFORGE_TEST_SCREENSHOTS") or workdir / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    env = {
        "DOCUFORGE_LOG__LEVEL": "WARNING",
        "DOCUFORGE_JOBS__TASK_MODULES": "tests.jobs.tasks",
        "DOCUFORGE_RATE_LIMITS__ENABLED": "false",
        "DOCUFORGE_INGEST__URL_ALLOWLIST": "127.0.0.1/32",
        # The repository root for the test job types, and this checkout's package before any other.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    with docuforge_server(env, workdir) as base:
        log = (workdir / "server.log").read_text()
        password = re.search(r"password:\s+(\S+)", log)
        assert password, "the first start printed no admin password"
        yield Studio(base, bootstrap_key(workdir / "server.log"), password.group(1), shots)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the test extra installs playwright")
    if not Path(CHROMIUM).exists():
        if CI:
            pytest.fail("CI=true needs Debian's chromium (scripts/system-packages.sh --test)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors
