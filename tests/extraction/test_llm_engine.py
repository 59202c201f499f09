"""The LLM engine over a provider's wire protocol: validation and one repair, citations located in
the document, segments merged without duplicates, tokens accounted."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from docuforge.document.model import Document
from docuforge.errors import ErrorCode
from docuforge.extraction import Engine, ExtractOptions, extract
from docuforge.llm import LlmOptions, LlmOutputError, Provider, client
from tests.fixtures.anthropic import messages_api, tool_answer

SCHEMA = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string"},
        "total": {"type": "number"},
        "due_date": {"type": "string", "format": "date"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"description": {"type": "string"}, "qty": {"type": "integer"}},
            },
        },
    },
}


def _llm(base: str):
    return client(
        LlmOptions(
            provider=Provider.anthropic, base_url=base, model="claude-test", api_key=SecretStr("sk-test")
        )
    )


def test_invalid_answer_is_repaired_then_cited(invoice: Document) -> None:
    with messages_api() as (fake, base):
        fake.answers += [
            tool_answer({"invoice_number": 117, "total": "lots"}),  # wrong types: a repair is asked for
            tool_answer(
                {
                    "invoice_number": "INV-2024-0117",
                    "total": 12960,
                    "due_date": "2024-04-04",
                    "items": [{"description": "Gasket set", "qty": 10}, {"description": "Unicorn", "qty": 1}],
                }
            ),
        ]
        result = extract(invoice, SCHEMA, ExtractOptions(engine=Engine.llm), llm=_llm(base))
    assert len(fake.requests) == 2
    repair = fake.requests[1][1]["messages"][-1]["content"]
    assert "does not match the schema" in repair and "invoice_number" in repair
    assert result.engine is Engine.llm
    assert result.value["total"] == 12960 and result.value["invoice_number"] == "INV-2024-0117"
    assert result.usage == {"prompt_tokens": 240, "completion_tokens": 30, "total_tokens": 270}
    leaves = {tuple(leaf.path): leaf for leaf in result.leaves}
    assert leaves[("total",)].citations[0].text == "12,960.00" and leaves[("total",)].citations[0].page == 2
    assert leaves[("due_date",)].citations[0].text == "04/04/2024"  # an ISO date found as written
    assert leaves[("items", 0, "description")].citations[0].block_ids == ["p1-b6"]
    # A value the document does not hold keeps no citation and lowers the confidence.
    assert leaves[("items", 1, "description")].citations == [] and result.confidence == "low"


def test_array_extract_reads_segments_and_merges(invoice: Document) -> None:
    item = {"description": "Gasket set", "qty": 10}
    with messages_api() as (fake, base):
        fake.answers += [
            tool_answer(
                {"invoice_number": "INV-2024-0117", "total": None, "due_date": None, "items": [item]}
            ),
            tool_answer(
                {
                    "invoice_number": None,
                    "total": 12960,
                    "due_date": None,
                    "items": [item, {"description": "Spare part 30", "qty": 30}],
                }
            ),
        ]
        options = ExtractOptions(engine=Engine.llm, array_extract=True, pages_per_segment=1)
        result = extract(invoice, SCHEMA, options, llm=_llm(base))
    first, second = (body["messages"][0]["content"] for _, body in fake.requests)
    assert "[p1-b0]" in first and "[p2-b" not in first and "[p2-b" in second
    assert result.value["invoice_number"] == "INV-2024-0117" and result.value["total"] == 12960
    assert result.value["items"] == [item, {"description": "Spare part 30", "qty": 30}]


def test_an_answer_that_is_never_json_fails_clearly(invoice: Document) -> None:
    prose = (200, {"content": [{"type": "text", "text": "I cannot help."}], "usage": {}, "model": "m"})
    with messages_api() as (fake, base):
        fake.answers += [prose, prose]
        with pytest.raises(LlmOutputError) as raised:
            extract(invoice, SCHEMA, ExtractOptions(engine=Engine.llm), llm=_llm(base))
    assert raised.value.code is ErrorCode.LLM_OUTPUT_PARSE_FAILED


def test_llm_engine_without_a_provider_is_a_config_error(invoice: Document) -> None:
    with pytest.raises(Exception) as raised:
        extract(invoice, SCHEMA, ExtractOptions(engine=Engine.llm))
    assert raised.value.code is ErrorCode.INVALID_CONFIG


def test_deep_pass_fills_what_the_model_left_empty(invoice: Document) -> None:
    answer = {"invoice_number": "INV-2024-0117", "total": None, "due_date": None, "items": []}
    with messages_api() as (fake, base):
        fake.answers += [tool_answer(answer), tool_answer(answer)]
        plain = extract(invoice, SCHEMA, ExtractOptions(engine=Engine.llm), llm=_llm(base))
        deep = extract(invoice, SCHEMA, ExtractOptions(engine=Engine.llm, deep=True), llm=_llm(base))
    assert plain.value["total"] is None and plain.value["due_date"] is None
    # The model's answer stands; the offline reading fills only its empty places, cited.
    assert deep.value["invoice_number"] == "INV-2024-0117"
    assert deep.value["total"] == 12960.0 and deep.value["due_date"] == "2024-04-04"
    total = next(leaf for leaf in deep.leaves if leaf.path == ["total"])
    assert total.citations and total.citations[0].text == "12,960.00"
