"""`docuforge statements`: detect and read the financial statements in documents, consolidate them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from docuforge.cli.app import app, fail, progress_bar


@app.command("statements")
def statements_command(
    files: Annotated[
        list[Path], typer.Argument(help="Documents holding financial statements (PDFs, scans, images).")
    ],
    json_out: Annotated[
        Path | None,
        typer.Option(
            "--json",
            help="Write the statements here: a list of {statement_type, company, currency, "
            "scale, periods, lines, checks}.",
        ),
    ] = None,
    xlsx_out: Annotated[
        Path | None,
        typer.Option(
            "--xlsx",
            help="Write the consolidation here as an Excel workbook: a sheet per statement "
            "type, totals and variances as formulas.",
        ),
    ] = None,
    csv_out: Annotated[
        Path | None, typer.Option("--csv", help="Write the consolidation here as CSV.")
    ] = None,
    company: Annotated[
        str | None, typer.Option(help="The company, when the documents do not name it clearly.")
    ] = None,
    embeddings: Annotated[
        bool, typer.Option(help="Match accounts renamed from year to year by meaning (the bundled model).")
    ] = True,
) -> None:
    """Detect, read and validate every statement in FILES, consolidate them across periods, and export."""
    from docuforge.errors import DocuforgeError
    from docuforge.finance import parse_options, read_statements
    from docuforge.finance.consolidate import ConsolidationOptions, consolidate
    from docuforge.finance.excel import to_xlsx
    from docuforge.finance.export import consolidation_csv, statements_json
    from docuforge.parsing.pipeline import parse

    statements = []
    for file in files:
        if not file.is_file():
            fail(FileNotFoundError(f"no such file: {file}"))
        try:
            with progress_bar(file.name) as on_page:
                document = parse(file, parse_options(), on_page=on_page)
        except DocuforgeError as exc:
            typer.secho(f"error: {file}: {exc.message} ({exc.code})", fg="red", err=True)
            raise typer.Exit(1) from None
        found = read_statements(document)
        if not found:
            typer.secho(f"{file}: no financial statement found", fg="yellow", err=True)
        for statement in found:
            if company:
                statement.company = company
            passed = sum(c.ok for c in statement.checks)
            typer.echo(
                f"{file.name} p.{','.join(map(str, statement.pages))}: {statement.statement_type.value}, "
                f"{statement.company or 'company unknown'}, {statement.currency or '?'} x{statement.scale}, "
                f"periods {', '.join(statement.periods)}, {len(statement.lines)} lines, "
                f"checks {passed}/{len(statement.checks)}"
            )
        statements.extend(found)
    if json_out is not None:
        json_out.write_text(statements_json(statements) + "\n")
        typer.echo(f"wrote {json_out} ({len(statements)} statements)", err=True)
    if xlsx_out is not None or csv_out is not None:
        result = consolidate(statements, ConsolidationOptions(embeddings=embeddings))
        if xlsx_out is not None:
            xlsx_out.write_bytes(to_xlsx(result))
            typer.echo(f"wrote {xlsx_out} ({len(result.statements)} sheets)", err=True)
        if csv_out is not None:
            csv_out.write_text(consolidation_csv(result))
            typer.echo(f"wrote {csv_out}", err=True)
    if not statements:
        raise typer.Exit(1)
