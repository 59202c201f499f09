"""The official SDK (max_retries=2, as it ships) never resends what would fail the same way.

The SDK resends 408, 409, 429 and every 5xx unless the answer says `x-should-retry: false`;
each test counts the jobs the server holds, so a resent request shows up as a second job. The
service runs under a root path, reached with the prefix in the SDK's base_url, and the SDK uses
a key made by `docuforge keys create` with its default role.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.fixtures.pdfs import LOREM, Page, Paragraph, make_pdf
from tests.fixtures.processes import Receiver, bootstrap_key, docuforge_server

import reducto
from reducto import Reducto

pytestmark = pytest.mark.slow

PDF = make_pdf([Page([Paragraph(LOREM)])])
PREFIX = "/reducto"


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    server.routes["/slow.pdf"] = (200, {"content-type": "application/pdf"}, PDF)
    server.delays["/slow.pdf"] = 6
    yield server
    server.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    workdir = tmp_path_factory.mktemp("retries")
    env = {
        "DOCUFORGE_LOG__LEVEL": "WARNING",
        "DOCUFORGE_SERVER__ROOT_PATH": PREFIX,
        "DOCUFORGE_INGEST__URL_ALLOWLIST": "127.0.0.1/32",
    }
    with docuforge_server(env, workdir) as base:
        bootstrap_key(workdir / "server.log")  # the first start made the default organization
        # Its credentials are a framed block of their own on stderr, not a line among the logs.
        printed = (workdir / "server.log").read_text()
        assert re.search(r"\n={78}\n(?:  .*\n|\n)+?  API key:     df_\w+\n(?:  .*\n|\n)*={78}\n", printed)
        made = subprocess.run(
            [sys.executable, "-m", "docuforge", "keys", "create", "--name", "sdk"],
            env={
                **{k: v for k, v in os.environ.items() if not k.startswith("DOCUFORGE_")},
                "DOCUFORGE_DATA_DIR": str(workdir / "data"),
            },
            capture_output=True,
            text=True,
            check=True,
        )
        key = re.search(r"^(df_\w+)$", made.stdout, re.MULTILINE)
        assert key, made.stdout
        yield base, key.group(1)


@pytest.fixture
def client(server: tuple[str, str]) -> Reducto:
    base, key = server
    # The SDK's own retry policy, unchanged: up to two resends.
    return Reducto(api_key=key, base_url=base + PREFIX, max_retries=2, timeout=60)


def job_count(client: Reducto) -> int:
    return len(client.job.get_all(limit=500).jobs)


def test_the_sdk_works_under_the_root_path_with_a_default_key(
    client: Reducto, server: tuple[str, str]
) -> None:
    base, key = server
    assert client.webhook.run().strip('"').endswith(f"{PREFIX}/webhooks")
    file_id = client.upload(file=PDF, extension="pdf").file_id
    assert client.parse.run(input=file_id).usage.num_pages == 1
    # A proxy that strips the prefix reaches the same routes.
    stripped = httpx.get(base + "/jobs", headers={"Authorization": f"Bearer {key}"})
    assert stripped.status_code == 200 and stripped.json()["jobs"]


def test_a_job_timeout_is_not_resent(client: Reducto, receiver: Receiver) -> None:
    before = job_count(client)
    with pytest.raises(reducto.APIStatusError) as caught:
        client.parse.run(input=receiver.url + "/slow.pdf", settings={"timeout": 1})
    assert caught.value.status_code == 504 and caught.value.body["error"]["name"] == "TIMEOUT"
    assert caught.value.response.headers["x-should-retry"] == "false"
    assert job_count(client) == before + 1


def test_a_cancelled_sync_parse_is_not_resent(client: Reducto, receiver: Receiver) -> None:
    before = job_count(client)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            client.parse.run(input=receiver.url + "/slow.pdf")
        except BaseException as error:  # handed to the test thread
            outcome.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 30
    while (jobs := client.job.get_all(limit=500).jobs) and len(jobs) == before:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    client.job.cancel(jobs[0].job_id)
    thread.join(60)
    assert outcome and isinstance(outcome[0], reducto.APIStatusError), outcome
    assert outcome[0].body["error"]["name"] == "JOB_CANCELLED"
    assert job_count(client) == before + 1
    # Cancelling it again: the job has ended, a permanent state no resend changes.
    with pytest.raises(reducto.ConflictError) as caught:
        client.job.cancel(jobs[0].job_id)
    assert caught.value.response.headers["x-should-retry"] == "false"


def test_a_dead_url_fails_at_once_and_is_not_resent(client: Reducto) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        before = job_count(client)
        started = time.monotonic()
        with pytest.raises(reducto.BadRequestError) as caught:
            client.parse.run(input=f"http://127.0.0.1:{closed.getsockname()[1]}/gone.pdf")
    assert "could not connect" in caught.value.body["error"]["message"]
    assert time.monotonic() - started < 10  # no backoff between attempts of a dead URL
    assert job_count(client) == before + 1


def test_page_images_are_reported_as_unsupported(client: Reducto) -> None:
    file_id = client.upload(file=PDF, extension="pdf").file_id
    result = client.parse.run(input=file_id, settings={"return_images": ["page"]}).result
    assert "settings.return_images=page" in result.custom["unsupported_options"]


def test_an_unreadable_upload_is_refused_and_not_resent(client: Reducto, tmp_path: Path) -> None:
    with pytest.raises(reducto.APIStatusError) as caught:
        client.upload(file=b"MZ\x90\x00" + b"\x00" * 100, extension="exe")
    assert caught.value.status_code == 415 and caught.value.body["error"]["name"] == "DOCUMENT_UNSUPPORTED"
