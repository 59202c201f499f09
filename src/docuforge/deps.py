"""The process-wide resources a handler may ask for, as named dependencies.

``create_app``'s lifespan opens them and puts them on ``app.state``; these aliases read them back
(the job runner's is ``jobs/deps.py``: it belongs to the jobs package). They are ``async def``
on purpose: FastAPI runs a plain ``def`` dependency in its thread pool, a thread hop (and a wait
for a free thread under load) per dependency per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from docuforge.config import Settings
from docuforge.storage import BlobStore


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_storage(request: Request) -> BlobStore:
    return request.app.state.storage


SettingsDep = Annotated[Settings, Depends(get_settings)]
StorageDep = Annotated[BlobStore, Depends(get_storage)]
