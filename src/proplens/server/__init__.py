"""The web app and REST API behind ``proplens serve`` (needs the ``serve`` extra)."""

from proplens.server.app import create_app

__all__ = ["create_app"]
