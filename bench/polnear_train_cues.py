"""Train the cue model (proplens.sources.cues) on PolNeAR train; its threshold is chosen on train.

    python bench/polnear_parse.py --split train      # once: parses into /work/cache-sources
    python bench/polnear_train_cues.py               # ~3-6 min on 2 cores; writes cue_model.json

Every word of every train article is an example: positive when it lies in a
Cue of the article's first annotator (files sorted by name). Features are
proplens.sources.cues.features; features seen fewer than MIN_COUNT times are
dropped. The model is scikit-learn's L2 logistic regression (liblinear).

Choice, on train only: the articles are split 80/20 (seeded); a model fitted on
the 80% runs the whole finder on the 20% at each threshold in THRESHOLDS and
each C in CS, and the pair with the best attribution F1 among those with
precision >= MIN_PRECISION wins (with none, the most precise). The final model is
fitted on all of train with that pair and written to
src/proplens/sources/cue_model.json with its SHA-256.
--held-weights FILE keeps the 80% fit's weights (outside the repo) so that a later
finder change is re-chosen with --choose-only without refitting (delete FILE after a
feature change). Deterministic (liblinear seeded; the shipped file was written by a run
before the seed was set, so a retrain may differ in the last digits). Dev is never read here.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from polnear_eval import parsed_docs
from polnear_parse import DEFAULT_CACHE

from proplens.sources.cues import MODEL_PATH, CueModel, features, save_model
from proplens.sources.finder import SourceFinder, _sources
from proplens.sources.polnear import POLNEAR_DIR, article_names, article_row, measures, stack
from proplens.sources.quotes import Quotes

MIN_COUNT = 3
MIN_WEIGHT = 0.01
"""Smaller weights are dropped to keep the shipped file small; the threshold is chosen with
them dropped, as shipped."""
CS = (0.1,)
"""One regularisation strength: a run with C=0.5 as well took several times longer to fit on
two shared cores and was stopped before it finished, so only C=0.1 is chosen from."""
THRESHOLDS = (0.55, 0.6, 0.65, 0.7, 0.75)
MIN_PRECISION = 0.86
"""Just above the 0.85 the issue asks, so that the choice holds on articles it never saw."""


def examples(text, docs, gold):
    """(features, label) of each word of one article."""
    quotes = Quotes(text)
    cues = sorted((s, e) for g in gold for s, e in g.cue)
    for doc, base in docs:
        for token in doc:
            if token.is_space:
                continue
            start = base + token.idx
            end = start + len(token)
            label = any(s < end and start < e for s, e in cues)
            yield features(token, quotes.containing(start) is not None), label


def fit(rows, labels, c):
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for row in rows for f in set(row))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    indptr, indices = [0], []
    for row in rows:
        indices.extend(sorted({vocab[f] for f in row if f in vocab}))
        indptr.append(len(indices))
    x = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(vocab)))
    model = LogisticRegression(
        C=c, solver="liblinear", fit_intercept=False, max_iter=200, random_state=0
    )
    model.fit(x, np.array(labels))
    weights = {f: round(float(w), 4) for f, w in zip(vocab, model.coef_[0], strict=True)}
    return {f: w for f, w in weights.items() if abs(w) >= MIN_WEIGHT}


def choose(results: list[dict]) -> dict:
    """The row with the best F1 among those with precision >= MIN_PRECISION (with none, the
    most precise): the rule the shipped cue model's threshold was chosen by."""
    allowed = [r for r in results if r["precision"] >= MIN_PRECISION]
    if allowed:
        return max(allowed, key=lambda r: r["f1"])
    return max(results, key=lambda r: r["precision"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=POLNEAR_DIR)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--held-weights",
        type=Path,
        help="JSON file for the weights fitted on the 80%%: written after fitting, or read "
        "instead of fitting when it exists (to re-choose after a finder change without refitting)",
    )
    parser.add_argument(
        "--choose-only", action="store_true", help="print the choice, do not fit on all of train"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    finder = SourceFinder.load()
    names = article_names(args.root, "train")
    articles = list(parsed_docs(args.root, "train", args.cache, finder, names))
    data = {}
    for name, text, marked, docs in articles:
        pairs = list(examples(text, docs, marked[0]))
        data[name] = ([f for f, _ in pairs], [y for _, y in pairs])
    print(f"{len(articles)} articles, {sum(len(v[1]) for v in data.values())} words, "
          f"{time.perf_counter() - started:.0f}s", flush=True)  # fmt: skip
    shuffled = sorted(names)
    random.Random(25).shuffle(shuffled)
    held = set(shuffled[: len(shuffled) // 5])
    fit_rows = [r for n in names if n not in held for r in data[n][0]]
    fit_labels = [y for n in names if n not in held for y in data[n][1]]
    results = []
    for c in CS:
        if args.held_weights and args.held_weights.exists():
            weights = json.loads(args.held_weights.read_text(encoding="utf-8"))
        else:
            weights = fit(fit_rows, fit_labels, c)
            if args.held_weights:
                args.held_weights.write_text(json.dumps(weights), encoding="utf-8")
        for threshold in THRESHOLDS:
            model = CueModel(weights, threshold)
            rows = [
                article_row(marked, _sources(text, docs, model), text)
                for name, text, marked, docs in articles
                if name in held
            ]
            figures = measures(stack(rows).sum(axis=0))
            results.append({"C": c, "threshold": threshold, **figures})
            print(json.dumps({k: round(v, 4) for k, v in results[-1].items()}), flush=True)
    best = choose(results)
    print(f"chosen: C {best['C']}, threshold {best['threshold']} "
          f"({time.perf_counter() - started:.0f}s)", flush=True)  # fmt: skip
    if args.choose_only:
        return 0
    all_rows = [r for n in names for r in data[n][0]]
    all_labels = [y for n in names for y in data[n][1]]
    model = CueModel(fit(all_rows, all_labels, best["C"]), best["threshold"])
    digest = save_model(model, args.out)
    size = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({len(model.weights)} weights, sha256 {digest[:12]}…, "
          f"{size:.1f} MB, {time.perf_counter() - started:.0f}s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
