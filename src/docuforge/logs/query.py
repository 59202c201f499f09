# ruff: noqa: S608 - values are bound parameters; only quoted file paths and fixed column names are spliced in
"""Queries over the Parquet of one or many jobs, with an embedded DuckDB.

DuckDB's json and parquet extensions are linked into its wheel; autoloading is switched off so a
query never reaches out to download one.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import duckdb
import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel, Field

from docuforge.logs import rollup
from docuforge.logs.records import LEVELS

# Columns a field filter names directly; any other name is looked up among the attributes.
COLUMNS = ("level", "logger", "service", "host", "zone", "job_id")
BUCKETS = (1, 10, 60, 300, 900, 3600, 6 * 3600, 86400, 7 * 86400, 30 * 86400)
_LOWEST = -(2**62)  # sort key of a record without a timestamp: before every real one


class QueryError(ValueError):
    """A query the caller got wrong (bad cursor, unknown level...)."""


class RecordFilter(BaseModel):
    """Which records: time range, levels, text, field equality."""

    since: dt.datetime | None = Field(None, description="Records at or after this time.")
    until: dt.datetime | None = Field(None, description="Records before this time.")
    levels: list[str] = Field(
        default_factory=list, description="Any of trace, debug, info, warn, error, fatal."
    )
    text: str | None = Field(None, description="Case-insensitive substring of the message.")
    fields: dict[str, str] = Field(
        default_factory=dict,
        description="Equality on logger/service/host, or on an attribute (dotted names reach into objects).",
    )


_RELATIVE = re.compile(r"^(\d+)\s*([smhdw])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def when(value: str | None, name: str) -> dt.datetime | None:
    """An ISO 8601 time, or a span back from now (15m, 1h, 7d)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    relative = _RELATIVE.match(text)
    if relative:
        return dt.datetime.now(dt.UTC) - dt.timedelta(seconds=int(relative[1]) * _UNITS[relative[2]])
    # A "+02:00" sent unencoded in a query string arrives as " 02:00".
    if len(text) > 19 and text[19] == " ":
        text = text[:19] + "+" + text[20:]
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise QueryError(f"{name} must be an ISO 8601 time or a span such as 1h or 7d") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def connect(threads: int | None = None) -> duckdb.DuckDBPyConnection:
    config: dict[str, Any] = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    if threads:
        config["threads"] = threads
    connection = duckdb.connect(config=config)
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute("SET enable_progress_bar = false")  # it would write to the server's or CLI's terminal
    return connection


def _source(paths: Sequence[Path]) -> str:
    if not paths:
        raise QueryError("no records to query")
    listed = ", ".join("'" + str(path).replace("'", "''") + "'" for path in paths)
    return f"read_parquet([{listed}])"


def _where(query: RecordFilter, time_column: str = "ts") -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query.since is not None:
        clauses.append(f"{time_column} >= ?")
        params.append(_aware(query.since))
    if query.until is not None:
        clauses.append(f"{time_column} < ?")
        params.append(_aware(query.until))
    if query.levels:
        unknown = [level for level in query.levels if level not in LEVELS]
        if unknown:
            raise QueryError(f"unknown level {unknown[0]!r}: use {', '.join(LEVELS)}")
        clauses.append(f"level IN ({', '.join('?' for _ in query.levels)})")
        params.extend(query.levels)
    if query.text:
        clauses.append("contains(lower(message), ?)")
        params.append(query.text.lower())
    for name, value in query.fields.items():
        if name in COLUMNS:
            clauses.append(f"{name} = ?")
        else:
            clauses.append("json_extract_string(attributes, ?) = ?")
            params.append("$." + ".".join('"' + part.replace('"', '\\"') + '"' for part in name.split(".")))
        params.append(value)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


_KEY = f"coalesce(epoch_us(ts), {_LOWEST})"


def _cursor(row: dict[str, Any]) -> str:
    key = int(row["ts"].timestamp() * 1_000_000) if row["ts"] else _LOWEST
    raw = orjson.dumps([key, row["job_id"], row["seq"]])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_cursor(cursor: str) -> tuple[int, str, int]:
    try:
        key, job_id, seq = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return int(key), str(job_id), int(seq)
    except (ValueError, TypeError, orjson.JSONDecodeError):
        raise QueryError("invalid cursor") from None


