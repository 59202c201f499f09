"""/statements CRUD, filters, exports and refusals, on the request path (no jobs run here)."""

from __future__ import annotations

import io

import httpx
import openpyxl

from tests.fixtures.identity import Tenant


def _statement(company: str, year: int, cash: float = 5, stock: float = 7, total: float = 12) -> dict:
    period = str(year)
    return {
        "statement_type": "balance_sheet",
        "company": company,
        "scale": 1000,
        "currency": "USD",
        "periods": [period],
        "lines": [
            {"label": "Current assets", "values": {period: None}},
            {"label": "Cash", "level": 1, "values": {period: cash}},
            {"label": "Inventory", "level": 1, "values": {period: stock}},
            {"label": "Total current assets", "values": {period: total}, "is_total": True},
        ],
    }


async def test_crud_filters_and_checks(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    headers = tenant.member.headers
    made = [
        (await client.post("/statements", json=_statement("Acme Inc.", year), headers=headers)).json()
        for year in (2023, 2024)
    ]
    other = await client.post("/statements", json=_statement("Globex", 2024, total=15), headers=headers)
    assert other.status_code == 201
    failed = [c for c in other.json()["checks"] if not c["ok"]]
    assert failed == [
        {
            "kind": "sum",
            "line": "Total current assets",
            "period": "2024",
            "expected": 12.0,
            "actual": 15.0,
            "ok": False,
            "lines": ["Cash", "Inventory"],
        }
    ]
    assert made[1]["period"] == "FY2024" and all(c["ok"] for c in made[1]["checks"])

    listed = await client.get("/statements", params={"company": "ACME INC."}, headers=headers)
    assert {s["id"] for s in listed.json()["statements"]} == {m["id"] for m in made}
    assert (await client.get("/statements", params={"period": "FY2024"}, headers=headers)).json()[
        "total"
    ] == 2
    assert (await client.get("/statements", params={"type": "cash_flow"}, headers=headers)).json()[
        "total"
    ] == 0
    theirs = await client.get("/statements", headers=other_tenant.admin.headers)
    assert theirs.json()["total"] == 0

    fixed = await client.patch(
        f"/statements/{other.json()['id']}",
        json={
            "lines": [
                {**line, "values": {"2024": 8}} if line["label"] == "Cash" else line
                for line in other.json()["lines"]
            ]
        },
        headers=headers,
    )
    assert fixed.status_code == 200 and all(c["ok"] for c in fixed.json()["checks"])
    gone = await client.delete(f"/statements/{made[0]['id']}", headers=headers)
    assert gone.status_code == 204
    assert (await client.get(f"/statements/{made[0]['id']}", headers=headers)).status_code == 404


async def test_statement_exports(client: httpx.AsyncClient, tenant: Tenant) -> None:
    headers = tenant.member.headers
    made = (await client.post("/statements", json=_statement("Acme Inc.", 2024), headers=headers)).json()
    xlsx = await client.get(f"/statements/{made['id']}/export", headers=headers)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["Balance sheet"]
    assert sheet["A5"].value == "Current assets" and sheet["A5"].font.bold
    assert sheet["B8"].value == "=B6+B7"  # the total is a formula over its components
    assert sheet["A4"].value == "Line item (USD thousands)"
    csv = await client.get(f"/statements/{made['id']}/export", params={"format": "csv"}, headers=headers)
    assert csv.headers["content-type"].startswith("text/csv") and "Total current assets" in csv.text
    shaped = (
        await client.get(f"/statements/{made['id']}/export", params={"format": "json"}, headers=headers)
    ).json()
    assert shaped["lines"][3]["is_total"] is True


async def test_bad_requests_are_refused_clearly(client: httpx.AsyncClient, tenant: Tenant) -> None:
    headers = tenant.member.headers
    wrong_type = await client.post(
        "/statements", json={**_statement("A", 2024), "statement_type": "memo"}, headers=headers
    )
    assert wrong_type.status_code == 422
    a = (await client.post("/statements", json=_statement("Acme Inc.", 2024), headers=headers)).json()
    b = (await client.post("/statements", json=_statement("Globex", 2024), headers=headers)).json()
    mixed = await client.post("/consolidations", json={"statement_ids": [a["id"], b["id"]]}, headers=headers)
    assert mixed.status_code == 400 and mixed.json()["error"]["name"] == "INVALID_REQUEST"
    euros = (
        await client.post(
            "/statements", json={**_statement("Acme Inc.", 2023), "currency": "EUR"}, headers=headers
        )
    ).json()
    mixed_money = await client.post(
        "/consolidations", json={"statement_ids": [a["id"], euros["id"]]}, headers=headers
    )
    assert mixed_money.status_code == 400 and "currencies" in mixed_money.json()["error"]["message"]
    no_smtp = await client.post(
        "/consolidations",
        json={"statement_ids": [a["id"]], "notify": {"email": "a@docuforge-tests.com"}},
        headers=headers,
    )
    assert no_smtp.status_code == 400 and "SMTP" in no_smtp.json()["error"]["message"]
    done = await client.post(
        "/consolidations",
        json={"statement_ids": [a["id"]], "options": {"embeddings": False}},
        headers=headers,
    )
    assert done.status_code == 201 and done.json()["status"] == "completed"
    assert (await client.get("/health/live")).status_code == 200
