"""The Studio's screens for the document operations, in a real browser against a running service:
extract, split, classify, fill, workspaces and logs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.fixtures.forms import INSTRUCTIONS, acroform_pdf
from tests.fixtures.studio import INVOICE, REPORT, Studio, pdf_file, sign_in

pytestmark = pytest.mark.slow
sync_api = pytest.importorskip("playwright.sync_api", reason="the test extra installs playwright")


def test_extract_shows_where_each_value_was_read(page: sync_api.Page, studio: Studio) -> None:
    sign_in(page, studio)
    page.get_by_role("link", name="Extract").click()
    page.wait_for_selector("body[data-ready=extract]")
    page.set_input_files("input[type=file]", files=pdf_file("invoice.pdf", INVOICE))
    page.get_by_label("Start from").select_option("receipt")
    assert '"merchant_name"' in page.get_by_label("JSON Schema").input_value()
    page.get_by_label("JSON Schema").fill('{"type": "object", "properties": {')
    page.get_by_role("button", name="Extract", exact=True).click()
    assert "Not valid JSON" in page.locator(".schema-error").inner_text()  # refused before any request
    page.get_by_label("Start from").select_option("invoice")
    page.get_by_label("Engine").select_option("offline")
    page.get_by_role("button", name="Extract", exact=True).click()
    page.wait_for_selector(".page.shown", timeout=90_000)
    job_id = re.search(r"job=([0-9a-f-]+)", page.url).group(1)  # type: ignore[union-attr]
    answer = studio.api.get(f"/job/{job_id}").json()["result"]["result"]
    assert answer["invoice_number"]["value"] == "INV-2041"
    cited = answer["invoice_number"]["citations"][0]["bbox"]

    value = page.locator(".leaf.cited", has_text="INV-2041")
    value.click()
    assert "invoice_number" in page.locator(".detail").inner_text()
    index = value.get_attribute("data-citation")
    box = page.locator(f'.page[data-page="{cited["page"]}"] .box[data-block="{index}"]')
    assert "selected" in (box.get_attribute("class") or "")
    image = page.locator(f'.page[data-page="{cited["page"]}"] img').bounding_box()
    drawn = box.bounding_box()
    assert image and drawn
    assert drawn["x"] == pytest.approx(image["x"] + cited["left"] * image["width"], abs=1.5)
    assert drawn["y"] == pytest.approx(image["y"] + cited["top"] * image["height"], abs=1.5)
    assert drawn["width"] == pytest.approx(cited["width"] * image["width"], abs=1.5)
    studio.screenshot(page, "extract")

    # And back: a box on the page selects its value in the tree.
    total = answer["total_amount"]["citations"][0]
    total_button = page.locator(".leaf.cited", has_text="1250")
    total_index = total_button.get_attribute("data-citation")
    page.locator(f'.page[data-page="{total["bbox"]["page"]}"] .box[data-block="{total_index}"]').click()
    assert "selected" in (total_button.get_attribute("class") or "")


LOG = "\n".join(
    json.dumps({"ts": f"2026-12-07T10:{minute:02d}:00Z", "level": level, "msg": f"request {minute} served"})
    for minute, level in enumerate(["info"] * 6 + ["warn"] * 3 + ["error"] * 2)
).encode()


def test_logs_summarise_a_log_and_filter_its_records(page: sync_api.Page, studio: Studio) -> None:
    sign_in(page, studio)
    page.get_by_role("link", name="Logs").click()
    page.wait_for_selector("body[data-ready=logs]")
    page.set_input_files("#log-file", files=[{"name": "app.jsonl", "mimeType": "text/plain", "buffer": LOG}])
    page.get_by_role("button", name="Read the log").click()
    page.get_by_role("heading", name="Summary").wait_for(timeout=90_000)
    assert page.get_by_text("11 records, 0 unreadable lines").is_visible()
    legend = page.get_by_role("list", name="Records by level").inner_text()
    assert "info 6" in legend and "warn 3" in legend and "error 2" in legend
    assert page.locator(".timeline rect").count() >= 3  # a bar segment per level present
    sync_api.expect(
        page.locator("table[aria-label='Log records'] tbody tr", has_text="request")
    ).to_have_count(11)

    page.get_by_label("error").check()
    page.get_by_role("button", name="Filter").click()
    sync_api.expect(page.locator("table[aria-label='Log records'] tbody tr")).to_have_count(2)
    assert page.locator("table[aria-label='Log records'] tbody tr").first.inner_text().count("error") >= 1
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV").click()
    rows = Path(download.value.path()).read_text().strip().splitlines()
    assert len(rows) == 3  # a header and the two errors
    studio.screenshot(page, "logs", full_page=True)


def test_a_workspace_indexes_a_document_and_answers_with_citations(
    page: sync_api.Page, studio: Studio
) -> None:
    sign_in(page, studio)
    page.get_by_role("link", name="Workspaces").click()
    page.wait_for_selector("body[data-ready=workspaces]")
    page.get_by_label("Name").fill("Reports")
    page.get_by_role("button", name="Create workspace").click()
    page.wait_for_selector("body[data-ready=workspace]")
    assert page.get_by_role("heading", name="Reports").is_visible()
    page.set_input_files("#ws-file", files=pdf_file("report.pdf", REPORT))
    page.get_by_role("button", name="Add", exact=True).click()
    row = page.locator("tbody tr", has_text="report.pdf")
    row.locator(".status.completed").wait_for(timeout=120_000)  # indexed, seen by polling

    page.get_by_label("Question", exact=True).fill("What does a parser have to find?")
    page.get_by_role("button", name="Ask").click()
    citation = page.locator(".citations details").first
    citation.wait_for(timeout=60_000)
    assert "report.pdf" in citation.inner_text()
    citation.locator("summary").click()
    assert "structure" in citation.locator("blockquote").inner_text()
    studio.screenshot(page, "workspace")

    page.get_by_label("Questions", exact=True).fill("What does a parser have to find?\nWhat is the outlook?")
    page.get_by_role("button", name="Run the questions").click()
    answers = page.locator("table[aria-label='Answers'] tbody tr")
    sync_api.expect(answers).to_have_count(2, timeout=60_000)
    with page.expect_download() as download:
        page.locator("section[aria-label='Answers to the questions']").get_by_role(
            "button", name="CSV"
        ).click()
    assert "What is the outlook?" in Path(download.value.path()).read_text()


def run_operation(page: sync_api.Page, studio: Studio, link: str, screen: str, pdf: bytes, verb: str) -> dict:
    """Open a screen, give it a document, run it; the job's answer as the API gives it."""
    page.get_by_role("link", name=link, exact=True).click()
    page.wait_for_selector(f"body[data-ready={screen}]")
    page.set_input_files("input[type=file]", files=pdf_file("doc.pdf", pdf))
    page.get_by_role("button", name=verb, exact=True).click()
    page.locator(".result-host > *").first.wait_for(timeout=90_000)
    job_id = re.search(r"job=([0-9a-f-]+)", page.url).group(1)  # type: ignore[union-attr]
    return studio.api.get(f"/job/{job_id}").json()["result"]


