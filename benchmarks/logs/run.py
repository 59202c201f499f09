# ruff: noqa: S608, E501 - SQL over the benchmark's own files; report table rows read best whole
"""Log ingestion speed, memory and query latency, beside DuckDB's own readers on the same files.

Each measurement runs in a fresh process pinned to one core: MB/s is per core, peak RSS is the
whole process's (interpreter and libraries included). Every ingest is checked against the
generator's exact counts. Writes benchmarks/results/logs.{json,md}.

    .venv/bin/python -m benchmarks.logs.run --mb 200
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks.logs.generate import FORMATS, Counts, generate

RESULTS = Path("benchmarks/results")
ROW_GROUP = 16_384  # as ingest writes them
DUCKDB_READERS = {
    "jsonl": "read_json('{path}', format='newline_delimited', ignore_errors=true)",
    "json_array": "read_json('{path}', format='array', ignore_errors=true)",
    "csv": "read_csv('{path}', header=true, ignore_errors=true)",
}


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})


def child_ingest(path: str, fmt: str, out: str, columnar: bool = True) -> dict:
    _pin()
    from docuforge.logs.ingest import ingest
    from docuforge.logs.reader import sniff
    from docuforge.logs.records import LogFormat, ParseOptions
    from docuforge.logs.streams import head

    sniffed = sniff(head(Path(path)))
    started, cpu = time.perf_counter(), time.process_time()
    options = ParseOptions(format=LogFormat(fmt), year=2026, columnar=columnar)
    stats = ingest(Path(path), Path(out), "bench", options)
    # CPU seconds are the per-core cost even when other work shares the core; wall time beside it.
    seconds, wall = time.process_time() - cpu, time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from docuforge.logs import query  # DuckDB is the query side's; a worker ingesting never loads it

    summary = query.summary([Path(out) / "records.parquet"], [Path(out) / "malformed.parquet"])
    return {
        "seconds": seconds,
        "wall_seconds": wall,
        "records": stats["records"],
        "malformed": stats["malformed"],
        "levels": {k: v for k, v in summary["levels"].items() if v},
        "sniffed": str(sniffed),
        "peak_rss_mb": rss,
    }


def child_duckdb(path: str, fmt: str, out: str) -> dict:
    _pin()
    import duckdb

    connection = duckdb.connect(config={"threads": 1, "autoload_known_extensions": False})
    reader = DUCKDB_READERS[fmt].format(path=path)
    started = time.process_time()
    try:
        connection.execute(f"COPY (SELECT * FROM {reader}) TO '{out}' (FORMAT parquet, COMPRESSION zstd)")
    except duckdb.Error as error:  # e.g. a malformed array element, which ignore_errors does not skip
        return {"error": str(error).splitlines()[0][:200]}
    seconds = time.process_time() - started
    rows = connection.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]
    return {
        "seconds": seconds,
        "rows": rows,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def in_child(kind: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.logs.run", "--child", kind, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def big_dataset(source: Path, target: Path, records: int) -> int:
    """At least `records` rows: whole copies of one ingest, each a day later, as one job's Parquet.

    The copies follow each other in time order, as one long log's records would be written."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(source)
    have = table.num_rows
    copies = -(-records // have)
    day = pa.scalar(86_400_000_000, pa.int64())
    micros = table.column("ts").cast(pa.int64())
    with pq.ParquetWriter(target, table.schema, compression="zstd") as writer:
        for k in range(copies):
            shifted = pc.add(micros, pc.multiply(day, k)).cast(table.schema.field("ts").type)
            copy = table.set_column(table.schema.get_field_index("ts"), "ts", shifted)
            copy = copy.set_column(
                table.schema.get_field_index("seq"), "seq", pc.add(table.column("seq"), k * have)
            )
            writer.write_table(copy, row_group_size=ROW_GROUP)
    return pq.read_metadata(target).num_rows


def big_rollup(source: Path, target: Path, copies: int) -> None:
    """The rollup of big_dataset's copies, shifted the same way."""
    import duckdb

    shift = "to_days(CAST(k AS INTEGER))"
    duckdb.connect().execute(
        f"""COPY (
            SELECT job_id, minute + {shift} AS minute, level, template, count,
                   first_ts + {shift} AS first_ts, last_ts + {shift} AS last_ts
            FROM read_parquet('{source}'), range({copies}) AS copy(k)
        ) TO '{target}' (FORMAT parquet, COMPRESSION zstd)"""
    )
    import pyarrow.parquet as pq

    from docuforge.logs.rollup import COMPLETE

    table = pq.read_table(target)
    pq.write_table(table.replace_schema_metadata({COMPLETE: b"true"}), target, compression="zstd")


def time_queries(records_path: Path, malformed_path: Path, rollup_path: Path, runs: int = 5) -> dict:
    from docuforge.logs import query

    def timed(fn) -> dict:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        return {"first_ms": round(times[0], 1), "median_ms": round(statistics.median(times[1:]), 1)}

    connection = query.connect()
    page_filter = query.RecordFilter(
        levels=["error", "fatal"], fields={"service": "billing"}, text="declined"
    )
    return {
        "summary": timed(
            lambda: query.summary(
                [records_path], [malformed_path], rollup_paths=[rollup_path], connection=connection
            )
        ),
        "summary_errors_from_rollup": timed(
            lambda: query.summary(
                [records_path],
                [malformed_path],
                query.RecordFilter(levels=["error", "fatal"]),
                rollup_paths=[rollup_path],
                connection=connection,
            )
        ),
        "summary_from_records": timed(
            lambda: query.summary([records_path], [malformed_path], connection=connection)
        ),
        "filtered_page": timed(
            lambda: query.records([records_path], page_filter, limit=100, connection=connection)
        ),
        "attribute_page": timed(
            lambda: query.records(
                [records_path],
                query.RecordFilter(fields={"http.status": "500"}),
                limit=100,
                connection=connection,
            )
        ),
        "second_page": timed(
            lambda: query.records(
                [records_path],
                page_filter,
                limit=100,
                cursor=query.records([records_path], page_filter, limit=100, connection=connection)[1],
                connection=connection,
            )
        ),
    }


def markdown(report: dict) -> str:
    lines = [
        "# Log ingestion: speed, memory, queries",
        "",
        f"Machine: {report['machine']}. Each ingest runs in a fresh process pinned to one core; MB/s is"
        " per CPU-second of that process (the machine is shared with other work, so wall time is longer).",
        f"Input: {report['mb_per_format']} MB per format from `benchmarks/logs/generate.py` (1% malformed"
        " lines; text: 1% lines with unreadable dates, which join the record above as continuations).",
        "",
        "| format | MB | records | malformed | counts exact | MB/s per core | peak RSS MB | DuckDB MB/s (1 thread) | DuckDB rows | load (1 min) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["formats"]:
        duck = row.get("duckdb") or {}
        lines.append(
            f"| {row['format']} | {row['mb']:.0f} | {row['records']} | {row['malformed']} | {row['exact']} |"
            f" {row['mb_per_s']:.1f} | {row['peak_rss_mb']:.0f} | {duck.get('mb_per_s', '-')} | {duck.get('rows', '-')} |"
            f" {row.get('load', '-')} |"
        )
        if "reference_mb_per_s" in row:
            lines.append(
                f"| {row['format']} (reference parser) | {row['mb']:.0f} | | | {row['reference_exact']} |"
                f" {row['reference_mb_per_s']} | | | | |"
            )
    lines += ["", "Peak RSS by input size (JSON lines):", "", "| MB | peak RSS MB |", "|---|---|"]
    lines += [f"| {r['mb']:.0f} | {r['peak_rss_mb']:.0f} |" for r in report["rss_by_size"]]
    q = report["queries"]
    lines += [
        "",
        f"Queries over {q['records']:,} records in one job's Parquet (DuckDB, all cores; first run and"
        " median of the next runs):",
        "",
        "| query | first ms | median ms | before: first ms | before: median ms |",
        "|---|---|---|---|---|",
    ]
    before = q.get("before", {})
    for name, value in q["latency"].items():
        was = before.get(name, {})
        lines.append(
            f"| {name} | {value['first_ms']} | {value['median_ms']} | {was.get('first_ms', '-')} | {was.get('median_ms', '-')} |"
        )
    lines += [
        "",
        "Targets: JSON lines >= 100 MB/s per core; peak RSS < 300 MB whatever the size; summary < 500 ms over 10 M records.",
        "",
    ]
    lines += [f"- {note}" for note in report["notes"]]
    return "\n".join(lines) + "\n"


def counted(fmt: str, source: Path, mb: float) -> Counts:
    """The generated file and its counts, made once per format and size."""
    saved = source.with_suffix(".counts.json")
    if source.exists() and saved.exists():
        data = json.loads(saved.read_text())
        if data.get("mb") == mb:
            return Counts(**{k: v for k, v in data.items() if k != "mb"})
    counts = generate(fmt, source, int(mb * 1e6))
    saved.write_text(json.dumps({**asdict(counts), "mb": mb}))
    return counts


def measure_queries(args: argparse.Namespace) -> tuple[int, dict]:
    base = args.cache / "jsonl.out"
    if not (base / "rollup.parquet").exists():  # an ingest from before rollups existed
        in_child("ingest", str(args.cache / "jsonl.log"), "jsonl", str(base))
    big = args.cache / "big.parquet"
    count = big_dataset(base / "records.parquet", big, args.records)
    import pyarrow.parquet as pq

    copies = -(-args.records // pq.read_metadata(base / "records.parquet").num_rows)
    big_rollup(base / "rollup.parquet", args.cache / "big.rollup.parquet", copies)
    return count, time_queries(big, base / "malformed.parquet", args.cache / "big.rollup.parquet")


def queries_only(args: argparse.Namespace) -> None:
    load_before = os.getloadavg()
    count, latency = measure_queries(args)
    report = json.loads((RESULTS / "logs.json").read_text())
    report["queries"] = {"records": count, "latency": latency}
    report["notes"].append(
        f"Queries measured again after the rollups were added; load average (1 min) at the start:"
        f" {load_before[0]:.1f}, at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs."
    )
    (RESULTS / "logs.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    (RESULTS / "logs.md").write_text(markdown(report))
    print(markdown(report))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=200)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--records", type=int, default=10_000_000, help="Rows for the query measurements.")
    parser.add_argument("--cache", type=Path, default=Path("benchmarks/.cache/logs"))
    parser.add_argument("--child", nargs=4, metavar=("KIND", "PATH", "FORMAT", "OUT"))
    parser.add_argument(
        "--queries-only", action="store_true", help="Measure the queries again on the cached ingest."
    )
    args = parser.parse_args()
    if args.queries_only:
        queries_only(args)
        return
    if args.child:
        kind, path, fmt, out = args.child
        if kind == "ingest-reference":  # the one-line-at-a-time parser, for comparison
            print(json.dumps(child_ingest(path, fmt, out, columnar=False)))
            return
        print(json.dumps((child_ingest if kind == "ingest" else child_duckdb)(path, fmt, out)))
        return
    args.cache.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    rows = []
    for fmt in args.formats.split(","):
        source = args.cache / f"{fmt}.log"
        expected = counted(fmt, source, args.mb)
        out = args.cache / f"{fmt}.out"
        got = in_child("ingest", str(source), fmt, str(out))
        mb = expected.bytes / 1e6
        exact = (
            got["records"] == expected.records
            and got["malformed"] == expected.malformed
            and got["levels"] == expected.levels
            and got["sniffed"] == fmt
        )
        row = {
            "load": round(os.getloadavg()[0], 1),
            "format": fmt,
            "mb": mb,
            "expected": asdict(expected),
            **got,
            "exact": exact,
            "mb_per_s": mb / got["seconds"],
        }
        if fmt == "jsonl":
            reference = in_child("ingest-reference", str(source), fmt, str(out))
            row["reference_mb_per_s"] = round(mb / reference["seconds"], 1)
            row["reference_exact"] = (reference["records"], reference["malformed"]) == (
                expected.records,
                expected.malformed,
            )
        if fmt in DUCKDB_READERS:
            duck = in_child("duckdb", str(source), fmt, str(args.cache / f"{fmt}.duckdb.parquet"))
            row["duckdb"] = {
                **duck,
                "mb_per_s": round(mb / duck["seconds"], 1) if "seconds" in duck else "failed",
            }
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != "expected"}), flush=True)
    rss = []
    for mb in (args.mb / 10, args.mb):
        source = args.cache / f"rss-{mb:.0f}.log"
        generate("jsonl", source, int(mb * 1e6))
        got = in_child("ingest", str(source), "jsonl", str(args.cache / "rss.out"))
        rss.append({"mb": mb, "peak_rss_mb": got["peak_rss_mb"]})
        source.unlink()
    count, latency = measure_queries(args)
    report = {
        "machine": f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}",
        "mb_per_format": args.mb,
        "formats": rows,
        "rss_by_size": rss,
        "queries": {"records": count, "latency": latency},
        "notes": [
            "MB/s counts the whole job: reading, decompressing none (plain files), parsing, normalising and"
            " writing Parquet with message templates.",
            "DuckDB's readers only parse what they can type (no levels, templates or attributes) and are"
            " shown as an anchor, one thread each.",
            f"The {count:,} query rows are whole copies of the JSON lines ingest, each a day later,"
            " with its rollup copied the same way.",
            f"Load average (1 min) at the start: {load_before[0]:.1f}, at the end: {os.getloadavg()[0]:.1f}"
            f" on {os.cpu_count()} CPUs: query latencies are wall times and grow with the load.",
        ],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "logs.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    (RESULTS / "logs.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
