"""The Studio's load times, and scrolling a 200-page parse, in Debian's Chromium (headless, through
Playwright) against `docuforge serve` on the embedded defaults (SQLite, local blobs, in-process jobs).

A screen is interactive when it has drawn its first data (the `studio:ready:<screen>` performance
mark, in milliseconds from the start of the navigation). Each screen is loaded RUNS times with the
browser cache disabled (a first visit) and RUNS times with it on (a return visit: the assets are
immutable). The long document is scrolled from its first page to its last, one step a frame.

    .venv/bin/python -m benchmarks.studio.load_times [--runs 7] [--pages 200]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas
from tests.fixtures.statements import Style, build, reported
from tests.fixtures.statements import make_pdf as statement_pdf

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1360, "height": 860}
TEXT = (
    "Documents arrive in every shape: reports with running headers, papers in two columns, invoices "
    "with tables of amounts. A parser has to find the structure that a reader sees at a glance."
)


def make_pdf(pages: int) -> bytes:
    """Pages with a heading, two paragraphs and a ruled table each."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica-Bold", 18)
        canvas.drawString(72, 720, f"Section {number}")
        canvas.setFont("Helvetica", 10)
        y = 690
        for _ in range(2):
            for line in (TEXT[:95], TEXT[95:]):
                canvas.drawString(72, y, line)
                y -= 14
            y -= 10
        rows = [["Region", "Q1", "Q2"], ["North", str(number), "12"], ["South", "7", str(number * 2)]]
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                canvas.rect(72 + c * 120, y - 20 - r * 20, 120, 20)
                canvas.drawString(76 + c * 120, y - 14 - r * 20, cell)
        canvas.drawString(300, 40, str(number))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(workdir: Path) -> tuple[subprocess.Popen, str, str, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCUFORGE_")}
    env |= {
        "DOCUFORGE_SERVER__PORT": str(port),
        "DOCUFORGE_DATA_DIR": str(workdir / "data"),
        "DOCUFORGE_LOG__LEVEL": "WARNING",
    }
    log = workdir / "server.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "docuforge", "serve"],
        env=env,
        cwd=workdir,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a shared, loaded machine can take a while to start it
    while True:
        try:
            httpx.get(base + "/health/live", timeout=1)
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(log.read_text()[-2000:]) from None
            time.sleep(0.2)
    text = log.read_text()
    key = re.search(r"API key:\s+(df_\w+)", text)
    password = re.search(r"password:\s+(\S+)", text)
    assert key and password, "the first start printed no credentials"
    return process, base, key.group(1), password.group(1)


def parsed(api: httpx.Client, pdf: bytes) -> str:
    upload = api.post("/upload", files={"file": ("doc.pdf", pdf, "application/pdf")}).json()
    answer = api.post("/parse", json={"input": upload["file_id"]}, timeout=900)
    answer.raise_for_status()
    return answer.json()["job_id"]


def ready_ms(page: Page, screen: str) -> float:
    page.wait_for_selector(f"body[data-ready={screen}]", state="attached", timeout=120_000)
    return page.evaluate(f"performance.getEntriesByName('studio:ready:{screen}')[0].startTime")


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values), 1),
        "min_ms": round(min(values), 1),
        "max_ms": round(max(values), 1),
    }


def read_statements(api: httpx.Client) -> tuple[str, str]:
    """Two years of a company's income statement read through the API, and their consolidation:
    (the newest statement's id, the consolidation's id)."""
    style = Style(notes=True)
    full = build("income_statement", random.Random(36), n_periods=3, style=style, company="Acme", variant=0)
    ids = []
    for first in (0, 1):
        pdf = statement_pdf([(reported(full, first, 2), style)])
        upload = api.post("/upload", files={"file": ("annual.pdf", pdf, "application/pdf")}).json()
        job = api.post("/statements/read", json={"input": upload["file_id"]}).json()["job_id"]
        while (answer := api.get(f"/job/{job}").json())["status"] not in ("Completed", "Failed"):
            time.sleep(0.2)
        ids.append(answer["result"]["statement_ids"][0])
    made = api.post("/consolidations", json={"statement_ids": ids, "options": {"embeddings": False}})
    made.raise_for_status()
    return ids[0], made.json()["id"]


