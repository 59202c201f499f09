"""fill(pdf, instructions): a PDF form filled from plain-language instructions.

PDFs with AcroForm fields are filled through the form (values and appearance streams); flat PDFs
get their blanks found on the parsed page and the values drawn in. The file is saved as an
incremental update: the original bytes stay a prefix of the output, untouched.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from docuforge.document.model import Document
from docuforge.editing import acroform, drawing, flat
from docuforge.editing.instructions import Target, assign
from docuforge.editing.model import FillOptions, FillResult, Widget, hex_color
from docuforge.errors import DocumentError, ErrorCode


def _overlap(a: Widget, b: Widget) -> float:
    if a.bbox.page != b.bbox.page:
        return 0.0
    width = min(a.bbox.right, b.bbox.right) - max(a.bbox.left, b.bbox.left)
    height = min(a.bbox.bottom, b.bbox.bottom) - max(a.bbox.top, b.bbox.top)
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    union = a.bbox.width * a.bbox.height + b.bbox.width * b.bbox.height - inter
    return inter / union if union > 0 else 0.0


def _merge_given(found: list[Widget], given: list[Widget]) -> list[Widget]:
    """The caller's widgets laid over the form's fields: matched by place, theirs where none match."""
    merged = list(found)
    for widget in given:
        match = max(found, key=lambda f: _overlap(f, widget), default=None)
        if match is not None and _overlap(match, widget) > 0.3:
            match.fill = widget.fill
            match.description = widget.description or match.description
            match.font_size = widget.font_size or match.font_size
            if widget.value is not None:
                match.value = widget.value
        elif not found:
            merged.append(widget)
    return merged


def _overflow_pages(writer: PdfWriter, widgets: list[Widget], options: FillOptions) -> None:
    first = writer.pages[0].mediabox
    width, height = float(first.width), float(first.height)
    lines = ["Continued from the form:"]
    for widget in widgets:
        lines.append("")
        lines += textwrap.wrap(f"{widget.description} (page {widget.bbox.page}): {widget.value}", 90)
    per_page = int((height - 144) // 14)
    for start in range(0, len(lines), per_page):
        page = writer.add_blank_page(width, height)
        drawing.ensure_font(writer, page, options.font)
        operators = "".join(
            drawing.text_operators(line, 72, height - 72 - 14 * i, 10, None)
            for i, line in enumerate(lines[start : start + per_page])
        )
        drawing.append_content(writer, page, operators)


def fill(
    pdf: bytes | Path | str,
    instructions: str = "",
    *,
    document: Document | None = None,
    widgets: list[Widget] | None = None,
    options: FillOptions | None = None,
    password: str | None = None,
    llm: Any = None,
) -> FillResult:
    """Fill a PDF form from instructions (and/or widgets with values); the filled PDF and its widgets.

    `llm` (a docuforge.llm client) maps the instructions where configured; offline otherwise.
    `document` is the parsed PDF: it labels fields that carry no tooltip and finds the blanks of a
    flat form (parsed here when a flat form needs it and none is given).
    """
    options = options or FillOptions()
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    try:
        reader = PdfReader(io.BytesIO(data), password=password)
        if reader.is_encrypted:
            raise DocumentError(
                "form filling needs an unencrypted PDF",
                code=ErrorCode.DOCUMENT_PASSWORD_PROTECTED,
                status_code=442,
            )
        has_fields = bool(reader.get_fields())
    except PdfReadError as exc:
        raise DocumentError(f"not a readable PDF: {exc}", code=ErrorCode.DOCUMENT_CORRUPT) from None
    try:
        color = hex_color(options.color)
    except ValueError as exc:
        raise DocumentError(str(exc), code=ErrorCode.INVALID_CONFIG, status_code=400) from None
    if document is None and (has_fields or not widgets):
        # The page's text labels fields without tooltips, and shows a flat form's blanks.
        from docuforge.parsing.pipeline import parse

        document = parse(data, extension="pdf")
    try:
        found = acroform.read_widgets(reader, document)
    except (PdfReadError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise DocumentError(
            f"the form's fields could not be read: {exc}", code=ErrorCode.FORM_FILL_FAILED
        ) from None
    method = "acroform" if found else "overlay"
    if not found and not widgets and document is not None:
        found = flat.detect(document)
    given = [w.model_copy(deep=True) for w in widgets or []]
    places = _merge_given(found, given)
    # Values the caller gave stay; the instructions fill every other place, over what it held.
    fixed = {id(p) for p in places if p in given and p.value is not None} | {
        id(f) for f in found for g in given if g.value is not None and _overlap(f, g) > 0.3
    }
    targets = [
        Target(key=str(i), label=w.description, kind=w.type, options=tuple(w.options))
        for i, w in enumerate(places)
        if w.fill and id(w) not in fixed
    ]
    floor = 0.4 if options.embeddings else None
    assigned = assign(instructions, targets, meaning_floor=floor) if instructions.strip() else {}
    usage: dict[str, int] = {}
    if llm is not None and instructions.strip() and targets:
        # The LLM's reading wins where it gives a value the field can take; the offline one fills the rest.
        from docuforge.editing.llm import assign_with_llm

        by_llm, usage = assign_with_llm(instructions, targets, llm)
        assigned = {**assigned, **by_llm}
    for key, assignment in assigned.items():
        places[int(key)].value = assignment.value
    writer = PdfWriter(io.BytesIO(data), incremental=True)
    try:
        if method == "acroform":
            overflowed = acroform.fill(writer, places, options, color)
            if options.flatten:
                acroform.flatten(writer)
        else:
            overflowed = flat.draw(writer, places, options, color)
        if overflowed and options.overflow_pages:
            _overflow_pages(writer, overflowed, options)
        out = io.BytesIO()
        writer.write(out)
    except (PdfReadError, KeyError, ValueError, TypeError) as exc:
        raise DocumentError(f"the form could not be filled: {exc}", code=ErrorCode.FORM_FILL_FAILED) from None
    used = {a.clause for a in assigned.values()}
    from docuforge.editing.instructions import clauses

    return FillResult(
        pdf=out.getvalue(),
        widgets=places,
        method=method,
        # What the LLM read from is not known clause by clause: nothing is reported unused then.
        unused=[]
        if any(a.clause == "(llm)" for a in assigned.values())
        else [c.text for c in clauses(instructions) if c.text not in used],
        overflowed=[w.description for w in overflowed],
        llm_usage=usage,
    )
