# ruff: noqa: S608 - the SQL is built from fixed expressions and keys quoted by _sql_text, never from input
"""JSON lines read a chunk at a time by DuckDB's vectorised JSON functions: the same records as
structured.jsonl, several times faster.

Each chunk of lines goes to DuckDB as one column with its line numbers. DuckDB validates each
line, lists its keys, and groups the lines by their keys (their *shape*: a log writes few). For
each shape, which key plays which role (time, level, message...) is decided once in Python by
fields.ROLE_OF, exactly as fields.from_entry decides it per line; then one SQL pass extracts the
role values, normalises levels, parses timestamps and keeps the other keys as attributes.

A line takes the fast path only where the result is certain to equal the reference parser's:
anything else (invalid JSON and the few inputs DuckDB's reader is more lenient about than
orjson, unknown level spellings, timestamps outside plain RFC 3339, numbers as levels or
messages that are not integers, nested ECS fields, duplicate keys...) is handed, line by line, to
structured.jsonl_line, which writes the record or the malformed line and its reason as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from docuforge.logs import levels
from docuforge.logs.columnar import RECORD_COLUMNS, ParquetSink, records_table
from docuforge.logs.fields import ROLE_OF
from docuforge.logs.records import Malformed, ParseOptions, Record
from docuforge.logs.structured import jsonl_line

CHUNK_BYTES = 2 * 1024 * 1024
MAX_SHAPES = 64  # shapes per chunk taken fast; lines of rarer ones go the reference way
ROLES = ("time", "level", "message", "logger", "service", "host")
_ABSENT = '$."\\u0001absent"'  # a path no key matches: json_extract answers NULL

# Inputs DuckDB's JSON reader accepts and orjson refuses (NaN and Infinity literals, trailing
# commas, numbers beyond a double), or that a VARCHAR would not carry alike (NUL): the reference
# parser decides these lines.
_LENIENT = (
    r"(?i)[:,\[]\s*(?:[-+]?(?:nan|inf)|-?[0-9]+(?:\.[0-9]+)?e[+-]?[0-9]{3}|-?[0-9]{20})|,\s*[\]}]|\\u0000"
)

# RFC 3339 as Python's fromisoformat reads it, field ranges checked so that DuckDB cannot accept
# what Python refuses (hour 24, offset +24:00, year 0); an impossible day leaves try_cast NULL.
_STAMP = (
    r'^"[0-9]{3}[1-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]'
    r'(\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?"$'
)
_INTEGER = r"^-?[0-9]+$"


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _level_case(column: str) -> str:
    """The level of an alphabetic spelling (the words levels.normalize knows), else NULL."""
    words: dict[str, list[str]] = {}
    for spelling, level in levels.SPELLINGS.items():
        if spelling.isalpha():
            words.setdefault(level, []).append(spelling)
    whens = " ".join(
        f"WHEN {column} IN ({', '.join(_sql_text(word) for word in spellings)}) THEN {_sql_text(level)}"
        for level, spellings in words.items()
    )
    return f"CASE {whens} END"


# bunyan/pino numbers, as levels.normalize reads an integer.
_NUMBER_LEVELS = " ".join(
    f"WHEN {number} THEN '{name}'"
    for number, name in zip(
        (10, 20, 30, 40, 50, 60), ("trace", "debug", "info", "warn", "error", "fatal"), strict=True
    )
)


@dataclass
class Shape:
    """Which key of a shape plays each role (None: absent), and the keys left as attributes."""

    roles: list[str | None]
    attributes: list[str] = field(default_factory=list)


def plan(keys: list[str]) -> Shape | None:
    """The roles of a shape as fields.from_entry would choose them, or None when a line of this
    shape could be read otherwise than the fast path reads it."""
    if not keys or len(set(keys)) != len(keys) or "_timestamp" in keys or "_level" in keys:
        return None
    roles: list[str | None] = [None] * len(ROLES)
    ranks = [99] * len(ROLES)
    for key in keys:
        role = ROLE_OF.get(key)
        if role is not None and role[1] < ranks[role[0]]:
            roles[role[0]], ranks[role[0]] = key, role[1]
    # from_entry looks inside {"log": {...}} when no key names the level or the logger.
    if "log" in keys and "log" != roles[2] and (roles[1] is None or roles[3] is None):
        return None
    chosen = {key for key in roles if key is not None}
    return Shape(roles, [key for key in keys if key not in chosen])


def _path(key: str) -> str:
    return _sql_text("$." + orjson.dumps(key).decode())


def _shape_sql(shapes: list[Shape], hashes: list[int]) -> tuple[str, str, str]:
    """The CASE expressions that extract each shape's values (one parse per line) and join its
    attributes back into an object."""
    extract, attributes = [], []
    for sid, shape in enumerate(shapes):
        paths = [_path(key) if key else _sql_text(_ABSENT) for key in shape.roles]
        paths += [_path(key) for key in shape.attributes]
        extract.append(f"WHEN {hashes[sid]} THEN json_extract(c.text, [{', '.join(paths)}])::VARCHAR[]")
        if shape.attributes:
            pieces = []
            for index, key in enumerate(shape.attributes):
                name = orjson.dumps(key).decode()
                pieces.append(_sql_text(("{" if index == 0 else ",") + name + ":"))
                pieces.append(f"v[{len(ROLES) + index + 1}]")
            attributes.append(f"WHEN {sid} THEN {' || '.join(pieces)} || '}}'")
    attribute_sql = f"CASE sid {' '.join(attributes)} END" if attributes else "NULL"
    sid = " ".join(f"WHEN {h} THEN {sid}" for sid, h in enumerate(hashes))
    # A line with no keys (invalid, or not an object) never takes a shape, whatever its hash.
    keyed = "len(p.k) > 0"
    return (
        f"CASE WHEN {keyed} THEN CASE p.h {sid} END END",
        f"CASE WHEN {keyed} THEN CASE p.h {' '.join(extract)} END END",
        attribute_sql,
    )


def _string_or_integer(column: str) -> str:
    """A role value as from_entry keeps it: a string, or an integer written out; else NULL."""
    return (
        f"CASE WHEN left({column}, 1) = '\"' THEN"
        f" (CASE WHEN contains({column}, '\\') THEN {column}->>'$' ELSE {column}[2:-2] END)"
        f" WHEN regexp_matches({column}, '{_INTEGER}') THEN {column} END"
    )


def _records_sql(attributes_sql: str, extracted: str, naive_ok: bool) -> str:
    t, lv, m = "v[1]", "v[2]", "v[3]"
    stamp = f"regexp_matches({t}, '{_STAMP}')"
    # A zoneless time is read in the default zone: only UTC is done here (DST folds differ).
    zoned = f"(right({t}, 2) = 'Z\"' OR regexp_matches({t}, '[+-][0-9][0-9]:[0-9][0-9]\"$'))"
    naive = "true" if naive_ok else zoned
    epoch = f"(regexp_matches({t}, '^[0-9]{{1,17}}$') AND TRY_CAST({t} AS BIGINT) < 100000000000000000)"
    number = f"TRY_CAST({t} AS BIGINT)"
    ts = (
        f"CASE WHEN {stamp} AND {naive} THEN try_cast({t}[2:-2] AS TIMESTAMPTZ)"
        f" WHEN {epoch} THEN make_timestamptz(CASE WHEN {number} >= 100000000000000 THEN {number}"
        f" WHEN {number} >= 100000000000 THEN {number} * 1000 ELSE {number} * 1000000 END) END"
    )
    zone = (
        f"CASE WHEN {epoch} THEN 'Z' WHEN right({t}, 2) = 'Z\"' THEN 'Z'"
        f" WHEN regexp_matches({t}, '[+-]00:00\"$') THEN 'Z'"
        f" WHEN regexp_matches({t}, '[+-][0-9][0-9]:[0-9][0-9]\"$') THEN {t}[-7:-2] END"
    )
    level = (
        f"CASE WHEN regexp_matches({lv}, '^\"[A-Za-z]+\"$') THEN {_level_case(f'lower({lv}[2:-2])')}"
        f" WHEN regexp_matches({lv}, '^[0-9]{{1,4}}$')"
        f" THEN CASE TRY_CAST({lv} AS INTEGER) {_NUMBER_LEVELS} END END"
    )
    return f"""
        SELECT line, ts, zone, level,
               coalesce(message, '') AS message, logger, service, host, attributes,
               sid IS NOT NULL AND (v[1] IS NULL OR ts IS NOT NULL) AND (v[2] IS NULL OR level IS NOT NULL)
               AND (v[3] IS NULL OR message IS NOT NULL) AND (v[4] IS NULL OR logger IS NOT NULL)
               AND (v[5] IS NULL OR service IS NOT NULL) AND (v[6] IS NULL OR host IS NOT NULL) AS ok
        FROM (
            SELECT line, sid, v, {ts} AS ts, {zone} AS zone, {level} AS level,
                   {_string_or_integer(m)} AS message, {_string_or_integer("v[4]")} AS logger,
                   {_string_or_integer("v[5]")} AS service, {_string_or_integer("v[6]")} AS host,
                   {attributes_sql} AS attributes
            FROM ({extracted})
        )
    """


def chunks(
    stream: BinaryIO, max_bytes: int, size: int = CHUNK_BYTES
) -> Iterator[tuple[int, list[bytes], list[Malformed]]]:
    """(number of the chunk's first line, its lines, the ones longer than max_bytes as malformed).

    Lines are cut as streams.lines cuts them (a longer line's rest is skipped, never held); a cut
    line stays in the list as b"" so that numbers follow positions.
    """
    number = 0  # lines before the chunk
    carry = b""
    skipping = False  # inside the rest of a cut line

    def cut(piece: bytes, at: int) -> Malformed:
        data = piece[:max_bytes].rstrip(b"\r\n")
        return Malformed(at, f"line longer than {max_bytes} bytes", data[:2000].decode("utf-8", "replace"))

    while data := stream.read(size):
        if skipping:
            end = data.find(b"\n")
            if end < 0:
                continue
            data, skipping = data[end + 1 :], False
        buffer = carry + data if carry else data
        last = buffer.rfind(b"\n")
        if last < 0:
            carry = buffer
            if len(carry) >= max_bytes:
                number += 1
                yield number, [b""], [cut(carry, number)]
                carry, skipping = b"", True
            continue
        pieces = buffer[:last].split(b"\n")
        carry = buffer[last + 1 :]
        bad: list[Malformed] = []
        if max(map(len, pieces)) >= max_bytes:
            for index, piece in enumerate(pieces):
                if len(piece) >= max_bytes:
                    bad.append(cut(piece, number + index + 1))
                    pieces[index] = b""
        if b"\r" in buffer:
            pieces = [piece.rstrip(b"\r") for piece in pieces]
        first = number + 1
        number += len(pieces)
        if len(carry) >= max_bytes:
            number += 1
            pieces.append(b"")
            bad.append(cut(carry, number))
            carry, skipping = b"", True
        yield first, pieces, bad
    if carry and not skipping:
        yield number + 1, [carry.rstrip(b"\r")], []


class ColumnarJsonl:
    """Reads JSON lines into a ParquetSink, chunk by chunk, with one single-threaded DuckDB."""

    def __init__(self, options: ParseOptions, zone: dt.tzinfo, memory_limit: str = "128MB") -> None:
        import duckdb

        self.options = options
        self.zone = zone
        self.naive_ok = zone is dt.UTC or getattr(zone, "key", None) in ("UTC", "Etc/UTC")
        self.db = duckdb.connect(
            config={
                "threads": 1,
                "memory_limit": memory_limit,
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
                "preserve_insertion_order": True,
            }
        )
        self.db.execute("SET TimeZone = 'UTC'")
        self.db.execute("SET enable_progress_bar = false")
        self.fast = 0  # lines read by the fast path
        self.slow = 0  # lines handed to the reference parser

    def run(
        self, stream: BinaryIO, sink: ParquetSink, after_chunk: Callable[[pa.Table], None] | None = None
    ) -> tuple[int, int]:
        """Write every record and malformed line to the sink; (records, malformed)."""
        records = malformed = 0
        for first, lines, bad in chunks(stream, self.options.max_line_bytes):
            table, others = self.chunk(first, lines)
            items = sorted([*others, *bad], key=lambda item: item.line)
            slow_records = [item for item in items if type(item) is Record]
            if slow_records:
                table = pa.concat_tables([table, records_table(slow_records)]).sort_by("line")
            for item in items:
                if type(item) is not Record:
                    sink.add(item)
                    malformed += 1
            if table.num_rows:
                sink.add_columns(table)
                records += table.num_rows
            if after_chunk is not None:
                after_chunk(table)
        return records, malformed

    def chunk(self, first: int, lines: list[bytes]) -> tuple[pa.Table, list[Record | Malformed]]:
        """The chunk's fast records (RECORD_COLUMNS) and the reference parser's items for the rest."""
        numbers = pa.array(range(first, first + len(lines)), pa.int64())
        binary = pa.array(lines, pa.binary())
        others: list[Record | Malformed] = []
        try:
            text = binary.cast(pa.string())
        except pa.ArrowInvalid:  # invalid UTF-8 somewhere: those lines go the reference way
            valid = []
            for index, line in enumerate(lines):
                try:
                    line.decode()
                    valid.append(True)
                except UnicodeDecodeError:
                    valid.append(False)
                    self._reference(others, first + index, line)
            mask = pa.array(valid)
            numbers, text = numbers.filter(mask), binary.filter(mask).cast(pa.string())
        db = self.db
        chunk_table = pa.table({"line": numbers, "text": text})
        db.register("chunk_table", chunk_table)
        # Each line's keys (NULL: not valid JSON, or written in a way only the reference reads).
        db.execute(
            "CREATE OR REPLACE TEMP TABLE parsed AS SELECT k, hash(k) AS h FROM (SELECT"
            f" CASE WHEN json_valid(text) AND NOT regexp_matches(text, {_sql_text(_LENIENT)})"
            " THEN json_keys(text) END AS k FROM chunk_table)"
        )
        # Grouped by the keys' hash (an integer); two shapes of one hash are both left out below.
        found = db.execute(
            "SELECT k, h FROM (SELECT h, count(*) AS n, min(k) AS k, max(k) AS other FROM parsed"
            " WHERE len(k) > 0 GROUP BY h) WHERE k = other ORDER BY n DESC"
        ).fetchall()
        hashes = [h for _, h in found]
        shapes: list[Shape] = []
        chosen: list[int] = []
        for keys, h in found[:MAX_SHAPES]:
            shape = plan(keys)
            if shape is not None and hashes.count(h) == 1:  # lines are matched to shapes by hash
                shapes.append(shape)
                chosen.append(h)
        if shapes:
            sid_sql, extract_sql, attributes_sql = _shape_sql(shapes, chosen)
            extracted = (
                f"SELECT c.line, {sid_sql} AS sid, {extract_sql} AS v"
                " FROM chunk_table c POSITIONAL JOIN parsed p"
            )
            result = db.sql(_records_sql(attributes_sql, extracted, self.naive_ok)).to_arrow_table()
            result = result.filter(result.column("ok")).sort_by("line")
            fast = pa.Table.from_arrays(
                [*(result.column(name) for name, _ in RECORD_COLUMNS[:-1]), result.column("line")],
                schema=pa.schema(RECORD_COLUMNS),
            )
            done = pc.is_in(chunk_table.column("line"), value_set=fast.column("line"))
            rest = chunk_table.filter(pc.invert(done))
        else:
            fast = pa.table({name: pa.array([], kind) for name, kind in RECORD_COLUMNS})
            rest = chunk_table
        numbers_left, lines_left = rest.column("line").to_pylist(), rest.column("text").to_pylist()
        for number, line in zip(numbers_left, lines_left, strict=True):
            self._reference(others, number, line.encode())
        self.fast += fast.num_rows
        return fast, others

    def _reference(self, others: list[Record | Malformed], number: int, line: bytes) -> None:
        self.slow += 1
        item = jsonl_line(number, line, self.zone)
        if item is not None:
            others.append(item)

    def close(self) -> None:
        self.db.close()


def stats_of(table: pa.Table) -> dict[str, Any]:
    """First and last timestamp and the services of a chunk's records."""
    bounds = pc.min_max(table.column("ts"))
    return {
        "first": bounds["min"].as_py(),
        "last": bounds["max"].as_py(),
        "services": pc.unique(table.column("service").drop_null()).to_pylist(),
    }
