"""Submit N parse jobs at once through the HTTP API and measure, on PostgreSQL + Celery + Redis or
on the embedded default (SQLite, the in-process runner: `--embedded`).

Starts everything it needs: a fresh PostgreSQL database, a `docuforge serve` with the celery
runner, and `docuforge worker` processes (or one `docuforge serve` on a fresh data directory).
Uploads one small PDF, then fires N `POST /parse_async`
requests with C in flight at a time, records each submission's latency, polls `GET /jobs` until
every job has ended, and checks every job completed exactly once: status completed with one
attempt in the database, and exactly one "job finished" line per job in the workers' logs.

    .venv/bin/python benchmarks/jobs/submit_1000.py [--jobs 1000] [--concurrency 100] [--workers 2]
    .venv/bin/python benchmarks/jobs/submit_1000.py --embedded --concurrency 16

`--repeat N` runs N times, each on a fresh stack, and reports the medians (and each run's p99 and
load average: on a shared machine the load moves every figure).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import redis

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
POSTGRES = os.environ.get("DOCUFORGE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("DOCUFORGE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
DOCUFORGE = [sys.executable, "-m", "docuforge"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tiny_pdf() -> bytes:
    """A one-page PDF with a line of text, written out by hand."""
    stream = b"BT /F1 12 Tf 72 720 Td (Docuforge benchmark page) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass
class Stack:
    base: str
    key: str
    database: str
    workdir: Path


@contextmanager
def stack(
    workers: int, worker_concurrency: int, embedded: bool = False, server_workers: int = 1
) -> Iterator[Stack]:
    """A database, a service and workers (or the service alone, embedded); all torn down afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="docuforge-bench-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCUFORGE_")} | {
        "DOCUFORGE_DATA_DIR": str(workdir / "data"),
        "DOCUFORGE_SERVER__PORT": str(port),
        "DOCUFORGE_RATE_LIMITS__ENABLED": "false",
        "DOCUFORGE_LOG__LEVEL": "INFO",
        "DOCUFORGE_SERVER__WORKERS": str(server_workers),
    }
    if embedded:
        database = f"sqlite:///{workdir / 'data' / 'docuforge.db'}"
        workers = 0
    else:
        redis.Redis.from_url(REDIS).flushdb()
        database = asyncio.run(_create_database())
        env |= {
            "DOCUFORGE_DB__URL": database,
            "DOCUFORGE_DB__POOL_SIZE": "20",
            "DOCUFORGE_JOBS__RUNNER": "celery",
            "DOCUFORGE_JOBS__BROKER_URL": REDIS,
        }
        subprocess.run([*DOCUFORGE, "db", "upgrade"], env=env, check=True, capture_output=True)
    processes: list[subprocess.Popen] = []
    try:
        for name, command in [("server", ["serve"])] + [
            (f"worker{n}", ["worker", "--concurrency", str(worker_concurrency)]) for n in range(workers)
        ]:
            log = (workdir / f"{name}.log").open("wb")
            processes.append(
                subprocess.Popen(
                    [*DOCUFORGE, *command], env=env, stdout=log, stderr=log, start_new_session=True
                )
            )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while not _ready(base) or any(
            b'"worker ready"' not in log.read_bytes() for log in workdir.glob("worker*.log")
        ):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the stack did not come up; see {workdir}")
            time.sleep(0.2)
        key = re.search(r"API key:\s+(df_\w+)", (workdir / "server.log").read_text())
        assert key, "the service printed no API key"
        yield Stack(base=base, key=key.group(1), database=database, workdir=workdir)
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if not embedded:
            asyncio.run(_drop_database(database))
        shutil.rmtree(workdir, ignore_errors=True)


def _ready(base: str) -> bool:
    try:
        return httpx.get(base + "/health/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


async def _create_database() -> str:
    name = f"docuforge_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(POSTGRES)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return POSTGRES.rsplit("/", 1)[0] + "/" + name


async def _drop_database(url: str) -> None:
    conn = await asyncpg.connect(POSTGRES)
    await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    await conn.close()


async def measure(target: Stack, jobs: int, concurrency: int, timeout: float) -> dict:
    # Idle connections expire here before the server (uvicorn: 5 s) closes them, or a request sent
    # as the server closes one fails (a starved client on a loaded machine leaves some idle).
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=2.0
    )
    headers = {"Authorization": f"Bearer {target.key}"}
    async with httpx.AsyncClient(base_url=target.base, headers=headers, timeout=120, limits=limits) as http:
        upload = await http.post("/upload", files={"file": ("bench.pdf", tiny_pdf(), "application/pdf")})
        file_id = upload.json()["file_id"]
        gate = asyncio.Semaphore(concurrency)
        latencies: list[float] = []
        job_ids: list[str] = []

        async def submit() -> None:
            async with gate:
                started = time.perf_counter()
                response = await http.post("/parse_async", json={"input": file_id})
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()
                job_ids.append(response.json()["job_id"])

        began = time.perf_counter()
        await asyncio.gather(*(submit() for _ in range(jobs)))
        submitted = time.perf_counter() - began
        seen: dict[str, str] = {}
        while True:
            cursor = None
            while True:
                params = {"limit": 500, "exclude_configs": "true"} | ({"cursor": cursor} if cursor else {})
                page = (await http.get("/jobs", params=params)).json()
                seen |= {job["job_id"]: job["status"] for job in page["jobs"]}
                cursor = page["next_cursor"]
                if not cursor:
                    break
            if all(seen.get(job) in ("Completed", "Failed", "Cancelled") for job in job_ids):
                break
            if time.perf_counter() - began > timeout:
                raise TimeoutError("jobs still running after the timeout")
            await asyncio.sleep(0.5)
        finished = time.perf_counter() - began
    if target.database.startswith("sqlite"):
        with sqlite3.connect(target.database.removeprefix("sqlite:///")) as conn:
            rows = [
                {"status": status, "attempts": attempts}
                for status, attempts in conn.execute("SELECT status, attempts FROM job WHERE type = 'parse'")
            ]
    else:
        conn = await asyncpg.connect(target.database)
        rows = await conn.fetch("SELECT status, attempts FROM job WHERE type = 'parse'")
        await conn.close()
    return {
        "job_ids": job_ids,
        "submitted_s": submitted,
        "finished_s": finished,
        "latencies": latencies,
        "statuses": Counter(seen[job] for job in job_ids),
        "rows": [(row["status"], row["attempts"]) for row in rows],
    }


