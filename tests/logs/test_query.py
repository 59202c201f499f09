"""Parquet written a row group at a time, and the DuckDB queries over one job or several."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from docuforge.logs import query
from docuforge.logs.columnar import ParquetSink
from docuforge.logs.reader import read

T0 = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)


def write_job(folder: Path, job_id: str, service: str, count: int, start: dt.datetime = T0) -> ParquetSink:
    lines = []
    levels = ["info", "info", "debug", "warn", "error"]
    for n in range(count):
        lines.append(
            json.dumps(
                {
                    "time": (start + dt.timedelta(seconds=n)).isoformat(),
                    "level": levels[n % 5],
                    "msg": f"request {n} served in {n * 3} ms"
                    if n % 5 != 4
                    else f"order {n} failed: id 9f8e7d6c5b4a",
                    "service": service,
                    "http": {"status": 500 if n % 5 == 4 else 200},
                }
            )
        )
    lines.insert(3, "{oops")
    source = folder / f"{job_id}.log"
    source.write_text("\n".join(lines) + "\n")
    sink = ParquetSink(folder / job_id, job_id, row_group=16)
    for item in read(source):
        sink.add(item)
    sink.close()
    return sink


def test_row_groups_and_columns(tmp_path: Path) -> None:
    sink = write_job(tmp_path, "a", "api", 100)
    meta = pq.ParquetFile(sink.records_path).metadata
    assert (meta.num_rows, meta.num_row_groups) == (100, 7)
    table = pq.read_table(sink.records_path, columns=["seq", "template", "level"])
    assert table.column("seq").to_pylist() == list(range(100))
    assert table.column("template").to_pylist()[:5] == [
        "request <n> served in <n> ms",
        "request <n> served in <n> ms",
        "request <n> served in <n> ms",
        "request <n> served in <n> ms",
        "order <n> failed: id <hex>",
    ]
    bad = pq.read_table(sink.malformed_path).to_pylist()
    assert [(row["line"], row["raw"]) for row in bad] == [(4, "{oops")]


def test_pages_filters_and_cursor(tmp_path: Path) -> None:
    sink = write_job(tmp_path, "a", "api", 100)
    paths = [sink.records_path]
    everything = query.RecordFilter()
    seen: list[int] = []
    cursor = None
    while True:
        rows, cursor = query.records(paths, everything, order="oldest", limit=30, cursor=cursor)
        seen += [row["seq"] for row in rows]
        if cursor is None:
            break
    assert seen == list(range(100))
    rows, _ = query.records(paths, query.RecordFilter(levels=["error"]), limit=3)
    assert [row["message"] for row in rows] == [f"order {n} failed: id 9f8e7d6c5b4a" for n in (99, 94, 89)]
    assert rows[0]["attributes"] == {"http": {"status": 500}} and rows[0]["service"] == "api"
    window = query.RecordFilter(since=T0 + dt.timedelta(seconds=10), until=T0 + dt.timedelta(seconds=20))
    rows, _ = query.records(paths, window, order="oldest")
    assert [row["seq"] for row in rows] == list(range(10, 20))
    rows, _ = query.records(paths, query.RecordFilter(text="SERVED IN 6 ms"))
    assert [row["seq"] for row in rows] == [2]
    rows, _ = query.records(paths, query.RecordFilter(fields={"http.status": "500", "service": "api"}))
    assert len(rows) == 20
    with pytest.raises(query.QueryError):
        query.records(paths, query.RecordFilter(levels=["loud"]))
    with pytest.raises(query.QueryError):
        query.records(paths, everything, cursor="not-a-cursor")


def test_summary_and_across_jobs(tmp_path: Path) -> None:
    a = write_job(tmp_path, "a", "api", 100)
    b = write_job(tmp_path, "b", "billing", 50, start=T0 + dt.timedelta(hours=1))
    summary = query.summary([a.records_path], [a.malformed_path])
    assert summary["records"] == 100 and summary["malformed"] == 1
    assert summary["levels"] == {
        "trace": 0,
        "debug": 20,
        "info": 40,
        "warn": 20,
        "error": 20,
        "fatal": 0,
        "none": 0,
    }
    assert summary["first_timestamp"] == T0 and summary["last_timestamp"] == T0 + dt.timedelta(seconds=99)
    assert summary["bucket_seconds"] == 1 and sum(b["count"] for b in summary["timeline"]) == 100
    assert summary["templates"][0] == {
        "template": "request <n> served in <n> ms",
        "count": 80,
        "level": "info",
    }
    both = [a.records_path, b.records_path]
    merged = query.summary(both, [a.malformed_path, b.malformed_path], bucket_seconds=3600)
    assert merged["records"] == 150 and merged["malformed"] == 2
    assert [(p["start"].hour, p["count"]) for p in merged["timeline"]] == [(10, 100), (11, 50)]
    rows, _ = query.records(both, query.RecordFilter(fields={"service": "billing"}), limit=500)
    assert len(rows) == 50 and {row["job_id"] for row in rows} == {"b"}
    rows, _ = query.records(both, query.RecordFilter(), limit=1)
    assert rows[0]["job_id"] == "b" and rows[0]["seq"] == 49


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export(tmp_path: Path, fmt: str) -> None:
    sink = write_job(tmp_path, "a", "api", 20)
    target = query.export(
        [sink.records_path], query.RecordFilter(levels=["error"]), fmt, tmp_path / f"out.{fmt}"
    )  # type: ignore[arg-type]
    if fmt == "parquet":
        rows = pq.read_table(target).to_pylist()
        assert [row["seq"] for row in rows] == [4, 9, 14, 19]
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in target.read_text().splitlines()]
        assert rows[0]["timestamp"] == "2026-03-01T10:00:04.000000Z" and rows[0]["attributes"] == {
            "http": {"status": 500}
        }
        assert len(rows) == 4
    else:
        lines = target.read_text().splitlines()
        assert lines[0].startswith("job_id,seq,timestamp,zone,level,message") and len(lines) == 5


def test_summary_from_rollups_equals_summary_from_records(tmp_path: Path) -> None:
    a = write_job(tmp_path, "a", "api", 300)
    b = write_job(tmp_path, "b", "billing", 200, start=T0 + dt.timedelta(minutes=3))
    records, malformed = [a.records_path, b.records_path], [a.malformed_path, b.malformed_path]
    rollups = [a.rollup_path, b.rollup_path]
    cases = [
        (query.RecordFilter(), 60),
        (query.RecordFilter(), None),  # auto: a span under 20 minutes wants 10 s buckets
        (query.RecordFilter(levels=["error", "warn"]), 120),
        (query.RecordFilter(since=T0 + dt.timedelta(minutes=2), until=T0 + dt.timedelta(minutes=5)), 60),
        # Not in whole minutes, or with a text filter: the records answer.
        (query.RecordFilter(since=T0 + dt.timedelta(seconds=90)), 60),
        (query.RecordFilter(text="failed"), 60),
    ]
    for wanted, bucket in cases:
        rolled = query.summary(records, malformed, wanted, bucket_seconds=bucket, rollup_paths=rollups)
        raw = query.summary(records, malformed, wanted, bucket_seconds=bucket)
        assert rolled == raw, wanted
    assert rolled["records"] == 100 and rolled["templates"][0]["level"] == "error"
    assert query._rollup_answers(query.RecordFilter(levels=["info"]), rollups, 2)
    assert not query._rollup_answers(query.RecordFilter(fields={"service": "api"}), rollups, 2)
    assert not query._rollup_answers(query.RecordFilter(), rollups[:1], 2)


def test_a_job_with_too_many_templates_has_no_usable_rollup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docuforge.logs import rollup

    monkeypatch.setattr(rollup, "MAX_GROUPS", 5)
    sink = write_job(tmp_path, "a", "api", 100)
    assert not rollup.usable(sink.rollup_path) and rollup.usable(tmp_path / "missing.parquet") is False
    summary = query.summary([sink.records_path], [sink.malformed_path], rollup_paths=[sink.rollup_path])
    assert summary["records"] == 100


def _all_pages(paths: list[Path], wanted: query.RecordFilter, order: str, limit: int) -> list[tuple]:
    seen: list[tuple] = []
    cursor = None
    while True:
        rows, cursor = query.records(paths, wanted, order=order, limit=limit, cursor=cursor)  # type: ignore[arg-type]
        seen += [(row["job_id"], row["seq"]) for row in rows]
        if cursor is None:
            return seen


def _jumbled_job(folder: Path, job_id: str, count: int, seed: int, timeless: bool) -> Path:
    """Mostly in time order, with late and early arrivals, ties, and (optionally) lines without time."""
    rng = random.Random(seed)
    lines = []
    for n in range(count):
        second = n // 2 + rng.choice([0, 0, 0, 0, 3, -7, 40])
        entry = {
            "time": (T0 + dt.timedelta(seconds=second)).isoformat(),
            "level": rng.choice(["info", "info", "warn", "error"]),
            "msg": f"event {n} {'failed' if n % 7 == 0 else 'ok'}",
        }
        if timeless and n % 23 == 0:
            del entry["time"]
        lines.append(json.dumps(entry))
    source = folder / f"{job_id}.log"
    source.write_text("\n".join(lines) + "\n")
    sink = ParquetSink(folder / job_id, job_id, row_group=16)
    for item in read(source):
        sink.add(item)
    sink.close()
    return sink.records_path


@pytest.mark.parametrize("timeless", [False, True])
def test_pages_read_in_time_windows_equal_whole_scans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, timeless: bool
) -> None:
    """Pages looked for in windows of row groups are the pages of a scan of everything, whatever
    the order of the file, the filters, the cursor, or records without a timestamp."""
    paths = [_jumbled_job(tmp_path, "a", 200, 1, timeless), _jumbled_job(tmp_path, "b", 80, 2, timeless)]
    cases = [
        query.RecordFilter(),
        query.RecordFilter(levels=["error"]),
        query.RecordFilter(text="failed"),
        query.RecordFilter(since=T0 + dt.timedelta(seconds=40), until=T0 + dt.timedelta(seconds=120)),
    ]
    for order in ("newest", "oldest"):
        for wanted in cases:
            monkeypatch.setattr(query, "FIRST_WINDOW", 10**12)
            whole = _all_pages(paths, wanted, order, 30)
            monkeypatch.setattr(query, "FIRST_WINDOW", 16)
            assert _all_pages(paths, wanted, order, 30) == whole, (order, wanted)
    monkeypatch.setattr(query, "FIRST_WINDOW", 16)
    windows = query._windows(paths, True, None, None)
    assert len(windows) > 2 and windows[-1] is None  # the windows were really used
