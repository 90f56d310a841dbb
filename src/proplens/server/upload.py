"""Read the body of ``POST /v1/analyze``: a JSON object or a multipart ``.txt`` upload."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from proplens.article import article_id, decode_text
from proplens.errors import InputError
from proplens.server.models import AnalyzeRequest, validation_message
from proplens.thresholds import parse_threshold

_TEXT_TYPES = ("text/plain", "application/octet-stream", "")
_FORM_FIELDS = ("file", "title", "threshold", "sources")


@dataclass(frozen=True)
class AnalyzeJob:
    text: str
    title: str | None
    threshold: float | None
    article_id: str = "article"
    url: str | None = None
    """Set instead of ``text`` when the page is to be fetched (``text`` is then empty)."""
    sources: bool = True


async def read_analyze_request(request: Request, max_bytes: int) -> AnalyzeJob:
    """Validate the request body into a job, or raise a 4xx with a clear message."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        job = _from_json(await request.body())
    elif content_type == "multipart/form-data":
        job = await _from_upload(request, max_bytes)
    else:
        raise _unsupported(content_type)
    if job.url is None and not job.text.strip():
        what = "the uploaded file" if content_type == "multipart/form-data" else "'text'"
        raise InputError(f"{what} is empty (nothing besides whitespace): nothing to analyse")
    return job


def _unsupported(content_type: str) -> HTTPException:
    return HTTPException(
        415,
        f"unsupported Content-Type {content_type or '(none)'!r}: send application/json "
        "with a 'text' field, or multipart/form-data with a .txt 'file'",
    )


def _from_json(body: bytes) -> AnalyzeJob:
    try:
        parsed = AnalyzeRequest.model_validate_json(body)
    except ValidationError as err:
        raise InputError(validation_message(err.errors(), AnalyzeRequest.model_fields)) from None
    return AnalyzeJob(
        parsed.text or "", parsed.title, parsed.threshold, url=parsed.url, sources=parsed.sources
    )


async def _from_upload(request: Request, max_bytes: int) -> AnalyzeJob:
    form = await request.form(max_files=1, max_fields=8)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise InputError("multipart upload needs a 'file' field holding a .txt article")
    check_form_fields(form, _FORM_FIELDS)
    name = PurePath(upload.filename or "upload.txt").name
    if PurePath(name).suffix.lower() != ".txt":
        raise HTTPException(415, f"{name}: only .txt files are accepted")
    part_type = (upload.content_type or "").split(";")[0].strip().lower()
    if part_type not in _TEXT_TYPES:
        raise HTTPException(415, f"{name}: content type {part_type!r} is not plain text")
    text = decode_text(await upload.read(), name, max_bytes)
    return AnalyzeJob(
        text,
        _field(form, "title"),
        _threshold(form),
        article_id(PurePath(name)),
        sources=_field(form, "sources") not in ("false", "0", "no"),
    )


def _field(form, key: str) -> str | None:
    value = form.get(key)
    return value if isinstance(value, str) and value else None


def _threshold(form) -> float | None:
    raw = _field(form, "threshold")
    return None if raw is None else parse_threshold(raw, "threshold:")


def check_form_fields(form, known: tuple[str, ...]) -> None:
    """Refuse a form field we do not read, as the JSON models refuse unknown keys."""
    for name in form.keys():
        if name not in known:
            raise InputError(f"{name:.60}: unknown field (the fields are: {', '.join(known)})")