# Screens whose first page image is timed too.
WITH_IMAGES = {"Parse (a 2-page result)", "Statement (2 periods, 1 page)"}


def measure_screens(
    page: Page, base: str, key: str, small: str, runs: int, finance: tuple[str, str]
) -> dict[str, dict[str, dict]]:
    statement, consolidation = finance
    screens = {
        "Sign in": ("/studio/", "signin"),
        "Parse (form)": ("/studio/parse", "parse"),
        "Parse (a 2-page result)": (f"/studio/parse?job={small}", "parse"),
        "Extract (form)": ("/studio/extract", "extract"),
        "Split (form)": ("/studio/split", "split"),
        "Classify (form)": ("/studio/classify", "classify"),
        "Fill (form)": ("/studio/fill", "fill"),
        "Workspaces": ("/studio/workspaces", "workspaces"),
        "Statements (list)": ("/studio/statements", "statements"),
        "Statement (2 periods, 1 page)": (f"/studio/statements?statement={statement}", "statement"),
        "Consolidation (2 statements)": (
            f"/studio/statements?consolidation={consolidation}",
            "consolidation",
        ),
        "Logs (form)": ("/studio/logs", "logs"),
        "Jobs": ("/studio/jobs", "jobs"),
        "Users": ("/studio/admin/users", "users"),
        "API keys": ("/studio/admin/keys", "keys"),
        "Webhooks": ("/studio/admin/webhooks", "webhooks"),
    }
    cdp = page.context.new_cdp_session(page)
    results: dict[str, dict[str, dict]] = {}
    for cache in ("cold", "warm"):
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": cache == "cold"})
        for name, (path, mark) in screens.items():
            times, images = [], []
            for _ in range(runs):
                if mark == "signin":
                    page.evaluate("sessionStorage.clear()")
                page.goto(base + path)
                times.append(ready_ms(page, mark))
                if name in WITH_IMAGES:
                    page.wait_for_selector(".page.shown")
                    images.append(page.evaluate("performance.now()"))
                if mark == "signin":
                    page.get_by_label("API key", exact=True).fill(key)
                    page.get_by_role("button", name="Use this key").click()
                    page.wait_for_selector("body[data-ready=parse]", state="attached")
            entry = summary(times)
            if images:
                entry["first_page_image"] = summary(images)
            results.setdefault(name, {})[cache] = entry
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    return results


SCROLL = """async (frames) => {
  const pane = document.querySelector('.pages');
  const step = (pane.scrollHeight - pane.clientHeight) / frames;
  const gaps = [];
  let live = 0;
  let last = performance.now();
  for (let i = 1; i <= frames; i++) {
    await new Promise(requestAnimationFrame);
    pane.scrollTop = step * i;
    const now = performance.now();
    gaps.push(now - last);
    last = now;
    live = Math.max(live, pane.querySelectorAll('.page img[src]').length);
  }
  return {gaps, live, pages: pane.querySelectorAll('.page').length};
}"""


def measure_long(page: Page, base: str, job: str, frames: int) -> dict:
    page.goto(f"{base}/studio/parse?job={job}")
    ready = ready_ms(page, "parse")
    page.wait_for_selector(".page.shown")
    first_image = page.evaluate("performance.now()")
    scroll = page.evaluate(SCROLL, frames)
    started = time.monotonic()
    page.locator(".page").last.locator("img[src]").wait_for(timeout=60_000)
    last_image_after = (time.monotonic() - started) * 1000
    gaps = sorted(scroll["gaps"])
    return {
        "pages": scroll["pages"],
        "ready_ms": round(ready, 1),
        "first_page_image_ms": round(first_image, 1),
        "scroll_frames": frames,
        "frame_ms_median": round(statistics.median(gaps), 1),
        "frame_ms_p95": round(gaps[int(len(gaps) * 0.95)], 1),
        "frames_over_50ms": sum(gap > 50 for gap in gaps),
        "most_images_live": scroll["live"],
        "last_page_image_after_scroll_ms": round(last_image_after, 1),
    }


