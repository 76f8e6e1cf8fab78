"""Download a file another service points us at (a webhook's `result_url`) without trusting it:
http(s) only; public addresses only unless ZHIYI_WEBHOOK_ALLOW_PRIVATE_URLS; a size limit
checked while streaming; a per-read timeout and a total deadline; each redirect checked again.

A signed sender is still not allowed to make us read from the internal network, so the host is
resolved once, every address it resolves to must be public, and the connection goes to that
checked address (the Host header and TLS server name stay the original host), which leaves no
window for a DNS answer that changes between the check and the connection."""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

MAX_REDIRECTS = 3


class RemoteFileError(Exception):
    """The file could not be fetched. The message is shown to the user: plain and secret-free."""


async def fetch(url: str, *, max_bytes: int, timeout: float, allow_private: bool,
                total_timeout: float | None = None) -> bytes:
    """The body of a GET on `url` (status 200), at most `max_bytes` long. Raises RemoteFileError.

    Async: the webhook downloads in daphne's event loop, so a slow download does not hold the
    one thread in which a web process runs its sync views. `timeout` bounds each network step,
    `total_timeout` (default 4 × timeout) the whole download, so a trickle cannot last forever."""
    try:
        async with asyncio.timeout(total_timeout if total_timeout is not None else 4 * timeout):
            return await _fetch(url, max_bytes=max_bytes, timeout=timeout, allow_private=allow_private)
    except TimeoutError:
        raise RemoteFileError("The result download took too long.") from None


async def _fetch(url: str, *, max_bytes: int, timeout: float, allow_private: bool) -> bytes:
    async with httpx.AsyncClient(timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            target, headers, extensions = await _pin(url, allow_private=allow_private)
            try:
                async with client.stream("GET", target, headers=headers, extensions=extensions) as response:
                    if response.is_redirect and response.headers.get("location"):
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code != 200:
                        raise RemoteFileError(f"The result download answered HTTP {response.status_code}.")
                    return await _read_limited(response, max_bytes=max_bytes)
            except httpx.TimeoutException:
                raise RemoteFileError(f"The result download timed out (limit {timeout:g} s per read).") from None
            except httpx.HTTPError as exc:
                raise RemoteFileError(f"The result could not be downloaded ({type(exc).__name__}).") from None
    raise RemoteFileError(f"The result download redirected more than {MAX_REDIRECTS} times.")


async def _read_limited(response: httpx.Response, *, max_bytes: int) -> bytes:
    too_large = RemoteFileError(f"The result is larger than the {max_bytes / 1048576:g} MB limit.")
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    # Decoded bytes are counted, so a compressed body cannot expand past the limit either.
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


async def _pin(url: str, *, allow_private: bool) -> tuple[str, dict[str, str], dict[str, object]]:
    """Check `url` and return (URL to connect to, headers, httpx request extensions)."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise RemoteFileError("The result URL is not a valid URL.") from None
    if parts.scheme not in ("http", "https"):
        raise RemoteFileError("The result URL must start with http:// or https://.")
    host = parts.hostname
    if not host:
        raise RemoteFileError("The result URL has no host.")
    if allow_private:
        return url, {}, {}
    addresses = await _resolve(host, port)
    private = [a for a in addresses if not _is_public(a)]
    if private or not addresses:
        raise RemoteFileError(f"The result URL points at a non-public address ({host}); refused.")
    address = addresses[0]
    netloc = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    host_header = parts.netloc.rsplit("@", 1)[-1]
    extensions: dict[str, object] = {"sni_hostname": host} if parts.scheme == "https" else {}
    return target, {"Host": host_header}, extensions


async def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise RemoteFileError(f"The result host {host} could not be resolved.") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast
