"""Workspaces: question answering over collections of documents, with citations, scored question
sets and exports. Retrieval is `docuforge.index`; this package is the product around it."""
