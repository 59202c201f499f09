"""The workspace named in the path, owned by the caller's organization, for reading or writing."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from docuforge.auth.deps import CanRead, CanWrite
from docuforge.db import SessionDep
from docuforge.models import Workspace
from docuforge.workspaces import service


async def readable_workspace(workspace_id: str, principal: CanRead, session: SessionDep) -> Workspace:
    return await service.get(session, principal, workspace_id)


async def writable_workspace(workspace_id: str, principal: CanWrite, session: SessionDep) -> Workspace:
    return await service.get(session, principal, workspace_id)


ReadableWorkspace = Annotated[Workspace, Depends(readable_workspace)]
WritableWorkspace = Annotated[Workspace, Depends(writable_workspace)]
