"""Alembic environment: always handed a live connection by docuforge.migrations."""

from alembic import context

import docuforge.models  # noqa: F401  (registers every table on the metadata)
from docuforge.db import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds the table instead, on SQLite only.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
