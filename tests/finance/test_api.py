"""The issue's "done when": two years uploaded through the API, detected, read, validated, consolidated,
exported to Excel with formula variances, and emails received by a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import asyncio
import email
import io
import socket
import time
from collections.abc import AsyncIterator, Iterator
from email.message import Message
from pathlib import Path

import httpx
import openpyxl
import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI

from docuforge import migrations
from docuforge.config import Settings
from docuforge.db import Database
from docuforge.server import create_app
from tests.conftest import asgi_client, running_app
from tests.fixtures.identity import Tenant, make_tenant
from tests.fixtures.processes import Receiver
from tests.jobs.conftest import job_settings, wait_for

pytestmark = pytest.mark.slow


class Inbox:
    """aiosmtpd's handler: every message the server accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
async def finance_app(tmp_path: Path, fresh_database_url: str, inbox) -> AsyncIterator[FastAPI]:
    _, port = inbox
    settings: Settings = job_settings(
        tmp_path / "data",
        fresh_database_url,
        smtp={"host": "127.0.0.1", "port": port, "security": "none", "sender": "reports@docuforge-tests.com"},
    )
    database = Database(settings)
    await migrations.upgrade(database.engine)
    await database.dispose()
    async for app in running_app(create_app(settings, configure_logs=False)):
        yield app


@pytest.fixture
async def client(finance_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(finance_app) as http:
        yield http


@pytest.fixture
async def tenant(finance_app: FastAPI) -> Tenant:
    async with finance_app.state.db.session() as session:
        return await make_tenant(session)


async def _eventually(condition, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        await asyncio.sleep(0.1)


def _workbook(message: Message) -> openpyxl.Workbook:
    parts = [p for p in message.walk() if p.get_filename() and p.get_filename().endswith(".xlsx")]
    assert len(parts) == 1, [p.get_content_type() for p in message.walk()]
    return openpyxl.load_workbook(io.BytesIO(parts[0].get_payload(decode=True)))


async def test_two_years_uploaded_read_consolidated_exported_and_emailed(
    client: httpx.AsyncClient, tenant: Tenant, inbox, receiver: Receiver, two_years
) -> None:
    mailbox, _ = inbox
    headers = tenant.member.headers
    latest, earlier, full = two_years
    statement_ids: list[str] = []
    for name, pdf in (("annual-2024.pdf", latest), ("annual-2023.pdf", earlier)):
        uploaded = await client.post(
            "/upload", files={"file": (name, pdf, "application/pdf")}, headers=headers
        )
        assert uploaded.status_code == 200, uploaded.text
        started = await client.post(
            "/statements/read",
            json={
                "input": uploaded.json()["file_id"],
                "notify": {"email": "analyst@docuforge-tests.com"},
                "async": {"webhook": {"url": receiver.url + "/hook"}, "metadata": {"year": name}},
            },
            headers=headers,
        )
        assert started.status_code == 202, started.text
        job = await wait_for(client, tenant, started.json()["job_id"], timeout=120)
        assert job["status"] == "Completed", job
        found = (
            job["result"]["result"]["statements"]
            if "result" in job["result"]
            else job["result"]["statements"]
        )
        assert sorted(s["statement_type"] for s in found) == [
            "balance_sheet",
            "cash_flow",
            "income_statement",
        ]
        for statement in found:
            assert statement["company"] == "Acme Widgets Inc."
            assert statement["checks"] and all(c["ok"] for c in statement["checks"]), statement["checks"]
            truth = full[statement["statement_type"]]
            assert len(statement["lines"]) == len(truth.lines)
        statement_ids += [s["id"] for s in found]

    # every job says so by webhook, like every job
    await _eventually(lambda: len([r for r in receiver.requests if r[1] == "/hook"]) >= 2)
    assert len([r for r in receiver.requests if r[1] == "/hook"]) == 2

    # stored, and found again by company, type and period
    listed = await client.get(
        "/statements", params={"company": "acme widgets inc.", "type": "income_statement"}, headers=headers
    )
    assert listed.json()["total"] == 2
    by_period = await client.get(
        "/statements", params={"period": "2023", "type": "balance_sheet"}, headers=headers
    )
    assert [s["period"] for s in by_period.json()["statements"]] == ["FY2023"]

    started = await client.post(
        "/consolidations",
        json={
            "statement_ids": statement_ids,
            "name": "Acme 2022-2024",
            "notify": {"email": "analyst@docuforge-tests.com"},
            # meaning-matching is the library tests' (test_consolidate); the service path matches words
            "options": {"embeddings": False},
        },
        headers=headers,
    )
    assert started.status_code == 202, started.text
    consolidation = started.json()
    job = await wait_for(client, tenant, consolidation["job_id"], timeout=120)
    assert job["status"] == "Completed", job
    done = (await client.get(f"/consolidations/{consolidation['id']}", headers=headers)).json()
    assert done["status"] == "completed"
    income = next(s for s in done["result"]["statements"] if s["statement_type"] == "income_statement")
    assert income["periods"] == ["FY2024", "FY2023", "FY2022"]
    net = next(line for line in income["lines"] if line["label"] == "Net income")
    assert [net["values"][p] for p in income["periods"]] == next(
        line.values for line in full["income_statement"].lines if line.key == "ni"
    )

    exported = await client.get(f"/consolidations/{consolidation['id']}/export", headers=headers)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content))["Income statement"]
    variances = [c.value for c in sheet["E"][4:] if c.value is not None]
    assert variances and all(isinstance(v, str) and v.startswith("=") for v in variances)
    assert any(isinstance(c.value, str) and c.value.startswith("=") for c in sheet["B"][4:])  # totals
    csv_export = await client.get(f"/consolidations/{consolidation['id']}/export?format=csv", headers=headers)
    assert "Net income" in csv_export.text

    await _eventually(lambda: len(mailbox.messages) >= 3)
    messages = mailbox.messages
    assert len(messages) == 3
    assert all(m["To"] == "analyst@docuforge-tests.com" for m in messages)
    assert all(m["From"] == "reports@docuforge-tests.com" for m in messages)
    last = messages[-1]
    assert "consolidation" in last["Subject"].lower()
    attached = _workbook(last)["Income statement"]
    formulas = [c.value for c in attached["E"][4:] if isinstance(c.value, str)]
    assert formulas and all(f.startswith("=") for f in formulas)
    assert _workbook(messages[0]).sheetnames == ["Balance sheet", "Cash flow", "Income statement"]
