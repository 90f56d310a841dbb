"""Run the detector's encoder over PolNeAR's articles once and keep its word-piece states.

    python bench/polnear_states.py [--split train dev] [--cache /work/cache-sources]
    python bench/polnear_states.py --split train --layer 4   # the states after layer 4

Each article becomes ``CACHE/states/SPLIT/NAME.npz`` with ``offsets`` (the word
pieces' character spans, int32) and ``states`` (their merged encoder states,
float16): what ``proplens.load().model.states(text)`` gives ``analyze`` for the
same text. The cue experiments (bench/polnear_cue_states.py) average them per
spaCy token. Resumable; outside the repository (the corpus is not ours to commit).
Articles go in the order of the cue experiments' seeded shuffle (their held-out
fifth first), so that a run cut short still leaves a usable, unbiased subset.
With ``--layer K`` the states are those after encoder layer K (the same graph
with that layer's output added, proplens.training.layer_output; merged over
windows exactly as the final ones), in ``CACHE/states-layerK/SPLIT``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np
from polnear_parse import DEFAULT_CACHE

from proplens.sources.polnear import POLNEAR_DIR, article_names


def states_dir(cache: Path, split: str, layer: int = 0) -> Path:
    """Where the states of ``split`` are cached; ``layer`` 0: the final layer's."""
    return cache / ("states" if not layer else f"states-layer{layer}") / split


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", nargs="+", default=["train", "dev"])
    parser.add_argument("--root", type=Path, default=POLNEAR_DIR)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument(
        "--layer", type=int, default=0, help="the states after this encoder layer (0: the last)"
    )
    args = parser.parse_args()
    if not 0 <= args.layer <= 6:
        parser.error(f"--layer must be 0 (the last) or an encoder layer 1-6, got {args.layer}")
    for split in args.split:
        if not (args.root / split / "text").is_dir():
            parser.error(f"no PolNeAR split {split!r} at {args.root / split / 'text'} (--root)")
    import proplens

    model = proplens.load().model
    states_of = model.states
    if args.layer:
        from proplens.pipeline import predict
        from proplens.pipeline.runtime import SHIPPED_DIR
        from proplens.training.layer_output import layer_output_name, layer_session

        session = layer_session(SHIPPED_DIR / "encoder.int8.onnx", args.layer)
        output = layer_output_name(args.layer)

        def encode(input_ids, attention_mask):
            feed = {"input_ids": input_ids, "attention_mask": attention_mask}
            return session.run([output], feed)[0]

        def states_of(text):
            return predict.encode_article(encode, model.pieces, model.heads, text, model.plan)

    for split in args.split:
        out = states_dir(args.cache, split, args.layer)
        out.mkdir(parents=True, exist_ok=True)
        names = article_names(args.root, split)
        random.Random(25).shuffle(names)  # train: the cue experiments' held fifth comes first
        names = [n for n in names if not (out / f"{n}.npz").exists()]
        started = time.perf_counter()
        for done, name in enumerate(names, 1):
            text = (args.root / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
            states = states_of(text)
            partial = out / f"{name}.part.npz"
            np.savez(
                partial,
                offsets=np.asarray(states.tokens.offsets, dtype=np.int32),
                states=states.states.astype(np.float16),
            )
            partial.rename(out / f"{name}.npz")
            if done % 50 == 0:
                rate = done / (time.perf_counter() - started)
                print(f"{split}: {done}/{len(names)} encoded, {rate:.1f} articles/s", flush=True)
        print(f"{split}: {len(names)} encoded into {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
