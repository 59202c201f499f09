from tests.jobs.conftest import fresh_database_url, jobs_app, jobs_client, jobs_settings, jobs_tenant

__all__ = ["fresh_database_url", "jobs_app", "jobs_client", "jobs_settings", "jobs_tenant"]
