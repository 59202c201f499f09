"""`docuforge pipelines create|list|run`: saved pipelines, in the database the service uses."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from docuforge.cli.app import app, fail, find_organization, load_settings, progress_bar, with_session

pipelines_app = typer.Typer(
    help="Saved pipelines: parse options, then split and/or extract, or edit; run by name or id.",
    no_args_is_help=True,
)
app.add_typer(pipelines_app, name="pipelines")

Org = Annotated[str, typer.Option(help="Organization name.")]


def _principal(organization_id):
    from docuforge.auth.permissions import Role
    from docuforge.auth.principal import Principal

    return Principal(kind="user", organization_id=organization_id, role=Role.admin, name="cli")


def _find(session, org: str, ident: str):
    """The organization's pipeline by id or by name."""
    from docuforge.reducto.pipeline import service

    async def find():
        organization_id = await find_organization(session, org)
        return await service.find(session, _principal(organization_id), ident)

    return find()


@pipelines_app.command("create")
def pipelines_create(
    name: Annotated[str, typer.Argument(help="Unique in the organization.")],
    config: Annotated[
        Path,
        typer.Option(
            help='JSON steps: {"parse": {...ParseOptions}, "split": {"split_description": [...]}} '
            'or {"edit": {"edit_instructions": "...", "edit_options": {...}}}.'
        ),
    ],
    description: Annotated[str | None, typer.Option(help="What the pipeline is for.")] = None,
    org: Org = "default",
) -> None:
    """Save a pipeline; prints its id."""
    from pydantic import ValidationError

    from docuforge.errors import DocuforgeError
    from docuforge.reducto.pipeline import service
    from docuforge.reducto.pipeline.schemas import PipelineCreate

    if not config.is_file():
        fail(FileNotFoundError(f"no such file: {config}"))
    try:
        body = PipelineCreate.model_validate(
            {**json.loads(config.read_text()), "name": name, "description": description}
        )
    except (ValidationError, json.JSONDecodeError, TypeError) as exc:
        fail(ValueError(f"{config} is not a pipeline: {exc}"))

    async def work(session):
        organization_id = await find_organization(session, org)
        return service.read(await service.create(session, _principal(organization_id), body))

    try:
        made = with_session(load_settings(), work)
    except DocuforgeError as exc:
        fail(exc)
    typer.echo(f"pipeline {made.name} ({made.pipeline_id}): {' -> '.join(made.steps)}")


@pipelines_app.command("list")
def pipelines_list(org: Org = "default") -> None:
    """List the organization's pipelines."""
    from docuforge.errors import DocuforgeError
    from docuforge.reducto.pipeline import service

    async def work(session):
        organization_id = await find_organization(session, org)
        return [service.read(p) for p in await service.list_pipelines(session, _principal(organization_id))]

    try:
        found = with_session(load_settings(), work)
    except DocuforgeError as exc:
        fail(exc)
    for pipeline in found:
        typer.echo(f"{pipeline.pipeline_id}  {pipeline.name:<24} {' -> '.join(pipeline.steps)}")


def _extract_locally(document, steps, split: dict | None) -> object:
    """The extract step: the whole document's value, or each split's (and partition's)."""
    from docuforge.extraction import ExtractOptions, extract

    options = ExtractOptions(
        **({"system_prompt": steps.extract.system_prompt} if steps.extract.system_prompt else {})
    )
    if not (steps.extract.per_split and split):
        return extract(document, steps.extract.schema_, options).value
    found = []
    for item in split["splits"]:
        for part in item["partitions"] or [None]:
            pages = set((part or item)["pages"])
            if not pages:
                continue
            piece = document.model_copy(
                update={"pages": [p for p in document.pages if p.original_number in pages]}
            )
            found.append(
                {
                    "split_name": item["name"],
                    "partition": part["name"] if part else None,
                    "page_range": sorted(pages),
                    "value": extract(piece, steps.extract.schema_, options).value,
                }
            )
    return found


@pipelines_app.command("run")
def pipelines_run(
    pipeline: Annotated[str, typer.Argument(help="The pipeline's name or id.")],
    file: Annotated[Path, typer.Argument(help="The document to run it on.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Where to write the result (the filled PDF for edit)."),
    ] = None,
    org: Org = "default",
) -> None:
    """Run a saved pipeline here, on a local file: parse, then split and/or extract, or fill the form."""
    from docuforge.errors import DocuforgeError
    from docuforge.reducto.pipeline.schemas import PipelineSteps

    if not file.is_file():
        fail(FileNotFoundError(f"no such file: {file}"))
    try:
        row = with_session(load_settings(), lambda session: _find(session, org, pipeline))
    except DocuforgeError as exc:
        fail(exc)
    steps = PipelineSteps.model_validate(row.config)
    settings = load_settings()
    try:
        if steps.edit is not None:
            from docuforge.editing import FillOptions, fill

            options = steps.edit.edit_options
            result = fill(
                file,
                steps.edit.edit_instructions,
                options=FillOptions(
                    color=options.color,
                    font_size=options.font_size,
                    flatten=options.flatten,
                    overflow_pages=options.enable_overflow_pages,
                    font=settings.document_ops.edit_font,
                ),
            )
            target = output or file.with_name(f"{file.stem}-filled.pdf")
            target.write_bytes(result.pdf)
            for widget in result.widgets:
                shown = widget.value if widget.value is not None else "-"
                typer.echo(f"{widget.description} [{widget.type}]: {shown}")
            typer.echo(f"wrote {target}", err=True)
            return
        from docuforge.parsing.pipeline import parse
        from docuforge.reducto.parse.options import engine_options

        with progress_bar(file.name) as on_page:
            document = parse(file, engine_options(steps.parse), on_page=on_page)
        answer: dict[str, object] = {"parse": {"pages": len(document.pages)}}
        if steps.split is not None:
            from docuforge.splitting import Section, SplitOptions, split

            found = split(
                document,
                [Section.model_validate(s.model_dump()) for s in steps.split.split_description],
                SplitOptions(
                    rules=steps.split.split_rules,
                    allow_page_overlap=steps.split.settings.allow_page_overlap,
                    auto_partition=steps.split.settings.auto_partition,
                    table_cutoff=steps.split.settings.table_cutoff,
                    embeddings=settings.document_ops.embeddings,
                ),
            )
            answer["split"] = found.model_dump()
        if steps.extract is not None:
            answer["extract"] = _extract_locally(document, steps, answer.get("split"))
    except DocuforgeError as exc:
        typer.secho(f"error: {exc.message} ({exc.code})", fg="red", err=True)
        raise typer.Exit(1) from None
    text = json.dumps(answer, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)
        typer.echo(f"wrote {output}", err=True)
