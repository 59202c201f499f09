"""`docuforge workspaces`: ask questions of document collections from the command line.

The commands work on this installation's database, blob store and vector engine (the same
settings as the service), through the workspace service layer; indexing and question jobs run
on the configured runner, in this process for the embedded default, and are followed here.
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from docuforge.cli.app import app, fail, load_settings

workspaces_app = typer.Typer(
    help="Workspaces: drop documents in, ask questions with cited answers, run scored question sets.",
    no_args_is_help=True,
)
app.add_typer(workspaces_app, name="workspaces")

Org = Annotated[str, typer.Option(help="Organization name.")]
WorkspaceArg = Annotated[str, typer.Argument(help="The workspace's id or name.")]


def _principal(organization_id: uuid.UUID) -> Any:
    from docuforge.auth.permissions import Role
    from docuforge.auth.principal import Principal

    return Principal(kind="user", organization_id=organization_id, role=Role.admin, name="cli")


class _Context:
    """The process's database, storage and runner, opened for one command."""

    def __init__(self) -> None:
        from docuforge.db import Database
        from docuforge.jobs import registry
        from docuforge.jobs.runners import open_runner
        from docuforge.storage import open_store

        self.settings = load_settings()
        registry.load(self.settings)
        self.database = Database(self.settings)
        self.storage = open_store(self.settings)
        self.runner = open_runner(self.settings, self.database, self.storage)

    async def principal(self, org: str) -> Any:
        from docuforge.cli.app import find_organization

        async with self.database.session() as session:
            return _principal(await find_organization(session, org))

    async def workspace(self, session: Any, principal: Any, ident: str) -> Any:
        from docuforge.workspaces import service

        return await service.find(session, principal, ident)

    async def follow(self, job_ids: list[uuid.UUID], label: str) -> list[Any]:
        """Run (in-process runner) or wait for (Celery) the jobs, with a progress bar."""
        from rich.progress import BarColumn, Progress, TimeRemainingColumn

        from docuforge.jobs import service as jobs_service

        await self.runner.start()
        try:
            for job_id in job_ids:
                await self.runner.publish(job_id, "standard")
            with Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                TimeRemainingColumn(),
                transient=True,
                disable=not sys.stderr.isatty(),
            ) as bar:
                task = bar.add_task(label, total=1.0)
                while True:
                    async with self.database.session() as session:
                        jobs = await jobs_service.jobs_by_id(session, job_ids)
                    done = [
                        j for j in jobs if j is not None and j.status in ("completed", "failed", "cancelled")
                    ]
                    bar.update(
                        task, completed=sum(1.0 if j in done else j.progress for j in jobs) / len(jobs)
                    )
                    if len(done) == len(jobs):
                        return jobs
                    await asyncio.sleep(0.3)
        finally:
            await self.runner.stop()

    async def close(self) -> None:
        await self.storage.close()
        await self.database.dispose()


def _run(work: Any) -> Any:
    from docuforge.errors import DocuforgeError

    async def main() -> Any:
        context = _Context()
        try:
            return await work(context)
        finally:
            await context.close()

    try:
        return asyncio.run(main())
    except DocuforgeError as error:
        fail(error)


@workspaces_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="What the workspace is called.")],
    description: Annotated[str | None, typer.Option(help="What it holds.")] = None,
    prompt: Annotated[str | None, typer.Option(help="Instructions the LLM engine answers under.")] = None,
    model: Annotated[str | None, typer.Option(help="Default LLM model (LLM engine).")] = None,
    org: Org = "default",
) -> None:
    """Create a workspace and print its id."""
    from docuforge.workspaces import service
    from docuforge.workspaces.schemas import WorkspaceCreate

    async def work(context: _Context) -> str:
        principal = await context.principal(org)
        async with context.database.session() as session:
            body = WorkspaceCreate(name=name, description=description, prompt=prompt, model=model)
            return str((await service.create(session, principal, body)).id)

    typer.echo(_run(work))


