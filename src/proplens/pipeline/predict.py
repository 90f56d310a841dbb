"""From encoder states to spans: shared by the runtime (onnxruntime) and by validation (torch).

``encode`` is any function mapping ``(input_ids, attention_mask)`` windows to
hidden states ``(windows, width, hidden)``; everything after it is numpy, so
the numbers measured during training are the numbers the shipped model gives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from proplens.pipeline.calibration import Calibration, PhraseCalibration
from proplens.pipeline.classifier import TechniqueClassifier
from proplens.pipeline.cues import ArticleCues
from proplens.pipeline.decode import Decoding, decode
from proplens.pipeline.features import pool, span_extras, token_range
from proplens.pipeline.heads import Heads
from proplens.pipeline.rescore import SpanRescore, span_features
from proplens.pipeline.symmetry import canonical_reading, states_back
from proplens.pipeline.windowing import (
    Tokens,
    WindowPlan,
    WordPieces,
    add_windows,
    call_groups,
    make_batch,
)

Encode = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass
class ArticleStates:
    """An article's tokens, their merged encoder states and BIO probabilities."""

    text: str
    tokens: Tokens
    states: np.ndarray  # (n_tokens, hidden)
    bio: np.ndarray  # (n_tokens, 3)

    @cached_property
    def cues(self) -> ArticleCues:
        """The article's word index and sentence bounds, built once for every span named in it.

        Decoded spans and nested phrases are named in separate calls; each
        built its own index (twice: the span extras and the classifier's cues).
        """
        return ArticleCues(self.text)


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    span_confidence: float
    technique_probs: np.ndarray
    phrase: bool = False  # proposed and nested by ``pipeline.nesting`` (its own calibration)


def encode_article(
    encode: Encode,
    pieces: WordPieces,
    heads: Heads,
    text: str,
    plan: WindowPlan,
    progress: Callable[[int, int], None] | None = None,
) -> ArticleStates:
    """Tokenize once, run the encoder over the plan's windows, merge back per token.

    Windows of similar length go to the encoder up to ``plan.per_call`` at a
    time (overlapping strided windows are averaged where they overlap). With
    ``plan.symmetric`` an article naming a side is read with its sides named
    canonically (``plan.naming``), the states carried back onto its own tokens
    (``symmetry``). ``progress(done, total)`` is called with window counts
    after each call.
    """
    tokens = pieces.tokenize(text)
    hidden = heads.w["si_w"].shape[1]
    if len(tokens) == 0:
        return ArticleStates(text, tokens, np.zeros((0, hidden), np.float32), np.zeros((0, 3)))
    mirror = canonical_reading(text, plan.naming) if plan.symmetric else None
    if mirror is None:
        states = _encode_tokens(encode, pieces, text, tokens, plan, progress, hidden)
    else:
        read = pieces.tokenize(mirror.text)
        states = _encode_tokens(encode, pieces, mirror.text, read, plan, progress, hidden)
        states = states_back(tokens, read, mirror.offsets, states)
    return ArticleStates(text, tokens, states, heads.bio_probs(states))


def _encode_tokens(encode, pieces, text, tokens, plan, progress, hidden: int) -> np.ndarray:
    """Merged per-token states of ``text`` (``tokens`` are its word pieces)."""
    windows = plan.windows(tokens, text)
    states = np.zeros((len(tokens), hidden), dtype=np.float32)
    seen = np.zeros(len(tokens), dtype=np.float32)
    done = 0
    for group in call_groups(windows, plan.per_call):
        batch = make_batch(pieces, tokens, [windows[i] for i in group])
        add_windows(encode(batch.input_ids, batch.attention_mask), batch, states, seen)
        done += len(group)
        if progress is not None:
            progress(done, len(windows))
    return states / np.maximum(seen, 1)[:, None]


