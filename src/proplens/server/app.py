"""The FastAPI application behind ``proplens serve``: the JSON API and the web page.

:func:`create_app` builds it around one analyzer (loaded once, shared by all
requests). Analyses run on worker threads through a bounded queue
(server/jobs.py), off the event loop, so the server keeps answering
(``/healthz``, the page) while a long article is being analysed. Every error
is a JSON object ``{"error", "message"}``. The API documentation (``/docs``,
``/redoc``) is served from assets bundled in the ``fastapi-offline`` package,
so it works without internet like the page.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from proplens import __version__
from proplens.article import DEFAULT_MAX_BYTES, Article
from proplens.errors import InputError, ModelError, ProplensError
from proplens.fetch.errors import FetchError
from proplens.formats.jsonio import article_to_dict
from proplens.server.auth import key_guard
from proplens.server.compare_api import add_compare_routes
from proplens.server.fetching import url_article
from proplens.server.jobs import (
    DEFAULT_MAX_QUEUE,
    DEFAULT_TIMEOUT,
    Abandoned,
    JobQueue,
    Overloaded,
    TimedOut,
    client_gone,
)
from proplens.server.middleware import BodyLimit, SecurityHeaders
from proplens.server.models import (
    AnalysisOut,
    AnalysisPage,
    AnalysisSummary,
    AnalyzeRequest,
    ErrorOut,
    HealthOut,
    SourcesOut,
    TechniqueOut,
    TechniquesOut,
    validation_message,
)
from proplens.server.origins import HostRule, OriginGuard, parse_trusted_origin
from proplens.server.query import UnknownQuery, known_query_only
from proplens.server.sources import SourcesService
from proplens.server.store import AnalysisStore, StoreWriteError
from proplens.server.upload import read_analyze_request
from proplens.sources.results import Sources
from proplens.techniques import TECHNIQUES
from proplens.version import model_version

_log = logging.getLogger("proplens.server")
STATIC_DIR = Path(__file__).parent / "static"
DOCS_ASSETS = "/static-offline-docs"
"""Where FastAPIOffline mounts the Swagger UI and ReDoc files it bundles."""
MAX_OFFSET = 2**63 - 1
"""SQLite's largest integer: a larger paging offset is a 422, not an overflow (500)."""
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (401, 404, 413, 415, 422, 500, 503)
}
_ERRORS[507] = {"description": "Analysed but not stored (disk full): the analysis and a message"}


def create_app(
    analyzer: Any = None,
    store_path: str | Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    model_dir: str | Path | None = None,
    threshold: float | None = None,
    workers: int | None = None,
    api_key: str | None = None,
    allow_private_urls: bool = False,
    sources: SourcesService | None = None,
    hosts: HostRule | None = None,
    trusted_origins: Iterable[str] = (),
    max_queue: int = DEFAULT_MAX_QUEUE,
    analysis_timeout: float = DEFAULT_TIMEOUT,
    read_timeout: float | None = None,
) -> FastAPI:
    """The app, around ``analyzer`` (``proplens.load(model_dir, threshold)`` if None).

    ``store_path`` turns on the SQLite store of analyses; ``max_bytes`` caps
    every request body; ``workers`` bounds how many analyses run at once;
    ``api_key`` makes the analysis routes demand ``Authorization: Bearer KEY``.
    ``allow_private_urls`` lets ``{"url": ...}`` fetch from loopback and private
    addresses (refused by default: the server fetches on a user's behalf).
    ``sources`` finds sources and claims (by default: when the extra is
    installed; the spaCy pipeline loads once per process).
    ``hosts`` is the Host rule against DNS rebinding (None: no Host check; ``proplens
    serve`` always gives one); ``trusted_origins`` may send cross-origin requests
    (see server/origins.py). Analyses go through a :class:`JobQueue` of ``workers``
    slots and ``max_queue`` waiting places, each limited to ``analysis_timeout`` s;
    a request body must arrive within ``read_timeout`` s (None: no limit).
    """
    if analyzer is None:
        import proplens

        analyzer = proplens.load(model_dir, threshold=threshold)
    store = AnalysisStore(store_path) if store_path is not None else None
    workers = workers or min(4, os.cpu_count() or 1)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="helper")
    jobs = JobQueue(workers, max_queue, analysis_timeout)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        jobs.shutdown()
        pool.shutdown(wait=False, cancel_futures=True)
        if store is not None:
            store.close()

    app = FastAPIOffline(
        title="proplens",
        version=__version__,
        description="Find and explain propaganda techniques in news articles.",
        lifespan=lifespan,
        static_url=DOCS_ASSETS,
        favicon_url="/favicon.ico",
        dependencies=[Depends(known_query_only)],  # ?limt=5 is a 422, not ignored (query.py)
    )
    sources = sources if sources is not None else SourcesService()
    sources.warm()  # once per process: the pipeline is shared (see server/sources.py)
    app.state.analyzer = analyzer
    app.state.store = store
    app.state.sources = sources
    app.state.jobs = jobs
    _add_error_handlers(app)
    _add_queue_handlers(app)
    app.state.allow_private_urls = allow_private_urls
    _add_api_routes(app, analyzer, store, pool, jobs, max_bytes, key_guard(api_key))
    _add_sources_routes(app, sources, jobs, max_bytes, key_guard(api_key))
    add_compare_routes(app, analyzer, jobs, max_bytes, key_guard(api_key))
    _add_page_routes(app)
    app.add_middleware(BodyLimit, max_bytes=max_bytes, read_timeout=read_timeout)
    trusted = frozenset(parse_trusted_origin(o) for o in trusted_origins)
    app.add_middleware(OriginGuard, hosts=hosts, trusted=trusted)  # before the body is read
    app.add_middleware(SecurityHeaders)  # outermost: the 413 answers get the headers too
    return app


