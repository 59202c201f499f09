"""Retrieval: sentence embeddings, lexical and dense indexes behind a small protocol (engine)."""
