"""A small web site on 127.0.0.1 for the URL tests: articles, redirects, errors, slow pages."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>Harbour deal passes</title></head>
<body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article>
<h1>Harbour deal passes</h1>
<p>The so-called experts at the town hall backed a disastrous plan on Tuesday, selling the
old harbour to a mainland developer after a debate that lasted less than an hour.</p>
<p>Residents who packed the public gallery said the decision would gut the heart of the
community, and several shouted "never again" as the vote was read out. The mayor refused to
publish the contract, saying it contained commercially sensitive details.</p>
<p>Opponents have promised to take the matter to the regional court before the sale
completes in the spring, and a petition against the deal has gathered four thousand names.</p>
</article>
<footer>Copyright the Island Gazette. All rights reserved.</footer>
</body></html>
"""

seen_hosts: list[str] = []
"""The Host header of every request, to check that pinned connections keep the name."""


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        seen_hosts.append(self.headers.get("Host", ""))
        path = self.path.split("?")[0]
        if path == "/article.html":
            self._answer(200, "text/html; charset=utf-8", ARTICLE_HTML.encode())
        elif path == "/redirect":
            self._redirect("/article.html")
        elif path.startswith("/to/"):  # /to/<absolute URL>: redirect anywhere
            self._redirect(self.path[len("/to/") :])
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/big.html":
            self._answer(200, "text/html", b"<html><body><p>" + b"word " * 40_000 + b"</p>")
        elif path == "/chunked-big.html":  # no Content-Length: the limit must hold while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(50):
                    self.wfile.write(b"<p>" + b"word " * 1000 + b"</p>\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading at its size limit: expected
        elif path == "/plain.txt":
            self._answer(200, "text/plain", b"Just text.")
        elif path == "/empty.html":
            self._answer(200, "text/html", b"<html><head></head><body></body></html>")
        elif path == "/slow.html":
            time.sleep(3)
            self._answer(200, "text/html", ARTICLE_HTML.encode())
        else:
            self._answer(404, "text/html", b"<html><body>Not found</body></html>")

    def _answer(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (size limit): expected

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:  # quiet
        pass


@contextmanager
def serving_pages(tls: ssl.SSLContext | None = None) -> Iterator[str]:
    """Run the site on 127.0.0.1 (a free port) for the block; yield its base URL.

    With ``tls`` (a server context holding a certificate) it speaks HTTPS.
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    server.daemon_threads = True
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        scheme = "https" if tls is not None else "http"
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
