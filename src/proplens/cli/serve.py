"""``proplens serve``: the web page and the JSON API in one process.

The port is bound first (a port in use is one line and exit 2), then the model
is loaded once, so a missing or broken model is reported as one line and a
non-zero exit, not as a server that answers 500; "serving on" is printed only
then. The server binds to loopback unless ``--host`` says otherwise; off
loopback, a server with ``--store`` needs an API key (or an explicit ``--insecure``).
It answers only to known Host names and trusted origins (server/origins.py), and
bounds its queue, its analyses' time and its connections (server/jobs.py, limits.py).
"""

from __future__ import annotations

import argparse
import errno
import os
import socket

from proplens.article import DEFAULT_MAX_BYTES
from proplens.cli._common import missing_extra_message
from proplens.errors import InputError, ProplensError
from proplens.server.jobs import DEFAULT_MAX_QUEUE, DEFAULT_TIMEOUT
from proplens.server.limits import DEFAULT_MAX_CONNECTIONS, DEFAULT_READ_TIMEOUT, ConnectionLimits
from proplens.thresholds import parse_threshold

API_KEY_ENV = "PROPLENS_API_KEY"
ALLOWED_HOSTS_ENV = "PROPLENS_ALLOWED_HOSTS"
TRUST_ORIGINS_ENV = "PROPLENS_TRUST_ORIGINS"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="start the web page and the JSON API",
        description="Start the proplens web page and JSON API (docs at /docs).",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default: 127.0.0.1, this machine only)",
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="port (default: 8000; 0: any free one)"
    )
    parser.add_argument(
        "--store",
        metavar="PATH",
        help="keep analyses in this SQLite file so links to them can be shared",
    )
    parser.add_argument("--model", metavar="DIR", help="model directory (default: the shipped one)")
    parser.add_argument(
        "--threshold",
        type=_unit_float,
        metavar="T",
        help="default confidence threshold in [0, 1] (default: the model's)",
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"largest request body accepted (default: {DEFAULT_MAX_BYTES:,})",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="analyses run at the same time (default: CPU count, at most 4)",
    )
    parser.add_argument(
        "--max-queue",
        type=int,
        default=DEFAULT_MAX_QUEUE,
        metavar="N",
        help=f"analyses that may wait for a worker; more are refused with 503 and "
        f"Retry-After (default: {DEFAULT_MAX_QUEUE})",
    )
    parser.add_argument(
        "--analysis-timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"time limit of one analysis, waiting included; past it the answer is 504 "
        f"(default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--read-timeout",
        type=float,
        default=DEFAULT_READ_TIMEOUT,
        metavar="SECONDS",
        help=f"a request's head, and then its body, must arrive within this time, or the "
        f"connection is closed (body: 408) (default: {DEFAULT_READ_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-connections",
        type=int,
        default=DEFAULT_MAX_CONNECTIONS,
        metavar="N",
        help=f"connections served at once; past it new requests get 503 "
        f"(default: {DEFAULT_MAX_CONNECTIONS})",
    )
    parser.add_argument(
        "--api-key",
        metavar="KEY",
        help=f"require 'Authorization: Bearer KEY' to analyse or read analyses "
        f"(default: ${API_KEY_ENV}, if set)",
    )
    parser.add_argument(
        "--insecure",
        action="store_true",
        help="allow --store on a non-loopback --host without an API key",
    )
    parser.add_argument(
        "--allow-private-urls",
        action="store_true",
        help='let the page and {"url": ...} requests fetch from loopback, private and '
        "link-local addresses (refused by default: the server fetches on its users' behalf)",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="HOST",
        help="also answer to this Host name (repeatable; '*' turns the check off; "
        f"added to ${ALLOWED_HOSTS_ENV}, comma-separated). By default a loopback server "
        "answers only to localhost, 127.0.0.1 and [::1] (a defence against DNS rebinding)",
    )
    parser.add_argument(
        "--trust-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="accept cross-origin requests from this web origin, e.g. "
        "chrome-extension://ID or moz-extension://UUID (repeatable; added to "
        f"${TRUST_ORIGINS_ENV}, comma-separated). Other origins may not post or read "
        "stored analyses",
    )
    parser.add_argument(
        "--no-sources",
        action="store_true",
        help="do not find sources and claims (saves memory; by default they are found when "
        "the sources extra is installed)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from proplens.server import create_app
    except ImportError as err:
        module = err.name or "fastapi"
        raise ProplensError(missing_extra_message("serve", "serve", module, err)) from None
    if not 0 <= args.port < 65536:
        raise ProplensError(f"--port {args.port} is not a valid port number")
    if args.max_bytes < 1 or (args.workers is not None and args.workers < 1):
        raise ProplensError("--max-bytes and --workers must be positive")
    _check_limits(args)
    api_key = args.api_key if args.api_key is not None else os.environ.get(API_KEY_ENV)
    _check_exposure(args.host, args.store, api_key, args.insecure)
    hosts, origins = _who_may_ask(args)
    sock = listen_socket(args.host, args.port)
    try:
        from proplens.server.sources import SourcesService

        sources = SourcesService(enabled=not args.no_sources)  # create_app loads it, like the model
        app = create_app(
            store_path=args.store,
            max_bytes=args.max_bytes,
            model_dir=args.model,
            threshold=args.threshold,
            workers=args.workers,
            api_key=api_key or None,
            allow_private_urls=args.allow_private_urls,
            sources=sources,
            hosts=hosts,
            trusted_origins=origins,
            max_queue=args.max_queue,
            analysis_timeout=args.analysis_timeout,
            read_timeout=args.read_timeout,
        )
        if sources.note:
            print(f"proplens: {sources.note}")
        port = sock.getsockname()[1]
        print(
            f"proplens: serving on http://{_url_host(args.host)}:{port}/ (Ctrl-C to stop)",
            flush=True,
        )
        run_server(uvicorn, app, sock, ConnectionLimits(args.read_timeout, args.max_connections))
    finally:
        sock.close()
    return 0


def _check_exposure(host: str, store: str | None, api_key: str | None, insecure: bool) -> None:
    """Refuse to show a store to the network without a key, unless told to."""
    from proplens.server.auth import is_loopback

    if api_key is not None and not api_key.strip():
        raise InputError(f"the API key is empty (--api-key or ${API_KEY_ENV})")
    if store and not api_key and not insecure and not is_loopback(host):
        raise InputError(
            f"--host {host} exposes the stored analyses to the network: give an API key "
            f"(--api-key KEY or ${API_KEY_ENV}), or pass --insecure to serve them to anyone"
        )


def _check_limits(args: argparse.Namespace) -> None:
    if args.max_queue < 0:
        raise InputError(f"--max-queue {args.max_queue}: give 0 or more waiting analyses")
    if args.max_connections < 2:
        raise InputError(f"--max-connections {args.max_connections}: give at least 2")
    for flag, value in (
        ("--analysis-timeout", args.analysis_timeout),
        ("--read-timeout", args.read_timeout),
    ):
        if not 0 < value < float("inf"):
            raise InputError(f"{flag} {value:g}: give a positive number of seconds")


def _who_may_ask(args: argparse.Namespace):
    """The Host rule and trusted origins from the flags and their environment variables."""
    from proplens.server.origins import HostRule, parse_trusted_origin, split_env

    extra_hosts = args.allowed_host + split_env(os.environ.get(ALLOWED_HOSTS_ENV))
    trusted = args.trust_origin + split_env(os.environ.get(TRUST_ORIGINS_ENV))
    return HostRule.for_bind(args.host, extra_hosts), [parse_trusted_origin(o) for o in trusted]


def listen_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``, or one line saying why there cannot be one."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as err:
        raise InputError(f"--host {host}: cannot resolve it ({err.strerror})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        sock.bind(address)
        sock.listen(2048)
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise InputError(f"port {port} is in use; choose another with --port") from None
        raise InputError(f"cannot listen on {host}:{port} ({err.strerror})") from None
    sock.set_inheritable(True)
    return sock


def run_server(uvicorn, app, sock: socket.socket, limits: ConnectionLimits) -> None:
    """Serve ``app`` on the bound socket until Ctrl-C, within ``limits`` (server/limits.py)."""
    from proplens.server.limits import uvicorn_config

    uvicorn.Server(uvicorn_config(uvicorn, app, limits, log_level="info")).run(sockets=[sock])


def _unit_float(raw: str) -> float:
    try:
        return parse_threshold(raw, None)
    except InputError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
