"""POST /extract and /extract_async."""
