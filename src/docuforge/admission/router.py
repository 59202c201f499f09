"""GET /capacity."""

from __future__ import annotations

from docuforge.admission import service
from docuforge.admission.schemas import Capacity
from docuforge.auth.deps import CanRead
from docuforge.db import SessionDep
from docuforge.deps import SettingsDep
from docuforge.jobs.deps import RunnerDep
from docuforge.routing import router as make_router

router = make_router(tags=["jobs"])


@router.get("/capacity", response_model=Capacity)
async def capacity(
    principal: CanRead, session: SessionDep, settings: SettingsDep, runner: RunnerDep
) -> Capacity:
    """Queue depth, workers and the estimated wait per queue; whether a submission would be admitted."""
    return await service.capacity(session, settings, principal.organization_id, runner)
