"""`docuforge classify`, `docuforge split` and `docuforge fill`: engine operations on a parsed document."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from docuforge.cli.app import app, fail, progress_bar


def _read_json(path: Path, what: str) -> Any:
    if not path.is_file():
        fail(FileNotFoundError(f"no such {what} file: {path}"))
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        fail(ValueError(f"{path} is not JSON: {exc}"))


def _parse(file: Path, pages: str | None, password: str | None):
    from docuforge.errors import DocuforgeError
    from docuforge.parsing.options import ParseOptions
    from docuforge.parsing.pipeline import parse

    if not file.is_file():
        fail(FileNotFoundError(f"no such file: {file}"))
    options = ParseOptions(
        password=password, page_range=[part.strip() for part in pages.split(",")] if pages else None
    )
    try:
        with progress_bar(file.name) as on_page:
            return parse(file, options, on_page=on_page)
    except DocuforgeError as exc:
        typer.secho(f"error: {exc.message} ({exc.code})", fg="red", err=True)
        raise typer.Exit(1) from None


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)
        typer.echo(f"wrote {output}", err=True)


Pages = Annotated[str | None, typer.Option(help="Pages to read, 1-based: '1-5', '1,4,6-8'.")]
Password = Annotated[
    str | None, typer.Option(help="Password of an encrypted PDF.", envvar="DOCUFORGE_PDF_PASSWORD")
]
Output = Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of to stdout.")]
Embeddings = Annotated[
    bool, typer.Option(help="Also compare meanings with the bundled sentence embeddings, when installed.")
]


@app.command("classify")
def classify_command(
    file: Annotated[Path, typer.Argument(help="The document to classify.")],
    categories: Annotated[
        Path,
        typer.Option(
            help='JSON: [{"category": "invoice", "criteria": ["has an invoice number", ...]}, ...] '
            'or {"invoice": [criteria...], ...}.'
        ),
    ],
    pages: Pages = "1-5",
    metadata: Annotated[str | None, typer.Option(help="Text about the document, read with it.")] = None,
    accurate: Annotated[bool, typer.Option(help="Also score every page alone.")] = False,
    embeddings: Embeddings = False,
    password: Password = None,
    output: Output = None,
) -> None:
    """Classify a document into one of your categories; prints the category, confidences and evidence."""
    from docuforge.classification import Category, ClassifyOptions, classify

    raw = _read_json(categories, "categories")
    if isinstance(raw, dict):
        raw = [{"name": name, "criteria": criteria} for name, criteria in raw.items()]
    try:
        cats = [Category(name=c.get("category") or c["name"], criteria=c.get("criteria") or []) for c in raw]
    except (AttributeError, KeyError, TypeError):
        fail(ValueError("categories must be a list of {category, criteria} or a {name: criteria} object"))
    if not cats:
        fail(ValueError("give at least one category"))
    document = _parse(file, pages, password)
    found = classify(
        document, cats, ClassifyOptions(metadata=metadata, accurate=accurate, embeddings=embeddings)
    )
    _emit(found.model_dump_json(indent=2) + "\n", output)


@app.command("split")
def split_command(
    file: Annotated[Path, typer.Argument(help="The packet to split.")],
    sections: Annotated[
        Path,
        typer.Option(help='JSON: [{"name": "Invoice", "description": "...", "partition_key": null}, ...].'),
    ],
    rules: Annotated[
        str | None, typer.Option(help='Rules in words; a "quoted phrase" marks where a section starts.')
    ] = None,
    overlap: Annotated[
        bool, typer.Option(help="A page where one section ends and one begins joins both.")
    ] = True,
    auto_partition: Annotated[
        bool, typer.Option(help="Pages without the partition value join the running partition.")
    ] = True,
    preserve_tables: Annotated[bool, typer.Option(help="Never cut a table continued across pages.")] = False,
    embeddings: Embeddings = True,
    pages: Pages = None,
    password: Password = None,
    output: Output = None,
) -> None:
    """Split a packet into named sections: pages, partitions, page evidence and a table of contents."""
    from pydantic import ValidationError

    from docuforge.splitting import Section, SplitOptions, split

    raw = _read_json(sections, "sections")
    try:
        found_sections = [Section.model_validate(s) for s in raw]
    except (ValidationError, TypeError):
        fail(ValueError("sections must be a list of {name, description, partition_key?}"))
    if not found_sections:
        fail(ValueError("give at least one section"))
    document = _parse(file, pages, password)
    result = split(
        document,
        found_sections,
        SplitOptions(
            rules=rules,
            allow_page_overlap=overlap,
            auto_partition=auto_partition,
            table_cutoff="preserve" if preserve_tables else "truncate",
            embeddings=embeddings,
        ),
    )
    _emit(result.model_dump_json(indent=2) + "\n", output)


@app.command("fill")
def fill_command(
    file: Annotated[Path, typer.Argument(help="The PDF form: with AcroForm fields, or flat with blanks.")],
    instructions: Annotated[
        str,
        typer.Option(help="What to fill, in words: 'the vessel is Northwind, IMO 9321483, hazardous: no'."),
    ] = "",
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the filled PDF.")] = Path(
        "filled.pdf"
    ),
    widgets: Annotated[
        Path | None,
        typer.Option(
            help="JSON list of widgets (bbox, description, type, value?, fill?), as the API's form_schema."
        ),
    ] = None,
    flatten: Annotated[bool, typer.Option(help="Turn the filled fields into page content.")] = False,
    color: Annotated[str | None, typer.Option(help="Text colour of the values, hex (#1f3a93).")] = None,
    font_size: Annotated[float | None, typer.Option(help="Font size in points (default: fitted).")] = None,
    overflow_pages: Annotated[
        bool, typer.Option(help="Text that does not fit its field goes on pages added at the end.")
    ] = False,
) -> None:
    """Fill a PDF form from instructions; writes the filled PDF and prints each widget's value."""
    from pydantic import ValidationError

    from docuforge.editing import FillOptions, Widget, fill
    from docuforge.errors import DocuforgeError

    if not file.is_file():
        fail(FileNotFoundError(f"no such file: {file}"))
    given = None
    if widgets is not None:
        raw = _read_json(widgets, "widgets")
        try:
            given = [
                Widget.model_validate(
                    {
                        **w,
                        "bbox": {
                            **w["bbox"],
                            "original_page": w["bbox"].get("original_page") or w["bbox"]["page"],
                        },
                    }
                )
                for w in raw
            ]
        except (ValidationError, KeyError, TypeError):
            fail(
                ValueError(
                    "widgets must be a list of {bbox: {left, top, width, height, page}, description, type}"
                )
            )
    if not instructions.strip() and not given:
        fail(ValueError("give --instructions (or --widgets with values): there is nothing to fill"))
    try:
        result = fill(
            file,
            instructions,
            widgets=given,
            options=FillOptions(
                color=color, font_size=font_size, flatten=flatten, overflow_pages=overflow_pages
            ),
        )
    except DocuforgeError as exc:
        typer.secho(f"error: {exc.message} ({exc.code})", fg="red", err=True)
        raise typer.Exit(1) from None
    output.write_bytes(result.pdf)
    for widget in result.widgets:
        typer.echo(
            f"{widget.description} [{widget.type}]: {widget.value if widget.value is not None else '-'}"
        )
    if result.unused:
        typer.secho(f"not used: {'; '.join(result.unused)}", fg="yellow", err=True)
    typer.echo(f"wrote {output} ({result.method})", err=True)
