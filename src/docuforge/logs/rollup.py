"""Counts per minute, level and message template, kept beside a job's records while they are written.

A summary over millions of records then reads a few thousand rollup rows instead of every record:
counts by level, the timeline and the top templates come out exact whenever the question is asked
in whole minutes (no text or field filter). A job whose templates are too many to roll up writes an
empty rollup marked incomplete, and its summaries read the records.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

MINUTE_US = 60_000_000
MAX_GROUPS = 100_000  # beyond this the rollup would cost more memory than it saves
ROLLUP = pa.schema(
    [
        ("job_id", pa.string()),
        ("minute", pa.timestamp("us", tz="UTC")),
        ("level", pa.string()),
        ("template", pa.string()),
        ("count", pa.int64()),
        ("first_ts", pa.timestamp("us", tz="UTC")),
        ("last_ts", pa.timestamp("us", tz="UTC")),
    ]
)
COMPLETE = b"docuforge.rollup.complete"


class Rollup:
    def __init__(self) -> None:
        # (minute in µs or None, level, template) -> [count, first µs, last µs]
        self.groups: dict[tuple[int | None, str | None, str | None], list] = {}
        self.complete = True

    def add(self, ts: pa.Array, levels: pa.Array, templates: pa.Array) -> None:
        if not self.complete:
            return
        micros = ts.cast(pa.int64())
        minutes = pc.multiply(pc.divide(micros, MINUTE_US), MINUTE_US)
        table = pa.table({"minute": minutes, "level": levels, "template": templates, "us": micros})
        grouped = table.group_by(["minute", "level", "template"], use_threads=False).aggregate(
            [([], "count_all"), ("us", "min"), ("us", "max")]
        )
        columns = [grouped[name].to_pylist() for name in ("minute", "level", "template")]
        counts, firsts, lasts = (grouped[name].to_pylist() for name in ("count_all", "us_min", "us_max"))
        groups = self.groups
        for key, count, first, last in zip(zip(*columns, strict=True), counts, firsts, lasts, strict=True):
            found = groups.get(key)
            if found is None:
                groups[key] = [count, first, last]
            else:
                found[0] += count
                if first is not None and (found[1] is None or first < found[1]):
                    found[1] = first
                if last is not None and (found[2] is None or last > found[2]):
                    found[2] = last
        if len(groups) > MAX_GROUPS:
            self.complete = False
            self.groups = {}

    def write(self, path: Path, job_id: str) -> None:
        keys = list(self.groups)
        values = list(self.groups.values())
        stamp = pa.timestamp("us", tz="UTC")
        table = pa.Table.from_arrays(
            [
                pa.array([job_id] * len(keys), pa.string()),
                pa.array([key[0] for key in keys], pa.int64()).cast(stamp),
                pa.array([key[1] for key in keys], pa.string()),
                pa.array([key[2] for key in keys], pa.string()),
                pa.array([value[0] for value in values], pa.int64()),
                pa.array([value[1] for value in values], pa.int64()).cast(stamp),
                pa.array([value[2] for value in values], pa.int64()).cast(stamp),
            ],
            schema=ROLLUP.with_metadata({COMPLETE: b"true" if self.complete else b"false"}),
        )
        pq.write_table(table, path, compression="zstd")


def usable(path: Path) -> bool:
    """Whether a job's rollup exists and holds every record."""
    try:
        metadata = pq.read_schema(path).metadata or {}
    except (OSError, pa.ArrowInvalid):
        return False
    return metadata.get(COMPLETE) == b"true"
