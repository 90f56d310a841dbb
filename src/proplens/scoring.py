"""The SemEval-2020 Task 11 measures and SemEval-2019's FLC, as pure functions over label rows.

Inputs are sequences of rows with ``article_id``, ``start``, ``end`` and (for
TC) ``technique`` attributes, such as
:class:`proplens.formats.semeval.LabelRow`; offsets are ``[start, end)``.

* **SI** gives partial credit for partial overlap. Within each article the
  overlapping spans are merged, separately for gold and prediction; then

  - precision = (sum over every predicted span *p* and gold span *g* of the
    same article of ``|p ∩ g| / |p|``) / number of predicted spans,
  - recall = (the same sum with ``|g|`` as denominator) / number of gold spans,
  - F1 = their harmonic mean.

* **TC** counts exact matches: a predicted row matches a gold row with the same
  article, start, end and technique; rows are matched as multisets, so a span
  that carries two techniques in the gold must be predicted twice. Precision =
  matches / predicted rows, recall = matches / gold rows (equal, and equal to
  micro-F1, when the prediction fills in the gold template).

* **FLC** (fragment-level classification, the full-output score of the 2019
  task) is SI's formula computed separately for each technique: a predicted
  span earns partial credit only from gold spans of *its own* technique. Within
  each article and technique the overlapping spans are merged (as SI merges
  them without regard to technique; the 2019 scorer refused such overlaps in a
  submission), then the precision and recall sums of every technique are added
  up and divided by the total numbers of predicted and gold spans (a
  micro-average over techniques). Nested spans of *different* techniques stay
  apart, so a loaded word inside a sentence of doubt counts for both.

Any ratio with a zero denominator is 0 (the official scorer reports F1 = 1
when both gold and prediction are empty; here that is 0 too).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from proplens.techniques import NAMES


class Row(Protocol):
    article_id: str
    start: int
    end: int
    technique: str | None


@dataclass(frozen=True)
class SIScore:
    """Span-identification scores; ``predicted``/``gold`` count spans after merging."""

    precision: float
    recall: float
    f1: float
    predicted: int = 0
    gold: int = 0


@dataclass(frozen=True)
class TechniqueScore:
    """Scores of one technique; ``matched`` rows out of ``predicted`` and ``gold`` rows."""

    precision: float
    recall: float
    f1: float
    predicted: int = 0
    gold: int = 0
    matched: int = 0


@dataclass(frozen=True)
class TCScore:
    """Technique-classification scores, overall (micro) and per technique."""

    precision: float
    recall: float
    f1: float
    predicted: int = 0
    gold: int = 0
    matched: int = 0
    per_technique: dict[str, TechniqueScore] = field(default_factory=dict)


@dataclass(frozen=True)
class FLCScore:
    """Full-output scores, overall (micro over techniques) and per technique.

    ``predicted``/``gold`` count spans after merging within each article and
    technique; ``per_technique`` gives SI's figures restricted to one technique.
    """

    precision: float
    recall: float
    f1: float
    predicted: int = 0
    gold: int = 0
    per_technique: dict[str, SIScore] = field(default_factory=dict)


def f1_score(precision: float, recall: float) -> float:
    """Harmonic mean, 0 when both are 0.

    >>> f1_score(0.5, 1.0)
    0.6666666666666666
    >>> f1_score(0.0, 0.0)
    0.0
    """
    total = precision + recall
    return 2 * precision * recall / total if total > 0 else 0.0


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge spans that share at least one character; touching spans stay apart.

    >>> merge_spans([(10, 20), (0, 5), (15, 30), (30, 32)])
    [(0, 5), (10, 30), (30, 32)]
    """
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def si_score(gold: Iterable[Row], pred: Iterable[Row]) -> SIScore:
    """SemEval-2020 Task 11 span-identification precision, recall and F1.

    One prediction ``[0, 10)`` against gold ``[5, 15)`` (same article): the
    overlap is 5 characters, so precision = 5/10 and recall = 5/10.

    >>> from proplens.formats.semeval import LabelRow
    >>> si_score([LabelRow("1", 5, 15)], [LabelRow("1", 0, 10)])
    SIScore(precision=0.5, recall=0.5, f1=0.5, predicted=1, gold=1)

    A prediction in another article overlaps nothing:

    >>> si_score([LabelRow("1", 5, 15)], [LabelRow("2", 5, 15)]).f1
    0.0
    """
    gold_spans, pred_spans = _merged_by_article(gold), _merged_by_article(pred)
    precision_sum = recall_sum = 0.0
    for article_id, predicted in pred_spans.items():
        p_sum, r_sum = overlap_sums(predicted, gold_spans.get(article_id, []))
        precision_sum += p_sum
        recall_sum += r_sum
    n_pred = sum(len(spans) for spans in pred_spans.values())
    n_gold = sum(len(spans) for spans in gold_spans.values())
    precision, recall = _ratio(precision_sum, n_pred), _ratio(recall_sum, n_gold)
    return SIScore(precision, recall, f1_score(precision, recall), n_pred, n_gold)