def report(data: dict) -> str:
    lines = [
        "# Studio load times",
        "",
        f"Debian's Chromium {data['browser']} (headless, {VIEWPORT['width']}x{VIEWPORT['height']}) "
        "through Playwright, against "
        "`docuforge serve` on the embedded defaults (SQLite, local blobs, in-process jobs), both on one "
        f"machine: {data['machine']}, shared (load average {data['load_average'][0]:.1f} at the start, "
        f"{data['load_average'][1]:.1f} at the end). Median of {data['runs']} loads (min-max); "
        "a screen is interactive when it has drawn its first data (the `studio:ready:<screen>` "
        "mark, from the start of the navigation). Cold: browser cache disabled (a first visit). "
        "Warm: a return visit (assets are immutable under their digest; the page itself is "
        "revalidated).",
        "",
        "| screen | cold (ms) | warm (ms) |",
        "|---|---|---|",
    ]
    for name, entry in data["screens"].items():
        cells = []
        for cache in ("cold", "warm"):
            e = entry[cache]
            cell = f"{e['median_ms']:.0f} ({e['min_ms']:.0f}-{e['max_ms']:.0f})"
            if "first_page_image" in e:
                cell += f"; first page image {e['first_page_image']['median_ms']:.0f}"
            cells.append(cell)
        lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
    long = data["long_document"]
    lines += [
        "",
        f"## A {long['pages']}-page parse",
        "",
        f"Interactive after {long['ready_ms']:.0f} ms, "
        f"first page image at {long['first_page_image_ms']:.0f} ms "
        "(each page image is drawn by the service on first request, then kept). Scrolled from the first "
        f"page to the last in {long['scroll_frames']} frames, one step a frame: frame time median "
        f"{long['frame_ms_median']} ms, 95th percentile {long['frame_ms_p95']} ms, "
        f"{long['frames_over_50ms']} frames over 50 ms; at most {long['most_images_live']} page images "
        f"held at once; the last page's image came {long['last_page_image_after_scroll_ms']:.0f} ms after "
        "the scroll ended.",
        "",
        f"Parse of that document through the API: {data['long_parse_s']:.1f} s.",
        "",
    ]
    return "\n".join(lines)


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--frames", type=int, default=600)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as folder:
        process, base, key, _ = start_server(Path(folder))
        try:
            api = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=120)
            small = parsed(api, make_pdf(2))
            finance = read_statements(api)
            started = time.monotonic()
            long = parsed(api, make_pdf(args.pages))
            long_parse = time.monotonic() - started
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                page = browser.new_context(viewport=VIEWPORT).new_page()
                page.goto(base + "/studio/")
                page.wait_for_selector("body[data-ready=signin]", state="attached")
                page.get_by_label("API key", exact=True).fill(key)
                page.get_by_role("button", name="Use this key").click()
                page.wait_for_selector("body[data-ready=parse]", state="attached")
                screens = measure_screens(page, base, key, small, args.runs, finance)
                long_document = measure_long(page, base, long, args.frames)
                version = browser.version
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=30)
    data = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {cpu_name()}",
        "browser": version,
        "runs": args.runs,
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "screens": screens,
        "long_document": long_document,
        "long_parse_s": round(long_parse, 2),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "studio.json").write_text(json.dumps(data, indent=2) + "\n")
    (RESULTS / "studio.md").write_text(report(data))
    print(report(data))


if __name__ == "__main__":
    main()
