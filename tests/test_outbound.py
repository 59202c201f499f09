"""The SSRF guard on every outbound request: URL inputs and webhooks."""

from __future__ import annotations

import ipaddress
import socket
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


# Each IPv6 form that embeds an IPv4 address is judged by that address; reserved space is refused whole.
ADDRESSES = [
    ("8.8.8.8", True),
    ("2606:4700:4700::1111", True),
    ("::ffff:8.8.8.8", True),  # IPv4-mapped, public inside
    ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8 (an IPv6-only network's DNS64 answer)
    ("2002:808:808::1", True),  # 6to4 of 8.8.8.8
    ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", True),  # Teredo: server 65.54.227.120, client 8.8.8.8
    ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
    ("::ffff:0:7f00:1", False),  # IPv4-translated loopback
    ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
    ("64:ff9b::a9fe:a9fe", False),  # NAT64 of the metadata service
    ("64:ff9b:1::808:808", False),  # local-use NAT64
    ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
    ("2002:a9fe:a9fe::1", False),  # 6to4 of 169.254.169.254
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # Teredo, client 127.0.0.1 (obfuscated)
    ("2001:0:a00:1:8000:63bf:f7f7:f7f7", False),  # Teredo, server 10.0.0.1
    ("::7f00:1", False),  # IPv4-compatible loopback
    ("::808:808", False),  # IPv4-compatible: deprecated, never plainly public
    ("fec0::1", False),  # site-local
    ("fd00::1", False),  # unique-local
    ("fe80::1", False),  # link-local
    ("ff02::1", False),  # multicast
    ("ff0e::1", False),  # global-scope multicast
    ("::", False),
    ("::1", False),
    ("100::1", False),  # discard-only
    ("2001:db8::1", False),  # documentation
    ("3fff::1", False),  # documentation
    ("2001:2::1", False),  # benchmarking
    ("5f00::1", False),  # outside global unicast
    ("224.0.0.251", False),
    ("233.252.0.1", False),  # multicast that is_global calls global
    ("192.0.0.9", False),
    ("192.88.99.1", False),
    ("198.18.0.1", False),
    ("240.0.0.1", False),
    ("255.255.255.255", False),
    ("0.1.2.3", False),
]


@pytest.mark.parametrize(("address", "public"), ADDRESSES)
async def test_only_plainly_public_unicast_passes(address: str, public: bool) -> None:
    url = f"http://[{address}]/x.pdf" if ":" in address else f"http://{address}/x.pdf"
    if public:
        assert (await outbound.resolve(url)).address == ipaddress.ip_address(address)
    else:
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


@pytest.mark.parametrize("hidden", ["[64:ff9b::a9fe:a9fe]", "[2002:7f00:1::]", "[::7f00:1]", "[fec0::1]"])
async def test_embedded_private_addresses_are_refused_on_redirects_and_webhooks(
    receiver: Receiver, hidden: str
) -> None:
    receiver.routes["/hop"] = (302, {"Location": f"http://{hidden}/latest/"}, b"")
    with pytest.raises(outbound.UrlNotAllowed):
        async with outbound.stream_get(receiver.url + "/hop", allowlist=LOCAL):
            pass
    with pytest.raises(outbound.UrlNotAllowed):
        await outbound.post(f"http://{hidden}/hook", b"{}", {}, allowlist=LOCAL)
    assert [path for _, path, _, _ in receiver.requests] == ["/hop"]


async def test_a_dead_url_fails_at_once_and_is_not_worth_retrying() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, never listening: the connection is refused
        with pytest.raises(outbound.UrlUnavailable) as caught:
            async with outbound.stream_get(f"http://127.0.0.1:{port}/doc.pdf", allowlist=LOCAL):
                pass
    assert not caught.value.transient and caught.value.status_code == 400
