"""`docuforge logs query --server`: the same query through a server's HTTP API (/logs/{job}/...)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from docuforge.cli.app import fail

PAGE = 1000  # the most records the API answers per page


def remote_query(
    server: str,
    api_key: str | None,
    job: str,
    *,
    levels: list[str],
    since: str | None,
    until: str | None,
    text: str | None,
    fields: dict[str, str],
    oldest: bool,
    limit: int,
    summary: bool,
) -> list[dict[str, Any]] | dict[str, Any]:
    """Records in the shape the local query gives them (ts as a datetime), or the summary."""
    params: list[tuple[str, str]] = [("level", level) for level in levels]
    params += [(name, value) for name, value in (("since", since), ("until", until)) if value]
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        return _query(server, headers, job, params, fields, text, oldest, limit, summary)
    except httpx.HTTPError as exc:
        fail(RuntimeError(f"cannot reach {server}: {exc}"))


def _query(
    server: str,
    headers: dict[str, str],
    job: str,
    params: list[tuple[str, str]],
    fields: dict[str, str],
    text: str | None,
    oldest: bool,
    limit: int,
    summary: bool,
) -> list[dict[str, Any]] | dict[str, Any]:
    with httpx.Client(base_url=server.rstrip("/"), headers=headers, timeout=120) as client:
        if summary:
            return _answer(client.get(f"/logs/{job}/summary", params=params))
        params += [("field", f"{name}={value}") for name, value in fields.items()]
        if text:
            params.append(("q", text))
        params.append(("order", "oldest" if oldest else "newest"))
        rows: list[dict[str, Any]] = []
        cursor: str | None = None
        while len(rows) < limit:
            page = [*params, ("limit", str(min(PAGE, limit - len(rows))))]
            if cursor:
                page.append(("cursor", cursor))
            answer = _answer(client.get(f"/logs/{job}/records", params=page))
            rows += [_local_shape(record) for record in answer["records"]]
            cursor = answer.get("next_cursor")
            if not cursor:
                break
        return rows


def _answer(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code >= 400:
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        detail = error.get("message") or body.get("detail") or response.text[:300]
        fail(RuntimeError(f"the server answered {response.status_code}: {detail}"))
    return body


def _local_shape(record: dict[str, Any]) -> dict[str, Any]:
    stamp = record.pop("timestamp", None)
    return {"ts": dt.datetime.fromisoformat(stamp) if stamp else None, **record}
