"""The parse engine: a pipeline of stages from document bytes to a Document. No web, no database.

The library's entry point is `docuforge.parse(path)`, this package's `parse`; the package is named
for the operation, like `extraction` and `splitting`, so the function needs no module trick.
"""

from docuforge.parsing.options import ParseOptions
from docuforge.parsing.pipeline import parse

__all__ = ["ParseOptions", "parse"]