def finishes(workdir: Path) -> Counter[str]:
    counted: Counter[str] = Counter()
    for log in [*workdir.glob("worker*.log"), workdir / "server.log"]:
        for line in log.read_text().splitlines():
            if '"job finished"' in line and line.startswith("{"):
                counted[json.loads(line)["job_id"]] += 1
    return counted


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100, help="submissions in flight at once")
    parser.add_argument("--workers", type=int, default=2, help="`docuforge worker` processes")
    parser.add_argument("--worker-concurrency", type=int, default=2, help="jobs at once per worker")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument(
        "--embedded", action="store_true", help="SQLite and the in-process runner (the default setup)"
    )
    parser.add_argument(
        "--server-workers", type=int, default=1, help="`docuforge serve` processes (PostgreSQL only)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs, each on a fresh stack; the report gives their medians"
    )
    parser.add_argument("--label", default="", help="a name for this run in the report (before, after)")
    args = parser.parse_args()
    runs = []
    for number in range(args.repeat):
        load_before = os.getloadavg()[0]
        with stack(args.workers, args.worker_concurrency, args.embedded, args.server_workers) as target:
            run = asyncio.run(measure(target, args.jobs, args.concurrency, args.timeout))
            run["finished_by_job"] = finishes(target.workdir)
        run["load"] = (load_before, os.getloadavg()[0])
        runs.append(run)
        print(
            f"run {number + 1}/{args.repeat}: p50 {statistics.median(run['latencies']) * 1000:.1f} ms, "
            f"p99 {percentile(run['latencies'], 0.99) * 1000:.1f} ms, "
            f"load {run['load'][0]:.1f}-{run['load'][1]:.1f}",
            file=sys.stderr,
        )
    setup = "SQLite + in-process runner" if args.embedded else "PostgreSQL + Celery + Redis"

    def median(values: list[float], digits: int = 1) -> float:
        return round(statistics.median(values), digits)

    result = {
        "run": f"{setup}, {args.concurrency} in flight{f' ({args.label})' if args.label else ''}",
        "runs": args.repeat,
        "jobs": args.jobs,
        "submissions_in_flight": args.concurrency,
        "workers": "in the service" if args.embedded else f"{args.workers} x {args.worker_concurrency}",
        "service_processes": args.server_workers,
        "submission_throughput_per_s": median([args.jobs / run["submitted_s"] for run in runs]),
        "submission_latency_p50_ms": median([statistics.median(run["latencies"]) * 1000 for run in runs]),
        "submission_latency_p99_ms": median([percentile(run["latencies"], 0.99) * 1000 for run in runs]),
        "submission_latency_p99_ms_each_run": [
            round(percentile(run["latencies"], 0.99) * 1000, 1) for run in runs
        ],
        "end_to_end_s": median([run["finished_s"] for run in runs]),
        "completion_throughput_per_s": median([args.jobs / run["finished_s"] for run in runs]),
        "statuses": dict(sum((run["statuses"] for run in runs), Counter())),
        "database_rows_completed_with_one_attempt": sum(
            1 for run in runs for s, a in run["rows"] if s == "completed" and a == 1
        ),
        "jobs_finished_exactly_once": sum(
            1 for run in runs for job in run["job_ids"] if run["finished_by_job"][job] == 1
        ),
        "load_average_1min": [f"{run['load'][0]:.1f}-{run['load'][1]:.1f}" for run in runs],
        "machine": f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}",
    }
    write_results(result)


def write_results(result: dict) -> None:
    """Keep every run (one per setup and label), newest replacing its namesake, in JSON and Markdown."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "jobs.json"
    runs = json.loads(path.read_text()).get("runs", []) if path.exists() else []
    runs = [earlier for earlier in runs if earlier.get("run") != result["run"]] + [result]
    path.write_text(json.dumps({"runs": runs}, indent=2) + "\n")
    measures = [name for name in result if name != "run"]
    lines = [
        "# Jobs through the API",
        "",
        "Submission latency is the time of one `POST /parse_async`, while the jobs run.",
        "",
        "| measure | " + " | ".join(run["run"] for run in runs) + " |",
        "|---|" + "---|" * len(runs),
    ]
    for name in measures:
        values = " | ".join(str(run.get(name, "")) for run in runs)
        lines.append(f"| {name.replace('_', ' ')} | {values} |")
    report = RESULTS / "jobs.md"
    # The notes under "## Notes" are written by hand (what was measured where, and why): kept.
    notes = report.read_text().partition("\n## Notes")[2] if report.exists() else ""
    report.write_text("\n".join(lines) + "\n" + (f"\n## Notes{notes}" if notes else ""))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
