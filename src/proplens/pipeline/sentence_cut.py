"""Sentence-bounded spans: a decoded span of a phrase-level technique is cut at sentence starts.

The decoder grows and merges runs within a line, so a span can run across a
sentence end ("...been slaughtering Sunni civilians. This has only made ISIS
appear more appealing..."). In the training gold, spans of loaded language,
name calling, repetition, slogans, exaggeration, clichés and flag-waving cross
a sentence boundary in 1-8% of cases, the argument-level techniques in 10-21%
(docs/model.md, "Spans per technique"; ``bench/nested_decode.py gold``
prints the rates). So a span whose technique rarely crosses (the card's
``sentence_cut.techniques``, those under 10% in the training gold) is cut into
its sentences; each piece is trimmed as a decoded span is, dropped when it
holds no content word, and named again by the technique classifier, so a
sentence that is an appeal to fear can come out as one while the loaded words
before it stay loaded language. Pieces are ordinary candidates afterwards: the
score threshold and nesting treat them as any decoded span. Spans of the other
techniques keep their extent, as their gold does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from proplens.pipeline.decode import O, has_content, trim, trim_dangling
from proplens.pipeline.features import token_range
from proplens.pipeline.predict import ArticleStates, Candidate, technique_probs
from proplens.pipeline.windowing import sentence_starts
from proplens.techniques import NAMES


@dataclass(frozen=True)
class SentenceCut:
    """The model card's ``sentence_cut`` (absent or empty: no span is cut, as before)."""

    techniques: tuple[str, ...] = ()  # spans named one of these are cut at sentence starts
    min_chars: int = 2  # a shorter piece is dropped

    @classmethod
    def from_card(cls, entry: dict | None) -> SentenceCut | None:
        """The settings of a card entry, or None when the card has none (old cards).

        A malformed entry raises ValueError naming what is wrong, so that the
        loader can refuse the card instead of failing inside the first analysis
        (or reading the letters of a bare string as technique names).
        """
        if entry is None or entry == {}:
            return None
        if not isinstance(entry, dict):
            raise ValueError(f"must be an object, got {type(entry).__name__}")
        unknown_keys = set(entry) - {"techniques", "min_chars"}
        if unknown_keys:
            raise ValueError(
                f"unknown keys {sorted(unknown_keys)} (the keys are: techniques, min_chars)"
            )
        techniques = entry.get("techniques", [])
        if not isinstance(techniques, list) or not all(isinstance(t, str) for t in techniques):
            raise ValueError("techniques must be a list of technique names")
        if not techniques:
            return None
        unknown = set(techniques) - set(NAMES)
        if unknown:
            raise ValueError(f"sentence_cut names unknown techniques: {sorted(unknown)}")
        min_chars = entry.get("min_chars", 2)
        if isinstance(min_chars, bool) or not isinstance(min_chars, int) or min_chars < 1:
            raise ValueError(f"min_chars must be a whole number of at least 1, got {min_chars!r}")
        return cls(tuple(techniques), min_chars)


SHIPPED = SentenceCut(
    (
        "Loaded_Language",
        "Name_Calling,Labeling",
        "Repetition",
        "Exaggeration,Minimisation",
        "Flag-Waving",
        "Slogans",
        "Thought-terminating_Cliches",
    )
)
"""The shipped card's cut: the techniques whose training gold crosses a sentence start in under
10% of spans (``bench/nested_decode.py gold``; the phrase-level techniques)."""


def sentence_pieces(
    text: str, start: int, end: int, bounds: list[int], min_chars: int = 2
) -> list[tuple[int, int]]:
    """``[start, end)`` cut at the sentence starts ``bounds`` inside it, pieces trimmed.

    A piece without a content word (a stray "It" or "The") is dropped.

    >>> text = "been slaughtering civilians. This made ISIS appealing. It"
    >>> [text[s:e] for s, e in sentence_pieces(text, 0, len(text), [0, 29, 55])]
    ['been slaughtering civilians', 'This made ISIS appealing']
    """
    cuts = [b for b in bounds if start < b < end]
    pieces = []
    for s, e in zip([start, *cuts], [*cuts, end], strict=True):
        s, e = trim(text, s, e)
        e = trim_dangling(text, s, e)
        if e - s >= min_chars and has_content(text[s:e]):
            pieces.append((s, e))
    return pieces


def cut(
    text: str,
    offsets: np.ndarray,
    bio: np.ndarray,
    found: list[Candidate],
    probs_of: Callable[[list[tuple[int, int]]], np.ndarray],
    names: tuple[str, ...],
    settings: SentenceCut,
) -> list[Candidate]:
    """``found`` with each span of a ``settings.techniques`` technique cut into its sentences.

    ``bio`` holds each token's O/B/I probabilities (a piece's span confidence is
    its tokens' mean P(inside), as the decoder gives it); ``probs_of(spans)``
    names the pieces (one call for the article). A span within one sentence is
    returned as it was.
    """
    if not found:
        return []
    starts = sentence_starts(offsets, text)
    bounds = [int(offsets[i, 0]) for i in np.flatnonzero(starts) if i > 0]
    cut_techniques = {names.index(t) for t in settings.techniques}
    pieces_of: list[list[tuple[int, int]] | None] = []
    for span in found:
        crosses = any(span.start < b < span.end for b in bounds)
        if crosses and int(span.technique_probs.argmax()) in cut_techniques:
            pieces_of.append(
                sentence_pieces(text, span.start, span.end, bounds, settings.min_chars)
            )
        else:
            pieces_of.append(None)
    flat = [p for pieces in pieces_of if pieces for p in pieces]
    if not flat:
        return [span for span, pieces in zip(found, pieces_of, strict=True) if pieces is None]
    probs = probs_of(flat)
    inside = 1.0 - bio[:, O]
    out: list[Candidate] = []
    row = 0
    for span, pieces in zip(found, pieces_of, strict=True):
        if pieces is None:
            out.append(span)
            continue
        for s, e in pieces:
            first, stop = token_range(offsets, s, e)
            confidence = float(np.round(inside[first:stop].mean(), 6))
            out.append(Candidate(s, e, confidence, probs[row]))
            row += 1
    return out


def cut_article(
    article: ArticleStates, heads, classifier, found: list[Candidate], settings: SentenceCut
) -> list[Candidate]:
    """``cut`` for one article's states with the model's own heads and classifier."""
    if len(article.tokens) == 0:
        return found
    return cut(
        article.text,
        article.tokens.offsets,
        article.bio,
        found,
        lambda spans: technique_probs(article, heads, spans, classifier),
        NAMES,
        settings,
    )
