"""A span score with more inputs, and the default threshold, chosen on out-of-fold articles.

    # 1. rows: each fold model on its own fold's held-out articles, every span at threshold 0
    python bench/span_rescore.py rows --fold 0=/work/fold0-model --fold 1=/work/fold1-model \\
        --cv runs/cv --out /work/rescore-rows.json
    # 2. choose on those rows only (article-grouped cross-fitting), print the comparison
    python bench/span_rescore.py compare --rows /work/rescore-rows.json
    # 3. once, after the protocol is written down: the shipped model on the confirmation split
    python bench/span_rescore.py rows --confirmation --out /work/rescore-confirmation.json
    python bench/span_rescore.py confirm --rows /work/rescore-rows.json \\
        --confirmation-rows /work/rescore-confirmation.json
    # the same, with the choice 'compare' printed kept in a file (no text in it)
    python bench/span_rescore.py compare --rows /work/rescore-rows.json > span-rescore.json
    python bench/span_rescore.py confirm --choice span-rescore.json \\
        --confirmation-rows /work/rescore-confirmation.json
    # two recipes' fold models on the same articles (rows of each), (c) each, B minus A paired
    python bench/span_rescore.py recipes --rows /work/rows-a.json --rows-b /work/rows-b.json

Three ways to score and cut the spans are compared (docs/model.md, "More
inputs to the span score"): (a) the shipped score at the shipped default
threshold 0.1; (b) the shipped score at a threshold chosen on out-of-fold
articles; (c) :class:`proplens.pipeline.rescore.SpanRescore` (a logistic
regression on :data:`~proplens.pipeline.rescore.FEATURES`) at its own
threshold chosen the same way. The threshold objective, fixed before any
figure was seen: the largest SI F1 + FLC F1 over thresholds 0.00, 0.01, ...,
0.60 on the articles the choice may look at. Rescoring applies after every
choice of spans, like the phrase rescale, so only which spans pass the
threshold (and the numbers shown) change; TC (gold spans given) cannot move.

``compare`` cross-fits over the two folds: for each fold, the rescore is
fitted on the other fold's spans and both thresholds are chosen there (on
scores the other fold's own 5 article groups cross-fitted), then that fold's
articles are scored. It prints log-loss and Brier score of the scores, and SI
and FLC of the three, with 95% intervals over the 126 articles and paired
differences against (a). The choice that would ship is then fitted on all
126 articles (threshold on their 5-group cross-fitted scores).

``confirm`` measures that choice once on the confirmation split and applies
the rule fixed in docs/model.md; ``--card DIR`` then writes ``span_rescore``
and ``default_threshold`` into that model's card (only if the rule says ship).

The row files hold offsets and labels of licensed articles: keep them outside
the repository. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

import proplens
from proplens.errors import ModelError
from proplens.formats.semeval import LabelRow
from proplens.intervals import (
    bootstrap,
    flc_article_stats,
    flc_f1,
    paired_difference,
    si_article_stats,
    si_f1,
)
from proplens.pipeline import predict
from proplens.pipeline.calibration import is_right
from proplens.pipeline.nesting import nest_article
from proplens.pipeline.rescore import FEATURES, SpanRescore, fit, span_features
from proplens.pipeline.sentence_cut import cut_article
from proplens.techniques import NAMES
from proplens.training.corpus import load_training_data

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc-train"
THRESHOLDS = np.round(np.arange(0.0, 0.605, 0.01), 2)
GROUPS = 5  # article groups of the inner cross-fitting
L2 = 1.0  # fixed before any figure was seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    rows = sub.add_parser("rows", help="run models, cache every span with inputs and labels")
    rows.add_argument("--data", type=Path, default=DEFAULT_DATA)
    rows.add_argument("--fold", action="append", default=[], help="FOLD=MODEL_DIR (repeat)")
    rows.add_argument("--cv", type=Path, help="the cross-validation folder (its folds.json)")
    rows.add_argument("--confirmation", action="store_true", help="the shipped model instead")
    rows.add_argument("--model", default=None, help="shipped model folder (default: the package's)")
    rows.add_argument("--out", type=Path, required=True)
    compare = sub.add_parser("compare", help="choose on out-of-fold rows, print the comparison")
    compare.add_argument("--rows", type=Path, required=True)
    compare.add_argument("--resamples", type=int, default=2000)
    confirm = sub.add_parser("confirm", help="measure the choice once on the confirmation rows")
    confirm.add_argument("--rows", type=Path, help="out-of-fold rows to choose on")
    confirm.add_argument(
        "--choice",
        type=Path,
        help="instead of --rows: the choice 'compare' printed on them, kept (it holds no text)",
    )
    confirm.add_argument("--confirmation-rows", type=Path, required=True)
    confirm.add_argument("--resamples", type=int, default=2000)
    confirm.add_argument("--card", type=Path, help="model folder whose card gets the choice")
    recipes = sub.add_parser(
        "recipes", help="two recipes' fold models on the same articles, (c) each, paired"
    )
    recipes.add_argument("--rows", type=Path, required=True, help="rows of recipe A")
    recipes.add_argument("--rows-b", type=Path, required=True, help="rows of recipe B")
    recipes.add_argument("--resamples", type=int, default=2000)
    args = parser.parse_args()
    if args.mode == "rows":
        _rows(parser, args)
    elif args.mode == "compare":
        print(json.dumps(compare_report(_read(parser, args.rows), args.resamples), indent=2))
    elif args.mode == "recipes":
        a, b = _read(parser, args.rows), _read(parser, args.rows_b)
        if sorted((x["group"], x["id"]) for x in a) != sorted((x["group"], x["id"]) for x in b):
            parser.error("recipes: the two row files must hold the same articles in the same folds")
        print(json.dumps(recipes_report(a, b, args.resamples), indent=2))
    else:
        _confirm(parser, args)


# ---------------------------------------------------------------- rows


def _rows(parser, args) -> None:
    if args.confirmation == bool(args.fold):
        parser.error("rows: give --fold FOLD=DIR (with --cv) or --confirmation, not both")
    if not (args.data / "articles").is_dir():
        sys.exit(f"no PTC-format data at {args.data}")
    train, confirmation = load_training_data([args.data])
    shipped = _load(parser, args.model)
    phrase_cal = shipped.phrase_calibration
    confirm_ids = set(shipped.card["training_data"]["confirmation_articles"])
    if args.confirmation:
        jobs = [("confirmation", shipped, confirmation)]
    else:
        if args.cv is None:
            parser.error("rows: --fold needs --cv")
        try:
            folds = json.loads((args.cv / "folds.json").read_text(encoding="utf-8"))["folds"]
        except (OSError, ValueError, KeyError, TypeError):
            parser.error(f"--cv {args.cv}: no readable folds.json")
        by_id = {e.id: e for e in train}
        jobs = []
        for given in args.fold:
            fold_text, _, folder = given.partition("=")
            if not fold_text.isdigit() or not folder:
                parser.error(f"--fold {given!r}: expected FOLD=MODEL_DIR")
            fold = int(fold_text)
            ids = sorted(str(a) for a, f in folds.items() if f == fold)
            if not ids:
                parser.error(f"--fold {fold}: folds.json lists no article in that fold")
            if set(ids) & confirm_ids:
                parser.error(f"--fold {fold} holds confirmation articles")
            missing = [i for i in ids if i not in by_id]
            if missing:
                parser.error(f"--fold {fold}: articles not in {args.data}: {missing[:3]}")
            model = _load(parser, folder)
            made = (model.card.get("fold_model") or {}).get("fold", fold)
            if made != fold:
                parser.error(f"--fold {given}: that model is fold {made}'s")
            jobs.append((str(fold), model, [by_id[i] for i in ids]))
    articles = []
    for group, model, examples in jobs:
        model.phrase_calibration = phrase_cal  # the score a reader of the shipped model sees
        model.span_rescore = None  # its inputs are the scores before any rescore
        for n, example in enumerate(examples, 1):
            articles.append({"group": group, **article_rows(model, example)})
            print(f"{group}: {n}/{len(examples)}", file=sys.stderr, flush=True)
    args.out.write_text(
        json.dumps({"features": list(FEATURES), "articles": articles}), encoding="utf-8"
    )
    print(
        f"{sum(len(a['spans']) for a in articles)} spans of {len(articles)} articles -> {args.out}"
    )


def article_rows(model, example) -> dict:
    """Every span the model shows in ``example`` at threshold 0, with its inputs and labels."""
    states = model.states(example.text)
    found = predict.candidates(states, model.heads, model.decoding, model.classifier)
    if model.sentence_cut is not None:
        found = cut_article(states, model.heads, model.classifier, found, model.sentence_cut)
    if model.nesting is not None:
        found = nest_article(
            states,
            model.heads,
            model.classifier,
            found,
            model.calibration,
            model.decoding.threshold,
            model.nesting,
        )
    scored = predict.scored_spans(found, model.calibration, NAMES, model.phrase_calibration)
    assert scored == model.spans(states), "rows differ from what the model shows"
    p_span = np.array([c.span_confidence for c in found])
    p_tech = np.array([float(c.technique_probs.max()) for c in found])
    phrase = np.array([c.phrase for c in found])
    features = span_features(
        example.text, states.tokens.offsets, states.bio, scored, p_span, p_tech, phrase, states.cues
    )
    gold = [(int(s), int(e), t) for s, e, t in example.spans]
    spans = []
    for (start, end, technique, score), row in zip(scored, features, strict=True):
        spans.append(
            {
                "start": start,
                "end": end,
                "technique": technique,
                "score": score,
                "right": is_right(start, end, technique, gold),
                "overlap_any": _covered(start, end, [(s, e) for s, e, _ in gold]),
                "overlap_same": _covered(
                    start, end, [(s, e) for s, e, t in gold if t == technique]
                ),
                "features": [round(float(v), 6) for v in row],
            }
        )
    return {"id": example.id, "chars": len(example.text), "gold": gold, "spans": spans}


def _covered(start: int, end: int, gold: list[tuple[int, int]]) -> int:
    """Characters of ``[start, end)`` covered by any of ``gold``."""
    mask = np.zeros(end - start, dtype=bool)
    for s, e in gold:
        lo, hi = max(s, start), min(e, end)
        if hi > lo:
            mask[lo - start : hi - start] = True
    return int(mask.sum())


def _load(parser, folder):
    try:
        return proplens.load(folder).model
    except ModelError as err:
        parser.error(str(err))


def _read(parser, path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        parser.error(f"{path}: cannot read rows ({err})")
    if data.get("features") != list(FEATURES):
        parser.error(f"{path}: rows of other inputs; run `rows` again")
    return data["articles"]


# ---------------------------------------------------------------- measures


class Rows:
    """The spans of some articles as arrays, and the article each belongs to."""

    def __init__(self, articles: list[dict]):
        self.articles = articles
        self.ids = [a["id"] for a in articles]
        spans = [(a["id"], s) for a in articles for s in a["spans"]]
        self.article = np.array([i for i, _ in spans])
        self.x = np.array([s["features"] for _, s in spans]).reshape(-1, len(FEATURES))
        self.y = np.array([s["right"] for _, s in spans], dtype=float)
        self.score = np.array([s["score"] for _, s in spans], dtype=float)
        self.spans = [(i, s["start"], s["end"], s["technique"]) for i, s in spans]
        self.gold = [LabelRow(a["id"], s, e, t) for a in articles for s, e, t in a["gold"]]

    def subset(self, ids: set[str]) -> Rows:
        return Rows([a for a in self.articles if a["id"] in ids])

    def stats(self, scores: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
        """Per-article SI and FLC statistics of the spans scoring ``threshold`` or more."""
        kept = [
            LabelRow(i, s, e, t)
            for (i, s, e, t), v in zip(self.spans, scores, strict=True)
            if v >= threshold
        ]
        si = si_article_stats(
            self.gold, [LabelRow(r.article_id, r.start, r.end) for r in kept], self.ids
        )
        return si, flc_article_stats(self.gold, kept, self.ids)

    def objective(self, scores: np.ndarray, threshold: float) -> float:
        si, flc = self.stats(scores, threshold)
        return si_f1(si.sum(axis=0)) + flc_f1(flc.sum(axis=0))


def choose_threshold(rows: Rows, scores: np.ndarray) -> float:
    """The threshold of :data:`THRESHOLDS` with the largest SI F1 + FLC F1 (the lowest on ties)."""
    values = [rows.objective(scores, t) for t in THRESHOLDS]
    return float(THRESHOLDS[int(np.argmax(values))])


def groups_of(ids: list[str], k: int = GROUPS) -> dict[str, int]:
    """Articles into ``k`` groups at random (seed 0), for the inner cross-fitting."""
    order = np.random.default_rng(0).permutation(len(ids))
    return {ids[i]: n % k for n, i in enumerate(order)}


def cross_fitted(rows: Rows, k: int = GROUPS) -> np.ndarray:
    """Each span's rescore by a fit on the other article groups."""
    group = groups_of(sorted(rows.ids), k)
    g = np.array([group[a] for a in rows.article])
    out = np.empty(len(rows.y))
    for n in range(k):
        held = g == n
        out[held] = fit(rows.x[~held], rows.y[~held], L2).score(rows.x[held])
    return out


