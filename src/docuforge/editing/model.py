"""What form filling reads and answers: widgets, options, and the filled result."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from docuforge.document.model import BBox

WidgetType = Literal["text", "checkbox", "radio", "dropdown", "barcode"]


class FillOptions(BaseModel):
    color: str | None = Field(None, description="Text colour of the filled values, hex (#1f3a93).")
    font_size: float | None = Field(
        None, gt=0, description="Font size in points (default: fitted to each field)."
    )
    flatten: bool = Field(False, description="Turn the filled fields into page content.")
    overflow_pages: bool = Field(
        False, description="Text that does not fit its field goes on pages added at the end."
    )
    font: str = Field("Helvetica", description="Standard PDF font for drawn values (flat PDFs).")
    embeddings: bool = Field(
        True,
        description="Pair instructions and fields by meaning too, where the sentence model is installed.",
    )


class Widget(BaseModel):
    """A place to fill: an AcroForm field's widget, or a blank found on a flat page."""

    description: str = Field(description="The label people read beside it.")
    type: WidgetType
    bbox: BBox
    value: str | None = Field(None, description="The value given or filled.")
    fill: bool = Field(True, description="False: leave it empty.")
    font_size: float | None = None
    field_name: str | None = Field(None, description="The AcroForm field's qualified name, when it is one.")
    options: list[str] = Field(default_factory=list, description="A choice's or radio group's options.")


class FillResult(BaseModel):
    pdf: bytes = Field(repr=False)
    widgets: list[Widget]
    method: Literal["acroform", "overlay"]
    unused: list[str] = Field(default_factory=list, description="Parts of the instructions no field took.")
    overflowed: list[str] = Field(
        default_factory=list, description="Fields whose text went to overflow pages."
    )


def hex_color(value: str | None) -> tuple[float, float, float] | None:
    """#rrggbb (or rrggbb, #rgb) as PDF rgb fractions."""
    if not value:
        return None
    text = value.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in text):
        raise ValueError(f"color must be a hex colour like #1f3a93, not {value!r}")
    return tuple(int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def text_width(text: str, size: float) -> float:
    """Approximate width in points of Helvetica text (its average advance is about half an em)."""
    narrow = sum(ch in "il.,:;'|!ftrjI1 " for ch in text)
    wide = sum(ch in "mwMW@%" or ch.isupper() for ch in text)
    return size * (0.52 * len(text) - 0.22 * narrow + 0.2 * wide)
