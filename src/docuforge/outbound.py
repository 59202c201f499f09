"""Outbound HTTP that cannot be turned against the network it runs in (SSRF).

Every request, and every redirect it follows, is checked the same way: http or https only; the
host is resolved once; every address it resolves to must be public unless the allowlist names the
host or its network; and the connection goes to the address that was checked (the hostname travels
in the Host header and TLS SNI), so a DNS answer that changes between check and use (rebinding)
cannot redirect it. Used for URL inputs and webhook deliveries.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from docuforge.errors import DocuforgeError, ErrorCode, PayloadTooLarge

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UrlNotAllowed(DocuforgeError):
    status_code = 400
    code = ErrorCode.URL_NOT_ALLOWED


class UrlUnavailable(DocuforgeError):
    """The remote end refused (4xx, or no connection at all): retrying will not help."""

    status_code = 400
    code = ErrorCode.INVALID_REQUEST


class FetchFailed(DocuforgeError):
    """The remote end failed (5xx, reset, timeout): worth retrying."""

    status_code = 502
    code = ErrorCode.PROCESSING_FAILED
    transient = True


@dataclass(frozen=True, slots=True)
class Target:
    url: str
    host: str
    address: IPAddress


def _allowed_by_list(host: str, address: IPAddress, allowlist: Sequence[str]) -> bool:
    for entry in allowlist:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            if host.lower() == entry.lower().rstrip("."):
                return True
    return False


# Ranges Python's is_global (3.11) still calls global, or that carry no public host of their own.
_V4_NOT_PUBLIC = tuple(
    ipaddress.IPv4Network(net)
    for net in (
        "0.0.0.0/8",  # "this network"
        "192.0.0.0/24",  # IETF protocol assignments
        "192.88.99.0/24",  # 6to4 relay anycast
        "198.18.0.0/15",  # benchmarking
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
    )
)
_V6_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
_V6_NOT_PUBLIC = tuple(
    ipaddress.IPv6Network(net)
    for net in (
        "2001::/23",  # IETF protocol assignments (Teredo is unwrapped before this)
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
    )
)
# Forms that carry an IPv4 address in their last 32 bits and reach it when connected to.
_V6_EMBEDDING_V4 = tuple(
    ipaddress.IPv6Network(net)
    for net in (
        "::ffff:0:0/96",  # IPv4-mapped
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
        "64:ff9b::/96",  # NAT64 well-known prefix
    )
)


def _public_v4(address: ipaddress.IPv4Address) -> bool:
    return address.is_global and not any(address in net for net in _V4_NOT_PUBLIC)


def _public(address: IPAddress) -> bool:
    """Plainly public unicast, judged on the IPv4 address inside any IPv6 form that embeds one."""
    if isinstance(address, ipaddress.IPv4Address):
        return _public_v4(address)
    if any(address in net for net in _V6_EMBEDDING_V4):
        return _public_v4(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    if address.teredo is not None:
        # Teredo: the server and the client's (obfuscated) address both reach IPv4 hosts.
        server, teredo_client = address.teredo
        return _public_v4(server) and _public_v4(teredo_client)
    if address.sixtofour is not None:
        return _public_v4(address.sixtofour)
    # Everything else outside 2000::/3 is refused whole: IPv4-compatible ::a.b.c.d, local-use NAT64
    # 64:ff9b:1::/48, site-local fec0::/10, unique-local, link-local, multicast, loopback, unspecified.
    return (
        address in _V6_GLOBAL_UNICAST
        and address.is_global
        and not address.is_site_local
        and not any(address in net for net in _V6_NOT_PUBLIC)
    )


async def resolve(url: str, allowlist: Sequence[str] = ()) -> Target:
    """Check a URL and pick the address to connect to; UrlNotAllowed says why not."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UrlNotAllowed(f"only http and https URLs are fetched, not {parts.scheme or 'a bare path'!r}")
    host = parts.hostname
    if not host:
        raise UrlNotAllowed("the URL has no host")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        literal = ipaddress.ip_address(host)
        addresses = [literal]
    except ValueError:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror:
            raise UrlNotAllowed(f"the host {host!r} does not resolve") from None
        addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not addresses:
        raise UrlNotAllowed(f"the host {host!r} does not resolve")
    # Every address must pass: a name resolving to one public and one private address is refused.
    for address in addresses:
        if not _public(address) and not _allowed_by_list(host, address, allowlist):
            raise UrlNotAllowed(f"{host!r} resolves to a private, loopback, link-local or reserved address")
    return Target(url=url, host=host, address=addresses[0])


