"""One error class for every way a fetch can fail, each with a short machine-readable kind."""

from __future__ import annotations

from proplens.errors import InputError


class FetchError(InputError):
    """A URL could not be turned into an article; ``kind`` says why (the API's error kind).

    Kinds: ``bad_url``, ``refused_address``, ``dns``, ``connect``, ``timeout``,
    ``http_status``, ``redirects``, ``too_large``, ``not_html``, ``no_text``, and
    ``unavailable`` (the ``url`` extra is missing).
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
