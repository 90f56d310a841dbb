"""Phrases nested per technique (``pipeline/nesting.py``) against decoding alone: SI, TC, FLC.

    python bench/nested_decode.py cache [--data DIR] [--cache DIR]
    python bench/nested_decode.py measure --split training|confirmation [--max-words N ...]
    python bench/nested_decode.py example [--file ../shared/examples/iran-iraq-article.txt]

``cache`` stores the shipped encoder's states of the 371 corpus articles
(``runs/nested-cache``, 670 MB, ignored by git; a few minutes on 2 cores).
``measure`` decodes them both ways (``plain``: Detector II's decoding alone;
``nested``: with phrases, the card's settings unless ``--max-words`` etc. say
otherwise) at the model's default score threshold, and prints as JSON, each
with a 95% bootstrap interval over articles, and the paired differences:
SI F1 (SemEval-2020), FLC (SemEval-2019 fragment-level classification: SI's
partial-overlap formula computed per technique and summed over techniques), and
the median predicted and gold span length. TC (gold spans given) does not
depend on decoding; it is printed once as a check.

The 315 training articles are in-sample for the encoder (its states there are
overconfident), so any choice made on them is biased; the 56 confirmation
articles were never trained on and are measured once (docs/model.md,
"Spans per technique").
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

import proplens
from proplens.formats.semeval import LabelRow
from proplens.intervals import (
    bootstrap,
    flc_article_stats,
    paired_difference,
    si_article_stats,
    si_f1,
    tc_article_stats,
    tc_f1,
)
from proplens.pipeline import predict
from proplens.pipeline.nesting import Nesting, nest_article
from proplens.pipeline.windowing import Tokens
from proplens.techniques import NAMES
from proplens.training.corpus import load_training_data

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ptc-train"
DEFAULT_CACHE = ROOT / "runs" / "nested-cache"
EXAMPLE = ROOT.parent / "shared" / "examples" / "iran-iraq-article.txt"


def cache(args) -> None:
    model = proplens.load().model
    train, confirmation = load_training_data([args.data])
    args.cache.mkdir(parents=True, exist_ok=True)
    start = time.time()
    for e in train + confirmation:
        path = args.cache / f"{e.id}.npz"
        if not path.exists():
            st = model.states(e.text)
            np.savez(
                path, ids=st.tokens.ids, offsets=st.tokens.offsets, states=st.states, bio=st.bio
            )
    print(f"{len(train) + len(confirmation)} articles cached in {time.time() - start:.0f} s")


def load_states(cache_dir: Path, example) -> predict.ArticleStates:
    path = cache_dir / f"{example.id}.npz"
    if not path.exists():
        sys.exit(f"{path}: not cached; run `python bench/nested_decode.py cache` first")
    with np.load(path, allow_pickle=False) as d:
        return predict.ArticleStates(
            example.text, Tokens(d["ids"], d["offsets"]), d["states"], d["bio"]
        )


def detect(model, states: predict.ArticleStates, nesting: Nesting | None):
    """``(start, end, technique, score)`` spans, decoded alone or with phrases proposed."""
    found = predict.candidates(states, model.heads, model.decoding, model.classifier)
    if nesting is not None:
        found = nest_article(
            states,
            model.heads,
            model.classifier,
            found,
            model.calibration,
            model.decoding.threshold,
            nesting,
        )
    return predict.scored_spans(found, model.calibration, NAMES)


def measure(args) -> None:
    model = proplens.load().model
    train, confirmation = load_training_data([args.data])
    examples = confirmation if args.split == "confirmation" else train
    if args.limit:
        examples = examples[: args.limit]
    ids = [e.id for e in examples]
    cut = model.default_threshold
    gold = [LabelRow(e.id, s, end, t) for e in examples for s, end, t in e.spans]
    gold_si = [LabelRow(r.article_id, r.start, r.end) for r in gold]
    variants = {"plain": None, "nested": nesting_of(args)}
    rows = {name: [] for name in variants}
    tc_rows = []
    seconds = dict.fromkeys(variants, 0.0)
    for e in examples:
        states = load_states(args.cache, e)
        for name, nesting in variants.items():
            t0 = time.perf_counter()
            spans = detect(model, states, nesting)
            seconds[name] += time.perf_counter() - t0
            rows[name] += [LabelRow(e.id, s, end, t) for s, end, t, score in spans if score >= cut]
        spans = [(s, end) for s, end, _ in e.spans]
        if spans:
            probs = predict.technique_probs(states, model.heads, spans, model.classifier)
            chosen = predict.assign_template(probs, spans)
            tc_rows += [
                LabelRow(e.id, s, end, NAMES[c]) for (s, end), c in zip(spans, chosen, strict=True)
            ]
    report = {
        "split": args.split,
        "articles": len(examples),
        "default_threshold": cut,
        "nesting": vars(variants["nested"]),
        "tc_micro_f1": bootstrap(
            tc_article_stats(gold, tc_rows, ids), tc_f1, args.resamples
        ).to_dict(),
        "gold_median_chars": float(np.median([r.end - r.start for r in gold])),
    }
    stats = {}
    for name, pred in rows.items():
        si = si_article_stats(gold_si, [LabelRow(r.article_id, r.start, r.end) for r in pred], ids)
        flc = flc_article_stats(gold, pred, ids)
        stats[name] = (si, flc)
        lengths = [r.end - r.start for r in pred]
        report[name] = {
            "spans": len(pred),
            "si_f1": bootstrap(si, si_f1, args.resamples).to_dict(),
            "si_precision": round(si.sum(0)[0] / max(1, si.sum(0)[1]), 4),
            "si_recall": round(si.sum(0)[2] / max(1, si.sum(0)[3]), 4),
            "flc_f1": bootstrap(flc, si_f1, args.resamples).to_dict(),
            "flc_precision": round(flc.sum(0)[0] / max(1, flc.sum(0)[1]), 4),
            "flc_recall": round(flc.sum(0)[2] / max(1, flc.sum(0)[3]), 4),
            "median_chars": float(np.median(lengths)) if lengths else 0.0,
            "decode_ms_per_article": round(1000 * seconds[name] / len(examples), 1),
            "flc_per_technique": per_technique(gold, pred, ids),
        }
    si_diff = paired_difference(stats["plain"][0], stats["nested"][0], si_f1, args.resamples)
    report["si_difference_unrounded"] = [si_diff.value, si_diff.low, si_diff.high]
    report["nested_minus_plain"] = {
        "si_f1": paired_difference(
            stats["plain"][0], stats["nested"][0], si_f1, args.resamples
        ).to_dict(),
        "flc_f1": paired_difference(
            stats["plain"][1], stats["nested"][1], si_f1, args.resamples
        ).to_dict(),
    }
    print(json.dumps(report, indent=2))


def per_technique(gold, pred, ids) -> dict:
    out = {}
    for name in NAMES:
        g = [r for r in gold if r.technique == name]
        p = [r for r in pred if r.technique == name]
        totals = flc_article_stats(g, p, ids).sum(0)
        out[name] = {"predicted": len(p), "gold": len(g), "f1": round(si_f1(totals), 4)}
    return out


def example(args) -> None:
    model = proplens.load().model
    text = args.file.read_text(encoding="utf-8")
    states = model.states(text)
    for name, nesting in (("plain", None), ("nested", nesting_of(args))):
        print(f"== {name} (score >= {model.default_threshold})")
        for s, end, t, score in detect(model, states, nesting):
            if score >= model.default_threshold:
                print(f"{s:5d} {end:5d} {score:.3f} {t:36s} {text[s:end]!r}")


def nesting_of(args) -> Nesting:
    return Nesting(
        max_words=args.max_words,
        per_span=args.per_span,
        tighten=args.tighten,
        nest_inside=not args.no_nest,
        min_score=args.min_score,
        confident=not args.all_phrases,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("cache", "measure", "example"))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--split", choices=("training", "confirmation"), default="training")
    parser.add_argument("--limit", type=int, default=0, help="first N articles only")
    parser.add_argument("--max-words", type=int, default=Nesting().max_words)
    parser.add_argument("--per-span", type=int, default=Nesting().per_span)
    parser.add_argument("--tighten", action="store_true")
    parser.add_argument("--no-nest", action="store_true")
    parser.add_argument("--all-phrases", action="store_true", help="no P(inside) prefilter")
    parser.add_argument("--min-score", type=float, default=Nesting().min_score)
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--file", type=Path, default=EXAMPLE)
    args = parser.parse_args()
    if not (args.data / "articles").is_dir():
        sys.exit(f"no PTC-format data at {args.data}")
    {"cache": cache, "measure": measure, "example": example}[args.command](args)


if __name__ == "__main__":
    main()
