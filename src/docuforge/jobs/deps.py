"""The job runner a handler may ask for: ``create_app``'s lifespan puts it on ``app.state``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from docuforge.jobs.runners import Runner


def get_runner(request: Request) -> Runner:
    return request.app.state.runner


RunnerDep = Annotated[Runner, Depends(get_runner)]
