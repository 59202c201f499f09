"""The Studio in a real browser, against a running service: signing in, the parse playground,
jobs and the admin screens.

Screenshots of each screen go to $DOCUFORGE_TEST_SCREENSHOTS when it is set (the README's come
from `DOCUFORGE_TEST_SCREENSHOTS=docs/screenshots pytest tests/web`), else to a temporary folder.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import httpx
import pytest

from tests.fixtures.processes import Receiver
from tests.fixtures.studio import PHONE, REPORT, Studio, pdf_file, sign_in

pytestmark = pytest.mark.slow
sync_api = pytest.importorskip("playwright.sync_api", reason="the test extra installs playwright")


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
    page.set_input_files("input[type=file]", files=pdf_file("report.pdf", REPORT))
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

    # A finished job opens on the screen of its kind.
    upload = studio.api.post("/upload", files={"file": ("r.pdf", REPORT, "application/pdf")}).json()
    done = studio.api.post("/parse", json={"input": upload["file_id"]}, timeout=120).json()["job_id"]
    page.get_by_label("Status").select_option("Completed")
    page.get_by_role("button", name=f"Open the result of job {done}").click()
    page.wait_for_selector("body[data-ready=parse]", state="attached")
    page.wait_for_selector(".page.shown")
    assert f"job={done}" in page.url


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


# Every form control has a label, every button a name, and at a phone's width nothing is wider
# than the screen: checked on each screen as it first draws.
AUDIT = """() => {
  const unnamed = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden') continue;
    const labelled = el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!labelled) unnamed.push(el.outerHTML.slice(0, 80));
  }
  for (const el of document.querySelectorAll('button, a[href]')) {
    const name = (el.getAttribute('aria-label') || el.textContent || el.title || '').trim();
    if (!name) unnamed.push(el.outerHTML.slice(0, 80));
  }
  return {unnamed, overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""
SCREENS = {
    "/studio/parse": "parse",
    "/studio/extract": "extract",
    "/studio/split": "split",
    "/studio/classify": "classify",
    "/studio/fill": "fill",
    "/studio/workspaces": "workspaces",
    "/studio/statements": "statements",
    "/studio/logs": "logs",
    "/studio/jobs": "jobs",
    "/studio/admin/users": "users",
    "/studio/admin/keys": "keys",
    "/studio/admin/webhooks": "webhooks",
}


def test_every_screen_is_labelled_and_fits_a_phone(page: sync_api.Page, studio: Studio) -> None:
    sign_in(page, studio)
    # Each screen takes the focus as it opens; from the top of the page, the skip link comes first.
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("document.querySelector('a[href], button, input').className") == "skip"
    for size in (None, PHONE):
        if size:
            page.set_viewport_size(size)
        for path, screen in SCREENS.items():
            page.goto(studio.base + path)
            page.wait_for_selector(f"body[data-ready={screen}]", state="attached")
            found = page.evaluate(AUDIT)
            assert found["unnamed"] == [], (path, found["unnamed"])
            if size:
                assert found["overflow"] <= 0, (path, found["overflow"])
