"""The llm extract engine end to end: the official SDK, a Docuforge server, a real llama.cpp server.

SmolLM2-135M is tiny: the tests check the plumbing (a schema-shaped answer validated against the
exact response model, citations wherever the value is in the document, tokens counted), not
the answers' quality.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from reducto.types import V3Extract
from reducto.types.shared.extract_response import ExtractResponse
from tests.fixtures.pdfs import KeyValues, Page, make_pdf
from tests.fixtures.processes import bootstrap_key, docuforge_server

from reducto import Reducto

pytestmark = pytest.mark.slow

NOTE = make_pdf([Page([KeyValues([("Invoice No", "INV-7"), ("Total", "12.50"), ("Paid", "Yes")])])])
SCHEMA = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string"},
        "total": {"type": "number"},
        "paid": {"type": "boolean"},
    },
}


@pytest.fixture(scope="module")
def client(llama: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reducto]:
    workdir = tmp_path_factory.mktemp("extract-llm")
    env = {
        "DOCUFORGE_LOG__LEVEL": "WARNING",
        "DOCUFORGE_LLM__PROVIDER": "openai-compatible",
        "DOCUFORGE_LLM__BASE_URL": llama,
        "DOCUFORGE_LLM__MODEL": "smollm2-135m",
        "DOCUFORGE_LLM__MAX_TOKENS": "96",
        "DOCUFORGE_LLM__TIMEOUT": "300",
    }
    with docuforge_server(env, workdir) as base:
        yield Reducto(
            api_key=bootstrap_key(workdir / "server.log"),
            base_url=base,
            _strict_response_validation=True,
            max_retries=0,
            timeout=600,
        )


def test_llm_engine_answers_with_citations(client: Reducto) -> None:
    file_id = client.upload(file=NOTE, extension="pdf").file_id
    response = client.extract.with_raw_response.run(
        input=file_id,
        instructions={"schema": SCHEMA},
        settings={"engine": "llm", "citations": {"enabled": True}},  # type: ignore[typeddict-unknown-key]
    )
    data = response.http_response.json()
    V3Extract.model_validate(data, strict=False)
    assert data["engine"] == "llm" and data["usage"]["tokens"]["total_tokens"] > 0
    result = data["result"]
    assert set(result) == {"invoice_number", "total", "paid"}
    for name, leaf in result.items():
        assert set(leaf) == {"value", "citations"}, name
        for citation in leaf["citations"]:  # a cited value is written where the citation points
            assert citation["content"].lower() in citation["parentBlock"]["content"].lower()
            assert citation["bbox"]["page"] == 1


def test_llm_run_job_and_the_default_engine(client: Reducto) -> None:
    file_id = client.upload(file=NOTE, extension="pdf").file_id
    job = client.extract.run_job(
        input=file_id,
        instructions={"schema": SCHEMA},
        settings={"engine": "llm"},  # type: ignore[typeddict-unknown-key]
    )
    deadline = time.monotonic() + 300
    while (status := client.job.get(job.job_id)).status not in ("Completed", "Failed"):
        assert time.monotonic() < deadline
        time.sleep(0.5)
    assert status.status == "Completed" and isinstance(status.result, ExtractResponse)
    assert set(status.result.result[0]) == {"invoice_number", "total", "paid"}
    offline = client.extract.with_raw_response.run(
        input=file_id, instructions={"schema": SCHEMA}
    ).http_response.json()
    assert offline["engine"] == "offline" and offline["result"][0]["invoice_number"] == "INV-7"
