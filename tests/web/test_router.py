"""The Studio's page and assets as the service serves them: strict CSP, caching, a whole module graph."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import httpx

from docuforge.web.router import STATIC, content_security_policy, digest
from tests.conftest import make_settings

IMPORT = re.compile(r"""(?:^|\n)\s*import\s[^;]*?from\s+"(\.[^"]+)"|import\(\s*"(\.[^"]+)"\s*\)""")
SCREEN_MODULE = re.compile(r'module:\s*"(\./[^"]+)"')


class Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline: list[str] = []
        self.links: list[str] = []
        self.styled: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if "style" in named or any(name.startswith("on") for name in named):
            self.styled.append(tag)
        if tag == "script":
            self.scripts.append(named)
            self._in_script = True
        if tag == "link" and named.get("href"):
            self.links.append(str(named["href"]))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(data)


async def test_every_screen_address_serves_the_page_under_a_strict_policy(client: httpx.AsyncClient) -> None:
    assert (await client.get("/studio")).headers["location"] == "/studio/"
    for path in ("/studio/", "/studio/parse", "/studio/admin/keys"):
        page = await client.get(path)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        policy = page.headers["content-security-policy"]
        assert (
            "script-src 'self';" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
        )
        assert page.headers["cache-control"] == "no-cache"
    parsed = Scripts()
    parsed.feed(page.text)
    assert parsed.inline == [] and parsed.styled == []
    assert all(script.get("src") and script.get("type") == "module" for script in parsed.scripts)
    assert "{{" not in page.text

    again = await client.get("/studio/jobs", headers={"if-none-match": page.headers["etag"]})
    assert again.status_code == 304


async def test_assets_are_immutable_under_their_digest_and_complete(client: httpx.AsyncClient) -> None:
    page = await client.get("/studio/")
    parsed = Scripts()
    parsed.feed(page.text)
    prefix = f"/studio/assets/{digest()}/"
    referenced = [str(s["src"]) for s in parsed.scripts] + parsed.links
    assert referenced and all(url.startswith(prefix) for url in referenced)
    for url in referenced:
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    script = await client.get(prefix + "app.js")
    assert script.headers["content-type"].startswith("text/javascript")

    stale = await client.get("/studio/assets/0123456789abcdef/app.js")
    assert stale.status_code == 200 and stale.headers["cache-control"] == "no-cache"
    for bad in ("../router.py", "%2e%2e/router.py", "index.html", "nothing.js"):
        assert (await client.get(prefix + bad)).status_code == 404, bad


def test_every_module_the_studio_imports_exists() -> None:
    """Relative imports and the screens' lazy modules all resolve: no module 404s in a browser."""
    modules = sorted(STATIC.rglob("*.js"))
    assert modules
    for module in modules:
        text = module.read_text()
        targets = [a or b for a, b in IMPORT.findall(text)]
        for target in targets:
            assert (module.parent / target).resolve().is_file(), f"{module.name} imports missing {target}"
    registry = (STATIC / "screens" / "registry.js").read_text()
    for target in SCREEN_MODULE.findall(registry):
        # app.js imports the screens, so their paths are relative to it.
        assert (STATIC / target).resolve().is_file(), target


def test_the_policy_lets_the_page_read_signed_urls_of_the_blob_store(tmp_path: Path) -> None:
    local = content_security_policy(make_settings(tmp_path))
    assert "connect-src 'self';" in local
    minio = make_settings(
        tmp_path,
        storage={"backend": "s3", "s3": {"endpoint_url": "http://minio:9000/", "public_endpoint_url": None}},
    )
    assert "connect-src 'self' http://minio:9000;" in content_security_policy(minio)
    aws = make_settings(tmp_path, storage={"backend": "s3", "s3": {"bucket": "docs", "region": "eu-west-1"}})
    assert "https://docs.s3.eu-west-1.amazonaws.com" in content_security_policy(aws)
