"""Form filling read back: field values through pypdf, the appearance text through pdfium, and the
original bytes still a prefix of the output."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from docuforge.document.model import BBox
from docuforge.editing import FillOptions, Widget, fill
from docuforge.errors import DocuforgeError
from tests.fixtures.forms import INSTRUCTIONS, acroform_pdf, flat_pdf


def _values(pdf: bytes) -> dict[str, object]:
    return {name: field.get("/V") for name, field in PdfReader(io.BytesIO(pdf)).get_fields().items()}


def _appearance(pdf: bytes, name: str) -> bytes:
    for ref in PdfReader(io.BytesIO(pdf)).pages[0]["/Annots"]:
        annotation = ref.get_object()
        if annotation.get("/T") == name:
            return annotation["/AP"]["/N"].get_object().get_data()
    raise AssertionError(name)


def _text(pdf: bytes) -> str:
    return pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()


@pytest.mark.parametrize("tooltips", [True, False])
def test_acroform_fields_of_every_kind(tooltips: bool) -> None:
    original = acroform_pdf(tooltips)
    result = fill(original, INSTRUCTIONS, options=FillOptions(color="#1f3a93"))
    assert result.method == "acroform" and result.pdf.startswith(original) and len(result.pdf) > len(original)
    values = _values(result.pdf)
    assert (
        values["vessel_name"] == "Northwind" and values["imo"] == "9321483" and values["eta"] == "2026-04-02"
    )
    assert values["hazardous"] == "/Off" and values["port"] == "Hamburg" and values["fuel"] == "/LNG"
    appearance = _appearance(result.pdf, "vessel_name")
    assert b"(Northwind) Tj" in appearance and b"0.122 0.227 0.576 rg" in appearance
    assert b"(Hamburg) Tj" in _appearance(result.pdf, "port")
    # The appearances are written: viewers need not regenerate them.
    assert PdfReader(io.BytesIO(result.pdf)).trailer["/Root"]["/AcroForm"].get("/NeedAppearances") in (
        None,
        False,
    )
    widgets = {w.field_name: w for w in result.widgets}
    assert widgets["imo"].description == "IMO number" and widgets["fuel"].options == ["HFO", "LNG", "MGO"]
    assert widgets["remarks"].value is None and result.unused == []
    assert 0.3 < widgets["vessel_name"].bbox.left < 0.35 and widgets["vessel_name"].bbox.page == 1


def test_flatten_paints_values_into_the_page() -> None:
    original = acroform_pdf()
    result = fill(original, "vessel: Northwind; IMO 9321483", options=FillOptions(flatten=True))
    assert result.pdf.startswith(original)
    text = _text(result.pdf)
    assert "Northwind" in text and "9321483" in text
    reader = PdfReader(io.BytesIO(result.pdf))
    assert not reader.get_fields() and not [
        a for a in reader.pages[0].get("/Annots", []) if a.get_object().get("/Subtype") == "/Widget"
    ]


def test_flat_form_values_are_drawn_in_the_blanks() -> None:
    original = flat_pdf()
    result = fill(original, INSTRUCTIONS + ", master is J. Smith", options=FillOptions(color="#c00000"))
    assert result.method == "overlay" and result.pdf.startswith(original)
    found = {w.description: w.value for w in result.widgets}
    assert found == {
        "Vessel name": "Northwind",
        "IMO number": "9321483",
        "Arrival date": "2026-04-02",
        "Master's name": "J. Smith",
    }
    lines = _text(result.pdf).split("\r\n")
    for value in found.values():
        assert value in lines
    # Each value sits on its label's row, right of the label.
    page = pdfium.PdfDocument(result.pdf)[0].get_textpage()
    label = page.search("Vessel name").get_next()
    value = page.search("Northwind").get_next()
    assert label and value
    label_box, value_box = page.get_charbox(label[0]), page.get_charbox(value[0])
    assert value_box[0] > label_box[2] - 1 and abs(value_box[1] - label_box[1]) < 6


def test_given_widgets_and_values_win() -> None:
    original = acroform_pdf()
    first = fill(original, "").widgets
    imo = next(w for w in first if w.field_name == "imo")
    given = [Widget(description="IMO", type="text", bbox=imo.bbox, value="1234567")]
    result = fill(original, "IMO 9321483, vessel Northwind", widgets=given)
    assert _values(result.pdf)["imo"] == "1234567" and _values(result.pdf)["vessel_name"] == "Northwind"
    skipped = [Widget(description="IMO", type="text", bbox=imo.bbox, fill=False)]
    assert _values(fill(original, "IMO 9321483", widgets=skipped).pdf)["imo"] in (None, "")
    flat_given = [
        Widget(
            description="Notes",
            type="text",
            value="Berth 4",
            bbox=BBox(left=0.1, top=0.5, width=0.5, height=0.03, page=1, original_page=1),
        )
    ]
    drawn = fill(flat_pdf(), "", widgets=flat_given)
    assert "Berth 4" in _text(drawn.pdf) and drawn.method == "overlay"


def test_overflow_pages() -> None:
    long = "Ballast water exchanged at sea in accordance with the convention, log attached"
    plain = fill(acroform_pdf(), f"remarks: {long}")
    assert plain.overflowed == ["Remarks"] and len(PdfReader(io.BytesIO(plain.pdf)).pages) == 1
    result = fill(acroform_pdf(), f"remarks: {long}", options=FillOptions(overflow_pages=True))
    reader = PdfReader(io.BytesIO(result.pdf))
    assert len(reader.pages) == 2
    assert "Ballast water exchanged" in pdfium.PdfDocument(result.pdf)[1].get_textpage().get_text_range()


def test_bad_inputs_have_codes() -> None:
    with pytest.raises(DocuforgeError) as caught:
        fill(b"%PDF-1.7 not really", "x: y")
    assert caught.value.code in ("DOCUMENT_CORRUPT", "FORM_FILL_FAILED")
    with pytest.raises(DocuforgeError) as caught:
        fill(acroform_pdf(), "vessel: X", options=FillOptions(color="blue-ish"))
    assert caught.value.code == "INVALID_CONFIG" and caught.value.status_code == 400
