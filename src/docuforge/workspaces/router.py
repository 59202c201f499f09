"""/workspaces: collections of documents to ask questions of, with citations and scored exports."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path, Query, Request, Response

from docuforge.auth.deps import CanRead, CanWrite
from docuforge.db import SessionDep
from docuforge.deps import SettingsDep, StorageDep
from docuforge.errors import InvalidRequest, PayloadTooLarge
from docuforge.files.multipart import MultipartStream
from docuforge.jobs.deps import RunnerDep
from docuforge.routing import RouteGroup
from docuforge.routing import router as make_router
from docuforge.workspaces import documents, pages, questions, service
from docuforge.workspaces.deps import ReadableWorkspace, WritableWorkspace
from docuforge.workspaces.schemas import (
    AddDocumentsRequest,
    AddDocumentsResponse,
    AskRequest,
    AskResponse,
    DocumentList,
    DocumentView,
    QuestionJobCreate,
    QuestionJobCreated,
    QuestionJobList,
    QuestionJobView,
    QuestionSetCreate,
    QuestionSetList,
    QuestionSetView,
    SearchRequest,
    SearchResponse,
    WorkspaceCreate,
    WorkspaceList,
    WorkspaceUpdate,
    WorkspaceView,
)

router = make_router(RouteGroup.default, tags=["workspaces"])
uploads = make_router(RouteGroup.upload, tags=["workspaces"])

Limit = Annotated[int, Query(ge=1, le=200, description="Items per page.")]
# Bounded: a database takes no OFFSET past a 64-bit integer, and no real listing is near this.
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="Items to skip.")]


@router.post("/workspaces", response_model=WorkspaceView, status_code=201)
async def create_workspace(body: WorkspaceCreate, principal: CanWrite, session: SessionDep) -> WorkspaceView:
    """Create a workspace."""
    workspace = await service.create(session, principal, body)
    return await service.read(session, workspace)


@router.get("/workspaces", response_model=WorkspaceList)
async def list_workspaces(
    principal: CanRead,
    session: SessionDep,
    limit: Limit = 50,
    offset: Offset = 0,
    name: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
    status: Annotated[
        Literal["empty", "indexing", "ready", "failed"] | None,
        Query(description="Only workspaces in this state."),
    ] = None,
) -> WorkspaceList:
    """The organization's workspaces, newest first, with their document counts and status."""
    found, total = await service.list_workspaces(
        session, principal, limit=limit, offset=offset, name=name, status=status
    )
    return WorkspaceList(workspaces=found, total=total, limit=limit, offset=offset)


@router.get("/workspaces/{workspace_id}", response_model=WorkspaceView)
async def read_workspace(workspace: ReadableWorkspace, session: SessionDep) -> WorkspaceView:
    """A workspace, its document counts and status."""
    return await service.read(session, workspace)


@router.patch("/workspaces/{workspace_id}", response_model=WorkspaceView)
async def update_workspace(
    body: WorkspaceUpdate, workspace: WritableWorkspace, session: SessionDep
) -> WorkspaceView:
    """Change the name, description, answering prompt, default model or retrieval settings."""
    await service.update(session, workspace, body)
    return await service.read(session, workspace)


@router.delete("/workspaces/{workspace_id}", status_code=204, response_class=Response)
async def delete_workspace(
    workspace: WritableWorkspace,
    principal: CanWrite,
    session: SessionDep,
    settings: SettingsDep,
    force: Annotated[
        bool, Query(description="Cancel the workspace's running jobs instead of refusing.")
    ] = False,
) -> Response:
    """Delete a workspace with its documents, index and question sets (409 while its jobs run)."""
    await service.delete(session, settings, principal, workspace, force)
    return Response(status_code=204)


