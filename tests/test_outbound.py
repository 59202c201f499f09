"""The SSRF guard on every outbound request: URL inputs and webhooks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from docuforge import outbound
from docuforge.errors import PayloadTooLarge
from tests.fixtures.processes import Receiver

LOCAL = ["127.0.0.1/32"]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://example.com/",
        "ftp://example.com/a.pdf",
        "http:///nohost",
        "http://127.0.0.1/",
        "http://127.1/",
        "http://localhost:8000/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.0.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://no-such-host.invalid/",
    ],
)
async def test_forbidden_targets(url: str) -> None:
    with pytest.raises(outbound.UrlNotAllowed):
        await outbound.resolve(url)


async def test_public_addresses_pass_and_the_allowlist_opens_private_ones() -> None:
    target = await outbound.resolve("http://93.184.216.34/doc.pdf")
    assert str(target.address) == "93.184.216.34"
    assert str((await outbound.resolve("http://127.0.0.1:9/x", LOCAL)).address) == "127.0.0.1"
    assert (await outbound.resolve("http://localhost:9/x", ["localhost"])).host == "localhost"
    with pytest.raises(outbound.UrlNotAllowed):
        await outbound.resolve("http://127.0.0.2/", LOCAL)


async def test_the_connection_goes_to_the_checked_address(receiver: Receiver) -> None:
    # "localhost" is checked once, then the request goes to 127.0.0.1 with the original Host.
    async with outbound.stream_get(
        f"http://localhost:{receiver.port}/doc", allowlist=["localhost"]
    ) as response:
        assert response.status_code == 200
    _, path, headers, _ = receiver.requests[-1]
    assert path == "/doc" and headers["Host"] == f"localhost:{receiver.port}"


async def test_redirects_are_checked_too(receiver: Receiver) -> None:
    receiver.routes["/to-metadata"] = (302, {"Location": "http://169.254.169.254/latest/"}, b"")
    receiver.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    receiver.routes["/hop"] = (301, {"Location": "/doc"}, b"")
    receiver.routes["/doc"] = (200, {}, b"%PDF-1.4 fine")
    with pytest.raises(outbound.UrlNotAllowed):
        async with outbound.stream_get(receiver.url + "/to-metadata", allowlist=LOCAL):
            pass
    with pytest.raises(outbound.UrlNotAllowed, match="redirects"):
        async with outbound.stream_get(receiver.url + "/loop", allowlist=LOCAL, max_redirects=3):
            pass
    async with outbound.stream_get(receiver.url + "/hop", allowlist=LOCAL) as response:
        assert [chunk async for chunk in outbound.read_limited(response, 1000)] == [b"%PDF-1.4 fine"]


async def test_size_limit_and_error_statuses(receiver: Receiver) -> None:
    receiver.routes["/big"] = (200, {}, b"x" * 5000)
    receiver.routes["/missing"] = (404, {}, b"no")
    receiver.routes["/broken"] = (503, {}, b"down")
    async with outbound.stream_get(receiver.url + "/big", allowlist=LOCAL) as response:
        with pytest.raises(PayloadTooLarge):
            async for _ in outbound.read_limited(response, 1000):
                pass
    with pytest.raises(outbound.UrlUnavailable):
        async with outbound.stream_get(receiver.url + "/missing", allowlist=LOCAL):
            pass
    with pytest.raises(outbound.FetchFailed) as caught:
        async with outbound.stream_get(receiver.url + "/broken", allowlist=LOCAL):
            pass
    assert caught.value.transient
