"""`docuforge logs`: read a log file into queryable records on this machine, and query them."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Annotated

import typer

from docuforge.cli.app import app, fail, load_settings, progress_bar

logs_app = typer.Typer(
    help="Log files: JSON lines, logfmt, CSV/TSV, syslog, access logs, timestamped text (gzip/zstd too).",
    no_args_is_help=True,
)
app.add_typer(logs_app, name="logs")


def _local_root() -> Path:
    return load_settings().data_dir / "logs" / "local"


def _dataset(job: str) -> Path:
    """A job id from `logs ingest`, or a folder holding records.parquet."""
    folder = Path(job)
    if (folder / "records.parquet").exists():
        return folder
    folder = _local_root() / job
    if not (folder / "records.parquet").exists():
        fail(FileNotFoundError(f"no ingested log {job!r} (looked in {folder})"))
    return folder


@logs_app.command("ingest")
def ingest_command(
    file: Annotated[
        Path, typer.Argument(help="The log file (plain, .gz or .zst).", exists=True, dir_okay=False)
    ],
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="auto, jsonl, json_array, logfmt, csv, tsv, syslog_rfc3164, syslog_rfc5424, apache_common, "
            "apache_combined or text.",
        ),
    ] = "auto",
    timezone: Annotated[
        str | None, typer.Option(help="Zone of timestamps written without one (default: settings, UTC).")
    ] = None,
) -> None:
    """Read a log file into Parquet under DATA_DIR/logs/local/<id>; prints the id to query."""
    from docuforge.logs.ingest import ingest
    from docuforge.logs.records import ParseOptions, log_format

    settings = load_settings()
    try:
        options = ParseOptions(
            format=log_format(format), default_timezone=timezone or settings.logfiles.default_timezone
        )
    except ValueError as exc:
        fail(exc)
    ident = str(uuid.uuid4())
    folder = settings.data_dir / "logs" / "local" / ident
    size = file.stat().st_size
    try:
        with progress_bar(f"reading {file.name}") as on_bytes:
            stats = ingest(
                file,
                folder,
                ident,
                options,
                on_progress=(lambda fraction: on_bytes(int(fraction * size), size)) if on_bytes else None,
            )
    except (OSError, ValueError) as exc:
        fail(exc)
    typer.echo(
        f"{ident}: {stats['records']} records, {stats['malformed']} malformed lines "
        f"({stats['format']}{', ' + stats['compression'] if stats['compression'] else ''})"
    )


def _since(value: str | None, name: str) -> dt.datetime | None:
    from docuforge.logs.query import QueryError, when

    try:
        return when(value, name)
    except QueryError as exc:
        fail(exc)


@logs_app.command("query")
def query_command(
    job: Annotated[
        str, typer.Argument(help="The id `logs ingest` printed, or a folder with records.parquet.")
    ],
    level: Annotated[
        list[str] | None,
        typer.Option("--level", "-l", help="trace/debug/info/warn/error/fatal (repeatable)."),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="From this time (ISO 8601) or span back (15m, 1h, 7d).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Before this time (ISO 8601) or span back.")] = None,
    grep: Annotated[str | None, typer.Option("--grep", "-g", help="Text the message contains.")] = None,
    field: Annotated[
        list[str] | None, typer.Option(help="name=value on service/host/logger or an attribute.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Records to show.")] = 50,
    oldest: Annotated[bool, typer.Option(help="Oldest first (default: newest first).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per record.")] = False,
    summary: Annotated[
        bool, typer.Option(help="Counts by level and the commonest messages instead.")
    ] = False,
    server: Annotated[
        str | None,
        typer.Option(help="A Docuforge server's URL: query its log job JOB through the HTTP API."),
    ] = None,
    api_key: Annotated[str | None, typer.Option(help="API key for --server.")] = None,
) -> None:
    """Records of an ingested log (here, or a log job on --server), filtered; or its summary."""
    from docuforge.logs import query

    fields: dict[str, str] = {}
    for pair in field or []:
        name, equals, value = pair.partition("=")
        if not equals:
            fail(ValueError(f"--field takes name=value, not {pair!r}"))
        fields[name] = value
    levels = [part.strip().lower() for value in level or [] for part in value.split(",") if part.strip()]
    if server:
        from docuforge.cli.logs_remote import remote_query

        answer = remote_query(
            server, api_key, job, levels=levels, since=since, until=until, text=grep, fields=fields,
            oldest=oldest, limit=limit, summary=summary,
        )  # fmt: skip
        if isinstance(answer, dict):
            typer.echo(json.dumps(answer, indent=2))
            return
        _print(answer, as_json)
        return
    folder = _dataset(job)
    wanted = query.RecordFilter(
        since=_since(since, "--since"),
        until=_since(until, "--until"),
        levels=levels,
        text=grep,
        fields=fields,
    )
    try:
        if summary:
            result = query.summary([folder / "records.parquet"], [folder / "malformed.parquet"], wanted)
            typer.echo(json.dumps(result, default=str, indent=2))
            return
        rows, _ = query.records(
            [folder / "records.parquet"], wanted, order="oldest" if oldest else "newest", limit=limit
        )
    except query.QueryError as exc:
        fail(exc)
    _print(rows, as_json)


def _print(rows: list[dict], as_json: bool) -> None:
    for row in rows:
        if as_json:
            typer.echo(json.dumps(row, default=str))
            continue
        stamp = row["ts"].strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z" if row["ts"] else "-"
        where = row["service"] or row["logger"] or ""
        typer.echo(
            f"{stamp} {(row['level'] or '-').upper():5} {where + ' ' if where else ''}{row['message']}"
        )
