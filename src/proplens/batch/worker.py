"""The work each worker process does: load the analyzer once, then analyse chunks.

The analyzer is cached at module level, keyed by factory, model directory and
threshold, so a worker process (local pool or Dask worker) loads the model on
its first chunk and reuses it for all the others. A failure to load the model
stops the whole run; a failure on one article only turns it into an error.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass

from proplens.article import Article
from proplens.batch.factory import resolve_factory
from proplens.batch.records import Item
from proplens.batch.rows import make_row
from proplens.batch.threads import share_cores
from proplens.errors import ModelError, ProplensError


@dataclass(frozen=True)
class WorkerSpec:
    """How every worker makes its analyzer."""

    factory: str
    model_dir: str | None = None
    threshold: float | None = None
    sources: bool = False


Result = tuple[str, object]
"""``("row", row_dict)`` or ``("error", reason)``, one per item of a chunk."""

_analyzers: dict[WorkerSpec, object] = {}
_load_errors: dict[WorkerSpec, ProplensError] = {}
_lock = threading.Lock()


def get_analyzer(spec: WorkerSpec) -> object:
    """This process's analyzer for ``spec``, loaded on first use."""
    with _lock:
        if spec in _load_errors:
            raise _load_errors[spec]
        if spec not in _analyzers:
            _analyzers[spec] = _load(spec)
        return _analyzers[spec]


def _load(spec: WorkerSpec) -> object:
    factory = resolve_factory(spec.factory)
    try:
        return factory(spec.model_dir, spec.threshold)
    except ProplensError:
        raise
    except Exception as err:
        raise ModelError(f"cannot load the analyzer ({type(err).__name__}: {err})") from None


_finder: object | None = None


def get_finder() -> object:
    """This process's source finder (spaCy), loaded on first use; a load error stops the run."""
    global _finder
    with _lock:
        if _finder is None:
            from proplens import sources

            _finder = sources.load()
        return _finder


def analyze_chunk(spec: WorkerSpec, items: list[Item]) -> list[Result]:
    """Analyse each item; a failing article gives an error result, not an exception."""
    analyzer = get_analyzer(spec)
    found = _find_sources(get_finder(), items) if spec.sources else [None] * len(items)
    return [
        _analyze_item(analyzer, item, sources) for item, sources in zip(items, found, strict=True)
    ]


def _find_sources(finder, items: list[Item]) -> list:
    """Sources of each item, parsed as one batch; an article that breaks it gets its error."""
    try:
        return list(finder.find_many(item.text for item in items))
    except Exception:  # find which article it was, and keep the others
        return [_find_one(finder, item) for item in items]


def _find_one(finder, item: Item):
    try:
        return finder.find(item.text)
    except Exception as err:
        return err


def _analyze_item(analyzer, item: Item, sources=None) -> Result:
    article = Article(
        id=item.id,
        text=item.text,
        title=item.title,
        source=item.source,
        url=item.url,
        date=item.date,
    )
    if isinstance(sources, Exception):
        return "error", f"finding sources failed ({type(sources).__name__}: {sources})"
    try:
        analysed = analyzer.analyze(article)
        return "row", make_row(item, analysed.spans, sources)
    except ProplensError as err:
        return "error", f"analysis failed: {err}"
    except Exception as err:  # one broken article must not stop a corpus run
        return "error", f"analysis failed ({type(err).__name__}: {err})"


def init_pool_process(spec: WorkerSpec, workers: int) -> None:
    """Pool initializer: leave Ctrl-C to the parent, exit with it, load the model once.

    The model gets this worker's share of the cores (one of ``workers`` processes).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_when_orphaned()
    share_cores(workers)
    try:
        get_analyzer(spec)
    except ProplensError as err:
        # Raising here would make the pool respawn workers forever; the first chunk
        # raises it instead (see get_analyzer), which stops the run with this message.
        _load_errors[spec] = err


def _exit_when_orphaned(interval: float = 0.5) -> None:
    """End this worker if the process that started it dies (e.g. ``kill -9`` of the CLI)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="proplens-parent-watch", daemon=True).start()
