"""Stand-ins for the detector and the sources finder, so flag logic is tested exactly.

The real detector and sources finder are exercised by the CLI, server and
bench runs; here each test says which spans and attributions a text has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import pytest

pytest.importorskip("rapidfuzz", reason="compare needs the 'compare' extra (rapidfuzz)")

from proplens.article import Article, Span  # noqa: E402


class KeywordAnalyzer:
    """Marks every occurrence of its keywords with a technique and score."""

    threshold = 0.1
    card = {"name": "keywords", "version": "0"}

    def __init__(self, keywords: dict[str, tuple[str, float]] | None = None) -> None:
        self.keywords = keywords or {
            "regime": ("Name_Calling,Labeling", 0.6),
            "disastrous": ("Loaded_Language", 0.8),
            "brazen": ("Loaded_Language", 0.5),
            "short-sighted": ("Name_Calling,Labeling", 0.4),
        }

    def analyze(self, article: Article | str, threshold: float | None = None) -> Article:
        if isinstance(article, str):
            article = Article.from_text(article)
        floor = self.threshold if threshold is None else threshold
        spans = [
            Span(m.start(), m.end(), technique, score)
            for word, (technique, score) in self.keywords.items()
            for m in re.finditer(re.escape(word), article.text)
            if score >= floor
        ]
        return replace(article).with_spans(spans)


# -- the proplens.sources contract, duck-typed ------------------------------------------------


@dataclass(frozen=True)
class Ref:
    start: int
    end: int
    kind: str = ""
    stance: str = ""


@dataclass(frozen=True)
class Attribution:
    start: int
    end: int
    source: Ref
    verb: Ref
    content_start: int
    content_end: int
    quote: bool = False


@dataclass(frozen=True)
class Claim:
    start: int
    end: int
    attribution: int | None
    check_worthy: float
    quantities: tuple = ()


@dataclass(frozen=True)
class Hedge:
    start: int
    end: int
    kind: str


@dataclass
class Sources:
    attributions: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    hedges: list = field(default_factory=list)


def attribution(text, source, kind, verb, stance, content, quote=False) -> Attribution:
    """An attribution located by its phrases (each must occur once in ``text``)."""
    s, v, c = (_find(text, x) for x in (source, verb, content))
    start, end = min(s[0], v[0], c[0]), max(s[1], v[1], c[1])
    return Attribution(start, end, Ref(*s, kind=kind), Ref(*v, stance=stance), *c, quote)


def claim(text, phrase, attribution=None, check_worthy=0.9) -> Claim:
    return Claim(*_find(text, phrase), attribution, check_worthy)


def hedge(text, phrase, kind="hedge") -> Hedge:
    return Hedge(*_find(text, phrase), kind)


def _find(text: str, phrase: str) -> tuple[int, int]:
    assert text.count(phrase) == 1, f"{phrase!r} should occur once"
    start = text.index(phrase)
    return start, start + len(phrase)


class ScriptedFinder:
    """Answers ``find(text)`` with the Sources scripted for that exact text."""

    def __init__(self, answers: dict[str, Sources]) -> None:
        self.answers = answers

    def find(self, text: str) -> Sources:
        return self.answers.get(text, Sources())


@pytest.fixture
def analyzer() -> KeywordAnalyzer:
    return KeywordAnalyzer()