def test_split_and_classify_show_the_apis_answer(page: sync_api.Page, studio: Studio) -> None:
    sign_in(page, studio)
    answer = run_operation(page, studio, "Split", "split", REPORT, "Split")
    rows = page.locator("table[aria-label='Sections found'] tbody tr")
    names = [split["name"] for split in answer["result"]["splits"]]
    assert rows.count() >= len(names) and names
    for split in answer["result"]["splits"]:
        pages = ", ".join(str(p) for p in split["pages"]) or "—"
        assert rows.filter(has_text=split["name"]).first.locator("td").nth(1).inner_text() == pages
    studio.screenshot(page, "split")

    answer = run_operation(page, studio, "Classify", "classify", INVOICE, "Classify")
    assert page.locator(".category").inner_text() == answer["result"]["category"]
    scored = page.locator("table[aria-label='Scores'] tbody tr")
    assert scored.count() == len(answer["response_confidence"]["categories"]) == 3


def test_fill_shows_the_filled_pdf_and_its_fields(page: sync_api.Page, studio: Studio) -> None:
    sign_in(page, studio)
    page.get_by_role("link", name="Fill", exact=True).click()
    page.wait_for_selector("body[data-ready=fill]")
    page.set_input_files(
        "input[type=file]",
        files=pdf_file("form.pdf", acroform_pdf()),
    )
    page.get_by_label("What to fill in").fill(INSTRUCTIONS)
    page.get_by_role("button", name="Fill", exact=True).click()
    table = page.locator("table[aria-label='Fields']")
    table.wait_for(timeout=90_000)
    assert table.locator("tr", has_text="Vessel name").locator("td").nth(2).inner_text() == "Northwind"
    assert (page.locator("iframe.pdf").get_attribute("src") or "").startswith("blob:")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    fields = PdfReader(download.value.path()).get_fields() or {}
    assert fields["vessel_name"].get("/V") == "Northwind"
