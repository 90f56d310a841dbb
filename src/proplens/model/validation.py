"""Measure a model on the validation split and choose its decoding and calibration there.

Pure numpy on top of ``predict``: training (torch encoder) and export (the int8
ONNX encoder) both call :func:`measure` and :func:`calibrate`, so the numbers in
the shipped card are measured on the shipped runtime.
"""

from __future__ import annotations

import numpy as np

from proplens.formats.semeval import LabelRow
from proplens.model import calibration, predict
from proplens.model.corpus import Example
from proplens.model.decode import Decoding
from proplens.model.heads import Heads
from proplens.scoring import si_score, tc_score
from proplens.techniques import NAMES

THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
MERGE_GAPS = (0, 1, 2, 3, 4)
QUICK_GRID = ((0.15, 0), (0.25, 0), (0.25, 3), (0.35, 0), (0.35, 3), (0.45, 0), (0.45, 3))
"""Decoding settings tried after each epoch; the full grid runs once on the chosen model."""


def measure(
    examples: list[Example], states: list[predict.ArticleStates], heads: Heads, full_grid: bool
) -> dict:
    """SI scores at the best decoding setting, TC micro-F1 on gold spans, per technique too."""
    gold_si = {ex.id: [(s, e) for s, e, _ in ex.spans] for ex in examples}
    grid = [(t, g) for t in THRESHOLDS for g in MERGE_GAPS] if full_grid else QUICK_GRID
    best = None
    for threshold, gap in grid:
        decoding = Decoding(threshold, gap)
        pred = {
            ex.id: [
                (s, e) for s, e, _ in predict.decode(st.bio, st.tokens.offsets, ex.text, decoding)
            ]
            if len(st.tokens)
            else []
            for ex, st in zip(examples, states, strict=True)
        }
        p, r, f = si_prf(gold_si, pred)
        if best is None or f > best["si_f1"]:
            best = {
                "si_precision": p,
                "si_recall": r,
                "si_f1": f,
                "decoding": {"threshold": threshold, "merge_gap": gap, "min_chars": 2},
            }
    gold_tc, pred_tc = [], []
    for ex, st in zip(examples, states, strict=True):
        spans = [(s, e) for s, e, _ in ex.spans]
        probs = predict.technique_probs(st, heads, spans)
        chosen = predict.assign_template(probs, spans) if spans else []
        gold_tc += [(ex.id, s, e, t) for s, e, t in ex.spans]
        pred_tc += [(ex.id, s, e, NAMES[c]) for (s, e), c in zip(spans, chosen, strict=True)]
    best["tc_micro_f1"], best["tc_per_technique"] = tc_f1(gold_tc, pred_tc)
    best["_states"] = states
    return best


def si_prf(gold: dict[str, list], pred: dict[str, list]) -> tuple[float, float, float]:
    """SemEval-2020 SI precision, recall and F1 of ``{article: [(start, end)]}`` maps."""
    score = si_score(_rows(gold), _rows(pred))
    return score.precision, score.recall, score.f1


def _rows(spans: dict[str, list]) -> list[LabelRow]:
    return [LabelRow(article, s, e) for article, pairs in spans.items() for s, e in pairs]


def tc_f1(gold: list[tuple], pred: list[tuple]) -> tuple[float, dict]:
    """Micro-F1 of ``(article, start, end, technique)`` rows, and F1 per technique."""
    score = tc_score([LabelRow(*g) for g in gold], [LabelRow(*p) for p in pred])
    per = {
        name: {
            "f1": round(t.f1, 4),
            "precision": round(t.precision, 4),
            "recall": round(t.recall, 4),
            "gold": t.gold,
        }
        for name, t in score.per_technique.items()
    }
    return score.f1, per


def calibrate(
    model_heads, examples: list[Example], states, decoding: dict
) -> tuple[calibration.Calibration, list, dict]:
    """Fit the calibration on validation; report a 2-fold cross-fitted reliability table."""
    settings = Decoding(**decoding)
    rows = []  # (fold, p_span, p_tech, right)
    for index, (ex, st) in enumerate(zip(examples, states, strict=True)):
        for cand in predict.candidates(st, model_heads, settings):
            best = int(cand.technique_probs.argmax())
            right = calibration.is_right(cand.start, cand.end, NAMES[best], ex.spans)
            rows.append((index % 2, cand.span_confidence, float(cand.technique_probs[best]), right))
    if len(rows) < 10:
        return calibration.Calibration(), [], {}
    arr = np.array(rows, dtype=np.float64)
    scores = np.zeros(len(arr))
    for fold in (0, 1):
        train_rows, test_rows = arr[arr[:, 0] != fold], arr[arr[:, 0] == fold]
        fitted = calibration.fit(train_rows[:, 1], train_rows[:, 2], train_rows[:, 3])
        scores[arr[:, 0] == fold] = fitted.score(test_rows[:, 1], test_rows[:, 2])
    final = calibration.fit(arr[:, 1], arr[:, 2], arr[:, 3])
    table = calibration.reliability_table(scores, arr[:, 3])
    summary = {
        "spans": len(arr),
        "right": round(float(arr[:, 3].mean()), 4),
        "brier_cross_fitted": round(float(np.mean((scores - arr[:, 3]) ** 2)), 4),
    }
    return final, table, summary
