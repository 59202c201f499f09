"""Every operation of the OpenAPI, fuzzed by schemathesis against a server process: no 5xx.

Bounded so CI can afford it: a few examples per operation and no shrinking. The key is an
admin's, so the requests reach the handlers rather than stopping at authorization.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from tests.fixtures.processes import bootstrap_key, docuforge_server

from docuforge.config import Settings
from docuforge.server import create_app

pytestmark = pytest.mark.slow

schema = schemathesis.openapi.from_dict(
    create_app(Settings(_env_file=None, env="test", data_dir=Path("unused")), configure_logs=False).openapi()
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    workdir = tmp_path_factory.mktemp("fuzz")
    env = {"DOCUFORGE_LOG__LEVEL": "WARNING", "DOCUFORGE_RATE_LIMITS__ENABLED": "false"}
    with docuforge_server(env, workdir) as base:
        yield base, {"Authorization": f"Bearer {bootstrap_key(workdir / 'server.log')}"}


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error(
    case: schemathesis.Case, server: tuple[str, dict[str, str]]
) -> None:
    base, auth = server
    response = case.call(base_url=base, headers=auth, timeout=60)
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text)
