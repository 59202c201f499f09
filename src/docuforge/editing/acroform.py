"""AcroForm fields: read them (type, options, label, place), fill them through the form with their
appearance streams written (/AP, so every viewer shows the values, not only those that honour
NeedAppearances), and flatten them into the page on request."""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from docuforge.document.model import BBox, Document
from docuforge.editing import drawing
from docuforge.editing.instructions import name_words
from docuforge.editing.model import FillOptions, Widget, text_width

_RADIO, _PUSH = 1 << 15, 1 << 16
_COLOR = re.compile(r"(?:[\d.]+\s+){3}rg|[\d.]+\s+g(?!\w)|(?:[\d.]+\s+){4}k")
_FONT = re.compile(r"(/[^\s/]+)\s+([\d.]+)\s+Tf")


def _inherited(field: DictionaryObject, key: str) -> Any:
    while field is not None:
        if key in field:
            return field[key]
        parent = field.get("/Parent")
        field = parent.get_object() if parent is not None else None
    return None


def _field_of(annotation: DictionaryObject) -> DictionaryObject:
    parent = annotation.get("/Parent")
    return annotation if "/T" in annotation or parent is None else parent.get_object()


def qualified_name(field: DictionaryObject) -> str:
    parts = []
    while field is not None:
        if "/T" in field:
            parts.append(str(field["/T"]))
        parent = field.get("/Parent")
        field = parent.get_object() if parent is not None else None
    return ".".join(reversed(parts))


def _kind(field: DictionaryObject) -> str | None:
    kind = _inherited(field, "/FT")
    flags = int(_inherited(field, "/Ff") or 0)
    if kind == "/Tx":
        return "text"
    if kind == "/Ch":
        return "dropdown"
    if kind == "/Btn":
        if flags & _PUSH:
            return None
        return "radio" if flags & _RADIO else "checkbox"
    return None  # signatures and unknown kinds are not filled


def _states(annotation: DictionaryObject) -> list[str]:
    normal = annotation.get("/AP", {}).get("/N") if "/AP" in annotation else None
    normal = normal.get_object() if normal is not None else None
    if isinstance(normal, DictionaryObject) and "/Subtype" not in normal:
        return [str(key)[1:] for key in normal if key != "/Off"]
    return []


def _choices(field: DictionaryObject) -> list[str]:
    options = _inherited(field, "/Opt") or []
    found = []
    for option in options:
        option = option.get_object() if hasattr(option, "get_object") else option
        found.append(str(option[0] if isinstance(option, ArrayObject | list) else option))
    return found


def _bbox(rect: list[float], page: Any, number: int) -> BBox:
    box = page.mediabox
    width, height = float(box.width), float(box.height)
    x0, y0, x1, y1 = (float(v) for v in rect)
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    return BBox(
        left=max(0.0, (x0 - float(box.left)) / width),
        top=max(0.0, (float(box.top) - y1) / height),
        width=(x1 - x0) / width,
        height=(y1 - y0) / height,
        page=number,
        original_page=number,
    )


def _nearby_label(document: Document | None, bbox: BBox) -> str | None:
    """The text beside a widget: the nearest line ending left of it on its row, else the line above."""
    if document is None or bbox.page > len(document.pages):
        return None
    middle = bbox.top + bbox.height / 2
    left_of, above = [], []
    for block in document.pages[bbox.page - 1].blocks:
        for line in block.lines or []:
            box = line.bbox
            if box.top <= middle <= box.bottom + 0.004 and box.right <= bbox.left + 0.01:
                left_of.append((bbox.left - box.right, line.text))
            elif 0 <= bbox.top - box.bottom < 0.03 and box.left < bbox.right and box.right > bbox.left:
                above.append((bbox.top - box.bottom, line.text))
    for candidates in (left_of, above):
        if candidates:
            text = min(candidates)[1].strip().rstrip(":").strip()
            if text:
                return text
    return None


def read_widgets(reader: PdfReader, document: Document | None = None) -> list[Widget]:
    """One Widget per fillable field (a radio group once, boxed around its buttons)."""
    found: dict[str, Widget] = {}
    for number, page in enumerate(reader.pages, start=1):
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            if annotation.get("/Subtype") != "/Widget" or int(annotation.get("/F", 0)) & 2:
                continue
            field = _field_of(annotation)
            kind = _kind(field)
            if kind is None:
                continue
            name = qualified_name(field)
            bbox = _bbox(annotation["/Rect"], page, number)
            if name in found:
                widget = found[name]
                if kind == "radio":
                    widget.options += [s for s in _states(annotation) if s not in widget.options]
                if widget.bbox.page == number:
                    right = max(widget.bbox.right, bbox.right)
                    bottom = max(widget.bbox.bottom, bbox.bottom)
                    widget.bbox.left = min(widget.bbox.left, bbox.left)
                    widget.bbox.top = min(widget.bbox.top, bbox.top)
                    widget.bbox.width, widget.bbox.height = right - widget.bbox.left, bottom - widget.bbox.top
                continue
            tooltip = _inherited(field, "/TU")
            label = (
                str(tooltip) if tooltip else _nearby_label(document, bbox) or name_words(name.split(".")[-1])
            )
            value = _inherited(field, "/V")
            options = _choices(field) if kind == "dropdown" else _states(annotation)
            text = str(value)[1:] if isinstance(value, NameObject) else (str(value) if value else None)
            found[name] = Widget(
                description=label,
                type=kind,  # type: ignore[arg-type]
                bbox=bbox,
                value=None if text in (None, "", "Off") else text,
                field_name=name,
                options=options,
            )
    return list(found.values())


