"""Edit with an LLM configured, end to end: the official SDK, a Docuforge server, a real llama.cpp
server (SmolLM2-135M). Plumbing, not answer quality: the LLM's tokens are counted, and every value
the answer reports is one its field can take and the one the filled file holds."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
from pypdf import PdfReader
from reducto.types.shared.edit_response import EditResponse
from tests.fixtures.forms import INSTRUCTIONS, acroform_pdf
from tests.fixtures.sdk import raw, sdk_server, sync_client

from reducto import Reducto

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(llama: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reducto]:
    env = {
        "DOCUFORGE_LLM__PROVIDER": "openai-compatible",
        "DOCUFORGE_LLM__BASE_URL": llama,
        "DOCUFORGE_LLM__MODEL": "smollm2-135m",
        "DOCUFORGE_LLM__TIMEOUT": "300",
    }
    with sdk_server(tmp_path_factory.mktemp("edit-llm"), env) as server:
        yield sync_client(server)


def test_edit_with_the_llm(client: Reducto) -> None:
    original = acroform_pdf()
    upload = client.upload(file=original, extension="pdf")
    data = raw(client.edit.run, EditResponse, document_url=upload.file_id, edit_instructions=INSTRUCTIONS)
    assert data["usage"]["tokens"]["prompt_tokens"] > 50
    filled = httpx.get(data["document_url"]).content
    assert filled.startswith(original)
    stored = {n: f.get("/V") for n, f in PdfReader(io.BytesIO(filled)).get_fields().items()}
    values = {str(v).lstrip("/") for v in stored.values() if v not in (None, "")}
    for widget in data["form_schema"]:
        if widget["value"] is None:
            continue
        if widget["type"] == "checkbox":
            assert widget["value"] in ("Yes", "Off")
        else:
            assert widget["value"] in values
