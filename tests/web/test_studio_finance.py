"""The Studio's financial statements screen, a workspace citation's page, and the picker of earlier
uploads, in a real browser against a running service."""

from __future__ import annotations

import io
import random
import re
import time
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from tests.fixtures.statements import Style, build, make_pdf, reported
from tests.fixtures.studio import PHONE, REPORT, Studio, pdf_file, sign_in

pytestmark = pytest.mark.slow
sync_api = pytest.importorskip("playwright.sync_api", reason="the test extra installs playwright")

COMPANY = "Northwind Traders Ltd."


def two_reports() -> tuple[bytes, bytes]:
    """This year's income statement (2024, 2023), its total operating expenses misprinted so a check
    fails, and last year's (2023, 2022)."""
    style = Style(notes=True)
    full = build("income_statement", random.Random(36), n_periods=3, style=style, company=COMPANY, variant=0)
    latest = reported(full, 0, 2)
    lines = [
        replace(line, values=[line.values[0] + 100, *line.values[1:]]) if line.key == "top" else line
        for line in latest.lines
    ]
    latest = replace(latest, lines=lines)
    return make_pdf([(latest, style)]), make_pdf([(reported(full, 1, 2), style)])


def wait_statements(studio: Studio, job_id: str) -> list[str]:
    for _ in range(600):
        job = studio.api.get(f"/job/{job_id}").json()
        if job["status"] in ("Completed", "Failed"):
            assert job["status"] == "Completed", job
            return job["result"]["statement_ids"]
        time.sleep(0.2)
    raise AssertionError("the statements job did not end")


def box_matches(page: sync_api.Page, frame: sync_api.Locator, box: sync_api.Locator, bbox: dict) -> None:
    image = frame.locator("img").bounding_box()
    drawn = box.bounding_box()
    assert image and drawn and image["width"] > 200
    assert drawn["x"] == pytest.approx(image["x"] + bbox["left"] * image["width"], abs=1.5)
    assert drawn["y"] == pytest.approx(image["y"] + bbox["top"] * image["height"], abs=1.5)
    assert drawn["width"] == pytest.approx(bbox["width"] * image["width"], abs=1.5)
    assert drawn["height"] == pytest.approx(bbox["height"] * image["height"], abs=1.5)


