from tests.jobs.conftest import fresh_database_url

__all__ = ["fresh_database_url"]
