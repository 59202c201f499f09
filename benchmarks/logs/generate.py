# ruff: noqa: E501 - log line templates read best whole
"""Realistic mixed logs in every format, with exact counts of what a reader must find.

Levels follow a production-like skew (mostly info, some debug, a few warnings and errors), six
services on four hosts, message templates with ids and numbers, Java stack traces under a share
of the text-format errors, and 1% malformed lines (cut JSON, prose, bad dates...). Seeded, so a
size always gives the same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

FORMATS = (
    "jsonl",
    "json_array",
    "logfmt",
    "csv",
    "syslog_rfc3164",
    "syslog_rfc5424",
    "apache_combined",
    "text",
)
T0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
SERVICES = ("api", "billing", "auth", "search", "worker", "gateway")
HOSTS = ("web-1", "web-2", "db-1", "batch-1")
LEVELS = ("info",) * 70 + ("debug",) * 15 + ("warn",) * 9 + ("error",) * 5 + ("fatal",)
MESSAGES = {
    "info": (
        "user {u} signed in from {ip}",
        "GET /api/v1/orders/{n} served in {ms} ms",
        "cache hit for key {hex}",
    ),
    "debug": ("pool stats: {n} active, {m} idle", "span {hex} finished"),
    "warn": ("slow query on table orders took {ms} ms", "retrying request {uuid} (attempt {m})"),
    "error": ("payment {n} declined by gateway: code {m}", "connection to db-1:5432 refused"),
    "fatal": ("out of memory allocating {n} bytes",),
}
SYSLOG_SEVERITY = {"fatal": 2, "error": 3, "warn": 4, "info": 6, "debug": 7}
STACK = (
    "java.lang.IllegalStateException: order {n} in unexpected state\n"
    "\tat com.shop.orders.OrderService.settle(OrderService.java:{m})\n"
    "\tat com.shop.orders.OrderController.pay(OrderController.java:88)\n"
    "\tat java.base/java.lang.Thread.run(Thread.java:833)"
)
BAD = (
    '{"time": "2026-03-01T00:00:00Z", "level": "info", "msg": "cut',
    "this is a stray line of prose with no structure at all",
    "<<<<<<< binary garbage \x01\x02 >>>>>>>",
)


@dataclass
class Counts:
    format: str
    bytes: int = 0
    lines: int = 0
    records: int = 0
    malformed: int = 0
    joined: int = 0  # text: stray lines that must join the record above
    levels: dict[str, int] = field(default_factory=dict)


def _message(rng: random.Random, level: str, n: int) -> str:
    template = rng.choice(MESSAGES[level])
    return template.format(
        u=rng.randrange(5000),
        ip=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        n=n,
        ms=rng.randrange(1, 3000),
        hex=f"{rng.getrandbits(64):016x}",
        m=rng.randrange(1, 9),
        uuid=f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}",
    )


def _line(fmt: str, rng: random.Random, n: int, when: dt.datetime, level: str, counts: Counts) -> str:
    service, host = SERVICES[n % 6], HOSTS[n % 4]
    message = _message(rng, level, n)
    iso = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
    if fmt in ("jsonl", "json_array"):
        entry = {
            "time": iso,
            "level": level.upper(),
            "service": service,
            "host": host,
            "msg": message,
            "trace_id": f"{rng.getrandbits(64):016x}",
            "http": {"status": 500 if level == "error" else 200},
        }
        return json.dumps(entry, separators=(",", ":"))
    if fmt == "logfmt":
        return f'time={iso} level={level} service={service} host={host} msg="{message}" duration_ms={rng.randrange(1, 900)}'
    if fmt == "csv":
        return f'{iso},{level},{service},{host},"{message}",{rng.randrange(1, 900)}'
    if fmt == "syslog_rfc3164":
        pri = 8 + SYSLOG_SEVERITY[level]  # facility user
        return f"<{pri}>{when.strftime('%b %e %H:%M:%S')} {host} {service}[{1000 + n % 50}]: {message}"
    if fmt == "syslog_rfc5424":
        pri = 8 + SYSLOG_SEVERITY[level]
        return f'<{pri}>1 {iso} {host} {service} {1000 + n % 50} - [meta@32473 trace="{rng.getrandbits(32):08x}"] {message}'
    if fmt == "apache_combined":
        status = {"error": 502, "fatal": 503, "warn": 404}.get(level, 200)
        path = f"/api/v1/orders/{n}"
        return (
            f"10.{n % 256}.{rng.randrange(256)}.{rng.randrange(1, 255)} - - [{when.strftime('%d/%b/%Y:%H:%M:%S +0000')}] "
            f'"GET {path} HTTP/1.1" {status} {rng.randrange(100, 90000)} "https://shop.example/" "Mozilla/5.0 (X11; Linux x86_64)"'
        )
    # text: log4j layout; a third of the errors carry a stack trace.
    stamp = when.strftime("%Y-%m-%d %H:%M:%S,") + f"{when.microsecond // 1000:03d}"
    line = f"{stamp} {level.upper():5} [{service}-{n % 8}] com.shop.{service}.Handler - {message}"
    if level == "error" and n % 3 == 0:
        trace = STACK.format(n=n, m=rng.randrange(10, 400))
        counts.lines += trace.count("\n") + 1
        line += "\n" + trace
    return line


def generate(fmt: str, target: Path, size_bytes: int, seed: int = 2) -> Counts:
    """Write about size_bytes of fmt to target; returns exactly what it holds."""
    rng = random.Random(seed)
    counts = Counts(fmt)
    when = T0
    n = 0
    written = 0
    with open(target, "w", encoding="utf-8", newline="\n") as out:
        if fmt == "csv":
            header = "timestamp,level,service,host,message,duration_ms\n"
            out.write(header)
            written += len(header)
            counts.lines += 1
        if fmt == "json_array":
            out.write("[\n")
            written += 2
            counts.lines += 1
        buffer: list[str] = []
        first = True
        while written < size_bytes:
            n += 1
            when += dt.timedelta(milliseconds=rng.randrange(1, 40))
            if rng.random() < 0.01:
                if fmt == "json_array":
                    text = '{"time": "2026-03-01T00:00:00Z", "msg": broken}'
                elif fmt == "csv":
                    text = "only,three,fields"
                elif fmt == "text":
                    # In text a line without a readable leading timestamp continues the record above
                    # (that is how stack traces are joined): the reader must join it, not drop it.
                    text = "2026-13-45 99:99:99,000 ERROR broken clock"
                    counts.malformed -= 1
                    counts.joined += 1
                else:
                    text = rng.choice(BAD)
                counts.malformed += 1
                counts.lines += 1
            else:
                level = rng.choice(LEVELS)
                text = _line(fmt, rng, n, when, level, counts)
                counts.records += 1
                if fmt == "apache_combined":  # an access line's level is its status class
                    level = {"debug": "info", "fatal": "error"}.get(level, level)
                counts.levels[level] = counts.levels.get(level, 0) + 1
                counts.lines += 1
            if fmt == "json_array":
                text = ("  " if first else ",\n  ") + text
                first = False
                piece = text
            else:
                piece = text + "\n"
            buffer.append(piece)
            written += len(piece)
            if len(buffer) >= 10_000:
                out.write("".join(buffer))
                buffer.clear()
        if fmt == "json_array":
            buffer.append("\n]\n")
        out.write("".join(buffer))
    counts.bytes = target.stat().st_size
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=200, help="Megabytes per format.")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/.cache/logs"))
    parser.add_argument("--formats", default=",".join(FORMATS))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for fmt in args.formats.split(","):
        counts = generate(fmt, args.out / f"{fmt}.log", int(args.mb * 1e6))
        print(json.dumps(asdict(counts)))


if __name__ == "__main__":
    main()
