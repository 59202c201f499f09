"""Job types for testing the machinery, loaded through DOCUFORGE_JOBS__TASK_MODULES."""

from __future__ import annotations

import os
import time
from pathlib import Path

from docuforge.errors import DocuforgeError, ErrorCode
from docuforge.files import inputs
from docuforge.jobs import processes
from docuforge.jobs.registry import JobContext, TaskResult, task


def _note(ctx: JobContext, line: str) -> None:
    marker = ctx.config.get("marker")
    if marker:
        with Path(marker).open("a") as handle:
            handle.write(f"{line} {ctx.job_id} {ctx.attempt}\n")


def sleep_in_child(seconds: float, steps: int) -> dict:
    for step in range(steps):
        time.sleep(seconds / steps)
        processes.report(("progress", (step + 1) / steps))
    return {"slept": seconds, "pid": os.getpid()}


def exit_in_child() -> None:
    os._exit(17)


@task("test.echo", reducto_type="Parse")
async def echo(ctx: JobContext) -> TaskResult:
    size = None
    if ctx.input.get("file_id") or ctx.input.get("url"):
        path, _ = await inputs.fetch(ctx)
        size = path.stat().st_size
    payload = {
        "type": "full",
        "config": ctx.config,
        "input_size": size,
        "padding": "x" * ctx.config.get("pad", 0),
    }
    return TaskResult(
        response={"response_type": "test", "usage": {"num_pages": 1}}, payload=payload, num_pages=1
    )


@task("test.sleep", reducto_type="Parse")
async def sleep(ctx: JobContext) -> TaskResult:
    _note(ctx, "started")

    def on_message(message: tuple) -> None:
        ctx.progress(message[1])

    result = await ctx.run_cpu(
        sleep_in_child,
        float(ctx.config.get("seconds", 1)),
        int(ctx.config.get("steps", 10)),
        on_message=on_message,
    )
    _note(ctx, "finished")
    return TaskResult(
        response={"response_type": "test", "usage": {"num_pages": 1}}, payload=result, num_pages=1
    )


@task("test.fail", reducto_type="Parse")
async def fail(ctx: JobContext) -> TaskResult:
    _note(ctx, "attempt")
    error = DocuforgeError(
        ctx.config.get("message", "it failed"), code=ErrorCode(ctx.config.get("code", "PROCESSING_FAILED"))
    )
    error.transient = bool(ctx.config.get("transient"))  # type: ignore[misc]
    raise error


@task("test.crash", reducto_type="Parse")
async def crash(ctx: JobContext) -> TaskResult:
    _note(ctx, "attempt")
    await ctx.run_cpu(exit_in_child)
    raise AssertionError("unreachable")
