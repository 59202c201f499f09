"""The scale-out run at benchmark size: 2 API processes and 2 Celery workers (2 jobs at once each)
on PostgreSQL, a private Redis broker and moto's S3 server, a mixed workload of N jobs submitted to
both APIs, a worker SIGKILLed while it holds a job, api-b restarted half way through the
submissions. Reports throughput
and the exactly-once counts (tests/fixtures/cluster.py does the work; the test runs it small).

    .venv/bin/python -m benchmarks.deploy.scale_out [--jobs 300] [--in-flight 16] [--max-queued 50]

Writes benchmarks/results/deploy.json and deploy.md.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import platform
import shutil
import tempfile
from pathlib import Path

from tests.fixtures.cluster import Cluster, Report, run
from tests.fixtures.database import create_postgres_database, drop_postgres_database
from tests.fixtures.processes import redis_server, s3_server

RESULTS = Path(__file__).resolve().parents[1] / "results"


async def measure(jobs: int, in_flight: int, max_queued: int) -> Report:
    workdir = Path(tempfile.mkdtemp(prefix="docuforge-scale-out-"))
    database = await create_postgres_database()
    try:
        with redis_server() as (broker, _), s3_server() as s3:
            cluster = Cluster(workdir, database, broker, s3, max_queued=max_queued)
            try:
                return await run(cluster, jobs, in_flight)
            finally:
                cluster.stop_all()
                await cluster.close()
    finally:
        await drop_postgres_database(database)
        shutil.rmtree(workdir, ignore_errors=True)


def markdown(report: Report, jobs: int, in_flight: int, max_queued: int) -> str:
    rows = [
        ("jobs submitted (half to each API)", report.jobs),
        ("by kind", ", ".join(f"{kind} {count}" for kind, count in sorted(report.by_type.items()))),
        ("submissions in flight", in_flight),
        (
            "processes",
            "2 API (celery runner) + 2 workers x 2 jobs at once; a third worker replaces the killed one",
        ),
        ("faults", "; ".join(report.faults)),
        ("statuses in the job table", report.statuses),
        ("executions (claims in the job table)", report.executions),
        ("jobs cut off by the kill and run again", report.re_executed),
        ("jobs whose result was recorded exactly once", f"{report.finished_once} / {report.jobs}"),
        (
            "slow jobs whose work finished exactly once (marker file)",
            f"{report.marker_finished_once} / {report.marker_jobs}",
        ),
        (
            "results identical from every API (api-a, restarted api-b)",
            f"{report.readable_from_every_api} / {report.readable_checked} checked",
        ),
        ("submissions moved to the other API while one restarted", report.submissions_failed_over),
        ("jobs in the table that the run did not ask for (duplicates)", report.jobs_not_asked_for),
        ("bound on one organization's queued jobs (admission control)", max_queued),
        ("submissions answered 429 QUEUE_FULL, then retried after Retry-After", report.queue_full_answers),
        ("longest Retry-After, s", report.retry_after_max),
        ("answers 5xx", report.server_errors),
        ("GET /capacity workers before the run", report.capacity_workers),
        ("all submitted in s", report.submit_seconds),
        ("first submission to last completion, s", report.end_to_end_seconds),
        ("throughput, jobs completed per s", report.throughput),
        ("problems", len(report.problems)),
        ("machine", f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}"),
    ]
    lines = [
        "# Scale-out: 2 APIs, 2 Celery workers, PostgreSQL + Redis + S3 (moto), with faults",
        "",
        "Command: `.venv/bin/python -m benchmarks.deploy.scale_out"
        f" --jobs {jobs} --in-flight {in_flight} --max-queued {max_queued}`."
        " Every process is a separate OS process on one machine, shared with other work, so"
        " timings carry noise. The workload mixes parse jobs (small PDFs of 1 and 3 pages, a"
        " `jobid://` re-render, a `time_budget` that yields a partial result), extract (offline"
        " engine), workspace question jobs (on a `chroma run` server every worker shares), log"
        " ingests, and slow jobs (the test job type `test.sleep`, 1.2 s in a worker's child"
        " process) so that the SIGKILL lands in the middle of a job. Exactly once is counted in the"
        " job table (status; attempts, i.e. claims), in the workers' logs (one `job finished` line"
        " with status completed per job: it is written only when the guarded UPDATE that records"
        " the result succeeded) and, for the slow jobs, in a marker file written at the end of each"
        " execution's work. Raw: `deploy.json`.",
        "",
        "| measure | value |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in rows),
    ]
    if report.problems:
        lines += ["", "Problems:", *(f"- {problem}" for problem in report.problems[:50])]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--in-flight", type=int, default=16)
    parser.add_argument("--max-queued", type=int, default=50, help="admission bound per organization")
    args = parser.parse_args()
    report = asyncio.run(measure(args.jobs, args.in_flight, args.max_queued))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "deploy.json").write_text(
        json.dumps({"jobs": args.jobs, "in_flight": args.in_flight, **dataclasses.asdict(report)}, indent=2)
        + "\n"
    )
    text = markdown(report, args.jobs, args.in_flight, args.max_queued)
    (RESULTS / "deploy.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
