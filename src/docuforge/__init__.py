"""Docuforge: documents in, structured and cited data out.

As a library::

    import docuforge
    document = docuforge.parse("report.pdf")
    print(docuforge.to_markdown(document))
"""

from docuforge.chunk import chunk
from docuforge.chunk.options import ChunkOptions
from docuforge.classification import classify
from docuforge.document import BlockType, Chunk, Document
from docuforge.editing import fill
from docuforge.extraction import Extraction, ExtractOptions, extract
from docuforge.parsing import ParseOptions, parse
from docuforge.reducto.full_result import to_full_result
from docuforge.render.markdown import to_markdown
from docuforge.splitting import split
from docuforge.version import __version__

__all__ = [
    "BlockType",
    "Chunk",
    "ChunkOptions",
    "Document",
    "ExtractOptions",
    "Extraction",
    "ParseOptions",
    "__version__",
    "chunk",
    "classify",
    "extract",
    "fill",
    "parse",
    "split",
    "to_full_result",
    "to_markdown",
]
