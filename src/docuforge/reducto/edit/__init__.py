"""POST /edit and /edit_async: fill PDF forms (spec §4.4, §5.5)."""
