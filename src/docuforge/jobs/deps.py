"""The job runner a handler may ask for: ``create_app``'s lifespan puts it on ``app.state``.

``async def``: a plain ``def`` dependency would cost a hop to FastAPI's thread pool per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from docuforge.jobs.runners import Runner


async def get_runner(request: Request) -> Runner:
    return request.app.state.runner


RunnerDep = Annotated[Runner, Depends(get_runner)]