def _add_api_routes(
    app: FastAPI,
    analyzer: Any,
    store: AnalysisStore | None,
    pool: ThreadPoolExecutor,
    jobs: JobQueue,
    max_bytes: int,
    guard: list,
) -> None:
    card = analyzer.card  # the same "model" key as `proplens analyze --format json` writes
    model = {"name": card.get("name", "proplens"), "version": card.get("version", "")}

    @app.get("/healthz", response_model=HealthOut, tags=["meta"])
    def healthz() -> dict:
        """Liveness, and the settings the page needs (default threshold, store on/off)."""
        return {
            "status": "ok",
            "version": __version__,
            "model_version": model_version(card),
            "threshold": float(analyzer.threshold),
            "store": store is not None,
            "max_bytes": max_bytes,
            "auth": bool(guard),
            "sources": app.state.sources.available,
            "sources_note": app.state.sources.note,
        }

    @app.get("/v1/techniques", response_model=TechniquesOut, tags=["api"])
    def techniques() -> dict:
        """The 14 techniques: names, labels, definitions, examples, colours."""
        return {
            "techniques": [TechniqueOut(**t.__dict__) for t in TECHNIQUES],
            "default_threshold": float(analyzer.threshold),
        }

    @app.post(
        "/v1/analyze",
        response_model=AnalysisOut,
        response_model_exclude_unset=True,  # no "analysis_id": null without a store
        responses=_ERRORS,
        tags=["api"],
        openapi_extra=_ANALYZE_BODY,
        dependencies=guard,
    )
    async def analyze(request: Request) -> dict:
        """Find the propaganda spans in one article (JSON body or a ``.txt`` upload)."""
        job = await read_analyze_request(request, max_bytes)
        article = await _job_article(app, job)
        wanted = job.sources and app.state.sources.available

        def work(checkpoint) -> tuple[Article, Sources | None]:
            # the parse runs beside the detector; it stops at the job's checkpoints too
            # (the finder's only stop, never pause), else a timed-out or abandoned
            # analysis kept the one spaCy pipeline busy for every request after it
            finding = (
                pool.submit(app.state.sources.find, article.text, checkpoint) if wanted else None
            )
            try:
                result = analyzer.analyze(article, job.threshold, progress=checkpoint)
                return result, finding.result() if finding is not None else None
            finally:
                if finding is not None:
                    finding.cancel()

        result, found = await jobs.run(len(article.text), work, client_gone(request.receive))
        doc = article_to_dict(replace(result, sources=found), model=model)
        if job.sources and found is None:
            doc["sources_note"] = app.state.sources.note
        if store is not None:
            try:
                doc = await run_in_threadpool(store.add, doc)
            except StoreWriteError as err:
                return _not_stored(doc, err)
        return doc

    @app.get(
        "/v1/analyses",
        response_model=AnalysisPage,
        responses=_ERRORS,
        tags=["store"],
        dependencies=guard,
    )
    async def list_analyses(
        limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0, le=MAX_OFFSET)
    ) -> dict:
        """Past analyses, most recent first (needs ``--store``)."""
        items, total = await run_in_threadpool(_need(store).page, limit, offset)
        following = offset + len(items)
        return {
            "items": [AnalysisSummary(**item.__dict__) for item in items],
            "total": total,
            "limit": limit,
            "offset": offset,
            "next_offset": following if following < total else None,
        }

    @app.get(
        "/v1/analyses/{analysis_id}",
        response_model=AnalysisOut,
        response_model_exclude_unset=True,
        responses=_ERRORS,
        tags=["store"],
        dependencies=guard,
    )
    async def get_analysis(analysis_id: str) -> dict:
        """One stored analysis, as ``POST /v1/analyze`` returned it (needs ``--store``)."""
        doc = await run_in_threadpool(_need(store).get, analysis_id)
        if doc is None:
            raise HTTPException(404, f"no analysis with id {analysis_id!r} in this store")
        return doc


