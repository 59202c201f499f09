"""Edit (form filling) through the official SDK (0.25) against a running Docuforge, strictly validated."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import httpx
import pytest
from pypdf import PdfReader
from reducto.types.shared.edit_response import EditResponse
from tests.fixtures.forms import INSTRUCTIONS, acroform_pdf, flat_pdf
from tests.fixtures.sdk import raw, sdk_server, sync_client

import reducto
from reducto import Reducto

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reducto]:
    with sdk_server(tmp_path_factory.mktemp("edit")) as server:
        yield sync_client(server)


def _download(url: str) -> bytes:
    answer = httpx.get(url, timeout=30)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    return answer.content


def test_edit_fills_an_acroform(client: Reducto) -> None:
    original = acroform_pdf()
    upload = client.upload(file=original, extension="pdf")
    data = raw(
        client.edit.run,
        EditResponse,
        document_url=upload.file_id,
        edit_instructions=INSTRUCTIONS,
        edit_options={"color": "#1f3a93", "font_size": 10},
    )
    filled = _download(data["document_url"])
    assert filled.startswith(original)
    fields = {n: f.get("/V") for n, f in PdfReader(io.BytesIO(filled)).get_fields().items()}
    assert fields["vessel_name"] == "Northwind" and fields["fuel"] == "/LNG" and fields["hazardous"] == "/Off"
    widgets = {w["description"]: w for w in data["form_schema"]}
    assert widgets["Vessel name"]["value"] == "Northwind" and widgets["Vessel name"]["font_size"] == 10
    assert widgets["Vessel name"]["type"] == "text" and widgets["Fuel"]["type"] == "radio"
    assert 0 < widgets["Vessel name"]["bbox"]["left"] < 1 and widgets["Vessel name"]["bbox"]["page"] == 1
    assert data["usage"]["usage_breakdown"] == {"edit_model": "Normal", "edit_pages": 1}
    # The answer's widgets, sent back with a value changed, fill again as given (Prefill).
    schema = [
        {**w, "value": "1234567"} if w["description"] == "IMO number" else w for w in data["form_schema"]
    ]
    again = client.edit.run(document_url=upload.file_id, edit_instructions="", form_schema=schema)
    assert isinstance(again, EditResponse) and again.usage.usage_breakdown.edit_model == "Prefill"
    refilled = PdfReader(io.BytesIO(_download(again.document_url))).get_fields()
    assert refilled["imo"].get("/V") == "1234567" and refilled["vessel_name"].get("/V") == "Northwind"


def test_edit_job_on_a_flat_form_flattened(client: Reducto) -> None:
    upload = client.upload(file=flat_pdf(), extension="pdf")
    job_id = client.edit.run_job(
        document_url=upload, edit_instructions="vessel: Northwind, IMO 9321483"
    ).job_id
    deadline = time.monotonic() + 60
    while (job := client.job.get(job_id)).status == "Pending":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert job.status == "Completed" and job.type == "Edit" and isinstance(job.result, EditResponse)
    import pypdfium2 as pdfium

    text = pdfium.PdfDocument(_download(job.result.document_url))[0].get_textpage().get_text_range()
    assert "Northwind" in text and "9321483" in text
    assert {w.description: w.value for w in job.result.form_schema}["Vessel name"] == "Northwind"


def test_bad_requests(client: Reducto) -> None:
    sheet = client.upload(file=b"a,b\n1,2\n", extension="csv")
    with pytest.raises(reducto.APIStatusError) as caught:
        client.edit.run(document_url=sheet.file_id, edit_instructions="a: 3")
    assert caught.value.status_code == 415 and caught.value.body["error"]["name"] == "DOCUMENT_UNSUPPORTED"
    pdf = client.upload(file=acroform_pdf(), extension="pdf")
    with pytest.raises(reducto.BadRequestError):
        client.edit.run(document_url=pdf.file_id, edit_instructions="  ")
    with pytest.raises(reducto.BadRequestError) as caught:
        client.edit.run(
            document_url=pdf.file_id, edit_instructions="vessel: X", edit_options={"color": "nope"}
        )
    assert caught.value.body["error"]["name"] == "INVALID_CONFIG"