def _pinned(target: Target) -> tuple[str, dict[str, str], dict[str, str]]:
    """The URL rewritten to the checked address, with the Host header and SNI of the original."""
    parts = urlsplit(target.url)
    netloc = f"[{target.address}]" if target.address.version == 6 else str(target.address)
    if parts.port:
        netloc += f":{parts.port}"
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    host_header = parts.hostname or ""
    if parts.port:
        host_header += f":{parts.port}"
    return pinned, {"Host": host_header}, {"sni_hostname": target.host} if parts.scheme == "https" else {}


def client(timeout: float) -> httpx.AsyncClient:
    # trust_env off: a proxy from the environment would connect on our behalf, unchecked.
    return httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False)


@asynccontextmanager
async def stream_get(
    url: str, *, allowlist: Sequence[str] = (), timeout: float = 60.0, max_redirects: int = 5
) -> AsyncIterator[httpx.Response]:
    """GET url, following redirects through the same checks; yields the streaming final response."""
    async with client(timeout) as http:
        current = url
        for _ in range(max_redirects + 1):
            target = await resolve(current, allowlist)
            pinned, headers, extensions = _pinned(target)
            request = http.build_request("GET", pinned, headers=headers, extensions=extensions)
            try:
                response = await http.send(request, stream=True)
            except httpx.ConnectError:
                # Nothing listens there (refused, unreachable, no TLS): the URL is dead, and
                # trying again in a few seconds would meet the same answer.
                raise UrlUnavailable(f"could not connect to {target.host} for the document URL") from None
            except httpx.HTTPError as exc:
                raise FetchFailed(f"could not fetch {target.host}: {type(exc).__name__}") from None
            if response.is_redirect:
                location = response.headers.get("location", "")
                await response.aclose()
                current = urljoin(current, location)
                continue
            try:
                if response.status_code >= 500:
                    raise FetchFailed(f"{target.host} answered {response.status_code}")
                if response.status_code >= 400:
                    raise UrlUnavailable(
                        f"{target.host} answered {response.status_code} for the document URL"
                    )
                yield response
            finally:
                await response.aclose()
            return
        raise UrlNotAllowed(f"more than {max_redirects} redirects")


async def read_limited(response: httpx.Response, max_bytes: int) -> AsyncIterator[bytes]:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(f"the document at the URL is larger than {max_bytes} bytes")
    total = 0
    try:
        async for chunk in response.aiter_bytes():
            total += len(chunk)
            if total > max_bytes:
                raise PayloadTooLarge(f"the document at the URL is larger than {max_bytes} bytes")
            yield chunk
    except httpx.HTTPError as exc:
        raise FetchFailed(f"the download broke off: {type(exc).__name__}") from None


async def post(
    url: str, content: bytes, headers: dict[str, str], *, allowlist: Sequence[str] = (), timeout: float = 10.0
) -> httpx.Response:
    """POST without following redirects (a webhook receiver answers where it is)."""
    target = await resolve(url, allowlist)
    pinned, host, extensions = _pinned(target)
    async with client(timeout) as http:
        request = http.build_request(
            "POST", pinned, content=content, headers={**headers, **host}, extensions=extensions
        )
        return await http.send(request)
