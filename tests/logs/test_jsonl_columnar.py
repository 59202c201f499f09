"""The columnar JSON lines path gives exactly the records, malformed lines and rollups of the
reference parser (one line at a time in Python), on realistic logs and on every kind of bad line."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest

from docuforge.logs import streams
from docuforge.logs.ingest import ingest
from docuforge.logs.jsonl_columnar import ColumnarJsonl, chunks, plan
from docuforge.logs.records import LogFormat, ParseOptions

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


def realistic(count: int, seed: int = 7) -> list[str]:
    """Lines as common loggers write them: bunyan/pino, logrus, zap, ECS, structlog, Serilog."""
    rng = random.Random(seed)
    lines = []
    for n in range(count):
        when = T0 + dt.timedelta(milliseconds=37 * n)
        iso = when.isoformat().replace("+00:00", "Z")
        kind = n % 9
        local = when.astimezone(dt.timezone(dt.timedelta(hours=2))).isoformat()
        west = when.astimezone(dt.timezone(dt.timedelta(hours=-5, minutes=-30))).isoformat()
        entry: dict[str, object]
        if kind == 0:  # pino: numeric level, epoch milliseconds
            entry = {
                "level": rng.choice([20, 30, 30, 40, 50, 60]),
                "time": int(when.timestamp() * 1000),
                "pid": 4242,
                "hostname": "web-1",
                "msg": f"request {n} completed",
                "reqId": f"req-{n}",
            }
        elif kind == 1:  # logrus
            level = rng.choice(["info", "warning", "error", "debug"])
            entry = {"level": level, "msg": f"user {n} logged in", "time": local, "user_id": n}
        elif kind == 2:  # zap: float seconds
            entry = {"level": "info", "ts": when.timestamp() + 0.000123, "msg": "flushed", "count": n}
        elif kind == 3:  # ECS with dotted and nested keys
            entry = {
                "@timestamp": iso,
                "log.level": "ERROR",
                "message": f"payment {n} declined\n\tat pay()",
                "service": {"name": "billing"},
                "host": {"name": "db-1"},
                "http": {"response": {"status_code": 502}},
                "labels": ["a", "b"],
            }
        elif kind == 4:  # structlog, naive timestamp, unicode and escapes
            entry = {
                "timestamp": when.replace(tzinfo=None).isoformat(sep=" "),
                "level": "Warning",
                "event": f'cache "miss" for clé {n} \u2013 retrying',
                "logger": "app.cache",
                "ratio": 0.25,
                "ok": False,
                "none": None,
            }
        elif kind == 5:  # Serilog compact
            entry = {"@t": iso, "@l": "Information", "@mt": "Order {OrderId} shipped", "OrderId": n}
        elif kind == 6:  # a level nobody normalises, a time nobody reads, a message that is a number
            entry = {"time": "yesterday at noon", "level": "chatty", "msg": n, "service": "api"}
        elif kind == 7:  # ints and offsets
            entry = {
                "time": west,
                "severity": "CRIT",
                "message": f"disk {n % 4} at 9{n % 10}%",
                "service": "storage",
                "host": 17,
                "logger": "disk.watch",
                "sizes": [1, 2.5, -3],
            }
        else:  # plain
            entry = {"ts": iso, "lvl": "dbg", "msg": f"tick {n}", "svc": "worker", "component": "loop"}
        lines.append(json.dumps(entry, ensure_ascii=n % 2 == 0))
    return lines


BAD_LINES = [
    '{"time": "2026-03-01T08:00:00Z", "msg": "cut off',
    "plain prose, not JSON",
    '{"a": NaN, "msg": "nan literal"}',
    '{"a": Infinity, "msg": "inf literal"}',
    '{"msg": "trailing comma",}',
    '{"msg": "array trailing", "a": [1, 2,]}',
    '{"msg": "huge", "n": 1e400}',
    '{"msg": "bigint", "n": 123456789012345678901234567890}',
    '{"msg": "nul \\u0000 inside"}',
    '{"msg": "dup", "msg": "dup wins"}',
    '{"level": "info", "level": "error", "msg": "dup level"}',
    "[1, 2, 3]",
    '"just a string"',
    "42",
    "{}",
    '{"msg": null, "message": "second choice"}',
    '{"message": null, "msg": "fallback"}',
    '{"time": null, "msg": "null time"}',
    '{"level": true, "msg": "bool level"}',
    '{"level": 35, "msg": "odd number level"}',
    '{"level": "3", "msg": "syslog digit level"}',
    '{"level": "[WARN]", "msg": "bracketed"}',
    '{"level": " info ", "msg": "spaced"}',
    '{"time": "2026-03-01T24:00:00Z", "msg": "hour 24"}',
    '{"time": "2026-02-30T08:00:00Z", "msg": "no such day"}',
    '{"time": "2026-03-01T08:00:00+24:00", "msg": "offset 24"}',
    '{"time": "2026-03-01T08:00:00.1234567Z", "msg": "seven digits"}',
    '{"time": "0000-01-01T00:00:00Z", "msg": "year zero"}',
    '{"time": "1709280000", "msg": "epoch as text"}',
    '{"time": 1709280000123456789, "msg": "epoch ns"}',
    '{"time": -5, "msg": "negative epoch"}',
    '{"time": "01/Mar/2026:08:00:00 +0000", "msg": "apache time"}',
    '{"msg": 1.5, "logger": true, "service": ["x"], "host": {"a": 1}}',
    '{"_timestamp": "kept", "time": "bad time", "msg": "collides"}',
    '{"_level": "kept", "level": "weird", "msg": "collides"}',
    '{"log": {"level": "warn", "logger": "nested"}, "msg": "ecs nested"}',
    '{"log": "a log string", "level": "info"}',
    '{"service": {"name": "svc-nested"}, "app": "app-flat", "msg": "flat wins"}',
    '{"host": {"hostname": "h-nested"}, "msg": "nested host"}',
    '{"msg": "tab\tinside"}',
    '{"msg": "ok"} trailing',
    "\ufeff" + '{"msg": "bom"}',
    "   ",
    "",
    '{"msg": "\\ud800 lone surrogate"}',
    '{"msg": "\\ud83d\\ude00 pair"}',
    '{"msg": "escaped \\/ slash and \\"quotes\\"", "path": "C:\\\\temp"}',
    '{"level": 30, "time": 1709280000, "msg": "epoch seconds"}',
    '{"level": 50, "time": 1709280000123456, "msg": "epoch micros"}',
    '{"time": "2026-03-01T08:00:00-00:00", "msg": "minus zero offset"}',
    '{"time": "2026-03-01 08:00:00.5", "level": "INFO", "msg": "naive with fraction"}',
    '{"Level": "Error", "Message": "capitalised keys", "Timestamp": "2026-03-01T08:00:00Z"}',
    '{"msg": "deep", "a": {"b": {"c": {"d": [1, {"e": null}]}}}}',
    '{"msg": "floats", "a": 1e20, "b": -0.0, "c": 0.1, "d": 1.5e3}',
    '{"msg": "uint64", "a": 18446744073709551615, "b": -9223372036854775808}',
    '{"ts": "2026-03-01T08:00:00Z", "time": "2026-03-02T08:00:00Z", "msg": "two time keys"}',
    '{"msg": "a", "text": "b", "body": "c", "name": "logger-name", "program": "prog"}',
]


def compare(tmp_path: Path, content: bytes, **options: object) -> ColumnarJsonl:
    """Ingest content both ways and assert the same Parquet comes out; the fast reader's counts."""
    source = tmp_path / "app.log"
    source.write_bytes(content)
    results = {}
    for columnar in (True, False):
        out = tmp_path / f"out-{columnar}"
        parse = ParseOptions(format=LogFormat.jsonl, columnar=columnar, **options)  # type: ignore[arg-type]
        stats = ingest(source, out, "job", parse)
        records = pq.read_table(out / "records.parquet").to_pylist()
        for record in records:  # the same values; DuckDB and orjson may space or order numbers alike
            record["attributes"] = orjson.loads(record["attributes"]) if record["attributes"] else None
        rollup = pq.read_table(out / "rollup.parquet").to_pylist()
        rollup.sort(key=lambda row: (str(row["minute"]), str(row["level"]), str(row["template"])))
        results[columnar] = (stats, records, pq.read_table(out / "malformed.parquet").to_pylist(), rollup)
    fast, reference = results[True], results[False]
    assert fast[0] == reference[0]
    assert len(fast[1]) == len(reference[1])
    for got, wanted in zip(fast[1], reference[1], strict=True):
        assert got == wanted
    assert fast[2] == reference[2]
    assert fast[3] == reference[3]
    reader = ColumnarJsonl(ParseOptions(**options), _zone(options))  # type: ignore[arg-type]
    for first, lines, _bad in chunks(io.BytesIO(content), reader.options.max_line_bytes):
        reader.chunk(first, lines)
    reader.close()
    return reader