def test_statements_are_read_checked_cited_exported_and_consolidated(
    page: sync_api.Page, studio: Studio
) -> None:
    latest, earlier = two_reports()
    sign_in(page, studio)
    page.get_by_role("link", name="Statements").click()
    page.wait_for_selector("body[data-ready=statements]")
    page.set_input_files("input[type=file]", files=pdf_file("annual-2024.pdf", latest))
    page.get_by_role("button", name="Read statements").click()
    page.wait_for_selector("body[data-ready=statement]", state="attached", timeout=120_000)
    statement_id = re.search(r"statement=([0-9a-f-]+)", page.url).group(1)  # type: ignore[union-attr]
    statement = studio.api.get(f"/statements/{statement_id}").json()
    assert statement["statement_type"] == "income_statement" and statement["company"] == COMPANY

    # Every line, its label indented by level, totals bold, a value per period, its note.
    rows = page.locator("table[aria-label=Lines] tbody tr")
    assert rows.count() == len(statement["lines"]) >= 10
    for i, line in enumerate(statement["lines"]):
        row = rows.nth(i)
        assert row.locator("th").inner_text().startswith(line["label"])
        assert ("total" in (row.get_attribute("class") or "")) == line["is_total"]
        weight = row.locator("th").evaluate("e => getComputedStyle(e).fontWeight")
        assert (int(weight) >= 700) == line["is_total"], line
        indent = row.locator("th").evaluate("e => parseFloat(getComputedStyle(e).paddingLeft)")
        assert indent == pytest.approx(15 * (0.6 + 1.25 * line["level"]), abs=1)
        assert row.locator("td.note").inner_text() == (line["note"] or "")
        assert row.locator("td.num").count() == len(statement["periods"])
    assert any(line["note"] for line in statement["lines"])

    # The misprinted total: its check fails, named first, and the lines it involves are marked.
    failed = [check for check in statement["checks"] if not check["ok"]]
    assert failed and any(check["line"] == "Total operating expenses" for check in failed)
    assert page.get_by_role("heading", name=re.compile("^Checks: ")).inner_text() == (
        f"Checks: {len(statement['checks']) - len(failed)} of {len(statement['checks'])} pass"
    )
    checks = page.locator("table[aria-label=Checks] tbody tr")
    assert checks.count() == len(statement["checks"])
    assert page.locator("table[aria-label=Checks] tr.failed-check").count() == len(failed)
    involved = {name for check in failed for name in [check["line"], *check["lines"]]}
    for i, line in enumerate(statement["lines"]):
        assert ("involved" in (rows.nth(i).get_attribute("class") or "")) == (line["label"] in involved)
    first = failed[0]
    page.get_by_role(
        "button", name=f"Show the lines of the check of {first['line']}, {first['period']}"
    ).first.click()
    focused = page.locator("table[aria-label=Lines] tr.focus th")
    assert {text.split(" ✗")[0] for text in focused.all_inner_texts()} == {first["line"], *first["lines"]}

    # A value -> the box of the cell it was read from, on its page image.
    period = statement["periods"][0]
    line_index = next(
        i
        for i, line in enumerate(statement["lines"])
        if line["is_total"] and period in ((line["citation"] or {}).get("values") or {})
    )
    line = statement["lines"][line_index]
    cell = line["citation"]["values"][period]
    value = rows.nth(line_index).locator(f'button.value[data-period="{period}"]')
    value.click()
    index = value.get_attribute("data-citation")
    frame = page.locator(f'.page[data-page="{cell["page"]}"]')
    frame.locator("img[src]").wait_for(timeout=30_000)
    page.wait_for_selector(f'.page[data-page="{cell["page"]}"].shown')
    box = frame.locator(f'.box[data-block="{index}"]')
    assert "selected" in (box.get_attribute("class") or "")
    left, top, width, height = cell["bbox"]
    box_matches(page, frame, box, {"left": left, "top": top, "width": width, "height": height})
    assert line["label"] in page.locator(".detail").inner_text()
    page.evaluate("window.scrollTo(0, 0)")
    studio.screenshot(page, "statements", full_page=True)

    # Excel, read back: the lines and their values as the API has them.
    with page.expect_download() as download:
        page.get_by_role("button", name="Excel", exact=True).click()
    assert download.value.suggested_filename == f"statement-{statement_id}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).worksheets[0]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    labels = [row[0] for row in cells]
    revenue = statement["lines"][0]
    assert revenue["label"] == "Revenue" and not revenue["is_total"]
    assert revenue["values"][period] in cells[labels.index("Revenue")]  # a figure as printed
    total = cells[labels.index(line["label"])]
    assert any(isinstance(v, str) and v.startswith("=") for v in total)  # a total is a formula
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV", exact=True).click()
    assert line["label"] in Path(download.value.path()).read_text(encoding="utf-8")

    # At a phone's width the statement is one column and nothing is wider than the screen.
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.set_viewport_size({"width": 1360, "height": 860})

    # Last year's report, read through the API from an earlier parse of it (jobid://, its pages are
    # that parse's); both consolidated from the list, with variances.
    uploaded = studio.api.post(
        "/upload", files={"file": ("annual-2023.pdf", earlier, "application/pdf")}
    ).json()
    parsed = studio.api.post("/parse", json={"input": uploaded["file_id"]}, timeout=120).json()["job_id"]
    started = studio.api.post("/statements/read", json={"input": f"jobid://{parsed}"}).json()
    prior_id = wait_statements(studio, started["job_id"])[0]
    drawn = studio.api.get(f"/job/{started['job_id']}/pages/1.png")
    assert drawn.status_code == 200 and drawn.headers["content-type"] == "image/png"
    page.get_by_role("link", name="All statements").click()
    page.wait_for_selector("body[data-ready=statements]")
    page.get_by_label("Company").last.fill(COMPANY)
    page.get_by_role("button", name="Filter").click()
    for ident in (statement_id, prior_id):
        page.locator(f'tr[data-statement="{ident}"] input[type=checkbox]').check()
    page.get_by_label("Consolidation name").fill("Northwind 2022-2024")
    page.get_by_label("Match differently worded labels by meaning").uncheck()
    page.get_by_role("button", name="Consolidate 2 selected").click()
    page.wait_for_selector("body[data-ready=consolidation]", state="attached", timeout=60_000)
    consolidation_id = re.search(r"consolidation=([0-9a-f-]+)", page.url).group(1)  # type: ignore[union-attr]
    result = studio.api.get(f"/consolidations/{consolidation_id}").json()["result"]
    income = result["statements"][0]
    assert income["periods"] == ["FY2024", "FY2023", "FY2022"]
    table = page.get_by_role("table", name="Consolidated Income statement")
    assert [t.strip() for t in table.locator("thead th").all_inner_texts()][1:4] == income["periods"]
    net = next(line for line in income["lines"] if line["label"] == "Net income")
    variance = next(v for v in net["variances"] if v["current"] == "FY2024" and v["prior"] == "FY2023")
    row = table.locator("tbody tr", has=page.locator("th", has_text=re.compile("^Net income$")))
    shown = row.locator("td").nth(3).inner_text()
    assert float(re.sub(r"[^\d.\-]", "", shown.replace("−", "-"))) == pytest.approx(
        variance["absolute"], abs=0.01
    )
    studio.screenshot(page, "consolidation")
    with page.expect_download() as download:
        page.get_by_role("button", name="Excel", exact=True).click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "Income statement" in book.sheetnames