def technique_probs(
    article: ArticleStates,
    heads: Heads,
    spans: list[tuple[int, int]],
    classifier: TechniqueClassifier | None = None,
) -> np.ndarray:
    """``(len(spans), techniques)`` probabilities for given character spans.

    The technique head reads the span's pooled states; ``classifier`` (when the
    model has one) combines that with article-level cues and the word model.
    """
    if not spans:
        return np.zeros((0, heads.w["tc_out_w"].shape[0]), dtype=np.float32)
    text = article.cues.text
    rows = []
    for start, end in spans:
        first, stop = token_range(article.tokens.offsets, start, end)
        rows.append(
            np.concatenate([pool(article.states, first, stop), span_extras(text, start, end)])
        )
    probs = heads.technique_probs(np.stack(rows))
    if classifier is None:
        return probs
    return classifier.probs(article.text, spans, probs, article.cues)


def candidates(
    article: ArticleStates,
    heads: Heads,
    decoding: Decoding,
    classifier: TechniqueClassifier | None = None,
) -> list[Candidate]:
    """Decoded spans with their span confidence and technique probabilities."""
    if len(article.tokens) == 0:
        return []
    found = decode(article.bio, article.tokens.offsets, article.text, decoding)
    probs = technique_probs(article, heads, [(s, e) for s, e, _ in found], classifier)
    return [Candidate(s, e, c, p) for (s, e, c), p in zip(found, probs, strict=True)]


def scored_spans(
    found: list[Candidate],
    calibration: Calibration,
    names: tuple[str, ...],
    phrases: PhraseCalibration | None = None,
    rescore: SpanRescore | None = None,
    article: ArticleStates | None = None,
) -> list[tuple[int, int, str, float]]:
    """``(start, end, technique, calibrated score)`` for each candidate's best technique.

    ``phrases`` rescales the scores of nested phrases (``Candidate.phrase``).
    ``rescore`` (with the ``article`` the candidates were found in) then turns
    each span's score and its other inputs (``pipeline.rescore``) into the
    score shown; like the phrase rescale it comes after every choice of spans.
    """
    if not found:
        return []
    best = np.array([c.technique_probs.argmax() for c in found])
    p_tech = np.array([c.technique_probs[b] for c, b in zip(found, best, strict=True)])
    p_span = np.array([c.span_confidence for c in found])
    scores = calibration.score(p_span, p_tech)
    nested = np.array([c.phrase for c in found])
    if phrases is not None:
        scores = np.where(nested, phrases.score(scores), scores)
    spans = [
        (c.start, c.end, names[b], round(float(s), 4))
        for c, b, s in zip(found, best, scores, strict=True)
    ]
    if rescore is None:
        return spans
    if article is None:
        raise ValueError("a span rescore needs the article the spans were found in")
    x = span_features(
        article.text, article.tokens.offsets, article.bio, spans, p_span, p_tech, nested,
        article.cues,
    )  # fmt: skip
    return [
        (start, end, technique, round(float(s), 4))
        for (start, end, technique, _), s in zip(spans, rescore.score(x), strict=True)
    ]


def assign_template(probs: np.ndarray, spans: list[tuple[int, int]]) -> list[int]:
    """Best technique per template row; a span listed k times gets its top-k distinct techniques.

    In the corpus an identical span carrying two techniques appears twice in the
    template, and the scorer matches labels as multisets.

    >>> probs = np.array([[.6, .3, .1], [.6, .3, .1], [.1, .2, .7]])
    >>> assign_template(probs, [(0, 5), (0, 5), (9, 12)])
    [0, 1, 2]
    """
    chosen: list[int] = []
    used: dict[tuple[int, int], set[int]] = {}
    for row, span in zip(probs, spans, strict=True):
        taken = used.setdefault(span, set())
        order = [int(i) for i in np.argsort(-row) if int(i) not in taken]
        pick = order[0] if order else int(row.argmax())
        taken.add(pick)
        chosen.append(pick)
    return chosen
