"""Saved pipelines, and running them through the official SDK (0.25), strictly validated."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import httpx
import pytest
from pypdf import PdfReader
from reducto.types.shared.extract_response import ExtractResponse
from reducto.types.shared.parse_response import ParseResponse
from reducto.types.shared.pipeline_response import PipelineResponse
from tests.fixtures.forms import acroform_pdf
from tests.fixtures.packets import SECTIONS, expected, packet
from tests.fixtures.sdk import raw, sdk_server, sync_client

import reducto
from reducto import Reducto

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with sdk_server(
        tmp_path_factory.mktemp("pipeline"), {"DOCUFORGE_DOCUMENT_OPS__EMBEDDINGS": "false"}
    ) as running:
        yield running


@pytest.fixture
def client(server: tuple[str, str]) -> Reducto:
    return sync_client(server)


def _create(server: tuple[str, str], body: dict) -> httpx.Response:
    base, key = server
    return httpx.post(f"{base}/pipelines", json=body, headers={"Authorization": f"Bearer {key}"}, timeout=30)


def test_saved_pipelines_are_listed_and_checked(server: tuple[str, str]) -> None:
    base, key = server
    made = _create(server, {"name": "packets", "split": {"split_description": SECTIONS}})
    assert made.status_code == 201 and made.json()["steps"] == ["parse", "split"]
    again = _create(server, {"name": "packets"})
    assert again.status_code == 409
    bad = _create(
        server, {"name": "both", "edit": {"edit_instructions": "x"}, "split": {"split_description": SECTIONS}}
    )
    assert bad.status_code == 422
    extract = _create(server, {"name": "fields", "extract": {"schema": {"type": "thing"}}})
    assert extract.status_code == 400 and extract.json()["error"]["name"] == "INVALID_SCHEMA"
    per_split = _create(server, {"name": "per split", "extract": {"schema": SCHEMA, "per_split": True}})
    assert per_split.status_code == 422  # per_split needs a split step
    listed = httpx.get(f"{base}/pipelines", headers={"Authorization": f"Bearer {key}"}).json()
    assert [p["name"] for p in listed["pipelines"]] == ["packets"]
    one = httpx.get(
        f"{base}/pipelines/{made.json()['pipeline_id']}", headers={"Authorization": f"Bearer {key}"}
    )
    assert one.json()["config"]["split"]["split_description"][0]["name"] == "Invoice"


def test_parse_and_split_pipeline(server: tuple[str, str], client: Reducto) -> None:
    pipeline_id = _create(server, {"name": "split packets", "split": {"split_description": SECTIONS}}).json()[
        "pipeline_id"
    ]
    file_id = client.upload(file=packet(blank=False), extension="pdf").file_id
    data = raw(client.pipeline.run, PipelineResponse, input=file_id, pipeline_id=pipeline_id)
    ParseResponse.model_validate(data["result"]["parse"])
    assert data["result"]["parse"]["result"]["type"] == "full" and data["usage"]["num_pages"] == 7
    splits = {s["name"]: s["pages"] for s in data["result"]["split"]["result"]["splits"]}
    assert splits == expected(blank=False)
    job_id = client.pipeline.run_job(input=file_id, pipeline_id=pipeline_id).job_id
    deadline = time.monotonic() + 90
    while (job := client.job.get(job_id)).status == "Pending":
        assert time.monotonic() < deadline
        time.sleep(0.3)
    assert job.status == "Completed" and job.type == "Pipeline" and isinstance(job.result, PipelineResponse)
    assert job.result.result.split.result.splits[0].pages == [1, 2]


SCHEMA = {
    "type": "object",
    "properties": {"invoice_number": {"type": "string"}, "account_number": {"type": "string"}},
}


def test_extract_pipelines(server: tuple[str, str], client: Reducto) -> None:
    file_id = client.upload(file=packet(blank=False), extension="pdf").file_id
    whole = _create(server, {"name": "fields", "extract": {"schema": SCHEMA}}).json()
    assert whole["steps"] == ["parse", "extract"]
    data = raw(client.pipeline.run, PipelineResponse, input=file_id, pipeline_id=whole["pipeline_id"])
    ExtractResponse.model_validate(data["result"]["extract"])
    assert data["result"]["extract"]["result"] == [
        {"invoice_number": "INV-7781", "account_number": "12-345-678"}
    ]
    per_split = _create(
        server,
        {
            "name": "fields per statement",
            "split": {"split_description": SECTIONS},
            "extract": {"schema": SCHEMA, "per_split": True},
        },
    ).json()
    ran = client.pipeline.run(input=file_id, pipeline_id=per_split["pipeline_id"])
    assert isinstance(ran, PipelineResponse)
    found = [(e.split_name, e.partition, e.page_range, e.result.result[0]) for e in ran.result.extract]
    assert found[0][:3] == ("Invoice", None, [1, 2]) and found[0][3]["invoice_number"] == "INV-7781"
    statements = [(name, part, pages, value["account_number"]) for name, part, pages, value in found[1:3]]
    assert statements == [
        ("Bank statement", "12-345-678", [3, 4], "12-345-678"),
        ("Bank statement", "98-765-432", [5], "98-765-432"),
    ]
    assert found[3][:3] == ("Lease agreement", None, [6, 7])


def test_edit_pipeline(server: tuple[str, str], client: Reducto) -> None:
    pipeline_id = _create(
        server, {"name": "arrival form", "edit": {"edit_instructions": "vessel: Northwind, IMO 9321483"}}
    ).json()["pipeline_id"]
    upload = client.upload(file=acroform_pdf(), extension="pdf")
    result = client.pipeline.run(input=upload.file_id, pipeline_id=pipeline_id)
    assert isinstance(result, PipelineResponse) and result.result.parse is None
    filled = httpx.get(result.result.edit.document_url).content
    assert PdfReader(io.BytesIO(filled)).get_fields()["imo"].get("/V") == "9321483"
    # A pipeline that holds its form takes the run's input as the instructions.
    holding = _create(server, {"name": "held form", "edit": {"document_url": upload.file_id}}).json()[
        "pipeline_id"
    ]
    held = client.pipeline.run(input="the vessel is Southwind, IMO 1111111", pipeline_id=holding)
    fields = PdfReader(io.BytesIO(httpx.get(held.result.edit.document_url).content)).get_fields()
    assert fields["vessel_name"].get("/V") == "Southwind"


def test_unknown_pipeline_is_a_404_that_says_so(client: Reducto) -> None:
    file_id = client.upload(file=packet(blank=False), extension="pdf").file_id
    for unknown in ("00000000-0000-0000-0000-000000000000", "no-such-pipeline"):
        with pytest.raises(reducto.NotFoundError) as caught:
            client.pipeline.run(input=file_id, pipeline_id=unknown)
        assert caught.value.body["error"]["name"] == "PIPELINE_NOT_FOUND"