def _not_stored(doc: dict, err: StoreWriteError) -> JSONResponse:
    """The finished analysis, answered although it could not be stored (507 / 503).

    The body is the analysis (no ``analysis_id``) plus ``error`` and ``message``,
    so a client that reads errors sees why, and one that reads analyses loses nothing.
    """
    _log.error("analysis not stored: %s", err.__cause__ or err)
    status = 507 if err.full else 503
    message = (
        f"Not stored: {err}. The analysis is in this answer, but without an analysis_id "
        "(no link to it)."
    )
    return JSONResponse({**doc, "error": "not_stored", "message": message}, status_code=status)


async def _job_article(app: FastAPI, job) -> Article:
    """The request's article: the text sent, or the page at ``url`` fetched and extracted."""
    if job.url is not None:
        return await run_in_threadpool(
            url_article, job.url, job.title, app.state.allow_private_urls
        )
    return Article.from_text(job.text, id=job.article_id, title=job.title or "")


def _add_sources_routes(
    app: FastAPI, sources: SourcesService, jobs: JobQueue, max_bytes: int, guard: list
) -> None:
    @app.post(
        "/v1/sources",
        response_model=SourcesOut,
        response_model_exclude_unset=True,
        responses=_ERRORS,
        tags=["api"],
        openapi_extra=_ANALYZE_BODY,
        dependencies=guard,
    )
    async def find_sources(request: Request) -> dict:
        """Sources, claims and hedges of one article, without the technique detector."""
        job = await read_analyze_request(request, max_bytes)
        article = await _job_article(app, job)
        if not sources.available:
            raise HTTPException(503, sources.note or "sources are not available")
        found = await jobs.run(  # checkpoints between parsed lines, as /v1/analyze has
            len(article.text),
            lambda checkpoint: sources.find(article.text, progress=checkpoint),
            client_gone(request.receive),
        )
        return article_to_dict(replace(article, sources=found), spans=False)


def _need(store: AnalysisStore | None) -> AnalysisStore:
    if store is None:
        raise HTTPException(
            404, "this server keeps no analyses (start it with --store PATH to keep them)"
        )
    return store


def _add_page_routes(app: FastAPI) -> None:
    index = STATIC_DIR / "index.html"

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(index, media_type="text/html; charset=utf-8")

    @app.get("/a/{analysis_id}", include_in_schema=False)
    def shared_page(analysis_id: str) -> FileResponse:
        return FileResponse(index, media_type="text/html; charset=utf-8")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProplensError)
    async def proplens_error(request: Request, err: ProplensError) -> JSONResponse:
        if isinstance(err, ModelError):
            return _error(503, "model_error", str(err))
        if isinstance(err, FetchError):
            # A missing url extra is the server's fault, not the request's.
            status = 503 if err.kind == "unavailable" else 422
            return _error(status, f"url_{err.kind}", str(err))
        kind = "invalid_input" if isinstance(err, InputError) else "invalid_format"
        return _error(422, kind, str(err))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, err: RequestValidationError) -> JSONResponse:
        return _error(422, "invalid_request", validation_message(err.errors()))

    @app.exception_handler(UnknownQuery)
    async def unknown_query(request: Request, err: UnknownQuery) -> JSONResponse:
        return _error(422, "invalid_request", str(err))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException) -> JSONResponse:
        kind = {
            401: "unauthorized",
            404: "not_found",
            405: "method_not_allowed",
            413: "too_large",
            415: "unsupported_media_type",
            503: "unavailable",
        }.get(err.status_code, "http_error")
        return _error(err.status_code, kind, str(err.detail), err.headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, err: Exception) -> JSONResponse:
        return _error(500, "internal", "internal server error (see the server log)")


def _add_queue_handlers(app: FastAPI) -> None:
    """The queue's refusals (see server/jobs.py) as JSON answers."""

    @app.exception_handler(Overloaded)
    async def overloaded(request: Request, err: Overloaded) -> JSONResponse:
        return _error(503, "busy", str(err), {"Retry-After": str(err.retry_after)})

    @app.exception_handler(TimedOut)
    async def timed_out(request: Request, err: TimedOut) -> JSONResponse:
        return _error(504, "timeout", str(err))

    @app.exception_handler(Abandoned)
    async def abandoned(request: Request, err: Abandoned) -> JSONResponse:
        # nobody reads this: the client has gone; the status only shows in the server log
        return _error(499, "client_gone", "the client disconnected; its analysis was dropped")


def _error(status: int, kind: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": kind, "message": message}, status_code=status, headers=headers)


_ANALYZE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": AnalyzeRequest.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "A UTF-8 .txt article.",
                        },
                        "title": {"type": "string"},
                        "threshold": {"type": "number", "minimum": 0, "maximum": 1},
                    },
                },
            },
        },
    }
}