@workspaces_app.command("list")
def list_command(org: Org = "default") -> None:
    """List the organization's workspaces with their document counts and status."""
    from docuforge.workspaces import service

    async def work(context: _Context) -> list[Any]:
        principal = await context.principal(org)
        async with context.database.session() as session:
            found, _ = await service.list_workspaces(session, principal, limit=1000, offset=0)
            return found

    for view in _run(work):
        typer.echo(f"{view.id}  {view.status:<8}  {view.document_count:>5} documents  {view.name}")


@workspaces_app.command("add")
def add(
    workspace: WorkspaceArg,
    files: Annotated[
        list[Path] | None, typer.Argument(help="Documents, JSON or CSV files, or ZIP bundles.")
    ] = None,
    url: Annotated[list[str] | None, typer.Option(help="A document's http(s) URL (repeatable).")] = None,
    wait: Annotated[bool, typer.Option(help="Wait for the indexing, with a progress bar.")] = True,
    org: Org = "default",
) -> None:
    """Add documents (a ZIP adds each member) and index them."""
    from docuforge.storage import iterate
    from docuforge.workspaces import documents

    for path in files or []:
        if not path.is_file():
            fail(FileNotFoundError(f"no such file: {path}"))
    if not files and not url:
        fail(ValueError("give files to add, or --url"))

    async def work(context: _Context) -> list[tuple[Any, bool]]:
        principal = await context.principal(org)
        added: list[tuple[Any, bool]] = []
        jobs: list[uuid.UUID] = []
        async with context.database.session() as session:
            target = await context.workspace(session, principal, workspace)
            for path in files or []:
                result = await documents.add_upload(
                    session, _NoRunner(), context.storage, context.settings, principal, target, path.name,
                    iterate(path.read_bytes()),
                )  # fmt: skip
                added += result.documents
                jobs += [result.job.id] if result.job else []
            for address in url or []:
                result = await documents.add_url(
                    session, _NoRunner(), context.settings, principal, target, address
                )
                added += result.documents
                jobs += [result.job.id] if result.job else []
        if wait and jobs:
            await context.follow(jobs, "indexing")
        elif jobs:
            for job_id in jobs:
                await context.runner.publish(job_id, "standard")
        async with context.database.session() as session:
            return [(await documents.current(session, d), duplicate) for d, duplicate in added]

    for document, duplicate in _run(work):
        note = "already there" if duplicate else document.status
        error = f"  ({document.error})" if document.error else ""
        typer.echo(f"{document.id}  {document.type:<8}  {note:<13}  {document.filename}{error}")


class _NoRunner:
    """Jobs made by a command are published by `follow`, once their rows are committed."""

    async def start(self) -> None:
        return None

    async def publish(self, job_id: uuid.UUID, queue: str) -> bool:
        return True

    async def stop(self) -> None:
        return None


@workspaces_app.command("ask")
def ask(
    workspace: WorkspaceArg,
    question: Annotated[str, typer.Argument(help="The question.")],
    top_k: Annotated[int | None, typer.Option(help="Passages to answer from.")] = None,
    document_type: Annotated[
        str | None, typer.Option(help="Only documents of this type: document, json, csv.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole answer as JSON.")] = False,
    org: Org = "default",
) -> None:
    """Answer a question from the workspace's documents, with the passages it cites."""
    from docuforge.workspaces import service
    from docuforge.workspaces.schemas import AskRequest

    async def work(context: _Context) -> Any:
        principal = await context.principal(org)
        async with context.database.session() as session:
            target = await context.workspace(session, principal, workspace)
        body = AskRequest(question=question, top_k=top_k, document_type=document_type)
        return await service.ask(context.settings, target, body)

    answered = _run(work)
    if as_json:
        typer.echo(answered.model_dump_json(indent=2))
        return
    typer.echo(answered.answer)
    typer.echo(f"confidence {answered.confidence:.2f} ({answered.engine})", err=True)
    for citation in answered.citations:
        where = f"p.{citation.page}" + (f" row {citation.row}" if citation.row else "")
        typer.echo(f"  [{citation.filename} {where}] {citation.text[:160].replace(chr(10), ' ')}", err=True)


