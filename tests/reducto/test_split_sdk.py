"""Split through the official SDK (0.25) against a running Docuforge, strictly validated."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from reducto.types.shared.split_response import ResultDeepSplitResult, ResultSplitResult, SplitResponse
from reducto.types.shared.url_result import URLResult
from tests.fixtures.packets import SECTIONS, packet
from tests.fixtures.sdk import raw, sdk_server, sync_client

import reducto
from reducto import Reducto

pytestmark = pytest.mark.slow
PACKET = packet()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reducto]:
    with sdk_server(tmp_path_factory.mktemp("split")) as server:
        yield sync_client(server)


@pytest.fixture(scope="module")
def file_id(client: Reducto) -> str:
    return client.upload(file=PACKET, extension="pdf").file_id


def test_split_run(client: Reducto, file_id: str) -> None:
    data = raw(client.split.run, SplitResponse, input=file_id, split_description=SECTIONS)
    ResultSplitResult.model_validate(data["result"])
    splits = {s["name"]: s for s in data["result"]["splits"]}
    assert splits["Invoice"]["pages"] == [1, 2] and splits["Invoice"]["conf"] == "high"
    assert splits["Lease agreement"]["pages"] == [7, 8]
    assert [(p["name"], p["pages"]) for p in splits["Bank statement"]["partitions"]] == [
        ("12-345-678", [3, 4]),
        ("98-765-432", [5]),
    ]
    assert data["result"]["section_mapping"]["Bank Statement (2)"] == [5]
    assert data["result"]["table_of_contents"][-1]["title"] == "Residential Lease Agreement"
    assert data["usage"]["usage_breakdown"] == {"split_model": "Split", "split_pages": 8}
    typed = client.split.run(input=file_id, split_description=SECTIONS, settings={"deep_split": True})
    assert isinstance(typed.result, ResultDeepSplitResult)
    lease = next(s for s in typed.result.splits if s.name == "Lease agreement")
    assert [p.page_number for p in lease.pages] == [7, 8] and lease.pages[0].confidence == "high"
    assert "blank separator" in lease.pages[0].evidence


def test_split_job_with_jobid_and_url_result(client: Reducto, file_id: str) -> None:
    parsed = client.parse.run(input=file_id, settings={"page_range": {"start": 1, "end": 5}})
    job_id = client.split.run_job(
        input=f"jobid://{parsed.job_id}",
        split_description=SECTIONS,
        settings={"force_url_result": True},
        split_rules='Statements begin at "Statement period"',
    ).job_id
    deadline = time.monotonic() + 60
    while (job := client.job.get(job_id)).status == "Pending":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert job.status == "Completed" and job.type == "Split" and isinstance(job.result, SplitResponse)
    assert isinstance(job.result.result, URLResult)
    result = ResultSplitResult.model_validate(httpx.get(job.result.result.url).json())
    assert {s.name: s.pages for s in result.splits}["Bank statement"] == [3, 4, 5]


def test_bad_requests(client: Reducto, file_id: str) -> None:
    with pytest.raises(reducto.BadRequestError):
        client.split.run(input=file_id, split_description=[])
    with pytest.raises(reducto.UnprocessableEntityError):
        client.split.run(input=file_id, split_description=[{"name": "no description"}])