@uploads.post("/workspaces/{workspace_id}/documents", response_model=AddDocumentsResponse, status_code=202)
async def add_documents(
    request: Request,
    workspace: WritableWorkspace,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> AddDocumentsResponse:
    """Add a document: multipart `file` (a ZIP adds each member), or JSON `{file_id}` or `{url}`."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > settings.ingest.max_upload_bytes + 64 * 1024:
            raise PayloadTooLarge(f"the upload exceeds the limit of {settings.ingest.max_upload_bytes} bytes")
        part = await MultipartStream(request).file("file")
        if part is None:
            raise InvalidRequest("the multipart body has no 'file' field")
        filename, chunks = part
        added = await documents.add_upload(
            session, runner, storage, settings, principal, workspace, filename, chunks
        )
    else:
        try:
            body = AddDocumentsRequest.model_validate_json(await request.body())
        except ValueError as error:
            raise InvalidRequest(
                f"expected {{file_id}} or {{url}} as JSON, or a multipart file: {error}"
            ) from None
        if (body.file_id is None) == (body.url is None):
            raise InvalidRequest("send exactly one of file_id and url (or a multipart file)")
        if body.file_id is not None:
            added = await documents.add_file(
                session, runner, storage, settings, principal, workspace, body.file_id
            )
        else:
            assert body.url is not None
            added = await documents.add_url(session, runner, settings, principal, workspace, body.url)
    return AddDocumentsResponse(
        job_id=str(added.job.id) if added.job else None,
        documents=[documents.document_view(d, duplicate) for d, duplicate in added.documents],
    )


@router.get("/workspaces/{workspace_id}/documents", response_model=DocumentList)
async def list_documents(
    workspace: ReadableWorkspace,
    session: SessionDep,
    limit: Limit = 100,
    offset: Offset = 0,
    status: Annotated[Literal["pending", "indexing", "ready", "failed"] | None, Query()] = None,
    type: Annotated[Literal["document", "json", "csv"] | None, Query()] = None,
) -> DocumentList:
    """The workspace's documents and their indexing status."""
    found, total = await documents.list_documents(
        session, workspace, limit=limit, offset=offset, status=status, type=type
    )
    return DocumentList(
        documents=[documents.document_view(d) for d in found], total=total, limit=limit, offset=offset
    )


@router.get("/workspaces/{workspace_id}/documents/{document_id}", response_model=DocumentView)
async def read_document(
    document_id: str, workspace: ReadableWorkspace, principal: CanRead, session: SessionDep
) -> DocumentView:
    """One document and its indexing status."""
    return documents.document_view(await documents.get_document(session, principal, workspace, document_id))


@router.get(
    "/workspaces/{workspace_id}/documents/{document_id}/pages/{number}.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
async def document_page(
    document_id: str,
    number: Annotated[int, Path(ge=1, le=100_000)],
    workspace: ReadableWorkspace,
    principal: CanRead,
    session: SessionDep,
    storage: StorageDep,
) -> Response:
    """A page of a document (PDF or image) as a PNG, to draw a citation's box over (bbox times image size)."""
    document = await documents.get_document(session, principal, workspace, document_id)
    png = await pages.page_image(session, storage, document, number)
    # A document's bytes never change under its id: the browser may keep the page it drew.
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})