def _zone(options: dict[str, object]) -> dt.tzinfo:
    from docuforge.logs.timestamps import zone_of

    return zone_of(str(options.get("default_timezone", "UTC")))


def test_realistic_logs_read_alike_and_mostly_fast(tmp_path: Path) -> None:
    lines = realistic(3000)
    reader = compare(tmp_path, ("\n".join(lines) + "\n").encode())
    # Kinds 2 (float epoch), 6 (unreadable time and level) and the nested ECS fields of 3 are
    # the reference's; the other six in nine must be read fast, or the fast path is not working.
    assert reader.fast >= 0.6 * len(lines)
    assert reader.fast + reader.slow == len(lines)


def test_bad_and_edge_lines_read_alike(tmp_path: Path) -> None:
    good = realistic(50)
    mixed = []
    for index, bad in enumerate(BAD_LINES):
        mixed += [good[index % len(good)], bad]
    content = ("\r\n".join(mixed) + "\n\n").encode()
    content += b'{"msg": "invalid \xff\xfe utf-8"}\n' + b'{"msg": "after invalid"}'  # no final newline
    compare(tmp_path, content)


def test_long_lines_and_chunk_edges(tmp_path: Path) -> None:
    short = json.dumps({"time": "2026-03-01T08:00:00Z", "level": "info", "msg": "short"})
    long = json.dumps({"time": "2026-03-01T08:00:01Z", "level": "info", "msg": "x" * 3000})
    edge = json.dumps({"msg": "y" * (1024 - 11)})  # exactly max_line_bytes long: cut too
    content = "\n".join([short, long, short, edge, short, "z" * 5000, short, long]).encode()
    compare(tmp_path, content, max_line_bytes=1024)
    # The chunked splitter numbers and cuts lines as streams.lines does, wherever chunks end.
    for size in (7, 64, 1000, 1024, 4096):
        got = []
        for first, lines, bad in chunks(io.BytesIO(content), 1024, size=size):
            cut = {item.line: item for item in bad}
            for number, line in enumerate(lines, first):
                got.append((number, cut[number].raw if number in cut else line.decode(), number in cut))
        wanted = [
            (number, data[:2000].decode(), was_cut)
            for number, data, was_cut in streams.lines(io.BytesIO(content), 1024)
        ]
        assert got == wanted, size


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York"])
def test_default_zone_other_than_utc(tmp_path: Path, zone: str) -> None:
    lines = realistic(300)
    compare(tmp_path, ("\n".join(lines) + "\n").encode(), default_timezone=zone)


def test_roles_planned_as_from_entry_chooses_them() -> None:
    shape = plan(["msg", "message", "time", "@timestamp", "svc", "extra"])
    assert shape is not None
    assert shape.roles == ["@timestamp", None, "message", None, "svc", None]
    assert shape.attributes == ["msg", "time", "extra"]
    assert plan(["a", "a"]) is None  # duplicate keys: the last wins in orjson
    assert plan(["log", "msg"]) is None  # {"log": {"level": ...}} is looked into
    assert plan(["log", "level", "logger", "msg"]) is not None
    assert plan(["_timestamp", "time"]) is None
