"""`docuforge extract`: fill a JSON Schema from a document, as JSON (cited if asked) or CSV."""

from __future__ import annotations

import csv
import enum
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from docuforge.cli.app import app, fail, progress_bar


class ExtractFormat(enum.StrEnum):
    json = "json"
    csv = "csv"


class EngineChoice(enum.StrEnum):
    offline = "offline"
    llm = "llm"


def _flat(prefix: str, value: Any, into: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _flat(f"{prefix}.{key}" if prefix else key, child, into)
    elif isinstance(value, list) and not any(isinstance(v, dict | list) for v in value):
        into[prefix] = "; ".join("" if v is None else str(v) for v in value)
    elif not isinstance(value, list):
        into[prefix] = value


def to_csv(value: Any) -> str:
    """Arrays of objects become rows (the other fields repeated on each); no array: one row."""
    rows: list[dict[str, Any]] = []
    scalars: dict[str, Any] = {}
    arrays: list[tuple[str, list[Any]]] = []
    for key, child in (value or {}).items() if isinstance(value, dict) else [("value", value)]:
        if isinstance(child, list) and any(isinstance(v, dict) for v in child):
            arrays.append((key, child))
        else:
            _flat(key, child, scalars)
    if arrays:
        name, items = arrays[0]  # the first array of objects gives the rows
        for item in items:
            row = dict(scalars)
            _flat(name, item, row)
            rows.append(row)
    else:
        rows.append(scalars)
    header = list(dict.fromkeys(k for row in rows for k in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@app.command("extract")
def extract_command(
    file: Annotated[Path, typer.Argument(help="The document: anything `docuforge parse` reads.")],
    schema: Annotated[
        Path, typer.Option("--schema", "-s", help="JSON Schema file of the fields to extract.")
    ],
    prompt: Annotated[str | None, typer.Option(help="Instructions for the LLM engine.")] = None,
    engine: Annotated[
        EngineChoice,
        typer.Option(help="offline (no LLM, the default) or llm (DOCUFORGE_LLM__* settings)."),
    ] = EngineChoice.offline,
    citations: Annotated[
        bool, typer.Option("--citations", help="Each leaf as {value, citations, confidence}.")
    ] = False,
    to: Annotated[
        ExtractFormat, typer.Option("--to", help="json, or csv (arrays of objects as rows).")
    ] = ExtractFormat.json,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of to stdout.")
    ] = None,
    dense: Annotated[
        bool, typer.Option(help="Match labels by meaning too (MiniLM embeddings; seconds per document).")
    ] = False,
) -> None:
    """Extract the fields of a JSON Schema from a document, each value cited where it was read."""
    from docuforge.errors import DocuforgeError
    from docuforge.extraction import ExtractOptions, extract
    from docuforge.extraction.options import DEFAULT_PROMPT
    from docuforge.parsing.options import ParseOptions
    from docuforge.parsing.pipeline import parse

    if not file.is_file():
        fail(FileNotFoundError(f"no such file: {file}"))
    try:
        wanted = json.loads(schema.read_text())
    except (OSError, ValueError) as exc:
        fail(ValueError(f"cannot read the schema {schema}: {exc}"))
    llm = None
    if engine is EngineChoice.llm:
        from docuforge.cli.app import load_settings
        from docuforge.llm import client

        llm_options = load_settings().llm.options()
        if llm_options is None:
            fail(ValueError("the llm engine needs an LLM provider: set DOCUFORGE_LLM__PROVIDER and its URL"))
        llm = client(llm_options)
    try:
        with progress_bar(file.name) as on_page:
            document = parse(file, ParseOptions(word_boxes=True), on_page=on_page)
        result = extract(
            document,
            wanted,
            ExtractOptions(engine=engine.value, system_prompt=prompt or DEFAULT_PROMPT, dense=dense),  # type: ignore[arg-type]
            llm=llm,
        )
    except DocuforgeError as exc:
        typer.secho(f"error: {exc.message} ({exc.code})", fg="red", err=True)
        raise typer.Exit(1) from None
    if to is ExtractFormat.csv:
        rendered = to_csv(result.value)
    else:
        body = result.cited() if citations else result.value
        rendered = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(rendered)
    else:
        output.write_text(rendered)
        typer.echo(
            f"wrote {output} ({result.num_fields} fields, {len(document.pages)} pages, "
            f"confidence {result.confidence}, engine {result.engine})",
            err=True,
        )
