"""Choose the detector's cheap parts on out-of-fold predictions, and measure every choice.

Everything here runs on the stored out-of-fold predictions of a cross-validation
run (``crossval``), never on the confirmation split. A choice is measured the
way it will be used: *cross-fitted* — for each fold, the setting is chosen on
the other folds and applied to this one, so the pooled figure is an honest
estimate of "choose on data like this, then meet new articles" — and reported
with a bootstrap interval over articles (``proplens.intervals``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import product

import numpy as np

from proplens.formats.semeval import LabelRow
from proplens.intervals import Interval, bootstrap, si_article_stats, si_f1
from proplens.pipeline.decode import Decoding, decode
from proplens.training.crossval import OutOfFold

THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.15, 0.66, 0.05))
MERGE_GAPS = (0, 1, 2, 3, 4)
EXTEND_BELOW = (None, 0.1, 0.2)
"""Hysteresis: grow runs into tokens at most this much below the threshold (None: off)."""


def decoding_grid(trim_dangling: Iterable[bool] = (True,)) -> list[Decoding]:
    grid = []
    for threshold, gap, below, trim in product(THRESHOLDS, MERGE_GAPS, EXTEND_BELOW, trim_dangling):
        extend = None if below is None else round(threshold - below, 2)
        if extend is not None and extend <= 0:
            continue
        grid.append(Decoding(threshold, gap, extend_threshold=extend, trim_dangling=trim))
    return grid


def si_rows(item: OutOfFold, decoding: Decoding) -> list[LabelRow]:
    """The SI label rows one article's predictions give under ``decoding``."""
    st = item.states
    if len(st.tokens) == 0:
        return []
    found = decode(st.bio, st.tokens.offsets, st.text, decoding)
    return [LabelRow(item.example.id, s, e) for s, e, _ in found]


def gold_si_rows(item: OutOfFold) -> list[LabelRow]:
    return [LabelRow(item.example.id, s, e) for s, e, _ in item.example.spans]


@dataclass
class GridStats:
    """Per-article SI statistics for every decoding setting: ``stats[setting]`` is (articles, 4)."""

    settings: list[Decoding]
    stats: np.ndarray  # (settings, articles, 4)
    folds: np.ndarray  # (articles,)


def grid_stats(oof: list[OutOfFold], grid: list[Decoding]) -> GridStats:
    stats = np.zeros((len(grid), len(oof), 4))
    for j, item in enumerate(oof):
        gold = gold_si_rows(item)
        ids = [item.example.id]
        for i, decoding in enumerate(grid):
            stats[i, j] = si_article_stats(gold, si_rows(item, decoding), ids)[0]
    return GridStats(grid, stats, np.array([item.fold for item in oof]))


def best_setting(grid: GridStats, mask: np.ndarray | None = None) -> int:
    """Index of the setting with the best pooled SI F1 over the articles in ``mask``."""
    mask = np.ones(grid.stats.shape[1], bool) if mask is None else mask
    scores = [si_f1(grid.stats[i, mask].sum(axis=0)) for i in range(len(grid.settings))]
    return int(np.argmax(scores))


def cross_fitted(grid: GridStats) -> tuple[np.ndarray, list[Decoding]]:
    """Per-article stats when each fold uses the setting chosen on the other folds."""
    chosen_stats = np.zeros(grid.stats.shape[1:])
    chosen = []
    for fold in np.unique(grid.folds):
        best = best_setting(grid, grid.folds != fold)
        chosen.append(grid.settings[best])
        chosen_stats[grid.folds == fold] = grid.stats[best, grid.folds == fold]
    return chosen_stats, chosen


def si_estimate(
    grid: GridStats, resamples: int = 2000
) -> tuple[Interval, Decoding, list[Decoding]]:
    """Cross-fitted SI F1 with its interval, the setting chosen on all folds, the per-fold ones."""
    stats, per_fold = cross_fitted(grid)
    return bootstrap(stats, si_f1, resamples), grid.settings[best_setting(grid)], per_fold


def restrict(grid: GridStats, keep) -> GridStats:
    """The settings of ``grid`` for which ``keep(setting)`` holds (to compare decoding rules)."""
    index = [i for i, s in enumerate(grid.settings) if keep(s)]
    return GridStats([grid.settings[i] for i in index], grid.stats[index], grid.folds)


