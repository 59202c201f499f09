"""Conformance: every resource of reductoai 0.25 that split, classify, edit and pipeline serve, driven
through the public SDK against a running Docuforge (sync and AsyncReducto; run + run_job + job.get;
URL inputs from a local HTTP server; jobid://; URL results; direct webhooks), with the raw JSON
of every answer validated against the exact model it must be.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from reducto.lib.helpers import handle_url_response
from reducto.types import JobGetAllResponse, V3Extract
from reducto.types.shared.classify_response import ClassifyResponse, ResultCategory
from reducto.types.shared.edit_response import EditResponse
from reducto.types.shared.parse_response import ParseResponse
from reducto.types.shared.pipeline_response import PipelineResponse
from reducto.types.shared.split_response import ResultSplitResult, SplitResponse
from tests.fixtures.forms import INSTRUCTIONS, acroform_pdf
from tests.fixtures.packets import SECTIONS, expected, packet
from tests.fixtures.processes import Receiver
from tests.fixtures.sdk import async_client, raw, sdk_server, sync_client

import reducto
from reducto import Reducto

pytestmark = pytest.mark.slow

MODELS = {
    "split": SplitResponse,
    "classify": ClassifyResponse,
    "edit": EditResponse,
    "pipeline": PipelineResponse,
    "parse": ParseResponse,
}
CATEGORIES = [
    {"category": "packet", "criteria": ["invoice", "bank statement", "lease agreement"]},
    {"category": "slide deck", "criteria": ["presentation slides"]},
]
PACKET = packet(blank=False)  # nothing to OCR: the suite drives the API, the engine tests read scans
ACCOUNT = {"type": "object", "properties": {"account_number": {"type": "string"}}}
FORM = acroform_pdf()


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    found.routes["/packet.pdf"] = (200, {"content-type": "application/pdf"}, PACKET)
    found.routes["/form.pdf"] = (200, {"content-type": "application/pdf"}, FORM)
    yield found
    found.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, receiver: Receiver) -> Iterator[tuple[str, str]]:
    # Word matching only: the embeddings' path is covered by the split and classify SDK tests, and
    # the answers here are the same with it (it only costs time).
    env = {"DOCUFORGE_INGEST__URL_ALLOWLIST": "127.0.0.1/32", "DOCUFORGE_DOCUMENT_OPS__EMBEDDINGS": "false"}
    with sdk_server(tmp_path_factory.mktemp("conformance"), env) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: tuple[str, str]) -> Reducto:
    return sync_client(server)


@pytest.fixture(scope="module")
def pipelines(server: tuple[str, str]) -> dict[str, str]:
    base, key = server
    made = {}
    for name, body in {
        "split": {
            "split": {"split_description": SECTIONS},
            "parse": {"settings": {"force_url_result": True}},
        },
        "edit": {"edit": {"edit_instructions": INSTRUCTIONS}},
        "extract": {
            "split": {"split_description": SECTIONS},
            "extract": {"schema": ACCOUNT, "per_split": True, "citations": {"enabled": True}},
        },
    }.items():
        answer = httpx.post(
            f"{base}/pipelines", json={"name": name, **body}, headers={"Authorization": f"Bearer {key}"}
        )
        assert answer.status_code == 201, answer.text
        made[name] = answer.json()["pipeline_id"]
    return made


def finished(client: Reducto, job_id: str, kind: str) -> dict[str, Any]:
    """Poll GET /job/{id} until it ends; its raw JSON, validated as the exact model of its result."""
    deadline = time.monotonic() + 120
    while True:
        answer = client.job.with_raw_response.get(job_id).http_response.json()
        if answer["status"] != "Pending":
            break
        assert time.monotonic() < deadline, answer
        time.sleep(0.3)
    assert answer["status"] == "Completed", answer
    assert answer["type"] == kind.capitalize() and answer["progress"] == 1.0
    MODELS[kind].model_validate(answer["result"])
    assert answer["result"]["response_type"] == kind and answer["result"]["job_id"] == job_id
    typed = client.job.get(job_id)
    assert isinstance(typed.result, MODELS[kind])
    return answer["result"]


def check_split(result: dict[str, Any]) -> None:
    splits = {s["name"]: s["pages"] for s in ResultSplitResult.model_validate(result).model_dump()["splits"]}
    assert splits == expected(blank=False)


def test_sync_resources_with_url_inputs(
    client: Reducto, receiver: Receiver, pipelines: dict[str, str]
) -> None:
    packet_url, form_url = f"{receiver.url}/packet.pdf", f"{receiver.url}/form.pdf"
    check_split(raw(client.split.run, SplitResponse, input=packet_url, split_description=SECTIONS)["result"])
    classified = raw(
        client.classify.run, ClassifyResponse, input=packet_url, classification_schema=CATEGORIES
    )
    assert classified["result"] == {"category": "packet"}
    edited = raw(client.edit.run, EditResponse, document_url=form_url, edit_instructions=INSTRUCTIONS)
    assert httpx.get(edited["document_url"]).content.startswith(FORM)
    ran = raw(client.pipeline.run, PipelineResponse, input=packet_url, pipeline_id=pipelines["split"])
    check_split(ran["result"]["split"]["result"])
    # The pipeline's parse asked for a URL result: the SDK's helper resolves it without the key.
    parse = client.pipeline.run(input=packet_url, pipeline_id=pipelines["split"]).result.parse
    assert isinstance(parse, ParseResponse) and parse.result.type == "url"
    assert len(handle_url_response(parse).result.chunks) >= 1
    cited = raw(client.pipeline.run, PipelineResponse, input=packet_url, pipeline_id=pipelines["extract"])
    statements = [e for e in cited["result"]["extract"] if e.get("partition")]
    for entry in statements:
        V3Extract.model_validate(entry["result"])
        value = entry["result"]["result"]["account_number"]
        assert (
            value["value"] == entry["partition"]
            and value["citations"][0]["bbox"]["page"] in entry["page_range"]
        )
    assert [e["page_range"] for e in statements] == [[3, 4], [5]]
    edit = raw(client.pipeline.run, PipelineResponse, input=form_url, pipeline_id=pipelines["edit"])
    assert edit["result"]["edit"]["response_type"] == "edit" and edit["result"].get("parse") is None


def test_async_client(server: tuple[str, str], pipelines: dict[str, str]) -> None:
    async def drive() -> None:
        async with async_client(server) as client:
            upload = await client.upload(file=PACKET, extension="pdf")
            split = await client.split.run(input=upload.file_id, split_description=SECTIONS)
            assert isinstance(split, SplitResponse) and split.result.splits[0].pages == [1, 2]
            classified = await client.classify.run(input=upload.file_id, classification_schema=CATEGORIES)
            assert isinstance(classified, ClassifyResponse) and classified.result.category == "packet"
            form = await client.upload(file=FORM, extension="pdf")
            edited = await client.edit.run(document_url=form, edit_instructions=INSTRUCTIONS)
            assert isinstance(edited, EditResponse) and edited.form_schema
            jobs = [
                (await client.split.run_job(input=upload.file_id, split_description=SECTIONS)).job_id,
                (
                    await client.classify.run_job(input=upload.file_id, classification_schema=CATEGORIES)
                ).job_id,
                (await client.edit.run_job(document_url=form.file_id, edit_instructions=INSTRUCTIONS)).job_id,
                (await client.pipeline.run_job(input=upload.file_id, pipeline_id=pipelines["split"])).job_id,
            ]
            kinds = (SplitResponse, ClassifyResponse, EditResponse, PipelineResponse)
            for job_id, kind in zip(jobs, kinds, strict=True):
                deadline = time.monotonic() + 120
                while (job := await client.job.get(job_id)).status == "Pending":
                    assert time.monotonic() < deadline
                    await asyncio.sleep(0.3)
                assert job.status == "Completed" and isinstance(job.result, kind), job

    asyncio.run(drive())


def test_jobs_webhooks_and_the_job_list(
    client: Reducto, receiver: Receiver, pipelines: dict[str, str]
) -> None:
    file_id = client.upload(file=PACKET, extension="pdf").file_id
    form_id = client.upload(file=FORM, extension="pdf").file_id
    hook = {"webhook": {"url": f"{receiver.url}/hook"}, "metadata": {"batch": 7}}
    started = {
        "split": client.split.run_job(input=file_id, split_description=SECTIONS, async_=hook).job_id,
        "classify": client.classify.run_job(
            input=file_id, classification_schema=CATEGORIES, async_=hook
        ).job_id,
        "edit": client.edit.run_job(
            document_url=form_id,
            edit_instructions=INSTRUCTIONS,
            webhook={"mode": "direct", "url": f"{receiver.url}/hook", "metadata": {"batch": 7}},
        ).job_id,
        "pipeline": client.pipeline.run_job(
            input=file_id, pipeline_id=pipelines["split"], async_=hook
        ).job_id,
    }
    for kind, job_id in started.items():
        finished(client, job_id, kind)
    deadline = time.monotonic() + 30
    while True:
        posted = [
            json.loads(body)
            for method, path, _, body in receiver.requests
            if path == "/hook" and method == "POST"
        ]
        if {p["job_id"] for p in posted} >= set(started.values()) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    for job_id in started.values():
        event = next(p for p in posted if p["job_id"] == job_id)
        assert event == {"status": "Completed", "job_id": job_id, "metadata": {"batch": 7}}
    listed = client.job.get_all(limit=100)
    assert isinstance(listed, JobGetAllResponse)
    types = {j.job_id: j.type for j in listed.jobs}
    assert {types[job_id] for job_id in started.values()} == {"Split", "Classify", "Edit", "Pipeline"}
    with pytest.raises(reducto.ConflictError):
        client.job.cancel(started["split"])


def test_jobid_inputs_and_url_results(client: Reducto, pipelines: dict[str, str]) -> None:
    parsed = client.parse.run(input=client.upload(file=PACKET, extension="pdf").file_id)
    reuse = f"jobid://{parsed.job_id}"
    split = raw(
        client.split.run,
        SplitResponse,
        input=reuse,
        split_description=SECTIONS,
        settings={"force_url_result": True},
    )
    assert split["result"]["type"] == "url"
    check_split(httpx.get(split["result"]["url"]).json())
    classified = raw(
        client.classify.run,
        ClassifyResponse,
        input=reuse,
        classification_schema=CATEGORIES,
        force_url_result=True,
    )
    assert ResultCategory.model_validate(httpx.get(classified["result"]["url"]).json()).category == "packet"
    ran = raw(client.pipeline.run, PipelineResponse, input=reuse, pipeline_id=pipelines["split"])
    check_split(ran["result"]["split"]["result"])
    with pytest.raises(reducto.BadRequestError):
        client.edit.run(document_url=reuse, edit_instructions=INSTRUCTIONS)  # a form needs its PDF


def test_errors_have_codes(client: Reducto) -> None:
    file_id = client.upload(file=PACKET, extension="pdf").file_id
    with pytest.raises(reducto.NotFoundError) as caught:
        client.pipeline.run(input=file_id, pipeline_id="00000000-0000-0000-0000-000000000001")
    assert caught.value.body["error"]["name"] == "PIPELINE_NOT_FOUND"
    with pytest.raises(reducto.BadRequestError):
        client.split.run(input=file_id, split_description=[])
    with pytest.raises(reducto.BadRequestError):
        client.classify.run(input=file_id)
    with pytest.raises(reducto.NotFoundError):
        client.split.run(
            input="reducto://00000000-0000-0000-0000-000000000000.pdf", split_description=SECTIONS
        )
    with pytest.raises(reducto.BadRequestError) as caught:
        client.classify.run(input="http://169.254.169.254/latest/", classification_schema=CATEGORIES)
    assert caught.value.body["error"]["name"] == "URL_NOT_ALLOWED"
