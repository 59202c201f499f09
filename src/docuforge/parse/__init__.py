"""The parse engine: a pipeline from document bytes to a Document. No web, no database.

`docuforge.parse` is both this package and the library's entry point: the module is callable,
so `docuforge.parse("report.pdf")` parses while `docuforge.parse.options` stays importable.
"""

import sys
import types

from docuforge.parse.options import ParseOptions
from docuforge.parse.pipeline import parse


class _CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs):
        return parse(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
__all__ = ["ParseOptions", "parse"]
