"""The LLM answer engine: verified against the passages, its provider behind the circuit breaker,
and for real against the llama.cpp server."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import asgi_client
from tests.fixtures.identity import make_tenant
from tests.fixtures.llm import llama  # noqa: F401  (the session's llama.cpp server)
from tests.fixtures.processes import free_port
from tests.jobs.conftest import job_settings
from tests.workspaces.conftest import started, wait_job
from tests.workspaces.tender import BIDDERS

from docuforge.index.store import Hit
from docuforge.workspaces.llm_answer import support

pytestmark = pytest.mark.slow


def _hit(text: str) -> Hit:
    return Hit(id="d:0", document_id="d", filename="t.pdf", page=1, text=text, score=1.0)


def test_an_answer_is_kept_only_if_its_passages_hold_it() -> None:
    cited = [_hit("The estimated contract value is EUR 1,250,000 excluding VAT.")]
    assert support("The contract value is EUR 1,250,000.", cited) == 1.0
    assert support("The contract value is EUR 2,000,000.", cited) == 0.0  # a number no passage has
    assert support("The buses are delivered in Ghent by lorry.", cited) < 0.6


async def _workspace_with_bidders(settings_llm: dict, tmp_path: Path):
    settings = job_settings(tmp_path / "data", f"sqlite:///{tmp_path / 'llm.db'}", llm=settings_llm)
    async for app in started(settings):
        async with app.state.db.session() as session:
            tenant = await make_tenant(session)
        async with asgi_client(app) as client:
            headers = tenant.member.headers
            workspace = (await client.post("/workspaces", json={"name": "llm"}, headers=headers)).json()
            added = await client.post(
                f"/workspaces/{workspace['id']}/documents",
                files={"file": ("bidders.csv", BIDDERS.encode(), "text/csv")},
                headers=headers,
            )
            assert (await wait_job(client, tenant, added.json()["job_id"]))["status"] == "Completed"
            yield client, headers, workspace["id"]


async def test_the_circuit_opens_when_the_provider_is_down(tmp_path: Path) -> None:
    down = {
        "provider": "openai-compatible",
        "base_url": f"http://127.0.0.1:{free_port()}/v1",
        "model": "absent",
        "max_retries": 0,
        "breaker_failures": 2,
        "breaker_reset": 60,
    }
    async for client, headers, workspace_id in _workspace_with_bidders(down, tmp_path):
        body = {"question": "Which bidder is from Belgium?", "engine": "llm"}
        codes = []
        for _ in range(3):
            response = await client.post(f"/workspaces/{workspace_id}/ask", json=body, headers=headers)
            codes.append((response.status_code, response.json()["error"]["name"]))
        assert codes == [
            (502, "LLM_PROVIDER_ERROR"),
            (502, "LLM_PROVIDER_ERROR"),
            (503, "SERVICE_UNAVAILABLE"),
        ]
        # The offline engine is unaffected.
        offline = await client.post(
            f"/workspaces/{workspace_id}/ask",
            json={"question": "Which bidder is from Belgium?"},
            headers=headers,
        )
        assert offline.status_code == 200 and "Acme" in offline.json()["answer"]


async def test_an_answer_from_the_llama_cpp_server(tmp_path: Path, llama: str) -> None:  # noqa: F811
    served = {"provider": "openai-compatible", "base_url": llama, "model": "smollm2", "max_retries": 0}
    async for client, headers, workspace_id in _workspace_with_bidders(served, tmp_path):
        response = await client.post(
            f"/workspaces/{workspace_id}/ask",
            json={"question": "Which bidder is from Belgium?", "model": "smollm2"},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        answer = response.json()
        # A 135M-parameter model may or may not produce a supported answer; either way it cites.
        assert answer["engine"] in (
            "llm:smollm2",
            "offline (llm:smollm2 answer not supported by the passages)",
        )
        assert answer["citations"] and answer["citations"][0]["filename"] == "bidders.csv"
        if answer["engine"] == "llm:smollm2":
            assert answer["confidence"] >= 0.6  # the verified share of its words in the cited passages
