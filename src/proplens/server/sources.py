"""The source finder behind the API: loaded once on first use, or a note saying why not.

Sources need the optional ``sources`` extra (spaCy). A server without it still
analyses techniques; its answers then carry ``sources_note`` instead of
attributions and claims, and ``/healthz`` says ``"sources": false``.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from collections.abc import Callable
from typing import Any

from proplens.errors import ProplensError
from proplens.sources.pipeline import EXTRA_HINT, MODEL_PACKAGE
from proplens.sources.results import Sources

_NEEDED = ("spacy", MODEL_PACKAGE)


class SourcesService:
    """Finds sources for the API; thread-safe, loads the spaCy pipeline at most once per process."""

    def __init__(self, finder: Any = None, enabled: bool = True) -> None:
        self._finder = finder
        self._lock = threading.Lock()
        self.note: str | None = None
        if not enabled:
            self.note = "sources are switched off on this server (it was started with --no-sources)"
        elif finder is None:
            missing = [name for name in _NEEDED if importlib.util.find_spec(name) is None]
            if missing:
                self.note = (
                    f"sources and claims need the sources extra on the server ({missing[0]} is "
                    f"missing): {EXTRA_HINT}"
                )

    @property
    def available(self) -> bool:
        return self.note is None

    def warm(self) -> None:
        """Load the pipeline now (``create_app`` does, before the server listens)."""
        if self.available:
            self._get()

    def find(self, text: str, progress: Callable[..., None] | None = None) -> Sources | None:
        """The sources of ``text``, or None when they are not available (see ``note``).

        ``progress`` (a job queue checkpoint) goes to the finder, which calls
        ``progress(pause=False)`` between parsed lines and before the finding.
        """
        finder = self._get() if self.available else None
        if finder is None:
            return None
        return finder.find(text) if progress is None else finder.find(text, progress=progress)

    def _get(self) -> Any:
        with self._lock:
            if self._finder is None and self.note is None:
                try:
                    self._finder = _shared_finder()
                except ProplensError as err:
                    self.note = str(err)
            return self._finder


@functools.cache
def _shared_finder() -> Any:
    """One pipeline per process, however many apps (tests build many): it is read-only."""
    from proplens import sources

    return sources.load()
