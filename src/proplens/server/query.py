"""Unknown query parameters are refused (422), not ignored.

FastAPI reads the query parameters a route declares and ignores the rest, so
``GET /v1/analyses?limt=5`` silently answered the first 20 analyses, and
``POST /v1/analyze?threshold=0.9`` analysed at the default threshold: the
client never learnt that its parameter was not read. :func:`known_query_only`
is a dependency of the whole app: on every API route (those in the OpenAPI
schema) a parameter the route does not declare is a 422 naming it, as an
unknown JSON field is.

The web page and the API documentation pages (``/``, ``/a/{id}``, ``/docs``,
``/redoc``: routes left out of the schema) are exempt: browsers reach them
through links, which the page's own ``?a=…&t=…`` use and which others often
extend (``?utm_source=…``); a JSON error instead of the page would help nobody.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.routing import APIRoute

NAME_CHARS = 60
"""An unknown name is the client's text: the message echoes at most this much of it."""


class UnknownQuery(Exception):
    """A query parameter the route does not read; answered 422 ``invalid_request``."""


async def known_query_only(request: Request) -> None:
    """Raise :class:`UnknownQuery` when the query names a parameter the route does not take."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.include_in_schema:
        return
    known = list(dict.fromkeys(_query_names(route.dependant)))
    unknown = [name for name in dict.fromkeys(request.query_params) if name not in known]
    if unknown:
        raise UnknownQuery(_message(unknown, known, route.path))


def _query_names(dependant) -> list[str]:
    """The query parameters a route reads: its own and its dependencies' (the API key's none)."""
    names = [param.alias for param in dependant.query_params]
    for sub in dependant.dependencies:
        names.extend(_query_names(sub))
    return names


def _message(unknown: list[str], known: list[str], path: str) -> str:
    names = ", ".join(repr(name[:NAME_CHARS]) for name in unknown[:5])
    more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
    plural = "s" if len(unknown) > 1 else ""
    takes = f"the parameters are: {', '.join(known)}" if known else f"{path} takes none"
    return f"unknown query parameter{plural} {names}{more} ({takes})"
