"""ASGI middleware: a hard request-body limit and security headers on every answer.

The body limit reads the request before the app sees it, so an oversized
upload is refused with a 413 JSON answer whether or not it declared its
Content-Length, and never reaches the form parser or the model. A body that
does not arrive within ``read_timeout`` seconds is refused with 408 and its
connection closed, so clients that never finish cannot hold the server.
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Swagger UI and ReDoc come from this server (fastapi-offline bundles them); their
# pages start them with an inline script and ReDoc runs a worker from a blob.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")


async def send_json_error(send: Send, status: int, error: str, message: str) -> None:
    body = json.dumps({"error": error, "message": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse request bodies larger than ``max_bytes`` with 413, before the app runs."""

    def __init__(self, app: ASGIApp, max_bytes: int, read_timeout: float | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await send_json_error(send, 413, "too_large", self._message(declared))
            return
        body = bytearray()
        more = True
        deadline = None if self.read_timeout is None else _now() + self.read_timeout
        while more:
            try:
                message = await asyncio.wait_for(receive(), _left(deadline))
            except TimeoutError:
                await send_json_error(send, 408, "timeout", self._slow_message())
                return
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                await send_json_error(send, 413, "too_large", self._message(None))
                return
        await self.app(scope, _replay(bytes(body), receive), send)

    def _message(self, size: int | None) -> str:
        what = f"{size:,} bytes, over" if size is not None else "over"
        return (
            f"request body is {what} the limit of {self.max_bytes:,} bytes "
            "(start the server with a larger --max-bytes to accept it)"
        )

    def _slow_message(self) -> str:
        return (
            f"the request body did not arrive within {self.read_timeout:g} s "
            "(the server's --read-timeout)"
        )


def _now() -> float:
    return asyncio.get_running_loop().time()


def _left(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - _now())


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class SecurityHeaders:
    """Add CSP, nosniff, no-referrer and frame denial to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"].startswith(DOCS_PATHS) else PAGE_CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
