"""A log file to a job's Parquet: read, normalise, write, and count what was seen."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from docuforge.logs.columnar import ParquetSink
from docuforge.logs.jsonl_columnar import ColumnarJsonl, stats_of
from docuforge.logs.reader import read
from docuforge.logs.records import LogFormat, ParseOptions, Record

MAX_SERVICES = 200  # distinct services remembered per job (for queries across jobs by service)


def ingest(
    source: Path,
    out_dir: Path,
    job_id: str,
    options: ParseOptions | None = None,
    on_progress: Callable[[float], None] | None = None,
    progress_every: float = 0.5,
) -> dict[str, Any]:
    """Write source's records to out_dir/records.parquet (malformed lines to malformed.parquet)."""
    reader = read(source, options)
    sink = ParquetSink(out_dir, job_id)
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    services: set[str] = set()
    next_report = time.monotonic() + progress_every
    if reader.format is LogFormat.jsonl and reader.options.columnar:
        fast = ColumnarJsonl(reader.options, reader.zone)

        def after_chunk(table: pa.Table) -> None:
            nonlocal first, last, next_report
            if table.num_rows:
                seen = stats_of(table)
                if seen["first"] is not None and (first is None or seen["first"] < first):
                    first = seen["first"]
                if seen["last"] is not None and (last is None or seen["last"] > last):
                    last = seen["last"]
                for service in seen["services"]:
                    if len(services) < MAX_SERVICES:
                        services.add(service)
            if on_progress is not None and time.monotonic() >= next_report:
                on_progress(reader.fraction())
                next_report = time.monotonic() + progress_every

        try:
            reader.records, reader.malformed = fast.run(reader.stream, sink, after_chunk)
        finally:
            fast.close()
            reader.close()
            sink.close()
        return _finish(source, reader, sink, first, last, services, on_progress)
    try:
        for count, item in enumerate(reader):
            sink.add(item)
            if type(item) is Record:
                stamp = item.timestamp
                if stamp is not None:
                    if first is None or stamp < first:
                        first = stamp
                    if last is None or stamp > last:
                        last = stamp
                if item.service is not None and len(services) < MAX_SERVICES:
                    services.add(item.service)
            if on_progress is not None and count % 4096 == 0 and time.monotonic() >= next_report:
                on_progress(reader.fraction())
                next_report = time.monotonic() + progress_every
    finally:
        sink.close()
    return _finish(source, reader, sink, first, last, services, on_progress)


def _finish(  # type: ignore[no-untyped-def]
    source: Path,
    reader,
    sink: ParquetSink,
    first: dt.datetime | None,
    last: dt.datetime | None,
    services: set[str],
    on_progress: Callable[[float], None] | None,
) -> dict[str, Any]:
    if on_progress is not None:
        on_progress(1.0)
    return {
        "format": str(reader.format),
        "compression": reader.compression,
        "bytes": source.stat().st_size,
        "records": sink.records,
        "malformed": sink.malformed,
        "first_timestamp": first.isoformat() if first else None,
        "last_timestamp": last.isoformat() if last else None,
        "services": sorted(services),
    }