def tc_score(gold: Iterable[Row], pred: Iterable[Row]) -> TCScore:
    """SemEval-2020 Task 11 technique-classification precision, recall and micro-F1.

    Gold has span ``[0, 5)`` twice (Doubt and Repetition) and ``[9, 12)`` as
    Slogans; the prediction says Doubt for ``[0, 5)`` and Doubt for ``[9, 12)``:
    one of two predicted rows matches, one of three gold rows is found.

    >>> from proplens.formats.semeval import LabelRow as R
    >>> gold = [R("1", 0, 5, "Doubt"), R("1", 0, 5, "Repetition"), R("1", 9, 12, "Slogans")]
    >>> score = tc_score(gold, [R("1", 0, 5, "Doubt"), R("1", 9, 12, "Doubt")])
    >>> round(score.precision, 4), round(score.recall, 4), round(score.f1, 4)
    (0.5, 0.3333, 0.4)
    >>> score.per_technique["Doubt"].precision, score.per_technique["Slogans"].recall
    (0.5, 0.0)
    """
    gold_keys, pred_keys = _tc_keys(gold), _tc_keys(pred)
    matched = gold_keys & pred_keys
    techniques = {key[3] for key in gold_keys} | {key[3] for key in pred_keys}
    per_technique = {
        name: _technique_score(name, gold_keys, pred_keys, matched)
        for name in sorted(techniques, key=_rank)
    }
    n_gold, n_pred, n_matched = (_total(c) for c in (gold_keys, pred_keys, matched))
    precision, recall = _ratio(n_matched, n_pred), _ratio(n_matched, n_gold)
    return TCScore(
        precision, recall, f1_score(precision, recall), n_pred, n_gold, n_matched, per_technique
    )


