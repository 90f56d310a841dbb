"""Who may ask: the Host names the server answers to and the web origins it serves.

A server on 127.0.0.1 without an API key is reachable from every web page the
user opens, in two ways this module closes:

* **DNS rebinding.** A page at ``http://attacker.example:8000`` points its own
  name at 127.0.0.1; the browser then takes the server for the attacker's origin
  and lets the page read every answer, stored analyses included. Such requests
  still say ``Host: attacker.example``, so the server answers only to the Host
  names it knows (:class:`HostRule`): loopback names, plus what ``--allowed-host``
  adds; a server bound to another address also answers to IP literals and this
  machine's own names (an IP literal cannot be rebound: the browser connected to
  exactly that address).
* **Cross-site requests.** Any page can make the browser send a form POST (or a
  fetch whose answer it never reads) to the server. Requests that change state,
  and reads of stored analyses, are refused unless they come from the server's
  own page (same origin, or no browser context at all, as from curl) or from an
  origin the server was told to trust (``--trust-origin``, e.g. the browser
  extension); trusted origins get CORS headers so they can read the answers.

Refusals are JSON (``{"error", "message"}``) and happen before the body is read,
so a refused upload is never parsed, analysed or stored.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from proplens.errors import InputError
from proplens.server.middleware import send_json_error

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
ANY_HOST = "*"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PRIVATE_READS = ("/v1/analyses",)
"""GET paths whose answers hold stored articles: refused to other origins like writes."""
CORS_METHODS = "GET, POST, DELETE"
CORS_HEADERS = "Authorization, Content-Type"  # the API key travels as 'Authorization: Bearer'
CORS_MAX_AGE = "600"

_HOST_NAME = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$")
_ORIGIN = re.compile(r"^([a-z][a-z0-9+.-]*)://([^/?#@\s]+)$")


# -- the values users give ------------------------------------------------------------------


def split_env(value: str | None) -> list[str]:
    """The comma-separated entries of an environment variable (blanks ignored)."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def parse_allowed_host(raw: str) -> str:
    """A ``--allowed-host`` value, normalised (lower case, no brackets), or one line why not."""
    value = raw.strip().lower().rstrip(".")
    if value == ANY_HOST:
        return value
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    if _is_ip(value) or _HOST_NAME.match(value):
        return value
    hint = ""
    if "://" in value or "/" in value or ":" in value:
        hint = " (give the name alone: no scheme, port or path)"
    raise InputError(f"--allowed-host {raw!r} is not a host name or IP address{hint}")


def parse_trusted_origin(raw: str) -> str:
    """A ``--trust-origin`` value as browsers send it (``scheme://host[:port]``), or why not."""
    value = raw.strip().rstrip("/").lower()
    match = _ORIGIN.match(value)
    if value in ("null", "*") or match is None:
        raise InputError(
            f"--trust-origin {raw!r} is not an origin: give scheme://host[:port] with no path, "
            "e.g. chrome-extension://<id>, moz-extension://<uuid> or http://localhost:3000"
        )
    return _without_default_port(value)


# -- which Host names a server answers to ---------------------------------------------------


@dataclass(frozen=True)
class HostRule:
    """The Host header names a server accepts (compared without port, case-insensitively)."""

    names: frozenset[str] = LOOPBACK_NAMES
    ip_literals: bool = False
    """Accept any IP address as Host (servers bound off loopback: no rebinding through IPs)."""
    any_host: bool = False

    @classmethod
    def for_bind(cls, bind_host: str, extra: Iterable[str] = ()) -> HostRule:
        """The rule for a server bound to ``bind_host`` (see the module docstring)."""
        from proplens.server.auth import is_loopback

        extra = frozenset(parse_allowed_host(h) for h in extra)
        if ANY_HOST in extra:
            return cls(any_host=True)
        names = set(LOOPBACK_NAMES | extra)
        if is_loopback(bind_host):
            return cls(frozenset(names))
        names.add(bind_host.strip("[]").lower())
        for own in (socket.gethostname(), socket.getfqdn()):
            if own:
                names.add(own.lower().rstrip("."))
        return cls(frozenset(names), ip_literals=True)

    def accepts(self, host: str | None) -> bool:
        if self.any_host:
            return True
        if host is None:
            return False
        if host in self.names:
            return True
        if _is_ip(host):
            return self.ip_literals or ipaddress.ip_address(host).is_loopback
        return False