def test_a_workspace_citation_shows_its_page_with_the_box(page: sync_api.Page, studio: Studio) -> None:
    workspace = studio.api.post("/workspaces", json={"name": "Cited pages"}).json()["id"]
    added = studio.api.post(
        f"/workspaces/{workspace}/documents", files={"file": ("report.pdf", REPORT, "application/pdf")}
    ).json()
    for _ in range(600):
        documents = studio.api.get(f"/workspaces/{workspace}/documents").json()["documents"]
        if documents[0]["status"] in ("ready", "failed"):
            break
        time.sleep(0.2)
    assert documents[0]["status"] == "ready", (added, documents)
    question = "What does a parser have to find?"
    answer = studio.api.post(f"/workspaces/{workspace}/ask", json={"question": question}).json()
    cited = answer["citations"][0]
    assert cited["bbox"]

    sign_in(page, studio)
    page.goto(f"{studio.base}/studio/workspaces?ws={workspace}")
    page.wait_for_selector("body[data-ready=workspace]", state="attached")
    page.get_by_label("Question", exact=True).fill(question)
    page.get_by_role("button", name="Ask").click()
    citation = page.locator(".citations details").first
    citation.wait_for(timeout=60_000)
    citation.locator("summary").click()
    frame = citation.locator(".cited-page.shown")
    frame.wait_for(timeout=30_000)
    assert citation.locator("figcaption").inner_text() == f"Page {cited['page']} of report.pdf"
    box_matches(page, frame, frame.locator(".cited-box"), cited["bbox"])
    # The image is the page itself: a letter page's proportions.
    image = frame.locator("img").bounding_box()
    assert image and image["width"] / image["height"] == pytest.approx(612 / 792, rel=0.01)
    studio.screenshot(page, "workspace-citation")


def test_a_playground_runs_on_an_earlier_upload(page: sync_api.Page, studio: Studio) -> None:
    picked = studio.api.post(
        "/upload", files={"file": ("picked-report.pdf", REPORT, "application/pdf")}
    ).json()
    studio.api.post(
        "/upload", files={"file": ("notes-only.txt", b"plain words", "text/plain")}
    ).raise_for_status()
    before = studio.api.get("/files").json()["total"]

    sign_in(page, studio)
    picker = page.get_by_label("Or an earlier upload")
    sync_api.expect(picker.locator("option", has_text="picked-report.pdf")).to_have_count(1)
    options = picker.locator("option").all_inner_texts()
    assert options[0] == "— none —" and any(o.startswith("notes-only.txt · txt") for o in options)
    label = next(o for o in options if o.startswith("picked-report.pdf · pdf · "))
    picker.select_option(label=label)
    assert picker.input_value() == picked["file_id"]
    page.get_by_role("button", name="Parse", exact=True).click()
    page.wait_for_selector(".page.shown", timeout=90_000)
    job_id = re.search(r"job=([0-9a-f-]+)", page.url).group(1)  # type: ignore[union-attr]
    assert studio.api.get(f"/job/{job_id}/pages").json()["pages"][1]["number"] == 2
    assert studio.api.get("/files").json()["total"] == before  # nothing was uploaded again

    # The fill screen takes PDFs only: its picker offers no text file.
    page.get_by_role("link", name="Fill", exact=True).click()
    page.wait_for_selector("body[data-ready=fill]")
    fill_options = page.get_by_label("Or an earlier upload").locator("option")
    sync_api.expect(fill_options.filter(has_text="picked-report.pdf")).to_have_count(1)
    assert fill_options.filter(has_text="notes-only.txt").count() == 0
