"""An optional API key for the routes that analyse articles or read stored analyses.

With ``proplens serve --api-key KEY`` (or ``PROPLENS_API_KEY``), those routes
need ``Authorization: Bearer KEY``; anything else gets a 401 JSON answer. The
key is compared in constant time. The page, its static files, ``/healthz``,
``/v1/techniques`` and the API documentation stay open: they hold no article.
"""

from __future__ import annotations

import hmac
import ipaddress
import socket

from fastapi import Depends, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

_bearer = HTTPBearer(auto_error=False, description="The key given to `proplens serve --api-key`.")


def key_guard(api_key: str | None) -> list:
    """Route dependencies that demand the key (none when the server has no key)."""
    if not api_key:
        return []
    expected = api_key.encode("utf-8")

    def require_key(
        credentials: HTTPAuthorizationCredentials | None = Security(_bearer),  # noqa: B008
    ) -> None:
        given = credentials.credentials.encode("utf-8") if credentials else b""
        if not hmac.compare_digest(given, expected):
            what = "a wrong API key" if credentials else "no API key"
            raise HTTPException(
                401,
                f"this server needs an API key ({what} given): send 'Authorization: Bearer KEY'",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return [Depends(require_key)]


def is_loopback(host: str) -> bool:
    """Whether every address ``host`` stands for is on this machine only."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos)
