"""The Anthropic provider at its wire protocol: a local server that speaks the Messages API.

We cannot run Anthropic, so this server checks what the real API requires (path, headers,
body shape) and answers as the real API does, including its overloaded and error statuses.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from docuforge.errors import ErrorCode
from docuforge.llm import CircuitOpen, LlmError, LlmOptions, Message, Provider, client
from docuforge.llm import metrics as llm_metrics
from tests.fixtures.anthropic import BAD, OVERLOADED, MessagesApi, messages_api, tool_answer


@pytest.fixture
def api() -> Iterator[tuple[MessagesApi, str]]:
    with messages_api() as served:
        yield served


def make(base: str, **overrides: object):
    options = LlmOptions(
        provider=Provider.anthropic, base_url=base, model="claude-test", api_key=SecretStr("sk-test"),
        backoff=0.01, **overrides,
    )  # fmt: skip
    return client(options)


SCHEMA = {"type": "object", "properties": {"total": {"type": ["number", "null"]}}, "required": ["total"]}


def test_structured_answer_through_a_forced_tool(api: tuple[MessagesApi, str]) -> None:
    fake, base = api
    fake.answers.append(tool_answer({"total": 12.5}))
    llm = make(base)
    before = llm_metrics.TOKENS.labels("anthropic", "claude-test", "prompt")._value.get()
    answer = llm.complete(
        [Message(role="system", content="Be precise."), Message(role="user", content="Total: 12.50")],
        json_schema=SCHEMA,
        max_tokens=50,
    )
    assert answer.parsed == {"total": 12.5}
    assert (answer.usage.prompt_tokens, answer.usage.completion_tokens) == (120, 15)
    headers, body = fake.requests[0]
    assert headers["anthropic-version"] == "2023-06-01"
    assert body["system"] == "Be precise." and body["messages"] == [
        {"role": "user", "content": "Total: 12.50"}
    ]
    assert body["tools"][0]["input_schema"] == SCHEMA
    assert body["tool_choice"] == {"type": "tool", "name": "record_answer"}
    assert llm_metrics.TOKENS.labels("anthropic", "claude-test", "prompt")._value.get() == before + 120


def test_overloaded_is_retried_and_a_bad_request_is_not(api: tuple[MessagesApi, str]) -> None:
    fake, base = api
    fake.answers += [OVERLOADED, OVERLOADED, tool_answer({"total": 1})]
    llm = make(base, max_retries=2)
    assert llm.complete([Message(role="user", content="x")], json_schema=SCHEMA).parsed == {"total": 1}
    assert len(fake.requests) == 3
    fake.answers.append(BAD)
    with pytest.raises(LlmError) as raised:
        llm.complete([Message(role="user", content="x")])
    assert raised.value.code is ErrorCode.LLM_PROVIDER_ERROR and raised.value.upstream_status == 400
    assert len(fake.requests) == 4  # not retried


def test_the_breaker_opens_on_repeated_failures(api: tuple[MessagesApi, str]) -> None:
    fake, base = api
    fake.answers += [OVERLOADED] * 4
    llm = make(base, max_retries=1, breaker_failures=4, breaker_reset=60)
    for _ in range(2):
        with pytest.raises(LlmError):
            llm.complete([Message(role="user", content="x")])
    sent = len(fake.requests)
    with pytest.raises(CircuitOpen) as raised:
        llm.complete([Message(role="user", content="x")])
    assert len(fake.requests) == sent, "an open circuit fails without calling"
    assert raised.value.code is ErrorCode.SERVICE_UNAVAILABLE
