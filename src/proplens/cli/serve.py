"""``proplens serve``: the web page and the JSON API in one process.

The model is loaded once, before the server starts listening, so a missing or
broken model is reported as one line and a non-zero exit, not as a server that
answers 500. The server binds to loopback unless ``--host`` says otherwise.
"""

from __future__ import annotations

import argparse

from proplens.article import DEFAULT_MAX_BYTES
from proplens.errors import ProplensError


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
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
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
        raise ProplensError(
            f"'proplens serve' needs the serve extra ({err.name} is missing): "
            "pip install 'proplens[serve]'"
        ) from None
    if not 0 < args.port < 65536:
        raise ProplensError(f"--port {args.port} is not a valid port number")
    if args.max_bytes < 1 or (args.workers is not None and args.workers < 1):
        raise ProplensError("--max-bytes and --workers must be positive")
    from proplens.server.sources import SourcesService

    sources = SourcesService(enabled=not args.no_sources)  # create_app loads it, like the model
    app = create_app(
        store_path=args.store,
        max_bytes=args.max_bytes,
        model_dir=args.model,
        threshold=args.threshold,
        workers=args.workers,
        sources=sources,
    )
    if sources.note:
        print(f"proplens: {sources.note}")
    print(f"proplens: serving on http://{_url_host(args.host)}:{args.port}/ (Ctrl-C to stop)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def _unit_float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is outside [0, 1]")
    return value


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
