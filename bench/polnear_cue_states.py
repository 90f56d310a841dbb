"""Does the detector's encoder help the cue model? A train-internal experiment (issue 25, round 3).

    python bench/polnear_parse.py --split train     # once: spaCy parses (cached outside the repo)
    python bench/polnear_states.py --split train    # once: encoder states (cached outside the repo)
    python bench/polnear_cue_states.py              # fits and compares; dev is never read

The cue model of round 1-2 (proplens.sources.cues) is a logistic model over
hand features of the parse. Here every scored word also gets the detector's
encoder state for it: the mean of the states of the word pieces overlapping
its characters (what ``analyze --sources`` has computed anyway). Two models are
fitted with the same code on the same articles, so that only the features
differ:

* ``hand``: a logistic model over the hand features alone (sparse weights);
* ``hand+encoder``: the same sparse weights plus a one-hidden-layer MLP over
  the word's encoder state, fitted jointly (their logits add).

Split as bench/polnear_train_cues.py: the train articles shuffled with seed 25,
the first fifth held out; only articles whose states are cached are used (the
states script encodes in that order, so the held fifth comes first). Each model
then runs the whole finder on the held fifth at each threshold; the figures
(P / R / F1 / source / content) are printed per threshold, and at the operating
point, the best F1 with precision >= 0.86.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from polnear_eval import parsed_docs
from polnear_parse import DEFAULT_CACHE
from polnear_states import states_dir

from proplens.sources.cues import (
    ContextualCueModel,
    CueModel,
    features,
    save_model,
    token_vectors,
)
from proplens.sources.finder import _NEVER_CUES, SourceFinder, _sources
from proplens.sources.polnear import POLNEAR_DIR, article_names, article_row, measures, stack
from proplens.sources.quotes import Quotes

MIN_COUNT = 3
MIN_WEIGHT = 0.01
"""Smaller sparse weights are dropped (as for the shipped hand model), in the comparison too."""
THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
MIN_PRECISION = 0.86


def article_tokens(text, docs, gold, cached):
    """(tokens, features, vectors, labels, in-quote flags) of the scored words of one article."""
    quotes = Quotes(text)
    cues = sorted((s, e) for g in gold for s, e in g.cue)
    tokens, rows, spans, labels, quoted = [], [], [], [], []
    for doc, base in docs:
        for token in doc:
            if token.is_space or token.tag_ in _NEVER_CUES:
                continue
            start = base + token.idx
            end = start + len(token)
            tokens.append(token)
            quoted.append(quotes.containing(start) is not None)
            rows.append(features(token, quoted[-1]))
            spans.append((start, end))
            labels.append(any(s < end and start < e for s, e in cues))
    spans = np.array(spans, dtype=np.int64).reshape(-1, 2)
    vectors = token_vectors(cached["offsets"], cached["states"], spans)
    return tokens, rows, vectors, np.array(labels, dtype=np.float32), quoted


def fit(rows, vectors, labels, hidden, epochs, seed=0, l2=1e-6):
    """Sparse logistic weights (+ an MLP over the vectors when hidden > 0), fitted with Adam."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    counts = Counter(f for row in rows for f in set(row))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    ids = [sorted({vocab[f] for f in row if f in vocab}) for row in rows]
    flat = torch.tensor([i for r in ids for i in r], dtype=torch.long)
    offs = torch.tensor(np.cumsum([0] + [len(r) for r in ids])[:-1], dtype=torch.long)
    lengths = torch.tensor([len(r) for r in ids], dtype=torch.long)
    x = torch.from_numpy(vectors)
    y = torch.from_numpy(labels)
    sparse = torch.nn.EmbeddingBag(len(vocab), 1, mode="sum")
    torch.nn.init.zeros_(sparse.weight)
    mlp = (
        torch.nn.Sequential(
            torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1)
        )
        if hidden
        else None
    )
    params = list(sparse.parameters()) + (list(mlp.parameters()) if mlp else [])
    opt = torch.optim.Adam(params, lr=3e-3)
    n = len(rows)
    starts = offs
    for epoch in range(epochs):
        order = torch.randperm(n)
        total = 0.0
        for b in range(0, n, 512):
            idx = order[b : b + 512]
            # gather the feature ids of this batch
            bl = lengths[idx]
            bo = torch.cat([torch.zeros(1, dtype=torch.long), torch.cumsum(bl, 0)[:-1]])
            bi = torch.cat([flat[starts[i] : starts[i] + lengths[i]] for i in idx.tolist()])
            logit = sparse(bi, bo).squeeze(1)
            if mlp is not None:
                logit = logit + mlp(x[idx]).squeeze(1)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, y[idx])
            loss = loss + l2 * (sparse.weight**2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
        print(f"  epoch {epoch + 1}: loss {total / n:.4f}", flush=True)
    learned = sparse.weight.detach().numpy()[:, 0]
    weights = {f: float(w) for f, w in zip(vocab, learned, strict=True)}
    dense = None
    if mlp is not None:
        dense = {
            "w1": mlp[0].weight.detach().numpy().T.copy(),
            "b1": mlp[0].bias.detach().numpy().copy(),
            "w2": mlp[2].weight.detach().numpy()[0].copy(),
            "b2": float(mlp[2].bias.detach().numpy()[0]),
        }
    return weights, dense


def encoder_sha256() -> str:
    """The SHA-256 of the shipped detector's encoder (what the states were computed with)."""
    import proplens

    return proplens.load().model.encoder_sha256


def average_precision_score(labels, scores) -> float:
    from sklearn.metrics import average_precision_score as ap

    return float(ap(labels, scores))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=POLNEAR_DIR)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--limit-fit", type=int, default=0, help="at most N fitting articles")
    parser.add_argument("--limit-held", type=int, default=0, help="at most N held articles (smoke)")
    parser.add_argument("--thresholds", type=float, nargs="+", default=THRESHOLDS)
    parser.add_argument(
        "--write",
        type=Path,
        metavar="JSON",
        help="instead of comparing: fit hand+encoder on all of train and write the model here "
        "(with --threshold, chosen by a comparing run)",
    )
    parser.add_argument("--threshold", type=float, default=0.65)
    args = parser.parse_args()
    started = time.perf_counter()
    finder = SourceFinder.load()
    folder = states_dir(args.cache, "train")
    names = article_names(args.root, "train")
    shuffled = list(names)
    random.Random(25).shuffle(shuffled)
    held = set(shuffled[: len(shuffled) // 5])
    have = [n for n in shuffled if (folder / f"{n}.npz").exists()]
    fitting = [n for n in have if n not in held]
    if args.limit_fit:
        fitting = fitting[: args.limit_fit]
    if args.write:
        held, fitting = set(), have
    if args.limit_held:
        held = set([n for n in shuffled if n in held][: args.limit_held])
    if not held <= set(have):
        print(f"only {len(held & set(have))} of {len(held)} held articles encoded", file=sys.stderr)
        return 2
    data, states = {}, {}
    for name, text, marked, docs in parsed_docs(args.root, "train", args.cache, finder,
                                                sorted(held | set(fitting))):  # fmt: skip
        with np.load(folder / f"{name}.npz") as cached:
            data[name] = (text, marked, docs, *article_tokens(text, docs, marked[0], cached))
            if name in held:  # what the finder is given: the pieces' offsets and states
                pieces = SimpleNamespace(offsets=cached["offsets"])
                states[name] = SimpleNamespace(tokens=pieces, states=cached["states"])
    print(f"{len(fitting)} fitting and {len(held)} held articles, "
          f"{time.perf_counter() - started:.0f}s", flush=True)  # fmt: skip
    fit_rows = [r for n in fitting for r in data[n][4]]
    fit_vectors = np.concatenate([data[n][5] for n in fitting])
    fit_labels = np.concatenate([data[n][6] for n in fitting])
    print(f"{len(fit_rows)} words, {int(fit_labels.sum())} in cues", flush=True)
    if args.write:
        weights, dense = fit(fit_rows, fit_vectors, fit_labels, args.hidden, args.epochs)
        weights = {f: round(w, 4) for f, w in weights.items() if abs(w) >= MIN_WEIGHT}
        model = ContextualCueModel(weights, dense, args.threshold, encoder_sha256())
        digest = save_model(model, args.write)
        print(f"wrote {args.write} ({len(weights)} weights, sha256 {digest[:12]}…, "
              f"{args.write.stat().st_size / 1e6:.1f} MB)")  # fmt: skip
        return 0
    report = {}
    for label, hidden in (("hand", 0), ("hand+encoder", args.hidden)):
        weights, dense = fit(fit_rows, fit_vectors, fit_labels, hidden, args.epochs)
        weights = {f: w for f, w in weights.items() if abs(w) >= MIN_WEIGHT}
        model = (
            CueModel(weights, 0.5)
            if dense is None
            else ContextualCueModel(weights, dense, 0.5, "experiment")
        )
        held_labels = np.concatenate([data[n][6] for n in sorted(held)])
        held_scores = np.concatenate([
            model.probabilities(data[n][4], data[n][5])
            if dense is not None
            else np.array([model.probability(t, q)
                           for t, q in zip(data[n][3], data[n][7], strict=True)])
            for n in sorted(held)
        ])  # fmt: skip
        print(f"{label}: cue-word average precision on the held fifth "
              f"{average_precision_score(held_labels, held_scores):.4f}", flush=True)  # fmt: skip
        results = []
        for threshold in args.thresholds:
            model.threshold = threshold
            rows = [article_row(data[n][1], _sources(data[n][0], data[n][2], model, states[n]),
                                data[n][0]) for n in sorted(held)]  # fmt: skip
            figures = measures(stack(rows).sum(axis=0))
            results.append({"model": label, "threshold": threshold, **figures})
            print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v)
                              for k, v in results[-1].items()}), flush=True)  # fmt: skip
        allowed = [r for r in results if r["precision"] >= MIN_PRECISION]
        best = max(allowed, key=lambda r: r["f1"]) if allowed else max(
            results, key=lambda r: r["precision"])  # fmt: skip
        report[label] = best
        shown = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in best.items()}
        print(f"{label}: chosen {json.dumps(shown)} "
              f"({time.perf_counter() - started:.0f}s)", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