def host_name(header: str) -> str | None:
    """The name in a Host header (``name``, ``name:port``, ``[v6]:port``), or None if malformed."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        name, rest = header[1:end], header[end + 1 :]
        if end < 0 or not _is_ip(name):
            return None
    else:
        name, colon, port = header.partition(":")
        rest = colon + port
    if rest and not (rest.startswith(":") and rest[1:].isdigit()):
        return None
    name = name.rstrip(".")
    return name or None


# -- the middleware -------------------------------------------------------------------------


@dataclass
class OriginGuard:
    """ASGI middleware applying the Host rule, the origin rule and CORS for trusted origins.

    ``hosts`` None skips the Host check (an app embedded behind its own proxy, or
    Starlette's test client); ``proplens serve`` always passes one.
    """

    app: ASGIApp
    hosts: HostRule | None = None
    trusted: frozenset[str] = field(default_factory=frozenset)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        raw_host = headers.get("host", "")
        if self.hosts is not None and not self.hosts.accepts(host_name(raw_host)):
            await send_json_error(send, 421, "unknown_host", _host_message(raw_host))
            return
        origin = headers.get("origin")
        if origin is not None:
            origin = _without_default_port(origin.lower())
        trusted = origin in self.trusted
        allowed = trusted or (origin is not None and origin == _own_origin(scope, raw_host))
        if _is_preflight(scope, origin, headers):
            await self._preflight(send, origin, allowed, headers)
            return
        if not allowed and _guarded(scope) and _from_elsewhere(origin, headers):
            await send_json_error(send, 403, "cross_origin", _origin_message(origin))
            return
        await self.app(scope, receive, _with_cors(send, origin) if trusted else send)

    async def _preflight(self, send: Send, origin: str, allowed: bool, headers: dict) -> None:
        if not allowed:
            await send_json_error(send, 403, "cross_origin", _origin_message(origin))
            return
        answer = [
            (b"access-control-allow-origin", origin.encode()),
            (b"access-control-allow-methods", CORS_METHODS.encode()),
            (b"access-control-allow-headers", CORS_HEADERS.encode()),
            (b"access-control-max-age", CORS_MAX_AGE.encode()),
            (b"vary", b"Origin"),
            (b"content-length", b"0"),
        ]
        if headers.get("access-control-request-private-network") == "true":
            answer.append((b"access-control-allow-private-network", b"true"))
        await send({"type": "http.response.start", "status": 204, "headers": answer})
        await send({"type": "http.response.body", "body": b""})


def _is_preflight(scope: Scope, origin: str | None, headers: dict[str, str]) -> bool:
    return (
        scope["method"] == "OPTIONS"
        and origin is not None
        and "access-control-request-method" in headers
    )


def _guarded(scope: Scope) -> bool:
    """Whether the request changes state or reads stored articles."""
    return scope["method"] not in SAFE_METHODS or scope["path"].startswith(PRIVATE_READS)


def _with_cors(send: Send, origin: str) -> Send:
    async def send_with_cors(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {
                **message,
                "headers": list(message.get("headers", []))
                + [
                    (b"access-control-allow-origin", origin.encode()),
                    (b"access-control-expose-headers", b"Retry-After"),
                    (b"vary", b"Origin"),
                ],
            }
        await send(message)

    return send_with_cors


def _from_elsewhere(origin: str | None, headers: dict[str, str]) -> bool:
    """Whether a request not from our own origin came from a web page at all.

    With no Origin header (curl, scripts, old browsers' GETs) only
    ``Sec-Fetch-Site`` can say a page elsewhere sent it.
    """
    if origin is not None:
        return True
    return headers.get("sec-fetch-site") in ("cross-site", "same-site")


def _own_origin(scope: Scope, raw_host: str) -> str:
    return _without_default_port(f"{scope.get('scheme', 'http')}://{raw_host.strip().lower()}")


def _without_default_port(origin: str) -> str:
    for scheme, port in (("http://", ":80"), ("https://", ":443")):
        if origin.startswith(scheme) and origin.endswith(port):
            return origin[: -len(port)]
    return origin


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _shown(value: str) -> str:
    return repr(value if len(value) <= 80 else value[:80] + "…")


def _host_message(raw_host: str) -> str:
    return (
        f"this server does not answer to Host {_shown(raw_host)} (a defence against DNS "
        "rebinding); if that name really is this machine, start the server with "
        "--allowed-host NAME"
    )


def _origin_message(origin: str | None) -> str:
    where = _shown(origin) if origin is not None else "another site"
    return (
        f"cross-origin request from {where} refused: only the server's own page and trusted "
        "origins may change data or read stored analyses (start the server with "
        "--trust-origin ORIGIN to trust one)"
    )
