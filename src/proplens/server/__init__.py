"""The web app and REST API behind ``proplens serve`` (needs the ``serve`` extra).

``create_app`` is imported on first use, so that the CLI can read the server's
defaults (``server.jobs``, ``server.limits``: plain Python) without FastAPI.
"""

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from proplens.server.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
