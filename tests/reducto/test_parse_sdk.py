"""The official reductoai SDK (0.25) against a running Docuforge, with strict response validation.

The SDK silently falls back to the async type when a synchronous answer does not validate, so
every answer is also checked against the exact model it must be.
"""

from __future__ import annotations

import io
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from reducto.lib.helpers import handle_url_response
from reducto.types import JobGetAllResponse, ParseResponse, Upload
from reducto.types.shared.parse_response import ResultFullResult
from tests.fixtures.pdfs import LOREM, Heading, Page, Paragraph, Table, make_pdf
from tests.fixtures.processes import bootstrap_key, docuforge_server
from tests.fixtures.services import skip_unless_ci

import reducto
from docuforge import __version__
from reducto import Reducto

pytestmark = pytest.mark.slow

REPORT = make_pdf(
    [
        Page(
            [
                Heading("Quarterly report", 20),
                Paragraph(LOREM),
                Heading("1. Sales", 14),
                Table([["Region", "Q1", "Q2"], ["North", "10", "12"], ["South", "7", "9"]]),
            ],
            footer="Confidential",
            page_number=True,
        ),
        Page([Heading("2. Outlook", 14), Paragraph(LOREM)], footer="Confidential", page_number=True),
    ],
    title="Quarterly report",
    author="Finance",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    workdir = tmp_path_factory.mktemp("sdk")
    with docuforge_server({"DOCUFORGE_LOG__LEVEL": "WARNING"}, workdir) as base:
        yield base, bootstrap_key(workdir / "server.log")


@pytest.fixture
def client(server: tuple[str, str]) -> Reducto:
    base, key = server
    return Reducto(api_key=key, base_url=base, _strict_response_validation=True, max_retries=0, timeout=120)


def uploaded(client: Reducto, data: bytes = REPORT) -> str:
    answer = client.upload(file=data, extension="pdf")
    assert isinstance(answer, Upload) and answer.file_id.startswith("reducto://")
    return answer.file_id


def raw_parse(client: Reducto, **kwargs: object) -> dict:
    response = client.parse.with_raw_response.run(**kwargs)
    data = response.http_response.json()
    ParseResponse.model_validate(data, strict=False)  # the exact sync model, not the async fallback
    return data


def test_version_is_a_json_string(client: Reducto) -> None:
    assert json.loads(client.api_version()) == __version__


def test_parse_run_answers_a_parse_response(client: Reducto) -> None:
    file_id = uploaded(client)
    result = client.parse.run(input=file_id, retrieval={"chunking": {"chunk_mode": "page"}})
    assert isinstance(result, ParseResponse), type(result)
    assert result.response_type == "parse" and result.usage.num_pages == 2
    assert result.result.type == "full"
    chunks = result.result.chunks
    assert len(chunks) == 2
    types = [block.type for block in chunks[0].blocks]
    assert "Title" in types and "Table" in types and "Section Header" in types
    table = next(b for b in chunks[0].blocks if b.type == "Table")
    assert "| North | 10 | 12 |" in table.content  # dynamic: a small table is Markdown
    assert 0 < table.bbox.left < 1 and table.bbox.page == 1 and table.bbox.original_page == 1
    assert result.pdf_url and result.duration >= 0
    data = raw_parse(client, input=file_id, formatting={"table_output_format": "html"})
    assert data["result"]["chunks"][0]["content"].count("<table>") == 1


def test_options_shape_the_result(client: Reducto) -> None:
    file_id = uploaded(client)
    result = client.parse.run(
        input=file_id,
        settings={
            "page_range": {"start": 2, "end": 2},
            "return_ocr_data": True,
            "extract_document_properties": True,
        },
        retrieval={
            "chunking": {"chunk_mode": "variable", "chunk_size": 300},
            "filter_blocks": ["Footer", "Page Number"],
        },
        formatting={"add_page_markers": True},
    )
    assert isinstance(result, ParseResponse)
    assert result.usage.num_pages == 1
    blocks = [b for chunk in result.result.chunks for b in chunk.blocks]
    assert {b.bbox.original_page for b in blocks} == {2} and {b.bbox.page for b in blocks} == {1}
    content = "\n".join(chunk.content for chunk in result.result.chunks)
    assert "Confidential" not in content and "<!-- page 1 start -->" in content
    assert any(b.type == "Footer" for b in blocks)  # filtered from content, kept in blocks
    assert result.result.ocr is not None and len(result.result.ocr.words) > 30
    assert result.document_properties is not None and result.document_properties.title == "Quarterly report"


def test_async_jobs_and_the_job_list(client: Reducto) -> None:
    file_id = uploaded(client)
    job_id = client.parse.run_job(input=file_id).job_id
    deadline = time.monotonic() + 60
    while (job := client.job.get(job_id)).status == "Pending":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert job.status == "Completed"
    assert isinstance(job.result, ParseResponse) and job.result.usage.num_pages == 2
    listed = client.job.get_all(limit=50)
    assert isinstance(listed, JobGetAllResponse)
    mine = next(j for j in listed.jobs if j.job_id == job_id)
    assert mine.status == "Completed" and mine.type == "Parse"
    assert json.loads(mine.raw_config).get("input") == file_id, mine.raw_config
    with pytest.raises(reducto.ConflictError):
        client.job.cancel(job_id)  # it already ended


def test_jobid_input_reuses_the_parse(client: Reducto) -> None:
    first = client.parse.run(input=uploaded(client))
    again = client.parse.run(input=f"jobid://{first.job_id}", formatting={"table_output_format": "html"})
    assert isinstance(again, ParseResponse) and again.job_id != first.job_id
    tables = [b for c in again.result.chunks for b in c.blocks if b.type == "Table"]
    assert tables and tables[0].content.startswith("<table>")


def test_url_results_resolve_with_the_helper(client: Reducto) -> None:
    result = client.parse.run(input=uploaded(client), settings={"force_url_result": True})
    assert result.result.type == "url"
    full = handle_url_response(result)  # fetches without the API key
    assert isinstance(full.result, ResultFullResult) and full.result.chunks


def test_presigned_upload(client: Reducto) -> None:
    answer = client.upload()
    assert answer.presigned_url and answer.file_id.startswith("reducto://")
    assert httpx.put(answer.presigned_url, content=REPORT).status_code == 200
    assert client.parse.run(input=answer.file_id).usage.num_pages == 2
    assert client.delete_upload(answer.file_id).file_id == answer.file_id
    with pytest.raises(reducto.NotFoundError):
        client.delete_upload(answer.file_id)


def test_document_errors_have_their_codes(client: Reducto, tmp_path: Path) -> None:
    broken = uploaded(client, b"%PDF-1.7\n this is not a PDF at all")
    with pytest.raises(reducto.UnprocessableEntityError) as caught:
        client.parse.run(input=broken)
    assert caught.value.body["error"]["name"] == "DOCUMENT_CORRUPT"
    locked = uploaded(client, make_pdf([Page([Paragraph(LOREM)])], password="open-sesame"))
    with pytest.raises(reducto.APIStatusError) as caught:
        client.parse.run(input=locked)
    assert (
        caught.value.status_code == 442
        and caught.value.body["error"]["name"] == "DOCUMENT_PASSWORD_PROTECTED"
    )
    opened = client.parse.run(input=locked, settings={"document_password": "open-sesame"})
    assert "Documents arrive" in opened.result.chunks[0].content
    with pytest.raises(reducto.BadRequestError) as caught:
        client.parse.run(input="http://169.254.169.254/latest/meta-data/")
    assert caught.value.body["error"]["name"] == "URL_NOT_ALLOWED"


def test_unknown_and_unsupported_options_are_accepted(client: Reducto) -> None:
    data = raw_parse(
        client,
        input=uploaded(client),
        enhance={"agentic": [{"scope": "table"}]},
        extra_body={"some_future_option": {"x": 1}},
    )
    assert "enhance.agentic" in data["result"]["custom"]["unsupported_options"]


def test_webhook_configuration_and_deletion(client: Reducto) -> None:
    assert json.loads(client.webhook.run()).endswith("/webhooks")
    job_id = client.parse.run_job(input=uploaded(client)).job_id
    deleted = client.job.delete(job_id)
    assert deleted.job_id == job_id
    time.sleep(2)
    with pytest.raises(reducto.APIStatusError) as caught:
        client.job.get(job_id)
    assert caught.value.status_code in (409, 410)


def test_scans_and_office_files_through_the_sdk(client: Reducto) -> None:
    from tests.fixtures.images import encoded, page

    scan = client.upload(file=encoded(page().image, "PNG"), extension="png")
    result = client.parse.run(input=scan.file_id, settings={"return_ocr_data": True})
    assert isinstance(result, ParseResponse) and result.usage.num_pages == 1
    blocks = [b for chunk in result.result.chunks for b in chunk.blocks]
    assert any(b.content == "Quarterly Report" for b in blocks)
    assert all(0 <= b.bbox.left <= 1 and b.bbox.page == 1 for b in blocks)
    words = result.result.ocr.words
    assert words[0].text == "Quarterly" and 0 < words[0].confidence <= 1
    sheet = client.upload(file=b"item,cost\ntea,3\ncoffee,4\n", extension="csv")
    table = client.parse.run(input=sheet.file_id).result.chunks[0].blocks[0]
    assert table.type == "Table" and "| coffee | 4 |" in table.content
    # A workbook, stored under its upload id, with a chart over its cells.
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.Workbook()
    for row in [["item", "cost"], ["tea", 3], ["coffee", 4]]:
        book.active.append(row)
    chart = BarChart()
    chart.title = "Costs"
    chart.add_data(Reference(book.active, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    book.active.add_chart(chart, "D2")
    saved = io.BytesIO()
    book.save(saved)
    workbook = client.upload(file=saved.getvalue(), extension="xlsx")
    found = [b for chunk in client.parse.run(input=workbook.file_id).result.chunks for b in chunk.blocks]
    assert [b.type for b in found] == ["Table", "Figure", "Table"]
    assert "| coffee | 4 |" in found[0].content and found[1].content == "Costs"


@skip_unless_ci(
    shutil.which("soffice") is None,
    "LibreOffice (soffice) is not installed; make install-test installs it",
)
def test_a_docx_gets_page_boxes_and_a_pdf_url_from_libreoffice(client: Reducto) -> None:
    import docx

    word = docx.Document()
    word.add_paragraph("Harbor Report", style="Title")
    word.add_paragraph("Cargo rose this year.")
    out = io.BytesIO()
    word.save(out)
    upload = client.upload(file=out.getvalue(), extension="docx")
    result = client.parse.run(input=upload.file_id)
    assert isinstance(result, ParseResponse)
    title = result.result.chunks[0].blocks[0]
    assert title.type == "Title" and title.content == "Harbor Report"
    assert 0 < title.bbox.width < 1 and 0 < title.bbox.top < 0.3 and title.bbox.page == 1
    assert result.pdf_url
    pdf = httpx.get(result.pdf_url, timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
