"""Measures of found sources against the hand-annotated evaluation set.

Definitions (also in docs/sources.md):

* **Attribution detection**: a predicted attribution matches a gold one when
  their source spans overlap by at least one character (one-to-one, greedy by
  overlap size). Precision = matched / predicted, recall = matched / gold.
* **Source kind accuracy**: share of matched pairs whose kinds agree.
* **Verb stance**: over matched pairs, accuracy = share whose stances agree;
  for each stance, precision and recall over the matched pairs (a verb the
  finder called "distancing" that gold calls "distancing", and so on).
* **Quote accuracy**: share of matched pairs whose ``quote`` flags agree.
* **Claim detection**: a predicted claim matches a gold claim when they
  overlap by more than half of the shorter one (one-to-one).
* **Claim attribution accuracy**: over matched claim pairs, the share where
  both are unattributed, or both are attributed and the predicted claim's
  attribution matches the gold claim's attribution (as in attribution
  detection). Unattributed-claim precision/recall is reported too.
* **Hedges**: a predicted hedge or certainty marker matches a gold one of
  the same kind when they overlap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from proplens.sources.results import STANCES, Sources


@dataclass
class Tally:
    """Counts summed over articles; :meth:`report` turns them into figures."""

    counts: Counter = field(default_factory=Counter)
    stance_pairs: Counter = field(default_factory=Counter)
    kind_pairs: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def add(self, gold: Sources, predicted: Sources, text: str = "", name: str = "") -> None:
        c = self.counts
        pairs = _match(gold.attributions, predicted.attributions, _source_overlap)
        c["attr_gold"] += len(gold.attributions)
        c["attr_pred"] += len(predicted.attributions)
        c["attr_match"] += len(pairs)
        gold_to_pred = dict(pairs)
        for g, p in pairs:
            ga, pa = gold.attributions[g], predicted.attributions[p]
            self.kind_pairs[(ga.source.kind, pa.source.kind)] += 1
            self.stance_pairs[(ga.verb.stance, pa.verb.stance)] += 1
            c["quote_agree"] += ga.quote == pa.quote
            if text and ga.source.kind != pa.source.kind:
                self.errors.append(
                    f"{name}: kind {ga.source.kind}->{pa.source.kind}: "
                    f"{text[pa.source.start : pa.source.end]!r}"
                )
        if text:
            matched_gold = {g for g, _ in pairs}
            matched_pred = {p for _, p in pairs}
            for i, a in enumerate(gold.attributions):
                if i not in matched_gold:
                    self.errors.append(f"{name}: missed {text[a.start : a.end]!r}")
            for i, a in enumerate(predicted.attributions):
                if i not in matched_pred:
                    who = text[a.source.start : a.source.end] if a.source else ""
                    self.errors.append(f"{name}: extra {who!r} {text[a.verb.start : a.verb.end]!r}")
        claim_pairs = _match(gold.claims, predicted.claims, _claim_overlap)
        c["claim_gold"] += len(gold.claims)
        c["claim_pred"] += len(predicted.claims)
        c["claim_match"] += len(claim_pairs)
        for g, p in claim_pairs:
            gold_owner = gold.claims[g].attribution
            pred_owner = predicted.claims[p].attribution
            right = (gold_owner is None and pred_owner is None) or (
                gold_owner is not None
                and gold_to_pred.get(gold_owner) == pred_owner
                and pred_owner is not None
            )
            c["claim_attr_right"] += right
            c["unattr_gold"] += gold_owner is None
            c["unattr_pred"] += pred_owner is None
            c["unattr_both"] += gold_owner is None and pred_owner is None
            if text and not right:
                claim = gold.claims[g]
                self.errors.append(
                    f"{name}: claim owner gold={gold_owner} pred={pred_owner}: "
                    f"{text[claim.start : claim.end][:80]!r}"
                )
        for kind in ("hedge", "certainty"):
            gold_h = [h for h in gold.hedges if h.kind == kind]
            pred_h = [h for h in predicted.hedges if h.kind == kind]
            c[f"{kind}_gold"] += len(gold_h)
            c[f"{kind}_pred"] += len(pred_h)
            c[f"{kind}_match"] += len(_match(gold_h, pred_h, _overlap))

    def report(self) -> dict[str, Any]:
        c = self.counts
        matched = c["attr_match"]
        out: dict[str, Any] = {
            "articles": c["articles"],
            "attributions": _prf(c["attr_match"], c["attr_pred"], c["attr_gold"]),
            "source_kind_accuracy": _ratio(
                sum(n for (g, p), n in self.kind_pairs.items() if g == p), matched
            ),
            "source_kind_confusion": {
                f"{g}->{p}": n for (g, p), n in sorted(self.kind_pairs.items())
            },
            "stance_accuracy": _ratio(
                sum(n for (g, p), n in self.stance_pairs.items() if g == p), matched
            ),
            "stance": {stance: self._stance_prf(stance) for stance in STANCES},
            "quote_accuracy": _ratio(c["quote_agree"], matched),
            "claims": _prf(c["claim_match"], c["claim_pred"], c["claim_gold"]),
            "claim_attribution_accuracy": _ratio(c["claim_attr_right"], c["claim_match"]),
            "unattributed_claims": _prf(c["unattr_both"], c["unattr_pred"], c["unattr_gold"]),
        }
        for kind in ("hedge", "certainty"):
            out[kind] = _prf(c[f"{kind}_match"], c[f"{kind}_pred"], c[f"{kind}_gold"])
        return out

    def _stance_prf(self, stance: str) -> dict[str, float | int]:
        both = self.stance_pairs[(stance, stance)]
        predicted = sum(n for (_, p), n in self.stance_pairs.items() if p == stance)
        gold = sum(n for (g, _), n in self.stance_pairs.items() if g == stance)
        return _prf(both, predicted, gold)


def _prf(matched: int, predicted: int, gold: int) -> dict[str, float | int]:
    precision = _ratio(matched, predicted)
    recall = _ratio(matched, gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": round(f1, 4),
        "matched": matched,
        "predicted": predicted,
        "gold": gold,
    }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _match(
    gold: Sequence[Any], predicted: Sequence[Any], overlap: Callable[[Any, Any], int]
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), largest overlaps first."""
    candidates = sorted(
        (
            (overlap(g, p), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(predicted)
            if overlap(g, p) > 0
        ),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def _overlap(a: Any, b: Any) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _source_overlap(a: Any, b: Any) -> int:
    if a.source is None or b.source is None:  # no source: nothing to pair by
        return 0
    return _overlap(a.source, b.source)


def _claim_overlap(a: Any, b: Any) -> int:
    shared = _overlap(a, b)
    shorter = min(a.end - a.start, b.end - b.start)
    return shared if shared * 2 > shorter else 0


def evaluate(pairs: Iterable[tuple[Sources, Sources, str, str]]) -> Tally:
    """Sum the measures over (gold, predicted, text, name) for each article."""
    tally = Tally()
    for gold, predicted, text, name in pairs:
        tally.counts["articles"] += 1
        tally.add(gold, predicted, text, name)
    return tally
