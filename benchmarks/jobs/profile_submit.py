"""Where one `POST /parse_async` spends its time, measured in-process, independent of machine load.

Builds the app on a fresh SQLite data directory (or `--database-url`, e.g. a PostgreSQL database
that `docuforge db upgrade` has migrated), with the job runner stopped so only the front door
runs, uploads one PDF and submits N jobs through the ASGI interface (no sockets). Prints the
process CPU milliseconds per submission (what bounds throughput on a loaded core, whatever the
load) and the functions that take most of it (cProfile, by cumulative time). `--concurrency`
submits that many at once, as the jobs benchmark does; the CPU per submission is what matters.

    .venv/bin/python benchmarks/jobs/profile_submit.py [--jobs 500] [--concurrency 16] [--top 40]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.jobs.submit_1000 import tiny_pdf

from docuforge.auth import service as auth
from docuforge.auth.permissions import Role
from docuforge.auth.schemas import ApiKeyCreate
from docuforge.config import Settings
from docuforge.server import create_app


async def run(args: argparse.Namespace, data_dir: Path) -> None:
    values: dict = {"data_dir": data_dir, "log": {"level": "INFO"}, "rate_limits": {"enabled": False}}
    if args.database_url:
        values["db"] = {"url": args.database_url}
    settings = Settings(_env_file=None, **values)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await app.state.runner.stop()  # the front door alone: nothing claims or runs the jobs
        async with app.state.db.session() as session:
            organization = await auth.create_organization(session, f"profile-{time.time_ns()}")
            created = await auth.create_key(
                session, organization.id, ApiKeyCreate(name="profile", role=Role.admin), None
            )
        headers = {"Authorization": f"Bearer {created.key}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api", headers=headers) as http:
            upload = await http.post("/upload", files={"file": ("bench.pdf", tiny_pdf(), "application/pdf")})
            file_id = upload.json()["file_id"]
            gate = asyncio.Semaphore(args.concurrency)
            latencies: list[float] = []

            async def submit() -> None:
                async with gate:
                    started = time.perf_counter()
                    response = await http.post("/parse_async", json={"input": file_id})
                    latencies.append(time.perf_counter() - started)
                    response.raise_for_status()

            await asyncio.gather(*(submit() for _ in range(20)))  # warm: imports, caches, pool
            latencies.clear()
            profiler = cProfile.Profile() if args.top else None
            cpu, loop_cpu, wall = time.process_time(), time.thread_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            await asyncio.gather(*(submit() for _ in range(args.jobs)))
            if profiler:
                profiler.disable()
            cpu, loop_cpu = time.process_time() - cpu, time.thread_time() - loop_cpu
            wall = time.perf_counter() - wall
    latencies.sort()
    p50, p99 = latencies[len(latencies) // 2], latencies[int(0.99 * (len(latencies) - 1))]
    print(
        f"{args.jobs} submissions, {args.concurrency} at once: "
        f"{cpu / args.jobs * 1000:.2f} ms CPU each ({loop_cpu / args.jobs * 1000:.2f} in the event "
        f"loop's thread, client included), {args.jobs / wall:.0f} per s, "
        f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"
        + (" (under cProfile: slower than without)" if profiler else "")
    )
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--top", type=int, default=40, help="functions to list (0: no profiler)")
    parser.add_argument("--sort", default="tottime", help="cProfile order: tottime (own) or cumulative")
    parser.add_argument("--database-url", default=None, help="a migrated database (default: fresh SQLite)")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="docuforge-profile-"))
    try:
        asyncio.run(run(args, data_dir))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