def with_threshold(decoding: Decoding, threshold: float) -> Decoding:
    below = (
        None
        if decoding.extend_threshold is None
        else decoding.threshold - decoding.extend_threshold
    )
    extend = None if below is None else round(threshold - below, 2)
    return replace(decoding, threshold=threshold, extend_threshold=extend)


# -- technique classification ---------------------------------------------------


@dataclass
class SpanTable:
    """The gold spans of out-of-fold articles, with what the technique classifier sees."""

    rows: list[tuple[str, int, int, str]]  # article, start, end, technique
    folds: np.ndarray
    labels: np.ndarray
    head: np.ndarray  # the fold model's technique-head probabilities
    cues: np.ndarray
    fragments: list[str]

    @property
    def articles(self) -> list[str]:
        return sorted({r[0] for r in self.rows})

    def subset(self, mask: np.ndarray) -> SpanTable:
        """The rows where ``mask`` holds (e.g. the spans of some folds)."""
        keep = np.flatnonzero(mask)
        return SpanTable(
            [self.rows[i] for i in keep],
            self.folds[keep],
            self.labels[keep],
            self.head[keep],
            self.cues[keep],
            [self.fragments[i] for i in keep],
        )


def span_table(oof: list[OutOfFold], heads: dict) -> SpanTable:
    from proplens.pipeline.cues import ArticleCues, span_cues
    from proplens.pipeline.predict import technique_probs
    from proplens.techniques import NAMES

    rows, folds, head, cues, fragments = [], [], [], [], []
    for item in oof:
        spans = [(s, e) for s, e, _ in item.example.spans]
        if not spans:
            continue
        head.append(technique_probs(item.states, heads[item.fold], spans))
        cues.append(span_cues(ArticleCues(item.example.text), spans))
        rows += [(item.example.id, s, e, t) for s, e, t in item.example.spans]
        folds += [item.fold] * len(spans)
        fragments += [item.example.text[s:e] for s, e in spans]
    labels = np.array([NAMES.index(r[3]) for r in rows])
    return SpanTable(
        rows, np.array(folds), labels, np.concatenate(head), np.concatenate(cues), fragments
    )


def lexical_out_of_fold(table: SpanTable, c: float = 1.0) -> np.ndarray:
    """Each span's bag-of-words log-probabilities from a model fitted on the other folds."""
    from proplens.pipeline.lexical import fit_lexical
    from proplens.techniques import NAMES

    out = np.zeros(table.head.shape, dtype=np.float32)
    for fold in np.unique(table.folds):
        train, test = table.folds != fold, table.folds == fold
        model = fit_lexical(
            [f for f, keep in zip(table.fragments, train, strict=True) if keep],
            table.labels[train],
            len(NAMES),
            c,
        )
        out[test] = model.log_probs(
            [f for f, keep in zip(table.fragments, test, strict=True) if keep]
        )
    return out


def assign(table: SpanTable, probs: np.ndarray) -> list[LabelRow]:
    """TC rows: each span's most likely technique (top-k distinct for a span listed k times)."""
    from proplens.pipeline.predict import assign_template
    from proplens.techniques import NAMES

    chosen = assign_template(probs, [(r[0], r[1], r[2]) for r in table.rows])
    return [LabelRow(r[0], r[1], r[2], NAMES[c]) for r, c in zip(table.rows, chosen, strict=True)]


def tc_stats(table: SpanTable, probs: np.ndarray) -> np.ndarray:
    from proplens.intervals import tc_article_stats

    gold = [LabelRow(*r) for r in table.rows]
    return tc_article_stats(gold, assign(table, probs), table.articles)