def choose(rows: Rows) -> dict:
    """On these rows only: (b)'s threshold, (c)'s fit and its threshold."""
    return {
        "b_threshold": choose_threshold(rows, rows.score),
        "c": fit(rows.x, rows.y, L2),
        "c_threshold": choose_threshold(rows, cross_fitted(rows)),
    }


def _loss(scores: np.ndarray, y: np.ndarray) -> dict:
    p = np.clip(scores, 1e-6, 1 - 1e-6)
    return {
        "log_loss": round(float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))), 4),
        "brier": round(float(np.mean((scores - y) ** 2)), 4),
        "auc": round(_auc(scores, y), 4),
    }


def _brier_minus(a: np.ndarray, b: np.ndarray, rows: Rows, resamples: int) -> dict:
    """Brier(b) - Brier(a) on the same spans, with a 95% interval over articles."""
    stats = np.array(
        [
            [
                ((a - rows.y) ** 2)[rows.article == n].sum(),
                ((b - rows.y) ** 2)[rows.article == n].sum(),
                (rows.article == n).sum(),
            ]
            for n in rows.ids
        ]
    )
    return bootstrap(stats, lambda t: (t[1] - t[0]) / t[2], resamples).to_dict()


def _auc(scores: np.ndarray, y: np.ndarray) -> float:
    """Chance that a right span outscores a wrong one (ties count half): how well they part."""
    right, wrong = scores[y == 1], scores[y == 0]
    if not len(right) or not len(wrong):
        return float("nan")
    order = np.sort(wrong)
    below = np.searchsorted(order, right, side="left")
    ties = np.searchsorted(order, right, side="right") - below
    return float((below + 0.5 * ties).sum() / (len(right) * len(wrong)))


