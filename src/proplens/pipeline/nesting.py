"""Spans per technique: phrases proposed inside decoded spans, named by the technique classifier.

One BIO sequence holds one span per token, and decoding chosen for SI's
partial credit prefers long spans; but half of the gold spans are loaded
language or name calling (a median of 2-3 words), and one in nine lies inside
a span of another technique (a loaded word inside an appeal to fear). The
technique head and the stacked classifier can score *any* span, so inside each
decoded span whose technique is **argument-level** (doubt, fear, causal
oversimplification, authority, black-and-white, whataboutism, bandwagon) this
module proposes short phrases (word n-grams within one sentence, holding a
content word, not ending on a function word, where the encoder's mean
P(inside) reaches the decoding threshold) and lets the classifier name each
one. The best phrase whose technique is **phrase-level** (loaded language,
name calling, slogans, clichés, exaggeration, flag-waving) is emitted,
**nested** inside the span that keeps its clause or sentence extent, when its
calibrated score exceeds both 0.5 (the calibration's "more often right than
wrong") and the containing span's own score.

Measured on the confirmation split (docs/model.md, "Spans per technique"):
the full output (FLC) gains, SI does not move. Two other ways were measured
on the training articles and lost: *tightening* a phrase-level span to its
best phrase (recall lost outweighed the precision gained) and keeping *every*
winning phrase (a loaded-language label on every other word). Both stay
available as settings for the experiment (``bench/nested_decode.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np

from proplens.pipeline.calibration import Calibration
from proplens.pipeline.classifier import TechniqueClassifier
from proplens.pipeline.decode import DANGLING, FUNCTION_WORDS, O
from proplens.pipeline.features import token_range
from proplens.pipeline.heads import Heads
from proplens.pipeline.predict import ArticleStates, Candidate, technique_probs
from proplens.pipeline.windowing import sentence_starts
from proplens.techniques import NAMES

PHRASE_LEVEL = frozenset(
    {
        "Loaded_Language",
        "Name_Calling,Labeling",
        "Repetition",
        "Slogans",
        "Thought-terminating_Cliches",
        "Exaggeration,Minimisation",
        "Flag-Waving",
    }
)
"""Techniques carried by a word or a phrase; the others are carried by a clause or a sentence."""

PROPOSED = PHRASE_LEVEL - {"Repetition"}
"""Techniques a proposed phrase may be emitted with. Not repetition: it is a property of the
article (the phrase recurs), and the classifier's repetition cue fires on every recurring word
("Iraq", "government") of a proposal, where gold repetition spans are few."""

_WORD = re.compile(r"\w+(?:['’-]\w+)*")
"""A word with its apostrophe or hyphen joins ("we're", "wake-up"): no phrase starts inside one."""
_OPENERS = frozenset(
    "a an the this that these those some any each every no my our your his her its their".split()
)
_NOT_FIRST = DANGLING - _OPENERS
"""Conjunctions and prepositions: a phrase does not start on one ("and spearheading")."""


@dataclass(frozen=True)
class Nesting:
    """Phrase proposal settings (the model card's ``nesting``; absent: no phrases proposed).

    The defaults are the variant measured on the confirmation split
    (docs/model.md, "Spans per technique"); the other values are the
    experiment's alternatives (``bench/nested_decode.py``).
    """

    max_words: int = 4  # longest proposed phrase, in words
    per_span: int = 1  # phrases kept per decoded span, the best by calibrated score (0: all)
    tighten: bool = False  # a phrase-level span gives way to its best phrase of its technique
    nest_inside: bool = True  # phrases nested in argument-level spans
    confident: bool = True  # only phrases whose mean P(inside) reaches the decoding threshold
    min_score: float = 0.5  # a phrase's calibrated score must reach this (and beat its span's)
    # ``inside_floor`` and ``orphans`` are experiment-only (round 2 variants in docs/model.md,
    # not shipped, off by default); they stay card settings so that
    # ``bench/nested_decode.py measure --variant`` runs them through the runtime's decoding.
    inside_floor: float | None = None  # the P(inside) that ``confident`` asks (None: decoding's)
    long_words: int = 0  # phrase-level spans of more words also get phrases of other techniques
    orphans: float = 0.0  # sentences without a span whose P(inside) reaches this get phrases

    @classmethod
    def from_card(cls, entry: dict | None) -> Nesting | None:
        """The settings of the card's ``nesting``, or None when absent or empty (no phrases).

        A misspelt key or a value of the wrong type raises ValueError naming it,
        so that the loader refuses the card at once instead of failing (or
        silently using a default) inside the first analysis.
        """
        if entry is None or entry == {}:
            return None
        if not isinstance(entry, dict):
            raise ValueError(f"must be an object, got {type(entry).__name__}")
        known = [f.name for f in fields(cls)]
        unknown = set(entry) - set(known)
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)} (the keys are: {', '.join(known)})")
        defaults = cls()
        for key, value in entry.items():
            default = getattr(defaults, key)
            if isinstance(default, bool):
                ok, wanted = isinstance(value, bool), "true or false"
            elif isinstance(default, int):
                ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
                wanted = "a whole number >= 0"
            else:  # a probability or a calibrated score; inside_floor may be null
                number = isinstance(value, int | float) and not isinstance(value, bool)
                ok = (number and 0 <= value <= 1) or (value is None and default is None)
                wanted = "a number in [0, 1]" + (" or null" if default is None else "")
            if not ok:
                raise ValueError(f"{key} must be {wanted}, got {value!r}")
        return cls(**entry)


SHIPPED = Nesting(per_span=2, long_words=6)
"""The shipped card's nesting (round 2, docs/model.md): two phrases per span, and phrases of
other techniques inside phrase-level spans of more than 6 words. ``Nesting()`` stays the
round-1 variant, so that a card written before round 2 decodes as it did."""


def sentence_bounds(offsets: np.ndarray, text: str) -> list[int]:
    """Character offsets where sentences start (the first is 0), as ``sentence_starts`` has it."""
    starts = sentence_starts(offsets, text)
    return [0, *(int(offsets[i, 0]) for i in np.flatnonzero(starts) if i > 0)]


def phrases(
    text: str, start: int, end: int, bounds: list[int], max_words: int
) -> list[tuple[int, int]]:
    """Word n-grams of ``[start, end)`` (1 to ``max_words`` words) that could be a phrase span.

    Each lies within one sentence, holds a word that is not a function word,
    and does not end on a dangling word ("of", "the", "and"); it may start on
    one ("the regime": 40% of gold name-calling spans start on "the" or "a").

    >>> text = "They are slaughtering the civilians. The regime lies."
    >>> [text[s:e] for s, e in phrases(text, 5, len(text) - 1, [0, 36], 2)]
    ['are slaughtering', 'slaughtering', 'the civilians', 'civilians', 'The regime', 'regime', \
'regime lies', 'lies']
    """
    words = list(_WORD.finditer(text, start, end))
    sentence = np.searchsorted(bounds, [w.start() for w in words], side="right")
    found = []
    for i, first in enumerate(words):
        if first.group().lower() in _NOT_FIRST:
            continue
        for j in range(i, min(i + max_words, len(words))):
            if sentence[j] != sentence[i]:
                break
            last = words[j].group().lower()
            if last in DANGLING or last in FUNCTION_WORDS:
                continue
            found.append((first.start(), words[j].end()))
    return found


def nest(
    text: str,
    offsets: np.ndarray,
    bio: np.ndarray,
    found: list[Candidate],
    probs_of: Callable[[list[tuple[int, int]]], np.ndarray],
    calibration: Calibration,
    names: tuple[str, ...],
    settings: Nesting,
    threshold: float = 0.35,
) -> list[Candidate]:
    """``found`` and the phrases proposed inside them (and in sentences without one), in order.

    ``bio`` holds each token's O/B/I probabilities and ``threshold`` is the
    decoding threshold on P(inside) = 1 - P(O); ``probs_of(spans)`` gives the
    technique probabilities of character spans (the shipped technique head
    and classifier), called once for all proposals of the article.
    """
    if not found and not settings.orphans:
        return []
    inside = 1.0 - bio[:, O]
    phrase_level = np.array([n in PHRASE_LEVEL for n in names])
    proposable = np.array([n in PROPOSED for n in names])
    bounds = sentence_bounds(offsets, text)
    floor_inside = threshold if settings.inside_floor is None else settings.inside_floor
    groups = []  # one per decoded span, then one per sentence without a span (``orphans``)
    for span in found:
        t = int(span.technique_probs.argmax())
        own_score = float(
            calibration.score(
                np.array([span.span_confidence]), np.array([span.technique_probs[t]])
            )[0]
        )
        words = len(_WORD.findall(text, span.start, span.end))
        allowed = _allowed(t, bool(phrase_level[t]), words, proposable, settings)
        level = floor_inside if settings.confident else 0.0
        floor = max(own_score, settings.min_score)
        groups.append(_Group(span, span.start, span.end, allowed, floor, level))
    for start, end in _orphans(offsets, inside, bounds, found, settings.orphans, len(text)):
        groups.append(_Group(None, start, end, proposable, settings.min_score, settings.orphans))
    candidates = [
        phrases(text, g.start, g.end, bounds, settings.max_words) if g.allowed.any() else []
        for g in groups
    ]
    confidence = {p: _confidence(offsets, inside, *p) for group in candidates for p in group}
    proposed = [
        [p for p in group if not g.level or confidence[p] >= g.level]
        for g, group in zip(groups, candidates, strict=True)
    ]
    flat = [p for group in proposed for p in group]
    probs = probs_of(flat) if flat else np.zeros((0, len(names)))
    out: list[Candidate] = []
    row = 0
    for g, group in zip(groups, proposed, strict=True):
        group_probs = probs[row : row + len(group)]
        row += len(group)
        winners = _winners(group, group_probs, confidence, calibration, g.allowed, g.floor)
        if settings.per_span:
            winners = winners[: settings.per_span]
        if (span := g.span) is not None:
            t = int(span.technique_probs.argmax())
            tightened = phrase_level[t] and any(
                int(w.technique_probs.argmax()) == t for w in winners
            )
            if not tightened:
                out.append(span)
        out += winners
    return sorted(out, key=lambda f: (f.start, -f.end))


@dataclass(frozen=True, eq=False)
class _Group:
    """Where phrases are proposed: inside a decoded ``span``, or a sentence without one
    (``span`` None), with the techniques ``allowed``, the calibrated score a phrase must
    beat (``floor``) and the mean P(inside) it must reach (``level``; 0: none asked)."""

    span: Candidate | None
    start: int
    end: int
    allowed: np.ndarray
    floor: float
    level: float


def _allowed(
    technique: int, phrase_level: bool, words: int, proposable: np.ndarray, settings: Nesting
) -> np.ndarray:
    """Which techniques a phrase proposed inside a span of ``technique`` may be emitted with.

    Inside an argument-level span: every proposable one (``nest_inside``).
    Inside a phrase-level span: none, unless tightening (its own technique;
    every proposable one if nesting too), or the span is longer than
    ``long_words`` words (the proposable techniques other than its own: a
    phrase of the span's own technique would only repeat it).
    """
    allowed = proposable.copy()
    if not phrase_level:
        return allowed if settings.nest_inside else np.zeros_like(allowed)
    if settings.tighten:
        if not settings.nest_inside:
            allowed[:] = False
            allowed[technique] = True
        return allowed
    if settings.long_words and words > settings.long_words:
        allowed[technique] = False
        return allowed
    return np.zeros_like(allowed)


def _orphans(
    offsets: np.ndarray,
    inside: np.ndarray,
    bounds: list[int],
    found: list[Candidate],
    level: float,
    length: int,
) -> list[tuple[int, int]]:
    """``[start, end)`` of the sentences that overlap no decoded span and hold a token whose
    P(inside) reaches ``level`` (none when ``level`` is 0)."""
    if not level or len(offsets) == 0:
        return []
    out = []
    for start, end in zip(bounds, [*bounds[1:], length], strict=True):
        if any(f.start < end and start < f.end for f in found):
            continue
        first, stop = token_range(offsets, start, end)
        if inside[first:stop].max() >= level:
            out.append((start, end))
    return out


def _winners(
    group: list[tuple[int, int]],
    probs: np.ndarray,
    confidences: dict[tuple[int, int], float],
    calibration: Calibration,
    allowed: np.ndarray,
    floor: float,
) -> list[Candidate]:
    """Phrases whose best technique is ``allowed`` and whose score exceeds ``floor``, best first,
    none overlapping a better one (``confidences``: each phrase's mean P(inside))."""
    if not group:
        return []
    best = probs.argmax(axis=1)
    confidence = np.array([confidences[p] for p in group])
    scores = calibration.score(confidence, probs[np.arange(len(group)), best])
    order = [
        i for i in np.argsort(-scores, kind="stable") if allowed[best[i]] and scores[i] > floor
    ]
    kept: list[int] = []
    for i in order:
        s, e = group[i]
        if all(e <= group[k][0] or s >= group[k][1] for k in kept):
            kept.append(int(i))
    return [
        Candidate(group[i][0], group[i][1], float(confidence[i]), probs[i], phrase=True)
        for i in kept
    ]


def _confidence(offsets: np.ndarray, inside: np.ndarray, start: int, end: int) -> float:
    """Mean P(inside) of the span's tokens, rounded to 6 decimals as ``decode`` rounds it.

    ``ndarray.mean`` of a float slice is its pairwise sum in its own precision,
    divided by the count in float64 and cast back; done here without the
    wrapper's checks, which cost half the time of the ~100 calls per article
    (the same bits: ``tests/pipeline/test_nesting.py``).
    """
    first, stop = token_range(offsets, start, end)
    chunk = inside[first:stop]
    return float(np.round(chunk.dtype.type(float(np.add.reduce(chunk)) / len(chunk)), 6))


def nest_article(
    article: ArticleStates,
    heads: Heads,
    classifier: TechniqueClassifier | None,
    found: list[Candidate],
    calibration: Calibration,
    threshold: float,
    settings: Nesting,
) -> list[Candidate]:
    """``nest`` for one article's states with the model's own heads and classifier."""
    return nest(
        article.text,
        article.tokens.offsets,
        article.bio,
        found,
        lambda spans: technique_probs(article, heads, spans, classifier),
        calibration,
        NAMES,
        settings,
        threshold,
    )