def flc_score(gold: Iterable[Row], pred: Iterable[Row]) -> FLCScore:
    """SemEval-2019 fragment-level classification (FLC): SI credit where the technique matches.

    Gold: a sentence of Doubt ``[0, 20)`` with a loaded word ``[5, 10)`` inside.
    Predicted: Doubt ``[0, 10)``, the loaded word exactly, and Name calling
    ``[12, 20)``, which overlaps only gold of another technique:

    * Doubt: 10 shared characters, precision credit 10/10, recall credit 10/20;
    * Loaded language: precision credit 1, recall credit 1;
    * Name calling: no gold span of its technique, no credit (SI would give some).

    precision = (1 + 1 + 0) / 3 predicted spans, recall = (0.5 + 1) / 2 gold spans:

    >>> from proplens.formats.semeval import LabelRow as R
    >>> gold = [R("1", 0, 20, "Doubt"), R("1", 5, 10, "Loaded_Language")]
    >>> pred = [R("1", 0, 10, "Doubt"), R("1", 5, 10, "Loaded_Language"),
    ...         R("1", 12, 20, "Name_Calling,Labeling")]
    >>> score = flc_score(gold, pred)
    >>> round(score.precision, 4), round(score.recall, 4), round(score.f1, 4)
    (0.6667, 0.75, 0.7059)
    >>> score.per_technique["Doubt"]
    SIScore(precision=1.0, recall=0.5, f1=0.6666666666666666, predicted=1, gold=1)
    >>> score.per_technique["Name_Calling,Labeling"].precision
    0.0
    """
    gold_spans, pred_spans = merged_by_technique(gold), merged_by_technique(pred)
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0, 0.0, 0])
    for (article_id, technique), spans in pred_spans.items():
        precision_sum, recall_sum = overlap_sums(spans, gold_spans.get((article_id, technique), []))
        entry = sums[technique]
        entry[0] += precision_sum
        entry[1] += len(spans)
        entry[2] += recall_sum
    for (_, technique), spans in gold_spans.items():
        sums[technique][3] += len(spans)
    per_technique = {}
    for name in sorted(sums, key=_rank):
        p_sum, n_pred, r_sum, n_gold = sums[name]
        precision, recall = _ratio(p_sum, int(n_pred)), _ratio(r_sum, int(n_gold))
        per_technique[name] = SIScore(
            precision, recall, f1_score(precision, recall), int(n_pred), int(n_gold)
        )
    p_sum, n_pred, r_sum, n_gold = (sum(entry[i] for entry in sums.values()) for i in range(4))
    precision, recall = _ratio(p_sum, int(n_pred)), _ratio(r_sum, int(n_gold))
    return FLCScore(
        precision, recall, f1_score(precision, recall), int(n_pred), int(n_gold), per_technique
    )


def overlap_sums(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> tuple[float, float]:
    """SI's precision and recall sums of one article's (merged) predicted and gold spans.

    >>> overlap_sums([(0, 40)], [(0, 10), (20, 30)])
    (0.5, 2.0)
    """
    precision_sum = recall_sum = 0.0
    for p_start, p_end in pred:
        for g_start, g_end in gold:
            overlap = max(0, min(p_end, g_end) - max(p_start, g_start))
            precision_sum += overlap / (p_end - p_start)
            recall_sum += overlap / (g_end - g_start)
    return precision_sum, recall_sum


def merged_by_technique(rows: Iterable[Row]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """Merged spans per ``(article_id, technique)``; rows without a technique are refused."""
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        if row.technique is None:
            raise ValueError(f"FLC scoring needs a technique on every row: {row!r}")
        spans[(row.article_id, row.technique)].append((row.start, row.end))
    return {key: merge_spans(key_spans) for key, key_spans in spans.items()}


def _merged_by_article(rows: Iterable[Row]) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        spans[row.article_id].append((row.start, row.end))
    return {article_id: merge_spans(article_spans) for article_id, article_spans in spans.items()}


TCKey = tuple[str, int, int, str]


def _tc_keys(rows: Iterable[Row]) -> Counter[TCKey]:
    keys: Counter[TCKey] = Counter()
    for row in rows:
        if row.technique is None:
            raise ValueError(f"TC scoring needs a technique on every row: {row!r}")
        keys[(row.article_id, row.start, row.end, row.technique)] += 1
    return keys


def _technique_score(
    name: str, gold: Counter[TCKey], pred: Counter[TCKey], matched: Counter[TCKey]
) -> TechniqueScore:
    n_gold, n_pred, n_matched = (
        sum(n for key, n in counter.items() if key[3] == name) for counter in (gold, pred, matched)
    )
    precision, recall = _ratio(n_matched, n_pred), _ratio(n_matched, n_gold)
    return TechniqueScore(precision, recall, f1_score(precision, recall), n_pred, n_gold, n_matched)


def _total(counter: Counter[TCKey]) -> int:
    return sum(counter.values())


def _ratio(numerator: float, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _rank(name: str) -> tuple[int, str]:
    return (NAMES.index(name) if name in NAMES else len(NAMES), name)
