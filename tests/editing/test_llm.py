"""Form filling with an LLM mapping the instructions: a real llama.cpp server (SmolLM2-135M) for the
plumbing, and the offline mapping when the LLM cannot be reached. Plumbing, not answer quality."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from docuforge.editing import fill
from docuforge.llm import LlmOptions, client
from tests.fixtures.forms import INSTRUCTIONS, acroform_pdf
from tests.fixtures.processes import free_port

pytestmark = pytest.mark.slow


def _read_back(pdf: bytes) -> dict[str, object]:
    return {name: field.get("/V") for name, field in PdfReader(io.BytesIO(pdf)).get_fields().items()}


def test_llm_answers_are_held_to_the_fields(llama: str) -> None:
    original = acroform_pdf()
    llm = client(LlmOptions(base_url=llama, model="smollm2-135m", max_retries=0))
    result = fill(original, INSTRUCTIONS, llm=llm)
    assert result.llm_usage["prompt_tokens"] > 50 and result.pdf.startswith(original)
    stored = _read_back(result.pdf)
    for widget in result.widgets:
        if widget.value is None:
            continue
        if widget.type == "checkbox":
            assert widget.value in ("Yes", "Off")
        elif widget.type in ("radio", "dropdown"):
            assert widget.value in widget.options
        # What the answer reports is what the file holds.
        found = stored[widget.field_name]
        assert str(found).lstrip("/") == widget.value or (
            widget.type == "checkbox" and found in ("/Yes", "/Off")
        )


def test_an_unreachable_llm_leaves_the_offline_mapping() -> None:
    original = acroform_pdf()
    down = client(
        LlmOptions(base_url=f"http://127.0.0.1:{free_port()}/v1", model="m", max_retries=0, timeout=5)
    )
    with_llm = fill(original, INSTRUCTIONS, llm=down)
    offline = fill(original, INSTRUCTIONS)
    assert _read_back(with_llm.pdf) == _read_back(offline.pdf)
    assert _read_back(offline.pdf)["vessel_name"] == "Northwind" and with_llm.llm_usage == {}
