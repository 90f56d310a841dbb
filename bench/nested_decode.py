"""Decodings compared on the same encoder states: SI, TC, FLC, span lengths, paired.

    python bench/nested_decode.py cache [--data DIR] [--cache DIR]
    python bench/nested_decode.py gold [--rate 0.1]
    python bench/nested_decode.py measure --split training|confirmation [--cut] [--per-span N]
        [--long-words N] [--max-words N ...] [--variant JSON ...]
    python bench/nested_decode.py example [--file ../shared/examples/iran-iraq-article.txt]

``cache`` stores the shipped encoder's states of the 371 corpus articles
(``runs/nested-cache``, 670 MB, ignored by git; a few minutes on 2 cores).
``gold`` prints how often each technique's TRAINING gold spans cross a
sentence start (the runtime's sentences) and which fall under ``--rate``: the
card's ``sentence_cut``. ``measure`` decodes the cached states the shipped
card's way (``shipped``) and each candidate's way (a ``--variant`` JSON in the
card's form, ``{"sentence_cut": ..., "nesting": ...}``, or one built from the
flags) at the model's default score threshold, and prints as JSON, each with a
95% bootstrap interval over articles, and the paired differences against
``shipped``: SI F1 (SemEval-2020), FLC (SemEval-2019 fragment-level
classification: SI's partial-overlap formula computed per technique and summed
over techniques) and per technique, the span count, the median predicted span
against the gold median, and the share of spans crossing a sentence start. TC
(gold spans given) does not depend on decoding; it is printed once as a check.

The 315 training articles are in-sample for the encoder (its states there are
overconfident), so any choice made on them is biased; the 56 confirmation
articles were never trained on and are measured once per round (docs/model.md,
"Spans per technique": round 1, then round 2).
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
from proplens.pipeline.nesting import PHRASE_LEVEL, Nesting, sentence_bounds
from proplens.pipeline.sentence_cut import SentenceCut
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


def detect(model, states: predict.ArticleStates, variant: dict):
    """``(start, end, technique, score)`` spans of one decoding ``variant`` (see ``variants``)."""
    return model.spans(states, variant["sentence_cut"], variant["nesting"])


def candidates(args) -> list[dict]:
    """The candidate decodings: each ``--variant`` JSON, or one built from the flags.

    A variant is ``{"sentence_cut": {...} | null, "nesting": {...} | null}`` in
    the card's own form (null or absent: that step off), read with the
    runtime's own card readers; a malformed one raises ValueError naming it,
    before any model is loaded.
    """
    if not args.variant:
        cut = {"techniques": sorted(PHRASE_LEVEL)} if args.cut else None
        given = [{"sentence_cut": cut, "nesting": vars(nesting_of(args))}]
    else:
        given = []
        for text in args.variant:
            try:
                spec = json.loads(text)
            except json.JSONDecodeError as err:
                raise ValueError(f"--variant {text!r}: not JSON ({err})") from None
            if not isinstance(spec, dict) or set(spec) - {"sentence_cut", "nesting"}:
                raise ValueError(
                    f"--variant {text!r}: expected an object with sentence_cut and/or nesting"
                )
            given.append(spec)
    out = []
    for spec in given:
        variant = {}
        for key, reader in (("sentence_cut", SentenceCut), ("nesting", Nesting)):
            try:
                variant[key] = reader.from_card(spec.get(key))
            except ValueError as err:
                raise ValueError(f"{key}: {err}") from None
        out.append(variant)
    return out


def variants(args, model) -> dict[str, dict]:
    """``shipped`` (the card's decoding) and the ``candidates``, by name."""
    shipped = {"sentence_cut": model.sentence_cut, "nesting": model.nesting}
    given = candidates(args)
    out = {"shipped": shipped}
    for number, variant in enumerate(given, 1):
        out[f"candidate{number}" if len(given) > 1 else "candidate"] = variant
    return out


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
    chosen = variants(args, model)
    rows = {name: [] for name in chosen}
    tc_rows = []
    seconds = dict.fromkeys(chosen, 0.0)
    for e in examples:
        states = load_states(args.cache, e)
        for name, variant in chosen.items():
            t0 = time.perf_counter()
            spans = detect(model, states, variant)
            seconds[name] += time.perf_counter() - t0
            rows[name] += [LabelRow(e.id, s, end, t) for s, end, t, score in spans if score >= cut]
        spans = [(s, end) for s, end, _ in e.spans]
        if spans and not args.no_tc:
            probs = predict.technique_probs(states, model.heads, spans, model.classifier)
            picked = predict.assign_template(probs, spans)
            tc_rows += [
                LabelRow(e.id, s, end, NAMES[c]) for (s, end), c in zip(spans, picked, strict=True)
            ]
    gold_median = float(np.median([r.end - r.start for r in gold]))
    report = {
        "split": args.split,
        "articles": len(examples),
        "default_threshold": cut,
        "variants": {
            name: {k: (vars(v) if v is not None else None) for k, v in variant.items()}
            for name, variant in chosen.items()
        },
        "gold_spans": len(gold),
        "gold_median_chars": gold_median,
    }
    if tc_rows:
        report["tc_micro_f1"] = bootstrap(
            tc_article_stats(gold, tc_rows, ids), tc_f1, args.resamples
        ).to_dict()
    stats = {}
    for name, pred in rows.items():
        si = si_article_stats(gold_si, [LabelRow(r.article_id, r.start, r.end) for r in pred], ids)
        flc = flc_article_stats(gold, pred, ids)
        stats[name] = (si, flc)
        lengths = [r.end - r.start for r in pred]
        median = float(np.median(lengths)) if lengths else 0.0
        report[name] = {
            "spans": len(pred),
            "si_f1": bootstrap(si, si_f1, args.resamples).to_dict(),
            "si_precision": round(si.sum(0)[0] / max(1, si.sum(0)[1]), 4),
            "si_recall": round(si.sum(0)[2] / max(1, si.sum(0)[3]), 4),
            "flc_f1": bootstrap(flc, si_f1, args.resamples).to_dict(),
            "flc_precision": round(flc.sum(0)[0] / max(1, flc.sum(0)[1]), 4),
            "flc_recall": round(flc.sum(0)[2] / max(1, flc.sum(0)[3]), 4),
            "median_chars": median,
            "median_ratio": round(median / gold_median, 3),
            "crossing_share": round(crossing_share(examples, pred, model), 4),
            "decode_ms_per_article": round(1000 * seconds[name] / len(examples), 1),
            "flc_per_technique": per_technique(gold, pred, ids),
        }
    for name in chosen:
        if name == "shipped":
            continue
        report[f"{name}_minus_shipped"] = {
            "si_f1": paired_difference(
                stats["shipped"][0], stats[name][0], si_f1, args.resamples
            ).to_dict(),
            "flc_f1": paired_difference(
                stats["shipped"][1], stats[name][1], si_f1, args.resamples
            ).to_dict(),
            "spans": report[name]["spans"] - report["shipped"]["spans"],
        }
    print(json.dumps(report, indent=2))


def crossing_share(examples, pred, model) -> float:
    """The share of predicted spans that cross a sentence start (the runtime's sentences)."""
    bounds = {}
    for e in examples:
        bounds[e.id] = sentence_bounds(model.pieces.tokenize(e.text).offsets, e.text)[1:]
    crossing = [any(r.start < b < r.end for b in bounds[r.article_id]) for r in pred]
    return sum(crossing) / max(1, len(crossing))


def per_technique(gold, pred, ids) -> dict:
    out = {}
    for name in NAMES:
        g = [r for r in gold if r.technique == name]
        p = [r for r in pred if r.technique == name]
        totals = flc_article_stats(g, p, ids).sum(0)
        out[name] = {"predicted": len(p), "gold": len(g), "f1": round(si_f1(totals), 4)}
    return out


def gold(args) -> None:
    """How often the TRAINING gold spans of each technique cross a sentence start.

    Sentence starts are the runtime's (``windowing.sentence_starts`` on the
    model's own word pieces), so the rule decides what the runtime would cut.
    The techniques under ``--rate`` are those the card's ``sentence_cut`` lists.
    """
    model = proplens.load().model
    train, _ = load_training_data([args.data])
    crossing: dict[str, list[int]] = {name: [0, 0] for name in NAMES}
    for e in train:
        offsets = model.pieces.tokenize(e.text).offsets
        bounds = sentence_bounds(offsets, e.text)[1:]
        for start, end, technique in e.spans:
            crossing[technique][0] += any(start < b < end for b in bounds)
            crossing[technique][1] += 1
    rates = {
        name: {"spans": n, "crossing": k, "rate": round(k / n, 4)}
        for name, (k, n) in crossing.items()
        if n
    }
    below = [name for name, r in rates.items() if r["rate"] < args.rate]
    print(
        json.dumps(
            {"articles": len(train), "rate_below": args.rate, "cut": below, "techniques": rates},
            indent=2,
        )
    )


def example(args) -> None:
    model = proplens.load().model
    text = args.file.read_text(encoding="utf-8")
    states = model.states(text)
    for name, variant in variants(args, model).items():
        print(f"== {name} (score >= {model.default_threshold})")
        for s, end, t, score in detect(model, states, variant):
            if score >= model.default_threshold:
                print(f"{s:5d} {end:5d} {score:.3f} {t:36s} {text[s:end]!r}")


def nesting_of(args) -> Nesting:
    """The nesting the flags describe (a candidate when no ``--variant`` is given)."""
    return Nesting(
        max_words=args.max_words,
        per_span=args.per_span,
        tighten=args.tighten,
        nest_inside=not args.no_nest,
        min_score=args.min_score,
        confident=not args.all_phrases,
        inside_floor=args.inside_floor,
        long_words=args.long_words,
        orphans=args.orphans,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("cache", "gold", "measure", "example"))
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
    parser.add_argument("--rate", type=float, default=0.1, help="gold: crossing rate to cut below")
    parser.add_argument("--inside-floor", type=float, default=None)
    parser.add_argument("--long-words", type=int, default=0)
    parser.add_argument("--orphans", type=float, default=0.0)
    parser.add_argument("--cut", action="store_true", help="sentence_cut of phrase-level spans")
    parser.add_argument("--variant", action="append", default=[], help="candidate as JSON")
    parser.add_argument("--no-tc", action="store_true", help="skip TC (decoding-free)")
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--file", type=Path, default=EXAMPLE)
    args = parser.parse_args()
    if args.command in ("measure", "example"):
        try:
            candidates(args)  # a bad --variant or flag is refused before the model loads
        except ValueError as err:
            parser.error(str(err))
    if not 0 < args.rate <= 1:
        parser.error(f"--rate must be in (0, 1], got {args.rate}")
    if args.resamples < 1 or args.limit < 0:
        parser.error("--resamples must be at least 1 and --limit at least 0")
    if args.command == "example":
        if not args.file.is_file():
            parser.error(f"--file {args.file}: no such file")
    elif not (args.data / "articles").is_dir():
        sys.exit(f"no PTC-format data at {args.data}")
    {"cache": cache, "gold": gold, "measure": measure, "example": example}[args.command](args)


if __name__ == "__main__":
    main()