def _after_cursor(key: int, job_id: str, seq: int, newest: bool, timeless: bool) -> tuple[str, list[Any]]:
    """Records past the cursor in the page order; the timestamp compared as itself so that the
    Parquet scan can skip row groups by their min/max (an expression over ts could not)."""
    sign = "<" if newest else ">"
    tie = f"(job_id {sign} ? OR (job_id = ? AND seq {sign} ?))"
    params: list[Any] = [job_id, job_id, seq]
    if key == _LOWEST:  # the cursor's record has no timestamp: those sort before every other
        if newest:
            return f"(ts IS NULL AND {tie})", params
        return f"(ts IS NOT NULL OR (ts IS NULL AND {tie}))", params
    stamp = _from_micros(key)
    # The plain bound beside the OR is what the scan can skip row groups by.
    if newest and timeless:
        return f"(ts < ? OR ts IS NULL OR (ts = ? AND {tie}))", [stamp, stamp, *params]
    if newest:
        return f"ts <= ? AND (ts < ? OR (ts = ? AND {tie}))", [stamp, stamp, stamp, *params]
    return f"ts >= ? AND (ts > ? OR (ts = ? AND {tie}))", [stamp, stamp, stamp, *params]


def _from_micros(micros: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=micros)


def _row(names: list[str], values: tuple[Any, ...]) -> dict[str, Any]:
    row = dict(zip(names, values, strict=True))
    attributes = row.get("attributes")
    row["attributes"] = orjson.loads(attributes) if attributes else {}
    return row


# Rows a page first looks at, then eight times more each try (see _windows).
FIRST_WINDOW = 65_536
WINDOW_GROWTH = 8


