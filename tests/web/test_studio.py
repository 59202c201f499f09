"""The Studio in a real browser: Debian's Chromium driven by Playwright against a running service.

Screenshots of each screen go to $DOCUFORGE_TEST_SCREENSHOTS when it is set (the README's come
from `DOCUFORGE_TEST_SCREENSHOTS=docs/screenshots pytest tests/web`), else to a temporary folder.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from pypdf import PdfReader

from tests.fixtures.forms import INSTRUCTIONS, acroform_pdf
from tests.fixtures.pdfs import LOREM, Heading, KeyValues, Page, Paragraph, Table, make_pdf
from tests.fixtures.processes import Receiver, bootstrap_key, docuforge_server

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).parents[2]
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
sync_api = pytest.importorskip("playwright.sync_api", reason="the test extra installs playwright")
if not Path(CHROMIUM).exists():
    if CI:
        raise RuntimeError("CI=true needs Debian's chromium (scripts/system-packages.sh --test)")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

REPORT = make_pdf(
    [
        Page(
            [
                Heading("Quarterly report", 20),
                Paragraph(LOREM),
                Heading("1. Sales", 14),
                Table([["Region", "Q1", "Q2"], ["North", "10", "12"], ["South", "7", "9"]]),
            ],
            footer="Confidential",
            page_number=True,
        ),
        Page([Heading("2. Outlook", 14), Paragraph(LOREM)], footer="Confidential", page_number=True),
    ],
    title="Quarterly report",
)
INVOICE = make_pdf(
    [
        Page(
            [
                Heading("INVOICE", 20),
                KeyValues(
                    [("Invoice number", "INV-2041"), ("Invoice date", "2026-11-30"), ("Total", "1,250.00")]
                ),
                Table(
                    [
                        ["Description", "Quantity", "Amount"],
                        ["Hammer", "2", "50.00"],
                        ["Drill", "1", "1,200.00"],
                    ]
                ),
            ]
        )
    ]
)
WIDE = {"width": 1360, "height": 860}
PHONE = {"width": 390, "height": 844}


class Studio:
    def __init__(self, base: str, key: str, password: str, shots: Path) -> None:
        self.base, self.key, self.password, self.shots = base, key, password, shots
        self.api = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60)

    def screenshot(self, page: sync_api.Page, name: str, full_page: bool = False) -> Path:
        """A small PNG (a 256-colour palette is plenty for a UI) of what the browser shows."""
        target = self.shots / f"{name}.png"
        page.screenshot(path=str(target), full_page=full_page)
        with Image.open(target) as image:
            image.convert("RGB").quantize(colors=256).save(target, optimize=True)
        return target


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    workdir = tmp_path_factory.mktemp("studio")
    shots = Path(os.environ.get("DOCUFORGE_TEST_SCREENSHOTS") or workdir / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    env = {
        "DOCUFORGE_LOG__LEVEL": "WARNING",
        "DOCUFORGE_JOBS__TASK_MODULES": "tests.jobs.tasks",
        "DOCUFORGE_RATE_LIMITS__ENABLED": "false",
        "DOCUFORGE_INGEST__URL_ALLOWLIST": "127.0.0.1/32",
        # The repository root for the test job types, and this checkout's package before any other.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    with docuforge_server(env, workdir) as base:
        log = (workdir / "server.log").read_text()
        password = re.search(r"password:\s+(\S+)", log)
        assert password, "the first start printed no admin password"
        yield Studio(base, bootstrap_key(workdir / "server.log"), password.group(1), shots)


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: sync_api.Browser) -> Iterator[sync_api.Page]:
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors


def sign_in(page: sync_api.Page, studio: Studio) -> None:
    page.goto(studio.base + "/studio/")
    page.wait_for_selector("body[data-ready=signin]")
    page.get_by_label("Username or e-mail").fill("admin")
    page.get_by_label("Password", exact=True).fill(studio.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("body[data-ready=parse]")


def test_sign_in_shows_the_apis_error_then_signs_in_and_out(page: sync_api.Page, studio: Studio) -> None:
    page.goto(studio.base + "/studio/jobs")
    page.wait_for_selector("body[data-ready=signin]")
    studio.screenshot(page, "signin")
    page.get_by_label("Username or e-mail").fill("admin")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert "invalid username or password" in page.get_by_role("alert").inner_text()

    page.get_by_label("Password", exact=True).fill(studio.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("body[data-ready=jobs]")  # back where the visitor was going
    assert page.locator(".identity").inner_text().startswith("admin")
    assert page.get_by_role("link", name="API keys").is_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_selector("body[data-ready=signin]")
    assert page.evaluate("sessionStorage.length") == 0

    page.get_by_label("API key", exact=True).fill("df_not_a_key")
    page.get_by_role("button", name="Use this key").click()
    refused = httpx.get(studio.base + "/auth/me", headers={"Authorization": "Bearer df_not_a_key"})
    assert page.get_by_role("alert").inner_text().startswith(refused.json()["error"]["message"])
    page.get_by_label("API key", exact=True).fill(studio.key)
    page.get_by_role("button", name="Use this key").click()
    page.wait_for_selector("body[data-ready=jobs]")
    assert "bootstrap" in page.locator(".identity").inner_text()


def test_an_expired_or_refused_access_token_is_refreshed(page: sync_api.Page, studio: Studio) -> None:
    sign_in(page, studio)
    before = json.loads(page.evaluate("sessionStorage.getItem('docuforge.studio.session')"))
    # A token the service refuses, that the page believes valid: the 401 leads to one refresh.
    page.evaluate(
        """() => {
            const s = JSON.parse(sessionStorage.getItem('docuforge.studio.session'));
            s.access = 'garbage'; s.expiresAt = Date.now() + 3600e3;
            sessionStorage.setItem('docuforge.studio.session', JSON.stringify(s));
        }"""
    )
    page.goto(studio.base + "/studio/admin/users")
    page.wait_for_selector("body[data-ready=users]")
    assert page.locator("tbody tr").count() >= 1
    after = json.loads(page.evaluate("sessionStorage.getItem('docuforge.studio.session')"))
    assert after["access"] not in ("garbage", before["access"]) and after["refresh"] != before["refresh"]


def api_blocks(studio: Studio, job_id: str) -> list[dict]:
    job = studio.api.get(f"/job/{job_id}").json()
    return [block for chunk in job["result"]["result"]["chunks"] for block in chunk["blocks"]]


def test_a_parse_draws_the_apis_boxes_and_links_them_to_the_text(page: sync_api.Page, studio: Studio) -> None:
    sign_in(page, studio)
    page.set_input_files(
        "input[type=file]", files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": REPORT}]
    )
    page.get_by_label("Tables as").select_option("html")
    page.get_by_role("button", name="Parse", exact=True).click()
    page.wait_for_selector(".page.shown", timeout=90_000)
    job_id = re.search(r"job=([0-9a-f-]+)", page.url).group(1)  # type: ignore[union-attr]
    blocks = api_blocks(studio, job_id)

    # Every block of page 1 is drawn where the API put it: bbox x the image's size.
    first = page.locator('.page[data-page="1"]')
    image = first.locator("img").bounding_box()
    assert image and image["width"] > 300
    drawn = first.locator(".box")
    on_page = [i for i, block in enumerate(blocks) if block["bbox"]["page"] == 1]
    assert drawn.count() == len(on_page) >= 5
    for index in on_page:
        box = first.locator(f'.box[data-block="{index}"]').bounding_box()
        bbox = blocks[index]["bbox"]
        assert box is not None
        assert box["x"] == pytest.approx(image["x"] + bbox["left"] * image["width"], abs=1.5)
        assert box["y"] == pytest.approx(image["y"] + bbox["top"] * image["height"], abs=1.5)
        assert box["width"] == pytest.approx(bbox["width"] * image["width"], abs=1.5)
        assert box["height"] == pytest.approx(bbox["height"] * image["height"], abs=1.5)
    # The image drawn is the page's own size ratio.
    index = studio.api.get(f"/job/{job_id}/pages").json()["pages"][0]
    assert image["width"] / image["height"] == pytest.approx(index["width"] / index["height"], rel=0.01)

    # A box -> its text, in the detail and in the document view; and back.
    table = next(i for i, block in enumerate(blocks) if block["type"] == "Table")
    first.locator(f'.box[data-block="{table}"]').click()
    assert "Table" in page.locator(".detail").inner_text()
    selected = page.locator("#view-document .selected")
    assert selected.get_attribute("data-block") == str(table)
    assert selected.locator("table td", has_text="North").count() == 1  # tables as tables
    studio.screenshot(page, "parse")

    title = next(i for i, block in enumerate(blocks) if block["content"] == "Quarterly report")
    page.locator(f'#view-document [data-block="{title}"]').click()
    assert first.locator(f'.box[data-block="{title}"]').get_attribute("class").endswith("selected")  # type: ignore[union-attr]
    assert page.locator(".detail").inner_text().endswith("Quarterly report")

    page.get_by_role("tab", name="Markdown").click()
    span = page.locator(f'#view-markdown [data-block="{title}"]')
    assert span.inner_text() == "Quarterly report" and "selected" in (span.get_attribute("class") or "")
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV", exact=True).click()
    csv = Path(download.value.path()).read_text()
    assert csv.splitlines()[:3] == ["Region,Q1,Q2", "North,10,12", "South,7,9"]
    with page.expect_download() as download:
        page.get_by_role("button", name="Markdown", exact=True).click()
    assert Path(download.value.path()).read_text().startswith("# Quarterly report")

    # A phone's width: the same result, one column.
    page.set_viewport_size(PHONE)
    page.locator(".result-host").scroll_into_view_if_needed()
    studio.screenshot(page, "parse-phone")


def test_extract_shows_where_each_value_was_read(page: sync_api.Page, studio: Studio) -> None:
    sign_in(page, studio)
    page.get_by_role("link", name="Extract").click()
    page.wait_for_selector("body[data-ready=extract]")
    page.set_input_files(
        "input[type=file]", files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": INVOICE}]
    )
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
    page.set_input_files(
        "#ws-file", files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": REPORT}]
    )
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
    page.set_input_files(
        "input[type=file]", files=[{"name": "doc.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
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
        files=[{"name": "form.pdf", "mimeType": "application/pdf", "buffer": acroform_pdf()}],
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


def test_jobs_show_live_progress_and_cancel(page: sync_api.Page, studio: Studio) -> None:
    init = studio.api.post(
        "/ingest/files/init",
        json={"name": "wait.pdf", "size": 8, "type": "test.sleep", "config": {"seconds": 120, "steps": 240}},
    ).json()
    url = httpx.URL(init["presigned_url"])
    assert httpx.put(str(url), content=b"%PDF-1.4").status_code == 200
    studio.api.post("/ingest/files/complete", json={"job_id": init["job_id"]}).raise_for_status()

    sign_in(page, studio)
    page.get_by_role("link", name="Jobs").click()
    page.wait_for_selector("body[data-ready=jobs]")
    row = page.locator(f'tr[data-job="{init["job_id"]}"]')
    row.locator("progress").wait_for(timeout=30_000)  # running, with its progress
    page.get_by_label("Status").select_option("active")
    assert row.is_visible()
    studio.screenshot(page, "jobs")
    page.get_by_label("Status").select_option("")
    row.get_by_role("button", name=re.compile("^Cancel")).click()
    row.locator(".status.cancelled").wait_for(timeout=30_000)
    cancelled = studio.api.get(f"/job/{init['job_id']}").json()
    assert cancelled["status"] == "Failed" and cancelled["error"]["name"] == "JOB_CANCELLED"
    page.get_by_label("Status").select_option("Cancelled")
    assert page.locator("tbody tr").count() == 1


def test_admin_creates_a_key_shown_once_and_revokes_it(page: sync_api.Page, studio: Studio) -> None:
    sign_in(page, studio)
    page.get_by_role("link", name="API keys").click()
    page.wait_for_selector("body[data-ready=keys]")
    page.get_by_label("Name").fill("ci pipeline")
    page.get_by_label("Role").select_option("viewer")
    page.get_by_role("button", name="Create key").click()
    secret = page.locator(".new-secret").inner_text()
    assert secret.startswith("df_")
    me = httpx.get(studio.base + "/auth/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["role"] == "viewer"
    listed = [k for k in studio.api.get("/api-keys").json()["api_keys"] if k["name"] == "ci pipeline"]
    assert len(listed) == 1 and secret.startswith(listed[0]["prefix"])
    assert secret not in page.locator("table").inner_text()  # the list shows the prefix only
    studio.screenshot(page, "keys")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke key ci pipeline").click()
    page.locator(f'tr[data-key="{listed[0]["id"]}"] .status.failed').wait_for()
    refused = httpx.get(studio.base + "/auth/me", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401

    page.reload()
    page.wait_for_selector("body[data-ready=keys]")
    assert page.locator(".new-secret").count() == 0  # shown once, never again


def test_admin_sees_users_and_rotates_the_webhook_secret(page: sync_api.Page, studio: Studio) -> None:
    sign_in(page, studio)
    page.get_by_role("link", name="Users").click()
    page.wait_for_selector("body[data-ready=users]")
    page.get_by_label("Username").fill("reader")
    page.get_by_label("E-mail").fill("reader@example.com")
    page.get_by_label("Password", exact=True).fill("a long enough password 42")
    page.get_by_label("Role", exact=True).select_option("viewer")
    page.get_by_role("button", name="Add user").click()
    page.get_by_role("cell", name="reader@example.com").wait_for()
    assert any(u["username"] == "reader" for u in studio.api.get("/users").json()["users"])
    studio.screenshot(page, "users")

    page.get_by_role("link", name="Webhooks").click()
    page.wait_for_selector("body[data-ready=webhooks]")
    before = studio.api.get("/webhooks").json()["secret"]
    page.get_by_role("button", name="Show").click()
    assert page.locator(".secret-value").inner_text() == before
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Rotate").click()
    sync_api.expect(page.locator(".secret-value")).not_to_have_text(before)
    after = studio.api.get("/webhooks").json()["secret"]
    assert after != before and page.locator(".secret-value").inner_text() == after
    # A refused URL: the API's own message; then a real receiver, and a delivery to it.
    page.get_by_label("Endpoint URL").fill("http://10.0.0.1/hook")
    page.get_by_role("button", name="Save").click()
    assert "URL_NOT_ALLOWED" in page.get_by_role("alert").inner_text()
    receiver = Receiver()
    try:
        page.get_by_label("Endpoint URL").fill(receiver.url + "/hook")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Endpoint saved").wait_for()
        assert studio.api.get("/webhooks").json()["url"] == receiver.url + "/hook"
        init = studio.api.post(
            "/ingest/files/init",
            json={
                "name": "e.pdf",
                "size": 8,
                "type": "test.echo",
                "config": {"async": {"webhook": {"mode": "svix"}}},
            },
        ).json()
        assert httpx.put(init["presigned_url"], content=b"%PDF-1.4").status_code == 200
        studio.api.post("/ingest/files/complete", json={"job_id": init["job_id"]}).raise_for_status()
        for _ in range(100):
            if receiver.requests:
                break
            time.sleep(0.1)
        assert receiver.requests, "no delivery reached the receiver"
        time.sleep(0.5)  # the attempt is recorded once the receiver has answered
        page.reload()
        page.wait_for_selector("body[data-ready=webhooks]")
        delivered = page.locator("tbody tr", has_text=init["job_id"][:8])
        assert delivered.locator(".status").inner_text() == "delivered"
    finally:
        receiver.close()
    studio.screenshot(page, "webhooks")


def test_a_member_sees_no_admin_screen(page: sync_api.Page, studio: Studio) -> None:
    created = studio.api.post("/api-keys", json={"name": "member", "role": "member"}).json()
    page.goto(studio.base + "/studio/admin/keys")
    page.wait_for_selector("body[data-ready=signin]")
    page.get_by_label("API key", exact=True).fill(created["key"])
    page.get_by_role("button", name="Use this key").click()
    page.wait_for_selector("body[data-ready=parse]")  # the admin screen it asked for is not offered
    assert page.get_by_role("link", name="API keys").count() == 0
    assert page.get_by_role("link", name="Jobs").is_visible()