def measure(rows: Rows, ways: dict[str, tuple[np.ndarray, float]], resamples: int) -> dict:
    """SI and FLC of each way with intervals, and each way minus (a), paired over articles."""
    report = {}
    stats = {name: rows.stats(s, t) for name, (s, t) in ways.items()}
    for name, (scores, threshold) in ways.items():
        si, flc = stats[name]
        kept = int((scores >= threshold).sum())
        entry = {
            "threshold": threshold,
            "spans": kept,
            "si_f1": bootstrap(si, si_f1, resamples).to_dict(),
            "si_precision": round(float(si.sum(0)[0] / max(1, si.sum(0)[1])), 4),
            "si_recall": round(float(si.sum(0)[2] / max(1, si.sum(0)[3])), 4),
            "flc_f1": bootstrap(flc, flc_f1, resamples).to_dict(),
            **_loss(scores, rows.y),
        }
        if name != "a":
            a_si, a_flc = stats["a"]
            entry["si_minus_a"] = paired_difference(a_si, si, si_f1, resamples).to_dict()
            entry["flc_minus_a"] = paired_difference(a_flc, flc, flc_f1, resamples).to_dict()
        report[name] = entry
    return report


def cross_fitted_ways(rows: Rows, articles: list[dict]) -> dict:
    """(b) and (c) of every span, each fold's scores and threshold chosen on the other folds.

    ``b``/``c``: the spans' scores; ``b_cut``/``c_cut``: the threshold that
    applies to each span (its fold's); ``per_fold``: what was chosen where.
    """
    folds = sorted({a["group"] for a in articles})
    b_scores, c_scores = rows.score.copy(), np.empty(len(rows.y))
    b_cut, c_cut = np.empty(len(rows.y)), np.empty(len(rows.y))
    per_fold = {}
    for fold in folds:
        train = rows.subset({a["id"] for a in articles if a["group"] != fold})
        chosen = choose(train)
        test = np.isin(rows.article, [a["id"] for a in articles if a["group"] == fold])
        c_scores[test] = chosen["c"].score(rows.x[test])
        b_cut[test], c_cut[test] = chosen["b_threshold"], chosen["c_threshold"]
        per_fold[fold] = {
            "fitted_on": sorted(set(folds) - {fold}),
            "b_threshold": chosen["b_threshold"],
            "c_threshold": chosen["c_threshold"],
        }
    return {"b": b_scores, "b_cut": b_cut, "c": c_scores, "c_cut": c_cut, "per_fold": per_fold}


