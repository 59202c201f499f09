"""The jobs suite's running service (its own committed database, jobs that really run)."""

from tests.jobs.conftest import (  # noqa: F401  (fixtures)
    fresh_database_url,
    jobs_app,
    jobs_client,
    jobs_settings,
    jobs_tenant,
)
