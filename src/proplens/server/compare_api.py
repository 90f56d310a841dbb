"""``POST /v1/compare``: two versions of a story in, the comparison JSON out.

The body is JSON ``{"a": "...", "b": "...", "threshold"?: 0.1}`` or a
multipart upload of two ``.txt`` files named ``a`` and ``b`` (plus an optional
``threshold`` field). The answer is the schema of ``proplens compare --format
json`` (docs/formats.md). The comparer wraps the server's analyzer; the sources
finder (a parsing pipeline) is loaded on the first comparison, not at start-up,
so servers that never compare pay nothing for it.
"""

from __future__ import annotations

import threading
from pathlib import PurePath
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from proplens.article import Article, decode_text
from proplens.errors import InputError
from proplens.server.jobs import JobQueue, client_gone
from proplens.server.models import (
    STRICT,
    THRESHOLD_SCHEMA,
    ErrorOut,
    Threshold,
    validation_message,
)
from proplens.server.upload import check_form_fields
from proplens.thresholds import parse_threshold


class CompareRequest(BaseModel):
    """Two versions of one story, as JSON (two ``.txt`` uploads go as multipart instead)."""

    model_config = STRICT

    a: str = Field(description="The reference version (e.g. the wire report).")
    b: str = Field(description="The version to check against it.")
    threshold: Threshold = Field(
        None,
        description="Detector threshold in [0, 1] (model default if unset).",
        json_schema_extra=THRESHOLD_SCHEMA,
    )


class ComparisonOut(BaseModel):
    """Same schema as ``proplens compare --format json`` (see docs/formats.md)."""

    model_config = ConfigDict(extra="allow")

    schema_version: str
    type: str
    a: dict[str, Any] = Field(description="The analysis of A, as POST /v1/analyze returns it.")
    b: dict[str, Any] = Field(description="The analysis of B.")
    alignment: list[dict[str, Any]]
    summary: dict[str, Any]


class _Comparers:
    """One comparer per server, built on first use (the sources finder loads once)."""

    def __init__(self, analyzer: Any) -> None:
        self.analyzer = analyzer
        self.lock = threading.Lock()
        self.comparer = None

    def get(self):
        with self.lock:
            if self.comparer is None:
                from proplens.compare import Comparer, sources_adapter

                finder, why = sources_adapter.load_finder()
                self.comparer = Comparer(self.analyzer, finder, why)
            return self.comparer


def add_compare_routes(
    app: FastAPI, analyzer: Any, jobs: JobQueue, max_bytes: int, guard: list | None = None
) -> None:
    """``POST /v1/compare``; ``guard`` holds the API-key dependency, as for ``/v1/analyze``."""
    card = analyzer.card  # the same "model" key as the analyses carry
    model = {"name": card.get("name", "proplens"), "version": card.get("version", "")}
    comparers = _Comparers(analyzer)
    errors = {code: {"model": ErrorOut} for code in (401, 413, 415, 422, 501, 503)}

    @app.post(
        "/v1/compare",
        response_model=ComparisonOut,
        responses=errors,
        tags=["api"],
        openapi_extra=_COMPARE_BODY,
        dependencies=guard or [],
    )
    async def compare(request: Request):
        """How version B of a story reframes version A: alignment, flags, summary."""
        a, b, threshold = await read_compare_request(request, max_bytes)
        try:
            from proplens.compare.jsonio import comparison_to_dict
        except ImportError as err:
            return JSONResponse(
                {
                    "error": "missing_extra",
                    "message": f"comparing needs the compare extra ({err.name} is missing): "
                    "pip install -e '.[compare]'",
                },
                status_code=501,
            )
        comparer = await run_in_threadpool(comparers.get)
        result = await jobs.run(  # bounded, timed and checkpointed like /v1/analyze
            len(a.text) + len(b.text),
            lambda checkpoint: comparer.compare(a, b, threshold, progress=checkpoint),
            client_gone(request.receive),
        )
        return comparison_to_dict(result, model)


async def read_compare_request(
    request: Request, max_bytes: int
) -> tuple[Article, Article, float | None]:
    """Both sides as articles (ids ``a`` and ``b`` or the upload names), or a 4xx."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            parsed = CompareRequest.model_validate_json(await request.body())
        except ValidationError as err:
            fields = CompareRequest.model_fields
            raise InputError(validation_message(err.errors(), fields)) from None
        texts, threshold = {"a": parsed.a, "b": parsed.b}, parsed.threshold
    elif content_type == "multipart/form-data":
        texts, threshold = await _from_upload(request, max_bytes)
    else:
        raise HTTPException(
            415,
            f"unsupported Content-Type {content_type or '(none)'!r}: send application/json "
            "with 'a' and 'b' fields, or multipart/form-data with .txt files 'a' and 'b'",
        )
    for side, text in texts.items():
        if not text.strip():
            raise InputError(f"side {side.upper()} is empty (nothing besides whitespace)")
    return Article.from_text(texts["a"], id="a"), Article.from_text(texts["b"], id="b"), threshold


async def _from_upload(request: Request, max_bytes: int) -> tuple[dict[str, str], float | None]:
    form = await request.form(max_files=2, max_fields=8)
    texts = {}
    for side in ("a", "b"):
        upload = form.get(side)
        if not isinstance(upload, UploadFile):
            raise InputError(f"multipart upload needs a .txt file in the field {side!r}")
        name = PurePath(upload.filename or f"{side}.txt").name
        if PurePath(name).suffix.lower() != ".txt":
            raise HTTPException(415, f"{name}: only .txt files are accepted")
        texts[side] = decode_text(await upload.read(), f"side {side.upper()} ({name})", max_bytes)
    check_form_fields(form, ("a", "b", "threshold"))
    raw = form.get("threshold")
    threshold = parse_threshold(raw, "threshold:") if isinstance(raw, str) and raw else None
    return texts, threshold


_COMPARE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": CompareRequest.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["a", "b"],
                    "properties": {
                        "a": {"type": "string", "format": "binary", "description": "A, .txt"},
                        "b": {"type": "string", "format": "binary", "description": "B, .txt"},
                        "threshold": {"type": "number", "minimum": 0, "maximum": 1},
                    },
                },
            },
        },
    }
}