def _font(writer: PdfWriter, field: DictionaryObject) -> str:
    """The field's font resource name, added to the form's resources (Helvetica) when absent."""
    appearance = str(_inherited(field, "/DA") or writer._root_object["/AcroForm"].get("/DA", ""))
    match = _FONT.search(appearance)
    name = match.group(1) if match else "/Helv"
    form = writer._root_object["/AcroForm"]
    resources = form.get("/DR")
    if resources is None:
        resources = DictionaryObject()
        form[NameObject("/DR")] = resources
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is None:
        fonts = DictionaryObject()
        resources[NameObject("/Font")] = fonts
    fonts = fonts.get_object()
    if name not in fonts:
        fonts[NameObject(name)] = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/Type1"),
                    NameObject("/BaseFont"): NameObject("/Helvetica"),
                    NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                }
            )
        )
    return name


def fit_size(text: str, width: float, height: float, wanted: float | None) -> tuple[float, bool]:
    """A font size for one line of text in a box, and whether it fits at all."""
    if wanted:
        return wanted, text_width(text, wanted) <= width - 4
    size = max(6.0, min(12.0, height * 0.7))
    while size > 6 and text_width(text, size) > width - 4:
        size -= 0.5
    return size, text_width(text, size) <= width - 4


def _set_color(
    annotation: DictionaryObject, field: DictionaryObject, rgb: tuple[float, float, float]
) -> None:
    color = f"{rgb[0]:.3f} {rgb[1]:.3f} {rgb[2]:.3f} rg"
    for target in (field, annotation):
        appearance = str(_inherited(target, "/DA") or "/Helv 0 Tf 0 g")
        updated = _COLOR.sub(color, appearance) if _COLOR.search(appearance) else f"{appearance} {color}"
        target[NameObject("/DA")] = TextStringObject(updated)


def fill(
    writer: PdfWriter, widgets: list[Widget], options: FillOptions, color: tuple[float, float, float] | None
) -> list[Widget]:
    """Write each widget's value into its field; returns the text widgets whose value did not fit."""
    by_name = {w.field_name: w for w in widgets if w.field_name and w.fill and w.value is not None}
    overflowed = []
    for page in writer.pages:
        updates: dict[str, Any] = {}
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            if annotation.get("/Subtype") != "/Widget":
                continue
            field = _field_of(annotation)
            name = qualified_name(field)
            widget = by_name.get(name)
            if widget is None or name in updates:
                continue
            if color is not None and widget.type in ("text", "dropdown"):
                _set_color(annotation, field, color)
            if widget.type in ("text", "dropdown"):
                rect = [float(v) for v in annotation["/Rect"]]
                size, fits = fit_size(
                    widget.value or "",
                    abs(rect[2] - rect[0]),
                    abs(rect[3] - rect[1]),
                    widget.font_size or options.font_size,
                )
                widget.font_size = size
                if not fits and widget.type == "text":
                    overflowed.append(widget)
                updates[name] = (widget.value, _font(writer, field), size)
            elif widget.type == "checkbox":
                on = (_states(annotation) or ["Yes"])[0]
                updates[name] = "/" + (on if widget.value not in ("Off", "off", "No", "no", "") else "Off")
            elif widget.type == "radio":
                updates[name] = "/" + (widget.value or "Off")
        if updates:
            writer.update_page_form_field_values(page, updates, auto_regenerate=False)
            for ref in page.get("/Annots") or []:
                annotation = ref.get_object()
                if annotation.get("/Subtype") != "/Widget":
                    continue
                field = _field_of(annotation)
                value = updates.get(qualified_name(field))
                if isinstance(value, str) and _inherited(field, "/FT") == "/Btn":
                    # A button's value is a name (/Yes), which pypdf writes as a string.
                    field[NameObject("/V")] = NameObject(value)
    return overflowed


def flatten(writer: PdfWriter) -> None:
    """Paint every widget's current appearance into its page and remove the form."""
    counter = 0
    for page in writer.pages:
        annotations = page.get("/Annots")
        if not annotations:
            continue
        kept = ArrayObject()
        operators = ""
        for ref in annotations:
            annotation = ref.get_object()
            if annotation.get("/Subtype") != "/Widget":
                kept.append(ref)
                continue
            normal = annotation.get("/AP", {}).get("/N") if "/AP" in annotation else None
            if normal is None or int(annotation.get("/F", 0)) & 2:
                continue
            stream_ref = normal
            resolved = normal.get_object()
            if isinstance(resolved, DictionaryObject) and "/Subtype" not in resolved:
                state = annotation.get("/AS", "/Off")
                stream_ref = resolved.get(state)
                if stream_ref is None:
                    continue
                resolved = stream_ref.get_object()
            rect = [float(v) for v in annotation["/Rect"]]
            box = [float(v) for v in resolved.get("/BBox", [0, 0, 0, 0])]
            counter += 1
            operators += drawing.draw_xobject(
                writer,
                page,
                stream_ref if hasattr(stream_ref, "idnum") else writer._add_object(resolved),
                f"/DFFlat{counter}",
                min(rect[0], rect[2]) - box[0],
                min(rect[1], rect[3]) - box[1],
            )
        if operators:
            drawing.append_content(writer, page, operators)
        page[NameObject("/Annots")] = kept
    form = writer._root_object.get("/AcroForm")
    if form is not None:
        form = form.get_object()
        form[NameObject("/Fields")] = ArrayObject()
        if "/NeedAppearances" in form:
            del form["/NeedAppearances"]