def compare_report(articles: list[dict], resamples: int, shipped_threshold: float = 0.1) -> dict:
    """(a), (b), (c) on out-of-fold rows, cross-fitted over the two folds."""
    rows = Rows(articles)
    crossed = cross_fitted_ways(rows, articles)
    b_scores, c_scores, per_fold = crossed["b"], crossed["c"], crossed["per_fold"]
    # each fold's spans cut at the threshold chosen on the other fold: shift so one cut is 0
    ways = {
        "a": (rows.score, shipped_threshold),
        "b": (b_scores - crossed["b_cut"], 0.0),
        "c": (c_scores - crossed["c_cut"], 0.0),
    }
    report = measure(rows, ways, resamples)
    for name, scores in (("b", b_scores), ("c", c_scores)):
        report[name].update(_loss(scores, rows.y))
        report[name]["threshold"] = "per fold (below)"
    report["c"]["brier_minus_a"] = _brier_minus(rows.score, c_scores, rows, resamples)
    final = choose(rows)
    return {
        "articles": len(rows.ids),
        "spans": len(rows.y),
        "right": round(float(rows.y.mean()), 4),
        "objective": "max SI F1 + FLC F1 over thresholds 0.00-0.60",
        "l2": L2,
        "cross_fitted": report,
        "per_fold_choices": per_fold,
        "final": {
            "b_threshold": final["b_threshold"],
            "c_threshold": final["c_threshold"],
            "c": final["c"].to_dict(),
        },
    }


