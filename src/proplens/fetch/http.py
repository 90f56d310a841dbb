"""Fetch one HTML page: http(s) only, timeouts, a size limit, redirects followed by hand.

Each hop resolves the host once, checks the addresses (unless private ones are
allowed) and connects to the checked address itself, with the original host
name in the ``Host`` header and as the TLS server name, so a DNS answer that
changes between the check and the connection (DNS rebinding) cannot redirect
the request. Redirects are followed here, not by the client, so that every
hop is checked the same way.
"""

from __future__ import annotations

import ipaddress
import ssl
import time
from dataclasses import dataclass

import httpx

from proplens import __version__
from proplens.fetch.addresses import check_public, resolve
from proplens.fetch.errors import FetchError
from proplens.fetch.urls import redact_url

HTML_TYPES = ("text/html", "application/xhtml+xml")
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 10.0
    """Seconds for connecting and for each read."""
    total_timeout: float = 30.0
    """Seconds for the whole fetch, redirects and download included."""
    max_bytes: int = 5 * 1024 * 1024
    """Largest page body read."""
    max_redirects: int = 5
    allow_private: bool = False
    """Allow loopback, private and link-local addresses (a local tool, or tests)."""
    ca_file: str | None = None
    """PEM certificates to trust instead of the system's (a private CA, or tests)."""


@dataclass(frozen=True)
class Page:
    url: str
    """The URL asked for."""
    final_url: str
    """Where the page came from after redirects."""
    body: bytes


def fetch_page(url: str, limits: FetchLimits | None = None) -> Page:
    """The HTML body at ``url``, or one :class:`FetchError` saying what went wrong."""
    limits = limits or FetchLimits()
    deadline = time.monotonic() + limits.total_timeout
    current = _parse(url)
    timeout = httpx.Timeout(limits.timeout)
    verify = ssl.create_default_context(cafile=limits.ca_file) if limits.ca_file else True
    with httpx.Client(
        timeout=timeout, verify=verify, follow_redirects=False, trust_env=False
    ) as client:
        for _ in range(limits.max_redirects + 1):
            if time.monotonic() > deadline:
                raise FetchError("timeout", f"{url}: no page within {limits.total_timeout:g} s")
            response = _send(client, current, limits)
            try:
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    current = _parse(str(current.join(response.headers["location"])))
                    continue
                _check_response(response, current, limits)
                body = _read_body(response, current, limits, deadline)
            finally:
                response.close()
            return Page(url=url, final_url=str(current), body=body)
    raise FetchError("redirects", f"{url}: more than {limits.max_redirects} redirects")


def _parse(url: str) -> httpx.URL:
    shown = redact_url(url)  # every message below may reach a log or an API answer
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError) as err:
        reason = redact_url(str(err)) if shown == url else "malformed"
        raise FetchError("bad_url", f"{shown!r} is not a valid URL ({reason})") from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError("bad_url", f"{shown!r}: only http:// and https:// URLs can be fetched")
    if not parsed.host:
        raise FetchError("bad_url", f"{shown!r}: the URL has no host")
    if parsed.userinfo:
        raise FetchError("bad_url", f"{shown!r}: URLs with a user name or password are refused")
    return parsed


def _send(client: httpx.Client, url: httpx.URL, limits: FetchLimits) -> httpx.Response:
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = resolve(host, port)
    if not limits.allow_private:
        check_public(host, addresses)
    pinned = url.copy_with(host=str(addresses[0]))
    headers = {
        "Host": url.netloc.decode("ascii"),
        "User-Agent": f"proplens/{__version__} (+article analysis)",
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    }
    extensions = {"sni_hostname": host} if url.scheme == "https" and not _is_ip(host) else {}
    request = client.build_request("GET", pinned, headers=headers, extensions=extensions)
    try:
        return client.send(request, stream=True)
    except httpx.TimeoutException:
        raise FetchError("timeout", f"{url}: no answer within {limits.timeout:g} s") from None
    except httpx.HTTPError as err:
        raise FetchError("connect", f"{url}: cannot connect ({_reason(err)})") from None


def _check_response(response: httpx.Response, url: httpx.URL, limits: FetchLimits) -> None:
    if not 200 <= response.status_code < 300:
        raise FetchError(
            "http_status",
            f"{url}: the server answered {response.status_code} {response.reason_phrase}".rstrip(),
        )
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind and kind not in HTML_TYPES:
        raise FetchError("not_html", f"{url}: not an HTML page (Content-Type {kind})")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError("too_large", _too_large(url, limits))


def _read_body(
    response: httpx.Response, url: httpx.URL, limits: FetchLimits, deadline: float
) -> bytes:
    body = bytearray()
    try:
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > limits.max_bytes:
                raise FetchError("too_large", _too_large(url, limits))
            if time.monotonic() > deadline:
                raise FetchError(
                    "timeout", f"{url}: the page took over {limits.total_timeout:g} s to arrive"
                )
    except httpx.TimeoutException:
        raise FetchError(
            "timeout", f"{url}: the page stopped arriving for {limits.timeout:g} s"
        ) from None
    except httpx.HTTPError as err:
        raise FetchError("connect", f"{url}: the download failed ({_reason(err)})") from None
    return bytes(body)


def _too_large(url: httpx.URL, limits: FetchLimits) -> str:
    return f"{url}: the page is larger than the limit of {limits.max_bytes:,} bytes"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _reason(err: Exception) -> str:
    return str(err) or type(err).__name__
