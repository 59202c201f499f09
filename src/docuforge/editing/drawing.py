"""Drawing on existing pages with pypdf alone: a content stream appended to a page, in a standard
font the PDF need not embed, so the original page content stays untouched."""

from __future__ import annotations

from pypdf import PageObject, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
)

FONT_RESOURCE = "/DFFill"


def escape(text: str) -> str:
    """A PDF literal string body in WinAnsi: backslashes and parentheses escaped, others replaced."""
    encoded = text.encode("cp1252", errors="replace").decode("cp1252")
    return (
        encoded.replace("\\", "\\\\")
        .replace("(", "\\(")
        .replace(")", "\\)")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def _resources(page: PageObject) -> DictionaryObject:
    if "/Resources" not in page:
        page[NameObject("/Resources")] = DictionaryObject()
    return page["/Resources"].get_object()  # type: ignore[return-value]


def ensure_font(writer: PdfWriter, page: PageObject, font: str) -> None:
    resources = _resources(page)
    fonts = resources.get("/Font")
    if fonts is None:
        fonts = DictionaryObject()
        resources[NameObject("/Font")] = fonts
    fonts = fonts.get_object()
    if FONT_RESOURCE not in fonts:
        fonts[NameObject(FONT_RESOURCE)] = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/Type1"),
                    NameObject("/BaseFont"): NameObject("/" + font),
                    NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                }
            )
        )


def append_content(writer: PdfWriter, page: PageObject, operators: str) -> None:
    """Add a content stream after the page's own, its graphics state saved around theirs."""
    before = DecodedStreamObject()
    before.set_data(b"q\n")
    after = DecodedStreamObject()
    after.set_data(("Q\n" + operators).encode("latin-1"))
    existing = page.get("/Contents")
    parts = ArrayObject([writer._add_object(before)])
    if existing is not None:
        existing = existing.get_object() if not isinstance(existing, ArrayObject) else existing
        if isinstance(existing, ArrayObject):
            parts.extend(existing)
        else:
            parts.append(page.raw_get("/Contents"))
    parts.append(writer._add_object(after))
    page[NameObject("/Contents")] = parts


def text_operators(
    text: str, x: float, y: float, size: float, color: tuple[float, float, float] | None
) -> str:
    r, g, b = color or (0.0, 0.0, 0.0)
    return (
        f"q {r:.3f} {g:.3f} {b:.3f} rg BT {FONT_RESOURCE} {size:.2f} Tf {x:.2f} {y:.2f} Td "
        f"({escape(text)}) Tj ET Q\n"
    )


def draw_xobject(writer: PdfWriter, page: PageObject, stream: object, name: str, x: float, y: float) -> str:
    """Register a form XObject on the page; the operators that paint it at (x, y)."""
    resources = _resources(page)
    xobjects = resources.get("/XObject")
    if xobjects is None:
        xobjects = DictionaryObject()
        resources[NameObject("/XObject")] = xobjects
    xobjects = xobjects.get_object()
    xobjects[NameObject(name)] = stream  # type: ignore[index]
    return f"q 1 0 0 1 {x:.3f} {y:.3f} cm {name} Do Q\n"