def recipes_report(a_articles: list[dict], b_articles: list[dict], resamples: int) -> dict:
    """Two recipes' fold models on the same out-of-fold articles, each read the shipped way.

    Each recipe gets its own span rescore and threshold, cross-fitted over the
    folds exactly as ``compare``'s (c), so neither is read with choices fitted to
    the other's scores; SI and FLC of B minus A are paired over articles, and
    the median length of the spans shown is given for both.
    """
    report, stats = {}, {}
    for name, given in (("a", a_articles), ("b", b_articles)):
        articles = sorted(given, key=lambda a: a["id"])  # the same order for the pairing
        rows = Rows(articles)
        crossed = cross_fitted_ways(rows, articles)
        above_cut = crossed["c"] - crossed["c_cut"]  # each fold cut at its own threshold
        shown = above_cut >= 0.0
        stats[name] = rows.stats(above_cut, 0.0)
        si, flc = stats[name]
        lengths = [e - s for (_, s, e, _), kept in zip(rows.spans, shown, strict=True) if kept]
        report[name] = {
            "articles": len(rows.ids),
            "spans_shown": int(shown.sum()),
            "median_span_chars": float(np.median(lengths)) if lengths else None,
            "si_f1": bootstrap(si, si_f1, resamples).to_dict(),
            "flc_f1": bootstrap(flc, flc_f1, resamples).to_dict(),
            "per_fold": crossed["per_fold"],
        }
    (a_si, a_flc), (b_si, b_flc) = stats["a"], stats["b"]
    report["b_minus_a"] = {
        "si_f1": paired_difference(a_si, b_si, si_f1, resamples).to_dict(),
        "flc_f1": paired_difference(a_flc, b_flc, flc_f1, resamples).to_dict(),
    }
    return report


