"""Typed request and response bodies of the HTTP API (they make the OpenAPI document)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from proplens.thresholds import threshold_problem

STRICT = ConfigDict(extra="forbid", strict=True)
"""Request bodies: an unknown field is a 422 naming it (a typo like ``threshhold`` must not
pass silently at the default), and no coercion (``"threshold": true`` is not 1.0)."""


def _threshold(value: float | None) -> float | None:
    problem = None if value is None else threshold_problem(value)
    if problem:  # NaN and inf pass a strict float; say what is wrong, not "should be <= 1"
        raise PydanticCustomError("threshold", problem)
    return value


Threshold = Annotated[float | None, AfterValidator(_threshold)]
"""A score threshold in [0, 1], or None for the model's default."""
THRESHOLD_SCHEMA = {"minimum": 0, "maximum": 1}


class AnalyzeRequest(BaseModel):
    """An article to analyse, as JSON (a ``.txt`` upload goes as multipart instead)."""

    model_config = STRICT

    text: str | None = Field(
        None, description="The article text; offsets in the answer index into it."
    )
    url: str | None = Field(
        None,
        description="Instead of text: an http(s) URL; the server fetches the page and "
        "analyses its main text (the answer's text), keeping the URL as 'url'.",
    )
    title: str | None = Field(None, description="Defaults to the first non-empty line.")
    threshold: Threshold = Field(
        None,
        description="Keep spans scoring at least this, in [0, 1] (model default if unset).",
        json_schema_extra=THRESHOLD_SCHEMA,
    )
    sources: bool = Field(
        True,
        description="Also find sources, claims and hedges (when the server has the sources "
        "extra; otherwise the answer says so in 'sources_note').",
    )

    @model_validator(mode="after")
    def _text_or_url(self) -> AnalyzeRequest:
        if (self.text is None) == (self.url is None):
            raise ValueError("give either 'text' or 'url' (exactly one of them)")
        return self


class SpanOut(BaseModel):
    start: int = Field(description="Start offset (Python str index, i.e. Unicode code points).")
    end: int = Field(description="End offset, exclusive.")
    technique: str | None
    score: float | None = Field(description="Confidence in [0, 1].")
    text: str = Field(description="Exactly text[start:end].")


class PieceOut(BaseModel):
    start: int = Field(description="Start offset (Python str index).")
    end: int = Field(description="End offset, exclusive.")
    text: str = Field(description="Exactly text[start:end].")


class SourceOut(PieceOut):
    kind: Literal["named", "role", "vague", "anonymous"]


class VerbOut(PieceOut):
    stance: Literal["neutral", "endorsing", "distancing"]
    kind: Literal["speech", "thought"] = Field(
        "speech", description="What the cue reports: words said or written, or a belief or wish."
    )


class AttributionOut(PieceOut):
    """A reported statement: who (source), how (verb) and what (content)."""

    source: SourceOut | None = Field(
        description="Who says it; null when the text names nobody ('is expected to')."
    )
    verb: VerbOut
    content: PieceOut
    quote: bool = Field(description="Whether the content is a direct quote.")
    content_more: list[PieceOut] = Field(
        [], description="Further parts of the content (a quote the cue splits)."
    )
    source_referent: PieceOut | None = Field(
        None, description="For a pronoun source, the earlier source it refers to."
    )


class ClaimOut(PieceOut):
    """A sentence asserting something checkable."""

    attribution: int | None = Field(
        description="Index into 'attributions' of the attribution covering it; null: unattributed."
    )
    check_worthy: float = Field(description="How checkable it is, in [0, 1].")
    quantities: list[PieceOut] = Field(description="Numbers and amounts inside it.")


class HedgeOut(PieceOut):
    kind: Literal["hedge", "certainty"]


_NOTE = "Why there are no sources in this answer (e.g. the sources extra is missing)."


class ModelOut(BaseModel):
    name: str
    version: str


class AnalysisOut(BaseModel):
    """Same schema as ``proplens analyze --sources --format json``, plus ``analysis_id`` with a
    store (optional keys such as ``source``, ``url`` or ``date`` pass through unchanged)."""

    model_config = ConfigDict(extra="allow")

    schema_version: str
    id: str = Field(description="The article id, as in SemEval label lines.")
    analysis_id: str | None = Field(
        None, description="With --store only: the stored analysis id, for /v1/analyses/{id}."
    )
    title: str
    model: ModelOut | None = Field(None, description="The model that found the spans.")
    text: str
    spans: list[SpanOut]
    attributions: list[AttributionOut] | None = Field(None, description="Schema 1.1: sources.")
    claims: list[ClaimOut] | None = None
    hedges: list[HedgeOut] | None = None
    sources_note: str | None = Field(None, description=_NOTE)


class SourcesOut(BaseModel):
    """Same schema as ``proplens sources --format json``: the article and its sources, no spans."""

    model_config = ConfigDict(extra="allow")

    schema_version: str
    id: str
    title: str
    text: str
    attributions: list[AttributionOut]
    claims: list[ClaimOut]
    hedges: list[HedgeOut]


class TechniqueOut(BaseModel):
    name: str = Field(description="Corpus name, as in SemEval label files.")
    label: str
    definition: str
    example: str
    color: str = Field(description="CSS colour used to highlight it.")


class TechniquesOut(BaseModel):
    techniques: list[TechniqueOut]
    default_threshold: float


class HealthOut(BaseModel):
    status: str
    version: str = Field(description="The proplens release, e.g. 0.2.0.")
    model_version: str = Field(description="The served model's card name and version.")
    threshold: float = Field(description="The model's default threshold.")
    store: bool = Field(description="Whether analyses are kept (GET /v1/analyses works).")
    max_bytes: int = Field(description="Largest request body accepted, in bytes.")
    auth: bool = Field(False, description="Whether analysing and reading analyses need an API key.")
    sources: bool = Field(False, description="Whether answers carry sources, claims and hedges.")
    sources_note: str | None = Field(None, description="Why not, when they do not.")


class AnalysisSummary(BaseModel):
    analysis_id: str = Field(description="For /v1/analyses/{analysis_id} and /a/{analysis_id}.")
    created: str = Field(description="UTC time, ISO 8601.")
    title: str
    n_spans: int
    n_chars: int


class AnalysisPage(BaseModel):
    items: list[AnalysisSummary]
    total: int
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last one.")


class ErrorOut(BaseModel):
    error: str = Field(description="Short machine-readable kind, e.g. 'too_large'.")
    message: str = Field(description="What went wrong, for a person.")


def validation_message(errors: Any, fields: Iterable[str] = ()) -> str:
    """One readable line from pydantic's error list, e.g. ``text: Field required``.

    ``fields`` are the request's known fields, listed when one is unknown.
    """
    parts = []
    known = ", ".join(fields)
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query"))
        where = where[:60]  # an unknown key is the client's text: echo a bounded part
        message = str(error.get("msg"))
        if error.get("type") == "extra_forbidden":
            message = "unknown field" + (f" (the fields are: {known})" if known else "")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "invalid request"
