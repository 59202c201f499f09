"""POST /classify and /classify_async (spec §4.5, §5.6)."""