def records(
    paths: Sequence[Path],
    query: RecordFilter,
    *,
    order: Literal["newest", "oldest"] = "newest",
    limit: int = 100,
    cursor: str | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of records in time order (ties in file order) and the cursor of the next page.

    A page is looked for in growing time windows at the page's end of the range (see _windows):
    logs are written in time order, so each window is a few row groups the scan reads while it
    skips the others by their min/max, and a page is found long before the whole job is read.
    """
    where, params = _where(query)
    newest = order == "newest"
    upper = _aware(query.until) if query.until else None
    lower = _aware(query.since) if query.since else None
    if cursor:
        key, job_id, seq = _read_cursor(cursor)
        clause, more_params = _after_cursor(key, job_id, seq, newest, _timeless(paths))
        where += (" AND " if where else " WHERE ") + clause
        params += more_params
        if key != _LOWEST:
            if newest:
                upper = min(upper, _from_micros(key + 1)) if upper else _from_micros(key + 1)
            else:
                lower = max(lower, _from_micros(key)) if lower else _from_micros(key)
    direction, nulls = ("DESC", "NULLS LAST") if newest else ("ASC", "NULLS FIRST")
    db = connection or connect()
    for bound in _windows(paths, newest, lower, upper):
        bounded, bound_params = where, params
        if bound is not None:
            bounded += (" AND " if where else " WHERE ") + ("ts >= ?" if newest else "ts <= ?")
            bound_params = [*params, bound]
        sql = (
            "SELECT job_id, seq, ts, zone, level, message, logger, service, host, attributes, line, end_line"
            f" FROM {_source(paths)}{bounded}"
            f" ORDER BY ts {direction} {nulls}, job_id {direction}, seq {direction} LIMIT ?"
        )
        result = db.execute(sql, [*bound_params, limit + 1])
        names = [column[0] for column in result.description]
        rows = [_row(names, values) for values in result.fetchall()]
        if len(rows) > limit or bound is None:
            break
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (_cursor(rows[-1]) if more and rows else None)


@functools.lru_cache(maxsize=256)
def _groups_of(path: str, mtime_ns: int, size: int) -> tuple[tuple[int | None, int | None, int, int], ...]:
    """(min µs, max µs, rows, null timestamps) of each row group's ts, from the file's footer."""
    metadata = pq.ParquetFile(path).metadata
    column = metadata.schema.names.index("ts")
    groups = []
    for index in range(metadata.num_row_groups):
        group = metadata.row_group(index)
        stats = group.column(column).statistics
        if stats is None or not stats.has_min_max:
            groups.append((None, None, group.num_rows, group.num_rows))
            continue
        nulls = stats.null_count if stats.has_null_count else group.num_rows
        groups.append((_micros(stats.min), _micros(stats.max), group.num_rows, nulls))
    return tuple(groups)


def _timeless(paths: Sequence[Path]) -> bool:
    """Whether any record of these files may lack a timestamp (unknown counts as yes)."""
    for path in paths:
        try:
            status = path.stat()
            groups = _groups_of(str(path), status.st_mtime_ns, status.st_size)
        except (OSError, pa.ArrowInvalid):
            return True
        if any(group[3] for group in groups):
            return True
    return False


def _micros(value: Any) -> int:
    if isinstance(value, dt.datetime):
        return int((_aware(value) - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) / dt.timedelta(microseconds=1))
    return int(value)


def _windows(
    paths: Sequence[Path], newest: bool, lower: dt.datetime | None, upper: dt.datetime | None
) -> list[dt.datetime | None]:
    """Time bounds for the tries at a page, each holding about eight times the rows of the last,
    from the row groups' min/max; the last try (None) is unbounded. A bound only narrows where
    rows are looked for, never which rows come first, so unsorted files are answered right, only
    slower. Oldest first, records without a timestamp come first: those files are read whole."""
    groups = []
    for path in paths:
        try:
            status = path.stat()
            groups.extend(_groups_of(str(path), status.st_mtime_ns, status.st_size))
        except (OSError, pa.ArrowInvalid):
            return [None]
    if any(group[0] is None for group in groups) or (not newest and any(group[3] for group in groups)):
        return [None]
    low = _micros(lower) if lower else None
    high = _micros(upper) if upper else None
    # Only the row groups that can hold rows in the range count towards a window's size.
    relevant = [
        group
        for group in groups
        if (low is None or group[1] >= low) and (high is None or group[0] <= high)  # type: ignore[operator]
    ]
    # Newest first: the groups that start latest come first, and a window reaches down to the
    # start of its last group; oldest first, the mirror image.
    relevant.sort(key=lambda group: -group[0] if newest else group[1])  # type: ignore[operator]
    bounds: list[dt.datetime | None] = []
    wanted, seen = FIRST_WINDOW, 0
    for group in relevant[:-1]:
        seen += group[2]
        if seen >= wanted:
            bounds.append(_from_micros(group[0] if newest else group[1]))  # type: ignore[arg-type]
            wanted *= WINDOW_GROWTH
    bounds.append(None)
    return bounds


def _bucket_seconds(first: dt.datetime | None, last: dt.datetime | None, wanted: int | None) -> int:
    if wanted:
        return wanted
    if first is None or last is None:
        return 3600
    span = (last - first).total_seconds()
    return next((size for size in BUCKETS if span / size <= 120), BUCKETS[-1])


def _minute_aligned(value: dt.datetime | None) -> bool:
    return value is None or (value.second == 0 and value.microsecond == 0)


def _rollup_answers(query: RecordFilter, rollup_paths: Sequence[Path] | None, count: int) -> bool:
    """Whether the rollups hold the answer: whole minutes, no text or field filter, every job rolled up."""
    return bool(
        rollup_paths
        and len(rollup_paths) == count
        and not query.text
        and not query.fields
        and _minute_aligned(query.since)
        and _minute_aligned(query.until)
        and all(rollup.usable(path) for path in rollup_paths)
    )


def summary(
    paths: Sequence[Path],
    malformed_paths: Sequence[Path],
    query: RecordFilter | None = None,
    *,
    bucket_seconds: int | None = None,
    top: int = 20,
    rollup_paths: Sequence[Path] | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> dict[str, Any]:
    """Counts by level and by time bucket, the commonest message templates, first/last time, malformed.

    Read from the jobs' rollups when they hold the answer (see rollup.py), else from the records.
    """
    db = connection or connect()
    query = query or RecordFilter()
    if _rollup_answers(query, rollup_paths, len(paths)) and (bucket_seconds or 60) % 60 == 0:
        assert rollup_paths is not None
        source, counted, first_ts, last_ts, time_column = (
            _source(rollup_paths),
            "sum(count)",
            "min(first_ts)",
            "max(last_ts)",
            "minute",
        )
    else:
        source, counted, first_ts, last_ts, time_column = (
            _source(paths),
            "count(*)",
            "min(ts)",
            "max(ts)",
            "ts",
        )
    where, params = _where(query, time_column)
    total, first, last = db.execute(
        f"SELECT coalesce({counted}, 0), {first_ts}, {last_ts} FROM {source}{where}", params
    ).fetchone()  # type: ignore[misc]
    size = _bucket_seconds(first, last, bucket_seconds)
    if time_column == "minute" and size % 60:
        # A span under twenty minutes wants buckets finer than the rollup's minutes.
        return summary(paths, malformed_paths, query, bucket_seconds=bucket_seconds, top=top, connection=db)
    by_level = dict(
        db.execute(
            f"SELECT coalesce(level, 'none'), {counted} FROM {source}{where} GROUP BY 1", params
        ).fetchall()
    )
    step = size * 1_000_000
    buckets = db.execute(
        f"SELECT make_timestamptz((epoch_us({time_column}) // {step}) * {step}) AS bucket, level, {counted}"
        f" FROM {source}{where}{' AND' if where else ' WHERE'} {time_column} IS NOT NULL"
        " GROUP BY ALL ORDER BY 1",
        params,
    ).fetchall()
    series: dict[dt.datetime, dict[str, int]] = {}
    for start, level, count in buckets:
        series.setdefault(start, {})[level or "none"] = int(count)
    # A template's level is its commonest one.
    templates = db.execute(
        f"SELECT template, sum(n) AS total, arg_max(level, n) FROM ("
        f"SELECT template, level, {counted} AS n FROM {source}{where} GROUP BY template, level"
        ") GROUP BY template ORDER BY total DESC, template LIMIT ?",
        [*params, top],
    ).fetchall()
    malformed = (
        db.execute(f"SELECT count(*) FROM {_source(malformed_paths)}").fetchone()[0]  # type: ignore[index]
        if malformed_paths
        else 0
    )
    return {
        "records": int(total),
        "malformed": malformed,
        "first_timestamp": first,
        "last_timestamp": last,
        "levels": {level: int(by_level.get(level, 0)) for level in (*LEVELS, "none")},
        "bucket_seconds": size,
        "timeline": [
            {"start": start, "count": sum(counts.values()), "levels": counts}
            for start, counts in series.items()
        ],
        "templates": [
            {"template": text, "count": int(count), "level": level} for text, count, level in templates
        ],
    }


def malformed_lines(
    paths: Sequence[Path],
    *,
    limit: int = 100,
    offset: int = 0,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> list[dict[str, Any]]:
    """Malformed lines in file order, with why."""
    if not paths:
        return []
    db = connection or connect()
    result = db.execute(
        f"SELECT job_id, line, reason, raw FROM {_source(paths)} ORDER BY job_id, line LIMIT ? OFFSET ?",
        [limit, offset],
    )
    names = [column[0] for column in result.description]
    return [dict(zip(names, values, strict=True)) for values in result.fetchall()]


EXPORTS = {
    "csv": "(FORMAT csv, HEADER true)",
    "jsonl": "(FORMAT json)",
    "parquet": "(FORMAT parquet, COMPRESSION zstd)",
}


def export(
    paths: Sequence[Path],
    query: RecordFilter,
    fmt: Literal["csv", "jsonl", "parquet"],
    target: Path,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> Path:
    """Write the matching records, oldest first, to target (DuckDB streams it; memory stays flat)."""
    where, params = _where(query)
    db = connection or connect()
    columns = (
        "job_id, seq, strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ') AS timestamp, zone, level, message,"
        " logger, service, host, attributes, line, end_line"
    )
    if fmt == "parquet":
        columns = columns.replace("strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ') AS timestamp", "ts AS timestamp")
    if fmt == "jsonl":
        columns = columns.replace("attributes,", "attributes::JSON AS attributes,")
    target_sql = "'" + str(target).replace("'", "''") + "'"
    db.execute(
        f"COPY (SELECT {columns} FROM {_source(paths)}{where} ORDER BY {_KEY}, job_id, seq)"
        f" TO {target_sql} {EXPORTS[fmt]}",
        params,
    )
    return target
