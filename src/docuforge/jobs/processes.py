"""A pool of worker processes for CPU-heavy work that can be stopped mid-task.

concurrent.futures cannot kill one running task; a job that is cancelled or runs out of time
must stop at once, and a document that crashes native code must not take the service with it.
Here each task runs in a long-lived child process; stopping a task kills that child and a fresh
one takes its place. Children report progress back through `report()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import multiprocessing
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from docuforge.errors import SubprocessCrashed

if TYPE_CHECKING:
    from docuforge.config import Settings

# Set in the child: where report() sends progress messages.
_channel: Connection | None = None
_MAX_TASKS_PER_CHILD = 200  # native libraries leak a little; a fresh process now and then


def report(message: Any) -> None:
    """From inside a pooled task: send a message (e.g. progress) to the waiting parent."""
    if _channel is not None:
        _channel.send(("message", message))


def _die_with_parent() -> None:
    # A child orphaned by a killed parent must not run on (Linux only; elsewhere best effort).
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _child_main(conn: Connection, initializer: Callable[[], None] | None) -> None:
    global _channel
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _channel = conn
    if initializer is not None:
        initializer()
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = fn(*args)
        except BaseException as exc:
            try:
                conn.send(("error", exc))
            except Exception:
                conn.send(("error", RuntimeError("".join(traceback.format_exception_only(exc)).strip())))
        else:
            conn.send(("ok", result))


class _Child:
    def __init__(
        self, context: multiprocessing.context.BaseContext, initializer: Callable[[], None] | None
    ) -> None:
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_child_main, args=(child_end, initializer), daemon=True)
        self.process.start()
        child_end.close()
        self.tasks = 0

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def _kill_when_started(future: asyncio.Future[_Child]) -> None:
    if not future.cancelled() and future.exception() is None:
        future.result().kill()


class ProcessPool:
    """At most `size` tasks at once, each in a child process of its own.

    `initializer` (picklable: children are spawned) runs once in each child before its first task.
    """

    def __init__(self, size: int, initializer: Callable[[], None] | None = None) -> None:
        self.size = size
        self._initializer = initializer
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Child] = []
        self._slots: asyncio.Semaphore | None = None  # made on first use, in the loop that uses the pool
        self._lock = threading.Lock()
        self._closed = False

    def _take(self) -> _Child:
        with self._lock:
            while self._idle:
                child = self._idle.pop()
                if child.process.is_alive():
                    return child
                child.kill()
        return _Child(self._context, self._initializer)

    def _give_back(self, child: _Child) -> None:
        child.tasks += 1
        if self._closed or child.tasks >= _MAX_TASKS_PER_CHILD:
            child.kill()
            return
        with self._lock:
            self._idle.append(child)

    async def run(
        self, fn: Callable[..., Any], *args: Any, on_message: Callable[[Any], None] | None = None
    ) -> Any:
        """Run fn(*args) in a child. Cancelling the caller kills the child at once."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.size)
        async with self._slots:
            # Starting a process takes a moment: off the event loop, and not lost if we are cancelled.
            taking = asyncio.ensure_future(asyncio.to_thread(self._take))
            try:
                child = await asyncio.shield(taking)
            except asyncio.CancelledError:
                taking.add_done_callback(_kill_when_started)
                raise
            try:
                result = await self._exchange(child, fn, args, on_message)
            except BaseException:
                # Cancelled, timed out or crashed: the child may be mid-task; it cannot be reused.
                await asyncio.shield(asyncio.to_thread(child.kill))
                raise
            self._give_back(child)
            return result

    async def _exchange(
        self,
        child: _Child,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        on_message: Callable[[Any], None] | None,
    ) -> Any:
        loop = asyncio.get_running_loop()
        child.conn.send((fn, args))
        while True:
            try:
                kind, value = await loop.run_in_executor(None, child.conn.recv)
            except (EOFError, OSError):
                code = child.process.exitcode
                raise SubprocessCrashed(
                    f"the worker process died (exit code {code})"
                    if code is not None
                    else "the worker process died"
                ) from None
            if kind == "message":
                if on_message is not None:
                    on_message(value)
                continue
            if kind == "error":
                raise value
            return value

    def close(self) -> None:
        self._closed = True
        with self._lock:
            idle, self._idle = self._idle, []
        for child in idle:
            child.kill()


def child_setup(settings: Settings) -> Callable[[], None]:
    """What every child of a job pool does before its first task: cap the embedding threads."""
    from docuforge.index.embeddings import limit_threads

    return functools.partial(limit_threads, settings.embeddings.threads)
