"""Measure a model on labelled articles: SI, TC and FLC with bootstrap intervals, per technique.

Used once per model, on the confirmation split (``export --data`` writes the
result into the card; ``bench/validate.py`` prints it again). Pure runtime: the
numbers are those of exactly what ships.
"""

from __future__ import annotations

import numpy as np

from proplens.article import Span, enclosing
from proplens.formats.semeval import LabelRow
from proplens.intervals import (
    bootstrap,
    flc_article_stats,
    flc_f1,
    si_article_stats,
    si_f1,
    tc_article_stats,
    tc_f1,
)
from proplens.pipeline.calibration import is_right, reliability_table
from proplens.scoring import flc_score, tc_score
from proplens.training.corpus import Example

THRESHOLDS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)


def predictions(model, examples: list[Example]) -> tuple[list, list[LabelRow]]:
    """Detected ``(example, (start, end, technique, score))`` pairs and TC rows on gold spans."""
    detected, classified = [], []
    for e in examples:
        detected += [(e, found) for found in model.detect(e.text)]
        spans = [(s, end) for s, end, _ in e.spans]
        if spans:
            named = model.classify(e.text, spans)
            classified += [
                LabelRow(e.id, s, end, t) for (s, end), (t, _) in zip(spans, named, strict=True)
            ]
    return detected, classified


def measure(model, examples: list[Example], resamples: int = 2000, predicted=None) -> dict:
    """SI (at the model's default threshold and others), TC, FLC, per technique, reliability.

    FLC scores what ``proplens analyze`` shows at the default threshold: the
    detected spans with their techniques (:func:`proplens.scoring.flc_score`).
    ``span_length`` gives the median length in characters of those spans and of
    the gold spans, overall and per technique, since partial-overlap credit
    rewards long spans (phrase-level techniques should come out as phrases).

    ``predicted``: ``predictions(model, examples)`` when the caller has them already.
    """
    ids = [e.id for e in examples]
    gold_tc = [LabelRow(e.id, s, end, t) for e in examples for s, end, t in e.spans]
    gold_si = [LabelRow(r.article_id, r.start, r.end) for r in gold_tc]
    detected, classified = predicted or predictions(model, examples)
    by_threshold = []
    for cut in sorted({*THRESHOLDS, model.default_threshold}):
        rows = [LabelRow(e.id, s, end) for e, (s, end, _, score) in detected if score >= cut]
        stats = si_article_stats(gold_si, rows, ids)
        totals = stats.sum(0)
        by_threshold.append(
            {
                "threshold": cut,
                "spans": len(rows),
                "si_precision": round(totals[0] / max(1, totals[1]), 4),
                "si_recall": round(totals[2] / max(1, totals[3]), 4),
                "si_f1": bootstrap(stats, si_f1, resamples).to_dict(),
            }
        )
    tc = tc_score(gold_tc, classified)
    shown = [
        LabelRow(e.id, s, end, t)
        for e, (s, end, t, score) in detected
        if score >= model.default_threshold
    ]
    flc = flc_score(gold_tc, shown)
    scores = np.array([found[3] for _, found in detected])
    right = np.array([is_right(s, end, t, e.spans) for e, (s, end, t, _) in detected])
    articles = np.array([e.id for e, _ in detected])
    nested = nested_flags(detected)
    return {
        "articles": len(examples),
        "gold_spans": len(gold_tc),
        "default_threshold": model.default_threshold,
        "si": next(r for r in by_threshold if r["threshold"] == model.default_threshold),
        "si_by_threshold": by_threshold,
        "tc_micro_f1": bootstrap(
            tc_article_stats(gold_tc, classified, ids), tc_f1, resamples
        ).to_dict(),
        "tc_per_technique": {
            name: {
                "precision": round(t.precision, 4),
                "recall": round(t.recall, 4),
                "f1": round(t.f1, 4),
                "gold": t.gold,
            }
            for name, t in tc.per_technique.items()
        },
        "flc": {
            "spans": len(shown),
            "precision": round(flc.precision, 4),
            "recall": round(flc.recall, 4),
            "f1": bootstrap(flc_article_stats(gold_tc, shown, ids), flc_f1, resamples).to_dict(),
            "per_technique": {
                name: {
                    "precision": round(t.precision, 4),
                    "recall": round(t.recall, 4),
                    "f1": round(t.f1, 4),
                    "gold": t.gold,
                    "predicted": t.predicted,
                }
                for name, t in flc.per_technique.items()
            },
        },
        "span_length": {
            "predicted_median": _median_length(shown),
            "gold_median": _median_length(gold_tc),
            "per_technique": {
                name: {
                    "predicted_median": _median_length([r for r in shown if r.technique == name]),
                    "gold_median": _median_length([r for r in gold_tc if r.technique == name]),
                }
                for name in flc.per_technique
            },
        },
        "reliability": reliability_table(scores, right) if len(scores) else [],
        "reliability_by_kind": {
            kind: reliability_table(
                scores[mask], right[mask], articles=articles[mask], resamples=resamples
            )
            if mask.any()
            else []
            for kind, mask in (("outer", ~nested), ("nested", nested))
        },
    }


def nested_flags(detected: list) -> np.ndarray:
    """Whether each detected ``(example, (start, end, technique, score))`` lies inside a longer
    detected span of its article (``proplens.article.enclosing``): a nested phrase, scored by
    the nesting decoder, whose scores the card's reliability shows apart from the outer spans'."""
    flags = np.zeros(len(detected), dtype=bool)
    by_article: dict[str, list[int]] = {}
    for i, (e, _) in enumerate(detected):
        by_article.setdefault(e.id, []).append(i)
    for indices in by_article.values():
        spans = [Span(*detected[i][1][:3]) for i in indices]
        for i, holder in zip(indices, enclosing(spans), strict=True):
            flags[i] = holder is not None
    return flags


def _median_length(rows: list[LabelRow]) -> float | None:
    """Median span length in characters (None without spans)."""
    return float(np.median([r.end - r.start for r in rows])) if rows else None
