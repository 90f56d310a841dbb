"""Does the detector's encoder help the cue model? A train-internal experiment (issue 25, round 3).

    python bench/polnear_parse.py --split train     # once: spaCy parses (cached outside the repo)
    python bench/polnear_states.py --split train    # once: encoder states (cached outside the repo)
    python bench/polnear_cue_states.py --thresholds 0.5 0.6 0.65 0.7 0.8   # 5-30 min (load)
    python bench/polnear_cue_states.py --layer 4 --models hand+encoder  # states after layer 4

The cue model of rounds 1-2 (proplens.sources.cues) is a logistic model over
hand features of the parse. Here every scored word (the words the finder
scores: not of a tag in ``finder._NEVER_CUES``) also gets the detector's
encoder state for it: the mean of the states of the word pieces overlapping
its characters (what ``analyze --sources`` has computed anyway). Two models are
fitted with the same code on the same articles, so that only the features
differ:

* ``hand``: a logistic model over the hand features alone (sparse weights);
* ``hand+encoder``: the same sparse weights plus a one-hidden-layer MLP (ReLU,
  ``--hidden`` units) over the word's encoder state, fitted jointly (their
  logits add).

Both are fitted with Adam (batches of 512, learning rate 3e-3, ``--epochs``),
features seen fewer than MIN_COUNT times dropped, sparse weights under
MIN_WEIGHT dropped after fitting (as for the shipped model). Split as
bench/polnear_train_cues.py: the train articles shuffled with seed 25, the first
fifth held out. Each model then runs the whole finder (rules, then the model's
marked words decoded as in ``finder._learned``) on the held fifth at each
threshold; printed: the cue-word average precision on the held fifth, and per
threshold P / R / F1 / source overlap / content token F1, and the best F1 with
precision >= 0.86 (``polnear_train_cues.choose``, the shipped model's rule). Dev is never
read. docs/sources.md has the figures (round 3). ``--layer K`` reads the states after
encoder layer K instead of the final ones (``polnear_states.py --layer K``; round 4).
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
from polnear_states import states_dir
from polnear_train_cues import MIN_COUNT, MIN_WEIGHT, choose

from proplens.sources.cues import features
from proplens.sources.finder import _NEVER_CUES, SourceFinder, _sources
from proplens.sources.polnear import POLNEAR_DIR, article_names, article_row, measures, stack
from proplens.sources.quotes import Quotes

THRESHOLDS = (0.5, 0.6, 0.65, 0.7, 0.8)


def token_vectors(offsets: np.ndarray, states: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """The mean state of the word pieces overlapping each ``(start, end)`` character span.

    ``offsets`` are the word pieces' character spans, sorted (as the detector's
    tokenizer gives them); a span no piece overlaps gets zeros.
    """
    offsets = np.asarray(offsets).reshape(-1, 2)
    spans = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    total = np.zeros((len(states) + 1, states.shape[1]), np.float32)
    np.cumsum(states, axis=0, dtype=np.float32, out=total[1:])
    lo = np.searchsorted(offsets[:, 1], spans[:, 0], side="right")  # pieces ending after start
    hi = np.maximum(np.searchsorted(offsets[:, 0], spans[:, 1], side="left"), lo)
    count = np.maximum(hi - lo, 1).astype(np.float32)
    return (total[hi] - total[lo]) / count[:, None]


def article_tokens(text, docs, gold, offsets, states, context=False):
    """(tokens, features, vectors, labels) of the scored words of one article; with
    ``context`` each vector is followed by those of the words just before and after it."""
    quotes = Quotes(text)
    cues = sorted((s, e) for g in gold for s, e in g.cue)
    tokens, rows, spans, labels, around = [], [], [], [], []
    for doc, base in docs:
        for token in doc:
            if token.is_space or token.tag_ in _NEVER_CUES:
                continue
            start = base + token.idx
            end = start + len(token)
            tokens.append(token)
            rows.append(features(token, quotes.containing(start) is not None))
            spans.append((start, end))
            for near in (doc[max(token.i - 1, 0)], doc[min(token.i + 1, len(doc) - 1)]):
                around.append((base + near.idx, base + near.idx + len(near)))
            labels.append(any(s < end and start < e for s, e in cues))
    vectors = token_vectors(offsets, states, np.array(spans, dtype=np.int64))
    if context:
        near = token_vectors(offsets, states, np.array(around, dtype=np.int64))
        vectors = np.concatenate([vectors, near.reshape(len(vectors), -1)], axis=1)
    return tokens, rows, vectors, np.array(labels, dtype=np.float32)


def fit(rows, vectors, labels, hidden, epochs, seed=0, l2=1e-6):
    """Sparse logistic weights, plus an MLP over the vectors when ``hidden`` > 0 (Adam)."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)  # the same sums in the same order on every run
    counts = Counter(f for row in rows for f in set(row))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    ids = [sorted({vocab[f] for f in row if f in vocab}) for row in rows]
    flat = torch.tensor([i for r in ids for i in r], dtype=torch.long)
    lengths = torch.tensor([len(r) for r in ids], dtype=torch.long)
    starts = torch.cumsum(lengths, 0) - lengths
    x, y = torch.from_numpy(vectors), torch.from_numpy(labels)
    sparse = torch.nn.EmbeddingBag(len(vocab), 1, mode="sum")
    torch.nn.init.zeros_(sparse.weight)
    mlp = None
    if hidden:
        mlp = torch.nn.Sequential(
            torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1)
        )
    params = list(sparse.parameters()) + (list(mlp.parameters()) if mlp else [])
    opt = torch.optim.Adam(params, lr=3e-3)
    for epoch in range(epochs):
        order = torch.randperm(len(rows))
        total = 0.0
        for b in range(0, len(rows), 512):
            idx = order[b : b + 512]
            bags = torch.cumsum(lengths[idx], 0) - lengths[idx]
            bag_ids = torch.cat([flat[starts[i] : starts[i] + lengths[i]] for i in idx.tolist()])
            logit = sparse(bag_ids, bags).squeeze(1)
            if mlp is not None:
                logit = logit + mlp(x[idx]).squeeze(1)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, y[idx])
            loss = loss + l2 * (sparse.weight**2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
        print(f"  epoch {epoch + 1}: loss {total / len(rows):.4f}", flush=True)
    learned = sparse.weight.detach().numpy()[:, 0]
    weights = {f: float(w) for f, w in zip(vocab, learned, strict=True) if abs(w) >= MIN_WEIGHT}
    dense = None
    if mlp is not None:
        dense = [p.detach().numpy() for p in (mlp[0].weight, mlp[0].bias, mlp[2].weight)]
        dense.append(float(mlp[2].bias.detach()[0]))
    return weights, dense


def probabilities(rows, vectors, weights, dense) -> np.ndarray:
    """Each word's probability of being a cue word under the fitted weights."""
    logit = np.array([sum(weights.get(f, 0.0) for f in row) for row in rows], dtype=np.float32)
    if dense is not None and len(rows):
        w1, b1, w2, b2 = dense
        logit = logit + np.maximum(vectors @ w1.T + b1, 0.0) @ w2[0] + b2
    return 1.0 / (1.0 + np.exp(-np.clip(logit, -30.0, 30.0)))


class Precomputed:
    """A cue model for ``finder._sources`` whose words were scored beforehand.

    ``_sources`` asks ``probability(token, in_quote)`` of each scored word; the
    answer is looked up by the word's document and index.
    """

    def __init__(self, probs: dict, threshold: float) -> None:
        self.probs = probs
        self.threshold = threshold

    def probability(self, token, in_quote) -> float:
        return self.probs[(id(token.doc), token.i)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=POLNEAR_DIR)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument(
        "--context", action="store_true", help="add the states of the words either side"
    )
    parser.add_argument(
        "--models", nargs="+", choices=("hand", "hand+encoder"), default=["hand", "hand+encoder"]
    )
    parser.add_argument("--thresholds", type=float, nargs="+", default=THRESHOLDS)
    parser.add_argument(
        "--layer", type=int, default=0, help="the states after this encoder layer (0: the last)"
    )
    parser.add_argument("--limit-fit", type=int, default=0, help="at most N fitting articles")
    parser.add_argument("--limit-held", type=int, default=0, help="at most N held articles")
    args = parser.parse_args()
    if args.hidden < 1 or args.epochs < 1:
        parser.error("--hidden and --epochs must be at least 1")
    if not all(0 < t < 1 for t in args.thresholds):
        parser.error(f"--thresholds must lie between 0 and 1, got {args.thresholds}")
    if args.limit_fit < 0 or args.limit_held < 0:
        parser.error("--limit-fit and --limit-held must be at least 0 (0: all)")
    if not (args.root / "train" / "text").is_dir():
        parser.error(f"no PolNeAR train split at {args.root / 'train' / 'text'} (--root)")
    started = time.perf_counter()
    finder = SourceFinder.load()
    folder = states_dir(args.cache, "train", args.layer)
    shuffled = article_names(args.root, "train")
    random.Random(25).shuffle(shuffled)
    held = shuffled[: len(shuffled) // 5][: args.limit_held or None]
    fitting = [n for n in shuffled[len(shuffled) // 5 :] if (folder / f"{n}.npz").exists()]
    fitting = fitting[: args.limit_fit or None]
    missing = [n for n in held if not (folder / f"{n}.npz").exists()]
    if missing:
        print(f"{len(missing)} held articles have no cached states: run "
              f"bench/polnear_states.py --split train --layer {args.layer}",
              file=sys.stderr)  # fmt: skip
        return 2
    data = {}
    for name, text, marked, docs in parsed_docs(
        args.root, "train", args.cache, finder, sorted({*held, *fitting})
    ):
        with np.load(folder / f"{name}.npz") as cached:
            found = article_tokens(
                text, docs, marked[0], cached["offsets"], cached["states"], args.context
            )
        data[name] = (text, marked, docs, *found)
    fit_rows = [r for n in fitting for r in data[n][4]]
    fit_vectors = np.concatenate([data[n][5] for n in fitting])
    fit_labels = np.concatenate([data[n][6] for n in fitting])
    print(f"{len(fitting)} fitting and {len(held)} held articles, {len(fit_rows)} words "
          f"({int(fit_labels.sum())} in cues), {time.perf_counter() - started:.0f}s",
          flush=True)  # fmt: skip
    held_labels = np.concatenate([data[n][6] for n in held])
    for label in args.models:
        hidden = args.hidden if label == "hand+encoder" else 0
        weights, dense = fit(fit_rows, fit_vectors, fit_labels, hidden, args.epochs)
        probs, scores = {}, []
        for n in held:
            tokens, rows, vectors = data[n][3], data[n][4], data[n][5]
            scores.append(probabilities(rows, vectors, weights, dense))
            probs.update(
                ((id(t.doc), t.i), float(p)) for t, p in zip(tokens, scores[-1], strict=True)
            )
        ap = average_precision(held_labels, np.concatenate(scores))
        print(f"{label}: cue-word average precision on the held fifth {ap:.4f}", flush=True)
        results = []
        for threshold in args.thresholds:
            model = Precomputed(probs, threshold)
            rows = [article_row(data[n][1], _sources(data[n][0], data[n][2], model), data[n][0])
                    for n in held]  # fmt: skip
            results.append({"model": label, "threshold": threshold,
                            **measures(stack(rows).sum(axis=0))})  # fmt: skip
            print(json.dumps(_rounded(results[-1])), flush=True)
        best = choose(results)
        print(f"{label}: chosen {json.dumps(_rounded(best))} "
              f"({time.perf_counter() - started:.0f}s)", flush=True)  # fmt: skip
    return 0


def average_precision(labels: np.ndarray, scores: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(labels, scores))


def _rounded(row: dict) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}


if __name__ == "__main__":
    sys.exit(main())
