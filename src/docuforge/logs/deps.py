"""The completed log job named in the path, with its Parquet as local files DuckDB can read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends

from docuforge.auth.deps import CanRead
from docuforge.db import SessionDep
from docuforge.deps import SettingsDep, StorageDep
from docuforge.logs import service
from docuforge.models import Job


@dataclass(frozen=True)
class LogJob:
    job: Job
    records: list[Path]
    malformed: list[Path]
    rollups: list[Path]


async def log_job(
    job_id: str, principal: CanRead, session: SessionDep, storage: StorageDep, settings: SettingsDep
) -> LogJob:
    job = await service.completed_job(session, principal, job_id)
    records, malformed, rollups = await service.files_of(storage, settings, [job])
    return LogJob(job, records, malformed, rollups)


LogJobDep = Annotated[LogJob, Depends(log_job)]