def _questions(path: Path) -> list[dict[str, Any]]:
    """A JSON list of questions ({question, expected_fragments?, id?, document_type?}) or of strings."""
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        fail(ValueError(f"cannot read questions from {path}: {error}"))
    if isinstance(data, dict):
        data = data.get("questions", [])
    if not isinstance(data, list) or not data:
        fail(ValueError(f"{path} holds no list of questions"))
    return [{"question": item} if isinstance(item, str) else item for item in data]


@workspaces_app.command("run-questions")
def run_questions(
    workspace: WorkspaceArg,
    questions: Annotated[
        Path | None, typer.Argument(help="JSON file of questions (saved as a question set named after it).")
    ] = None,
    question_set: Annotated[
        str | None, typer.Option("--set", help="Run this saved question set's id.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Export the results here (.csv or .json).")
    ] = None,
    org: Org = "default",
) -> None:
    """Answer a set of questions as a job; print the job id and each answer's fragment score."""
    from docuforge.workspaces import questions as question_service
    from docuforge.workspaces.schemas import QuestionIn, QuestionJobCreate, QuestionSetCreate

    if (questions is None) == (question_set is None):
        fail(ValueError("give a questions file or --set, not both"))
    items = _questions(questions) if questions is not None else None

    async def work(context: _Context) -> tuple[Any, list[Any], str]:
        principal = await context.principal(org)
        async with context.database.session() as session:
            target = await context.workspace(session, principal, workspace)
            set_id = question_set
            if items is not None:
                assert questions is not None
                body = QuestionSetCreate(
                    name=questions.stem, questions=[QuestionIn.model_validate(i) for i in items]
                )
                set_id = str(
                    (await question_service.create_set(session, context.settings, principal, target, body)).id
                )
            job = await question_service.submit(
                session,
                _NoRunner(),
                context.settings,
                principal,
                target,
                QuestionJobCreate(question_set_id=set_id),
            )
        (finished,) = await context.follow([job.id], "questions")
        async with context.database.session() as session:
            rows = await question_service.results(session, finished)
            exported = ""
            if output is not None:
                exported = (
                    question_service.export_csv(rows)
                    if output.suffix.lower() == ".csv"
                    else question_service.export_json(finished, rows)
                )
        return finished, rows, exported

    job, rows, exported = _run(work)
    for row in rows:
        score = "-" if row.fragment_confidence is None else f"{row.fragment_confidence:.2f}"
        typer.echo(f"{row.question_id}\t{score}\t{row.answer[:100]}")
    typer.echo(f"job {job.id}: {job.status}, {len(rows)} answered", err=True)
    if output is not None:
        output.write_text(exported)
        typer.echo(f"wrote {output}", err=True)


@workspaces_app.command("export")
def export(
    workspace: WorkspaceArg,
    job_id: Annotated[str, typer.Argument(help="The question job's id.")],
    format: Annotated[str, typer.Option(help="csv or json.")] = "csv",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of to stdout.")
    ] = None,
    org: Org = "default",
) -> None:
    """Export a question job's answers, each with its sources, as CSV or JSON."""
    from docuforge.workspaces import questions as question_service

    if format not in ("csv", "json"):
        fail(ValueError("--format is csv or json"))

    async def work(context: _Context) -> str:
        principal = await context.principal(org)
        async with context.database.session() as session:
            target = await context.workspace(session, principal, workspace)
            job = await question_service.get_job(session, principal, target, job_id)
            rows = await question_service.results(session, job)
            return (
                question_service.export_csv(rows)
                if format == "csv"
                else question_service.export_json(job, rows)
            )

    rendered = _run(work)
    if output is None:
        sys.stdout.write(rendered)
    else:
        output.write_text(rendered)
        typer.echo(f"wrote {output}", err=True)
