"""`docuforge parse`: a document to Markdown, HTML, JSON, layout text or CSV."""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from docuforge.cli.app import app, fail, load_settings, progress_bar
from docuforge.parsing.options import ParseOptions

_FIELDS = ParseOptions.model_fields


class OutputFormat(enum.StrEnum):
    md = "md"
    html = "html"
    json = "json"
    text = "text"
    csv = "csv"
    document = "document"


@app.command("parse")
def parse_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="The document to parse: PDF, image (PNG, JPEG, TIFF, WebP, BMP, GIF), DOCX, PPTX, "
            "XLSX, CSV, HTML, Markdown or text.",
            exists=False,
        ),
    ],
    to: Annotated[
        OutputFormat,
        typer.Option(
            "--to",
            help="md (Markdown), html, json (Reducto's result: chunks of blocks with boxes), text (layout "
            "kept, monospace), csv (the tables), document (the full Document model).",
        ),
    ] = OutputFormat.md,
    pages: Annotated[str | None, typer.Option(help="Pages to parse, 1-based: '3-9', '1,4,6-8'.")] = None,
    chunk_mode: Annotated[
        str, typer.Option(help="For --to json: variable, section, page, page_sections, block or disabled.")
    ] = "disabled",
    chunk_size: Annotated[
        int | None, typer.Option(help="Target characters per chunk (variable mode).")
    ] = None,
    table_format: Annotated[
        str, typer.Option(help="Tables as dynamic, md, html, json, jsonbbox or csv (md, html, json output).")
    ] = "dynamic",
    password: Annotated[
        str | None, typer.Option(help=_FIELDS["password"].description, envvar="DOCUFORGE_PDF_PASSWORD")
    ] = None,
    furniture: Annotated[
        bool, typer.Option(help="Keep running headers, footers and page numbers (md).")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of to stdout.")
    ] = None,
    ocr: Annotated[
        str,
        typer.Option(help=_FIELDS["ocr_mode"].description),
    ] = "hybrid",
    ocr_engine: Annotated[
        str,
        typer.Option(
            help="OCR engine: rapidocr (built in), rapidocr-fast (faster on receipts and forms, "
            "weaker there) or tesseract (Debian's tesseract-ocr).",
            envvar="DOCUFORGE_OCR__ENGINE",
        ),
    ] = "rapidocr",
) -> None:
    """Parse a document and print it as Markdown, HTML, JSON, layout text or CSV tables."""
    import dataclasses

    from docuforge.errors import DocuforgeError
    from docuforge.parsing.pipeline import parse
    from docuforge.reducto.full_result import to_full_result
    from docuforge.reducto.parse.options import ParseOptions as WireOptions
    from docuforge.render import html as html_render
    from docuforge.render import markdown, text
    from docuforge.render import tables as table_render

    try:
        # Reducto's result (--to json) is cut and written by its own options.
        result_options = WireOptions.model_validate(
            {
                "formatting": {"table_output_format": table_format},
                "retrieval": {"chunking": {"chunk_mode": chunk_mode, "chunk_size": chunk_size}},
            }
        )
        options = ParseOptions.model_validate(
            {
                "ocr_mode": ocr,
                # The OCR settings (runtime, threads, page workers, languages), the engine as chosen here.
                "ocr": dataclasses.replace(load_settings().ocr.options(), engine=ocr_engine),
                "page_range": [part.strip() for part in pages.split(",")] if pages else None,
                "password": password,
                "document_properties": to in (OutputFormat.document, OutputFormat.html),
            }
        )
    except ValidationError as exc:
        fail(ValueError("; ".join(error["msg"] for error in exc.errors())))
    if not file.is_file():
        fail(FileNotFoundError(f"no such file: {file}"))
    try:
        with progress_bar(file.name) as on_page:
            document = parse(file, options, on_page=on_page)
    except DocuforgeError as exc:
        typer.secho(f"error: {exc.message} ({exc.code})", fg="red", err=True)
        raise typer.Exit(1) from None
    if to is OutputFormat.md:
        rendered = markdown.to_markdown(document, table_format, include_furniture=furniture)
    elif to is OutputFormat.html:
        rendered = html_render.to_html(document)
    elif to is OutputFormat.json:
        rendered = json.dumps(to_full_result(document, result_options), ensure_ascii=False, indent=2) + "\n"
    elif to is OutputFormat.text:
        rendered = text.to_text(document)
    elif to is OutputFormat.document:
        rendered = document.model_dump_json(indent=2) + "\n"
    else:
        found = [b.table for b in document.blocks() if b.table is not None and not b.extra.get("merged_into")]
        if not found:
            typer.secho("no tables found", fg="yellow", err=True)
        if output is not None and len(found) > 1:
            for number, table in enumerate(found, start=1):
                target = output.with_name(f"{output.stem}_{number}{output.suffix or '.csv'}")
                target.write_text(table_render.to_csv(table) + "\n")
                typer.echo(f"wrote {target}", err=True)
            return
        rendered = "\n\n".join(table_render.to_csv(table) for table in found) + ("\n" if found else "")
    if output is None:
        sys.stdout.write(rendered)
    else:
        output.write_text(rendered)
        typer.echo(f"wrote {output} ({len(document.pages)} pages)", err=True)