# ---------------------------------------------------------------- confirm


def candidate_of(report: dict) -> str:
    """(c) if its cross-fitted SI F1 + FLC F1 beats (b)'s on out-of-fold articles, else (b)."""
    crossed = report["cross_fitted"]
    total = {k: crossed[k]["si_f1"]["value"] + crossed[k]["flc_f1"]["value"] for k in "bc"}
    return "c" if total["c"] > total["b"] else "b"


def ships(entry: dict) -> bool:
    """The rule fixed before the confirmation figures (docs/model.md)."""
    si, flc = entry["si_minus_a"], entry["flc_minus_a"]
    return si["value"] >= 0 and si["low"] > -0.005 and flc["value"] >= 0


def confirm_report(
    oof: list[dict] | None, confirmation: list[dict], resamples: int, chosen: dict | None = None
) -> dict:
    """The choice made on ``oof`` measured once on ``confirmation``, and the rule's verdict.

    ``chosen``: the choice ``compare_report`` made on the out-of-fold rows
    earlier (kept when the fold models that gave the rows are gone), in place of ``oof``.
    """
    if chosen is None:
        chosen = compare_report(oof, resamples)
    candidate = candidate_of(chosen)
    final = chosen["final"]
    rescore = SpanRescore.from_card(final["c"])
    rows = Rows(confirmation)
    ways = {
        "a": (rows.score, 0.1),
        "b": (rows.score, final["b_threshold"]),
        "c": (rescore.score(rows.x), final["c_threshold"]),
    }
    measured = measure(rows, ways, resamples)
    measured["c"]["brier_minus_a"] = _brier_minus(rows.score, ways["c"][0], rows, resamples)
    return {
        "articles": len(rows.ids),
        "spans": len(rows.y),
        "right": round(float(rows.y.mean()), 4),
        "candidate": candidate,
        "confirmation": measured,
        "ships": ships(measured[candidate]),
        "out_of_fold": chosen,
    }


def _read_choice(parser, path: Path) -> dict:
    """A ``compare`` report kept in a file, checked to hold the final choice."""
    try:
        chosen = json.loads(path.read_text(encoding="utf-8"))
        final = chosen["final"]
        SpanRescore.from_card(final["c"])
        float(final["b_threshold"]), float(final["c_threshold"])
        chosen["cross_fitted"]["c"]["si_f1"]["value"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        parser.error(f"--choice {path}: not a report of 'span_rescore.py compare' ({err!r})")
    return chosen


def _confirm(parser, args) -> None:
    if (args.rows is None) == (args.choice is None):
        parser.error("confirm: give --rows or --choice, not both")
    confirmation = _read(parser, args.confirmation_rows)
    if {a["group"] for a in confirmation} != {"confirmation"}:
        parser.error(f"{args.confirmation_rows}: not rows of the confirmation split")
    if args.choice is not None:
        report = confirm_report(
            None, confirmation, args.resamples, _read_choice(parser, args.choice)
        )
    else:
        oof = _read(parser, args.rows)
        if {a["id"] for a in oof} & {a["id"] for a in confirmation}:
            parser.error("out-of-fold rows and confirmation rows share articles")
        report = confirm_report(oof, confirmation, args.resamples)
    print(json.dumps(report, indent=2))
    if args.card is None:
        return
    if not report["ships"]:
        sys.exit("the rule says do not ship: card not written")
    from proplens.training.export import record

    final = report["out_of_fold"]["final"]
    given = "--rows ROWS" if args.choice is None else f"--choice {args.choice}"
    command = f"python bench/span_rescore.py confirm {given} --confirmation-rows ROWS --card"
    if report["candidate"] == "c":
        entry = {**final["c"], "fitted": {"command": command, **report}}
        entry["fitted"].pop("out_of_fold")
        entry["fitted"]["out_of_fold"] = report["out_of_fold"]["cross_fitted"]
        record(args.card, "span_rescore", entry)
        record(args.card, "default_threshold", final["c_threshold"])
    else:
        record(args.card, "default_threshold", final["b_threshold"])


if __name__ == "__main__":
    main()
