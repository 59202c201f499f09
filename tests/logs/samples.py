"""A realistic mixed log with exact counts, for the API and CLI tests."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
SERVICES = ("api", "billing", "worker")
LEVELS = ("info", "info", "info", "debug", "warn", "info", "error", "info", "debug", "info")


@dataclass
class Sample:
    text: str
    records: int = 0
    malformed: int = 0
    levels: dict[str, int] = field(default_factory=dict)
    services: dict[str, int] = field(default_factory=dict)


def mixed_jsonl(count: int, bad_every: int = 97) -> Sample:
    sample = Sample("")
    lines = []
    for n in range(count):
        if n % bad_every == 5:
            lines.append('{"time": "2026-03-01T08:00:00Z", "msg": "cut off')
            sample.malformed += 1
            continue
        level = LEVELS[n % len(LEVELS)]
        service = SERVICES[n % 3]
        entry = {
            "time": (T0 + dt.timedelta(seconds=n)).isoformat().replace("+00:00", "Z"),
            "level": level.upper(),
            "service": service,
            "msg": f"user {n % 50} fetched order {1000 + n} in {n % 17} ms"
            if level != "error"
            else f"payment {n} declined by gateway",
            "http": {"status": 502 if level == "error" else 200},
        }
        lines.append(json.dumps(entry))
        sample.records += 1
        sample.levels[level] = sample.levels.get(level, 0) + 1
        sample.services[service] = sample.services.get(service, 0) + 1
    sample.text = "\n".join(lines) + "\n"
    return sample
