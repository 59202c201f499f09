"""POST /extract and /extract_async through the official reductoai SDK, strictly validated.

The SDK falls back silently to AsyncExtractResponse when an answer does not validate, so every
raw answer is also checked against the exact model it must be (ExtractResponse or V3Extract).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from reducto.types import V3Extract
from reducto.types.shared.extract_response import ExtractResponse
from tests.extraction.conftest import INVOICE_SCHEMA, ITEMS, invoice_pages
from tests.fixtures.pdfs import make_pdf
from tests.fixtures.processes import bootstrap_key, docuforge_server

import reducto
from reducto import Reducto

pytestmark = pytest.mark.slow

INVOICE = make_pdf(invoice_pages())
SMALL_SCHEMA = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string"},
        "total": {"type": "number", "description": "Total amount due"},
        "due_date": {"type": "string", "format": "date"},
    },
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    workdir = tmp_path_factory.mktemp("extract-sdk")
    with docuforge_server({"DOCUFORGE_LOG__LEVEL": "WARNING"}, workdir) as base:
        yield base, bootstrap_key(workdir / "server.log")


@pytest.fixture(scope="module")
def client(server: tuple[str, str]) -> Reducto:
    base, key = server
    return Reducto(api_key=key, base_url=base, _strict_response_validation=True, max_retries=0, timeout=120)


@pytest.fixture(scope="module")
def file_id(client: Reducto) -> str:
    return client.upload(file=INVOICE, extension="pdf").file_id


def raw_extract(client: Reducto, **kwargs: object) -> dict:
    data = client.extract.with_raw_response.run(**kwargs).http_response.json()
    model = V3Extract if data.get("response_type") == "v3_extract" else ExtractResponse
    model.model_validate(data, strict=False)  # the exact model, not the async fallback
    return data


def test_run_fills_the_schema_with_arrays(client: Reducto, file_id: str) -> None:
    data = raw_extract(client, input=file_id, instructions={"schema": INVOICE_SCHEMA})
    assert data["response_type"] == "extract" and data["engine"] == "offline"
    value = data["result"][0]
    assert value["invoiceNumber"] == "INV-2024-0117" and value["total"] == 12960.0
    assert len(value["line_items"]) == len(ITEMS)
    assert data["usage"] == {
        "num_fields": 14,
        "num_pages": 2,
        "credits": 2.0,
        "usage_breakdown": {"extract_model": "Extract", "extract_fields": 14, "extract_pages": 2},
    }
    assert "custom" not in data  # every option asked for was applied
    typed = client.extract.run(input=file_id, instructions={"schema": INVOICE_SCHEMA})
    assert isinstance(typed, ExtractResponse) and typed.usage.num_fields == 14


def test_citations_answer_v3_extract(client: Reducto, file_id: str) -> None:
    data = raw_extract(
        client,
        input=file_id,
        instructions={"schema": SMALL_SCHEMA},
        settings={"citations": {"enabled": True, "numerical_confidence": True}},
    )
    assert data["response_type"] == "v3_extract" and data["confidence"] in ("high", "low")
    total = data["result"]["total"]
    assert total["value"] == 12960.0
    citation = total["citations"][0]
    assert citation["content"] == "12,960.00" and citation["bbox"]["page"] == 2
    assert 0 < citation["granular_confidence"]["extract_confidence"] <= 1
    assert "Total Due" in citation["parentBlock"]["content"]
    typed = client.extract.run(
        input=file_id, instructions={"schema": SMALL_SCHEMA}, settings={"citations": {"enabled": True}}
    )
    assert isinstance(typed, V3Extract)


def test_jobid_of_a_parse_and_of_an_extract_reuses_the_document(client: Reducto, file_id: str) -> None:
    parsed = client.parse.run(input=file_id)
    first = raw_extract(client, input=f"jobid://{parsed.job_id}", instructions={"schema": SMALL_SCHEMA})
    assert first["result"][0]["invoice_number"] == "INV-2024-0117"
    again = raw_extract(client, input=f"jobid://{first['job_id']}", instructions={"schema": SMALL_SCHEMA})
    assert again["result"] == first["result"]
    with pytest.raises(reducto.APIStatusError) as raised:
        client.extract.run(
            input="jobid://00000000-0000-0000-0000-000000000000", instructions={"schema": SMALL_SCHEMA}
        )
    assert raised.value.status_code == 404


def test_run_job_and_job_get(client: Reducto, file_id: str) -> None:
    job = client.extract.run_job(input=file_id, instructions={"schema": SMALL_SCHEMA})
    deadline = time.monotonic() + 120
    while True:
        status = client.job.get(job.job_id)
        if status.status in ("Completed", "Failed") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert status.status == "Completed" and status.type == "Extract"
    assert isinstance(status.result, ExtractResponse)
    assert status.result.result[0]["total"] == 12960.0


def test_force_url_result(client: Reducto, file_id: str) -> None:
    data = raw_extract(
        client, input=file_id, instructions={"schema": SMALL_SCHEMA}, settings={"force_url_result": True}
    )
    assert data["result"]["type"] == "url"
    # The SDK's handle_url_response reads only a parse FullResult; an extract result is fetched as is.
    fetched = httpx.get(data["result"]["url"]).json()
    assert fetched[0]["invoice_number"] == "INV-2024-0117"


def test_bad_schema_is_a_400_with_a_stable_code(client: Reducto, file_id: str) -> None:
    with pytest.raises(reducto.BadRequestError) as raised:
        client.extract.run(
            input=file_id, instructions={"schema": {"type": "object", "properties": {"x": {"type": 5}}}}
        )
    assert raised.value.body["error"]["name"] == "INVALID_SCHEMA"
    assert raised.value.response.headers.get("x-should-retry") == "false"


def test_deep_latency_and_images_are_applied_or_said(client: Reducto, file_id: str) -> None:
    deep = raw_extract(
        client,
        input=file_id,
        instructions={"schema": SMALL_SCHEMA},
        settings={"deep_extract": True, "include_images": True},
    )
    assert deep["usage"]["usage_breakdown"]["extract_model"] == "Deep Extract"
    assert deep["result"][0]["total"] == 12960.0
    # No provider path here sends page images: the response says so instead of ignoring it.
    assert deep["custom"] == {"unsupported_options": ["settings.include_images"]}
    fast = raw_extract(
        client,
        input=file_id,
        instructions={"schema": SMALL_SCHEMA},
        settings={"deep_extract": True, "optimize_for_latency": True},
    )
    assert fast["usage"]["usage_breakdown"]["extract_model"] == "Extract"
    assert fast["custom"]["unsupported_options"] == ["settings.deep_extract (optimize_for_latency skips it)"]
    assert fast["result"][0]["total"] == 12960.0
