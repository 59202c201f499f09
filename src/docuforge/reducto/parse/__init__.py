"""POST /parse and /parse_async."""
