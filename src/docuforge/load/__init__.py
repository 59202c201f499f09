"""Bytes to pages: format detection and the document backends."""
