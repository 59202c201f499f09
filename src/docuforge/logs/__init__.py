"""Log files: streaming parsers for common formats, columnar storage per job, DuckDB queries."""
