"""POST /split and /split_async (spec §4.3, §5.4)."""