def stacked_out_of_fold(
    table: SpanTable, features: np.ndarray, settings: list[tuple[float, float]]
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Cross-fitted probabilities of the stacked classifier, its settings chosen by inner folds.

    For each outer fold, every ``(C, class_power)`` in ``settings`` is scored by
    cross-validation over the other folds; the best is refitted on them and
    predicts the outer fold. Returns the probabilities and each fold's choice.
    """
    from proplens.intervals import tc_f1

    out = np.zeros(table.head.shape, dtype=np.float32)
    chosen = []
    for fold in np.unique(table.folds):
        inner = table.folds != fold
        if len(np.unique(table.folds[inner])) < 2:  # nothing to cross-validate on: first setting
            best = settings[0]
        else:
            best = max(
                settings, key=lambda s: tc_f1(_inner_stats(table, features, inner, s).sum(0))
            )
        chosen.append(best)
        model = _fit(features[inner], table.labels[inner], best)
        out[table.folds == fold] = model.probs(features[table.folds == fold])
    return out, chosen


def best_stacked_setting(
    table: SpanTable, features: np.ndarray, settings: list[tuple[float, float]]
) -> tuple[float, float]:
    """The setting with the best cross-validated TC over all folds (for the final fit)."""
    from proplens.intervals import tc_f1

    everything = np.ones(len(table.rows), dtype=bool)
    if len(np.unique(table.folds)) < 2:
        return settings[0]
    return max(settings, key=lambda s: tc_f1(_inner_stats(table, features, everything, s).sum(0)))


def _inner_stats(table: SpanTable, features: np.ndarray, mask: np.ndarray, setting) -> np.ndarray:
    probs = np.zeros(table.head.shape, dtype=np.float32)
    for fold in np.unique(table.folds[mask]):
        train = mask & (table.folds != fold)
        test = mask & (table.folds == fold)
        probs[test] = _fit(features[train], table.labels[train], setting).probs(features[test])
    return tc_stats(table.subset(mask), probs[mask])


def _fit(features: np.ndarray, labels: np.ndarray, setting: tuple[float, float]):
    from proplens.pipeline.classifier import fit_stacked
    from proplens.techniques import NAMES

    c, power = setting
    return fit_stacked(features, labels, len(NAMES), c, power)


# -- everything the exported model needs, chosen on out-of-fold predictions --------

STACK_SETTINGS = [(c, power) for c in (0.3, 0.1, 1.0) for power in (0.3, 0.0, 0.6)]
"""``(C, class-weight power)`` settings tried for the stacked technique classifier (the
first is taken where too few folds are left to choose by cross-validation)."""


@dataclass
class Chosen:
    """The cheap parts of a model and the cross-validated estimates that justify them."""

    decoding: Decoding
    classifier: object  # classifier.TechniqueClassifier
    calibration: object  # calibration.Calibration
    default_threshold: float
    report: dict


def choose(folder, variant: str, examples: list, resamples: int = 2000, log=print) -> Chosen:
    """Choose decoding, technique classifier, calibration and score threshold on ``folder``."""
    from proplens.pipeline.classifier import TechniqueClassifier, stack_features
    from proplens.pipeline.lexical import fit_lexical
    from proplens.techniques import NAMES
    from proplens.training import crossval

    oof = crossval.load(folder, variant, examples)
    heads = crossval.fold_heads(folder, variant)
    log(f"{len(oof)} out-of-fold articles; decoding grid")
    grid = grid_stats(oof, decoding_grid())
    si, decoding, per_fold = si_estimate(grid, resamples)

    log("technique classifier")
    table = span_table(oof, heads)
    head_only = bootstrap(tc_stats(table, table.head), _tc_f1(), resamples)
    lexical = lexical_out_of_fold(table)
    features = stack_features(table.head, table.cues, lexical)
    stacked, stack_choices = stacked_out_of_fold(table, features, STACK_SETTINGS)
    tc = bootstrap(tc_stats(table, stacked), _tc_f1(), resamples)
    setting = best_stacked_setting(table, features, STACK_SETTINGS)
    classifier = TechniqueClassifier(
        fit_lexical(table.fragments, table.labels, len(NAMES)),
        _fit(features, table.labels, setting),
    )

    log("calibration and default threshold")
    fold_classifiers = _fold_classifiers(table, features, stack_choices)
    cal, reliability, summary, scored = _calibrate(oof, heads, fold_classifiers, decoding)
    threshold, by_threshold = _default_threshold(oof, scored, resamples)
    report = {
        "folds": sorted(int(f) for f in np.unique(grid.folds)),
        "articles": len(oof),
        "variant": variant,
        "si_f1": si.to_dict(),
        "si_decoding_per_fold": [d.__dict__ for d in per_fold],
        "tc_micro_f1": tc.to_dict(),
        "tc_micro_f1_head_only": head_only.to_dict(),
        "tc_classifier_setting": {"C": setting[0], "class_weight_power": setting[1]},
        "tc_per_technique": _per_technique(table, stacked),
        "reliability": reliability,
        "calibration_summary": summary,
        "si_by_threshold": by_threshold,
    }
    return Chosen(decoding, classifier, cal, threshold, report)


def _tc_f1():
    from proplens.intervals import tc_f1

    return tc_f1


def _fold_classifiers(table: SpanTable, features: np.ndarray, choices) -> dict:
    """Per fold: the word model and stacked layer fitted without that fold (for calibration)."""
    from proplens.pipeline.classifier import TechniqueClassifier
    from proplens.pipeline.lexical import fit_lexical
    from proplens.techniques import NAMES

    found = {}
    for fold, setting in zip(np.unique(table.folds), choices, strict=True):
        train = table.folds != fold
        lexical = fit_lexical(
            [f for f, keep in zip(table.fragments, train, strict=True) if keep],
            table.labels[train],
            len(NAMES),
        )
        found[int(fold)] = TechniqueClassifier(
            lexical, _fit(features[train], table.labels[train], setting)
        )
    return found


def _calibrate(oof, heads, classifiers, decoding):
    """Calibration fitted on all out-of-fold candidates; the reliability table cross-fitted."""
    from proplens.pipeline import calibration, predict
    from proplens.techniques import NAMES

    rows = []  # (fold, article index, start, end, p_span, p_tech, right)
    for index, item in enumerate(oof):
        found = predict.candidates(item.states, heads[item.fold], decoding, classifiers[item.fold])
        for cand in found:
            best = int(cand.technique_probs.argmax())
            right = calibration.is_right(cand.start, cand.end, NAMES[best], item.example.spans)
            rows.append(
                (
                    item.fold,
                    index,
                    cand.start,
                    cand.end,
                    cand.span_confidence,
                    float(cand.technique_probs[best]),
                    right,
                )
            )
    arr = np.array(rows, dtype=np.float64).reshape(-1, 7)
    scores = np.zeros(len(arr))
    for fold in np.unique(arr[:, 0]):
        test = arr[:, 0] == fold
        fitted = calibration.fit(arr[~test, 4], arr[~test, 5], arr[~test, 6])
        scores[test] = fitted.score(arr[test, 4], arr[test, 5])
    final = calibration.fit(arr[:, 4], arr[:, 5], arr[:, 6])
    summary = {
        "spans": len(arr),
        "right": round(float(arr[:, 6].mean()), 4),
        "brier_cross_fitted": round(float(np.mean((scores - arr[:, 6]) ** 2)), 4),
    }
    scored = [(int(r[1]), int(r[2]), int(r[3]), float(s)) for r, s in zip(arr, scores, strict=True)]
    return final, calibration.reliability_table(scores, arr[:, 6]), summary, scored


def _default_threshold(oof, scored, resamples, tolerance: float = 0.005):
    """The highest score threshold whose SI F1 stays within ``tolerance`` of the best.

    It drops the weakest spans for free: readers see fewer doubtful fragments,
    and span identification loses (almost) nothing.
    """
    ids = [item.example.id for item in oof]
    gold = [r for item in oof for r in gold_si_rows(item)]
    table = []
    for cut in np.arange(0.0, 0.51, 0.05):
        pred = [LabelRow(ids[i], s, e) for i, s, e, score in scored if score >= cut]
        stats = si_article_stats(gold, pred, ids)
        table.append((round(float(cut), 2), stats, int(sum(1 for *_, sc in scored if sc >= cut))))
    best = max(si_f1(st.sum(0)) for _, st, _ in table)
    chosen = max(cut for cut, st, _ in table if si_f1(st.sum(0)) >= best - tolerance)
    by_threshold = []
    for cut, stats, n in table:
        totals = stats.sum(0)
        by_threshold.append(
            {
                "threshold": cut,
                "spans": n,
                "si_precision": round(totals[0] / max(1, totals[1]), 4),
                "si_recall": round(totals[2] / max(1, totals[3]), 4),
                "si_f1": round(si_f1(totals), 4),
            }
        )
    return chosen, by_threshold


def _per_technique(table: SpanTable, probs: np.ndarray) -> dict:
    from proplens.scoring import tc_score

    score = tc_score([LabelRow(*r) for r in table.rows], assign(table, probs))
    return {
        name: {
            "f1": round(t.f1, 4),
            "precision": round(t.precision, 4),
            "recall": round(t.recall, 4),
            "gold": t.gold,
        }
        for name, t in score.per_technique.items()
    }
