"""Classify through the official SDK (0.25) against a running Docuforge, strictly validated."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from reducto.types.shared.classify_response import ClassifyResponse
from reducto.types.shared.url_result import URLResult
from tests.fixtures.pdfs import Heading, KeyValues, Page, Paragraph, make_pdf
from tests.fixtures.sdk import raw, sdk_server, sync_client

import reducto
from reducto import Reducto

pytestmark = pytest.mark.slow

INVOICE = make_pdf(
    [
        Page(
            [
                Heading("Invoice", 20),
                KeyValues([("Invoice number", "INV-0042"), ("Payment terms", "30 days")]),
                Paragraph("Amount due: $1,240.00. Please pay by bank transfer."),
            ]
        ),
        Page([Paragraph("Thank you for your business.")]),
    ]
)
SCHEMA = [
    {"category": "invoice", "criteria": ["invoice number", "amount due"]},
    {"category": "resume", "criteria": ["work experience", "education"]},
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reducto]:
    with sdk_server(tmp_path_factory.mktemp("classify")) as server:
        yield sync_client(server)


def test_classify_run(client: Reducto) -> None:
    file_id = client.upload(file=INVOICE, extension="pdf").file_id
    data = raw(
        client.classify.run,
        ClassifyResponse,
        input=file_id,
        classification_schema=SCHEMA,
        category_groups={"finance": ["invoice"]},
    )
    assert data["result"] == {"category": "invoice"}
    assert data["extra_metadata"]["grouping"] == "finance"
    categories = data["response_confidence"]["categories"]
    assert [c["category"] for c in categories] == ["invoice", "resume"]
    assert categories[0]["confidence"] > categories[1]["confidence"]
    assert categories[0]["criteria_confidence"][0] == {"criterion": "invoice number", "confidence": "high"}
    assert data["usage"] == {
        "num_categories": 2,
        "num_pages": 2,
        "credits": 2.0,
        "usage_breakdown": {"classify_model": "Classify", "classify_pages": 2},
    }
    typed = client.classify.run(input=file_id, classification_schema=SCHEMA, page_range=[1], model="accurate")
    assert isinstance(typed, ClassifyResponse) and typed.result.category == "invoice"
    assert typed.usage.num_pages == 1 and typed.usage.usage_breakdown.classify_model == "Deep Classify"


def test_classify_job_jobid_and_url_result(client: Reducto) -> None:
    parsed = client.parse.run(input=client.upload(file=INVOICE, extension="pdf").file_id)
    job_id = client.classify.run_job(
        input=f"jobid://{parsed.job_id}", classification_schema=SCHEMA, force_url_result=True
    ).job_id
    deadline = time.monotonic() + 60
    while (job := client.job.get(job_id)).status == "Pending":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert job.status == "Completed" and job.type == "Classify"
    assert isinstance(job.result, ClassifyResponse) and isinstance(job.result.result, URLResult)
    import httpx

    assert httpx.get(job.result.result.url).json() == {"category": "invoice"}


def test_bad_requests(client: Reducto) -> None:
    file_id = client.upload(file=INVOICE, extension="pdf").file_id
    with pytest.raises(reducto.BadRequestError) as caught:
        client.classify.run(input=file_id, classification_schema=[])
    assert caught.value.body["error"]["name"] == "INVALID_REQUEST"
    with pytest.raises(reducto.NotFoundError):
        client.classify.run(
            input="jobid://00000000-0000-0000-0000-000000000000", classification_schema=SCHEMA
        )
