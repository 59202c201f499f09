"""The openai-compatible provider against a real llama.cpp server (SmolLM2-135M), and the circuit
breaker when that server is stopped mid-run and started again. Plumbing, not answer quality."""

from __future__ import annotations

import time
from pathlib import Path

import jsonschema
import pytest

from docuforge.errors import ErrorCode
from docuforge.llm import CircuitOpen, LlmError, LlmOptions, Message, client
from docuforge.llm import metrics as llm_metrics
from docuforge.llm.breaker import CLOSED, OPEN
from tests.fixtures.llm import llama_server
from tests.fixtures.processes import free_port

pytestmark = pytest.mark.slow

SCHEMA = {
    "type": "object",
    "properties": {"invoice_number": {"type": ["string", "null"]}, "total": {"type": ["number", "null"]}},
    "required": ["invoice_number", "total"],
    "additionalProperties": False,
}
ASK = [
    Message(role="system", content="Answer with JSON."),
    Message(role="user", content="Invoice No: INV-7\nTotal: 12.50\nGive invoice_number and total as JSON."),
]


def test_structured_answer_from_llama(llama: str) -> None:
    llm = client(LlmOptions(base_url=llama, model="smollm2-135m", max_retries=0))
    before = llm_metrics.CALLS.labels("openai-compatible", "smollm2-135m", "ok")._value.get()
    answer = llm.complete(ASK, json_schema=SCHEMA, max_tokens=48)
    jsonschema.validate(answer.parsed, SCHEMA)  # the server's grammar holds the model to the schema
    assert answer.usage.prompt_tokens > 10 and answer.usage.completion_tokens > 0
    assert llm_metrics.CALLS.labels("openai-compatible", "smollm2-135m", "ok")._value.get() == before + 1


def test_breaker_opens_when_the_server_stops_and_closes_when_it_is_back(llama: str, tmp_path: Path) -> None:
    # `llama` proves this build serves completions; the test stops and restarts a server of its own.
    port = free_port()
    options = LlmOptions(
        base_url=f"http://127.0.0.1:{port}/v1",
        model="m",
        max_retries=0,
        breaker_failures=2,
        breaker_reset=1.0,
    )
    llm = client(options)
    with llama_server(tmp_path, port):
        assert llm.complete(ASK, max_tokens=4).usage.completion_tokens > 0
        assert llm.breaker.state == CLOSED
    for _ in range(2):  # stopped: refused connections count as failures
        with pytest.raises(LlmError) as refused:
            llm.complete(ASK, max_tokens=4)
        assert refused.value.code is ErrorCode.LLM_PROVIDER_ERROR
    assert llm.breaker.state == OPEN
    started = time.monotonic()
    with pytest.raises(CircuitOpen):
        llm.complete(ASK, max_tokens=4)
    assert time.monotonic() - started < 0.5  # failed fast, without trying the network
    with llama_server(tmp_path, port):
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
        assert llm.complete(ASK, max_tokens=4).usage.completion_tokens > 0  # the probe
        assert llm.breaker.state == CLOSED