@router.delete("/workspaces/{workspace_id}/documents/{document_id}", status_code=204, response_class=Response)
async def remove_document(
    document_id: str,
    workspace: WritableWorkspace,
    principal: CanWrite,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Remove a document and its passages from the index."""
    document = await documents.get_document(session, principal, workspace, document_id)
    await documents.remove(session, settings, workspace, document)
    return Response(status_code=204)


@router.post("/workspaces/{workspace_id}/ask", response_model=AskResponse)
async def ask(body: AskRequest, workspace: ReadableWorkspace, settings: SettingsDep) -> AskResponse:
    """Answer a question from the workspace's documents, citing the passages (page and box) it rests on."""
    return await service.ask(settings, workspace, body)


@router.post("/workspaces/{workspace_id}/search", response_model=SearchResponse)
async def search(body: SearchRequest, workspace: ReadableWorkspace, settings: SettingsDep) -> SearchResponse:
    """The passages that best match a query (hybrid: dense and BM25), with filters."""
    return SearchResponse(hits=await service.search(settings, workspace, body))


@router.post("/workspaces/{workspace_id}/question-sets", response_model=QuestionSetView, status_code=201)
async def create_question_set(
    body: QuestionSetCreate,
    workspace: WritableWorkspace,
    principal: CanWrite,
    session: SessionDep,
    settings: SettingsDep,
) -> QuestionSetView:
    """Save a set of questions, each with the fragments a right answer contains."""
    return questions.set_view(await questions.create_set(session, settings, principal, workspace, body))


@router.get("/workspaces/{workspace_id}/question-sets", response_model=QuestionSetList)
async def list_question_sets(workspace: ReadableWorkspace, session: SessionDep) -> QuestionSetList:
    """The workspace's question sets."""
    return QuestionSetList(
        question_sets=[questions.set_view(s) for s in await questions.list_sets(session, workspace)]
    )


@router.get("/workspaces/{workspace_id}/question-sets/{set_id}", response_model=QuestionSetView)
async def read_question_set(
    set_id: str, workspace: ReadableWorkspace, principal: CanRead, session: SessionDep
) -> QuestionSetView:
    """One question set."""
    return questions.set_view(await questions.get_set(session, principal, workspace, set_id))


@router.delete("/workspaces/{workspace_id}/question-sets/{set_id}", status_code=204, response_class=Response)
async def delete_question_set(
    set_id: str, workspace: WritableWorkspace, principal: CanWrite, session: SessionDep
) -> Response:
    """Delete a question set (the jobs that ran it keep their results)."""
    await session.delete(await questions.get_set(session, principal, workspace, set_id))
    return Response(status_code=204)


@router.post("/workspaces/{workspace_id}/question-jobs", response_model=QuestionJobCreated, status_code=202)
async def run_questions(
    body: QuestionJobCreate,
    workspace: WritableWorkspace,
    principal: CanWrite,
    session: SessionDep,
    runner: RunnerDep,
    settings: SettingsDep,
) -> QuestionJobCreated:
    """Answer a question set (or the questions given) as a job; follow it at .../question-jobs/{job_id}."""
    job = await questions.submit(session, runner, settings, principal, workspace, body)
    return QuestionJobCreated(job_id=str(job.id))


@router.get("/workspaces/{workspace_id}/question-jobs", response_model=QuestionJobList)
async def list_question_jobs(
    workspace: ReadableWorkspace,
    principal: CanRead,
    session: SessionDep,
    settings: SettingsDep,
    limit: Limit = 50,
    offset: Offset = 0,
    status: Annotated[
        Literal["pending", "running", "completed", "failed", "cancelled"] | None, Query()
    ] = None,
    question_set_id: Annotated[str | None, Query()] = None,
) -> QuestionJobList:
    """The workspace's question jobs, newest first (finished ones go after the retention period)."""
    found, total = await questions.list_jobs(
        session,
        settings,
        principal,
        workspace,
        limit=limit,
        offset=offset,
        status=status,
        question_set_id=question_set_id,
    )
    return QuestionJobList(jobs=found, total=total, limit=limit, offset=offset)


@router.get("/workspaces/{workspace_id}/question-jobs/{job_id}", response_model=QuestionJobView)
async def read_question_job(
    job_id: str, workspace: ReadableWorkspace, principal: CanRead, session: SessionDep
) -> QuestionJobView:
    """A question job: status, progress, estimated completion and the answers so far."""
    job = await questions.get_job(session, principal, workspace, job_id)
    rows = await questions.results(session, job)
    return questions.job_view(job, len(rows), rows)


@router.get(
    "/workspaces/{workspace_id}/question-jobs/{job_id}/export",
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}},
)
async def export_question_job(
    job_id: str,
    workspace: ReadableWorkspace,
    principal: CanRead,
    session: SessionDep,
    format: Annotated[Literal["csv", "json"], Query(description="csv or json.")] = "json",
) -> Response:
    """The job's answers as a CSV or JSON file, each with its sources (file and page)."""
    job = await questions.get_job(session, principal, workspace, job_id)
    rows = await questions.results(session, job)
    name = f"questions-{job.id}.{format}"
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    if format == "csv":
        return Response(questions.export_csv(rows), media_type="text/csv; charset=utf-8", headers=headers)
    return Response(questions.export_json(job, rows), media_type="application/json", headers=headers)
