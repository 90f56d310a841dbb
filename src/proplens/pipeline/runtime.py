"""Load the shipped (or a user's) model and run it with onnxruntime: no torch at inference.

A model folder holds ``encoder.int8.onnx``, ``heads.npz``, ``tokenizer.json``,
``card.json`` and ``manifest.json`` (the SHA-256 of each other file). Every
file is checked against the manifest before use, so a truncated or tampered
model is refused with a clear error instead of giving wrong answers.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from types import EllipsisType

import numpy as np

from proplens.errors import ModelError
from proplens.pipeline import predict
from proplens.pipeline.calibration import Calibration, PhraseCalibration
from proplens.pipeline.classifier import TechniqueClassifier
from proplens.pipeline.decode import Decoding
from proplens.pipeline.heads import Heads
from proplens.pipeline.nesting import Nesting, nest_article
from proplens.pipeline.rescore import SpanRescore
from proplens.pipeline.sentence_cut import SentenceCut, cut_article
from proplens.pipeline.windowing import WindowPlan, WordPieces
from proplens.techniques import NAMES

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"
MANIFEST = "manifest.json"
THREADS = "PROPLENS_THREADS"  # encoder threads; batch workers set their share (batch.threads)
SPIN = "PROPLENS_SPIN"


def verify(model_dir: Path) -> dict:
    """Check every file against ``manifest.json``; return the manifest."""
    manifest_file = model_dir / MANIFEST
    if not manifest_file.exists():
        raise ModelError(f"{model_dir}: not a proplens model folder (no {MANIFEST})")
    try:
        manifest = json.loads(manifest_file.read_text())
        expected = manifest["sha256"]
    except (json.JSONDecodeError, KeyError, TypeError):
        raise ModelError(f"{manifest_file}: unreadable manifest") from None
    for name, digest in expected.items():
        path = model_dir / name
        if not path.exists():
            raise ModelError(f"{path}: model file is missing")
        if sha256(path) != digest:
            raise ModelError(
                f"{path}: checksum mismatch, the model file is damaged or was modified; "
                "reinstall proplens or re-export the model"
            )
    return manifest


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def session_options(ort):
    """onnxruntime settings: ``PROPLENS_THREADS`` threads (0: one per core), no spinning.

    Spinning worker threads keep a core busy after each call, the core the
    Python side needs for tokens, decoding and features until the next call:
    on 2 cores, 14-16% more articles/s without it (docs/model.md, "Speed").
    ``PROPLENS_SPIN=1`` turns it back on.
    """
    threads = os.environ.get(THREADS, "").strip() or "0"
    spin = os.environ.get(SPIN, "").strip() or "0"
    if not threads.isdigit():
        raise ModelError(f"{THREADS} must be a whole number of threads, not {threads!r}")
    if spin not in ("0", "1"):
        raise ModelError(f"{SPIN} must be 0 or 1, not {spin!r}")
    options = ort.SessionOptions()
    options.intra_op_num_threads = int(threads)
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", spin)
    return options


def window_plan(card: dict) -> WindowPlan:
    """The card's window plan; cards of 0.1.0 models describe strided windows only."""
    runtime = card.get("runtime", {})
    window = int(card["config"]["window"])
    if "windows" in runtime:
        return WindowPlan(window=window, **runtime["windows"])
    stride = int(runtime.get("stride", card["config"]["stride"]))
    return WindowPlan(window=window, mode="strided", stride=stride, per_call=8)


def _card_entry(model_dir, card: dict, key: str, parse):
    """``parse(card.get(key))``; a malformed entry becomes a ModelError naming the key."""
    try:
        return parse(card.get(key))
    except ValueError as err:
        raise ModelError(f"{model_dir}: card.json {key}: {err}") from None


class Model:
    """The encoder session, heads, tokenizer and the settings chosen on validation."""

    def __init__(
        self,
        model_dir: Path,
        session,
        heads: Heads,
        pieces: WordPieces,
        card: dict,
        classifier: TechniqueClassifier | None = None,
    ):
        self.model_dir = model_dir
        self.classifier = classifier
        self.session = session
        self.heads = heads
        self.pieces = pieces
        self.card = card
        self.decoding = Decoding(**card["decoding"])
        self.nesting = _card_entry(model_dir, card, "nesting", Nesting.from_card)
        self.sentence_cut = _card_entry(model_dir, card, "sentence_cut", SentenceCut.from_card)
        self.calibration = Calibration(**card["calibration"])
        self.phrase_calibration = _card_entry(
            model_dir, card, "phrase_calibration", PhraseCalibration.from_card
        )
        self.span_rescore = _card_entry(model_dir, card, "span_rescore", SpanRescore.from_card)
        self.plan = window_plan(card)
        self.default_threshold = float(card.get("default_threshold", 0.0))
        names = tuple(card.get("techniques", NAMES))
        if names != NAMES:
            raise ModelError(f"{model_dir}: model was trained for other technique names")

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> Model:
        model_dir = Path(model_dir) if model_dir is not None else SHIPPED_DIR
        if not model_dir.is_dir():
            raise ModelError(f"{model_dir}: no such model folder")
        manifest = verify(model_dir)
        encoder_file = model_dir / manifest.get("encoder", "encoder.int8.onnx")
        import onnxruntime as ort

        options = session_options(ort)
        try:
            session = ort.InferenceSession(
                str(encoder_file), options, providers=["CPUExecutionProvider"]
            )
            heads = Heads.load(model_dir / "heads.npz")
            pieces = WordPieces(model_dir / "tokenizer.json")
            card = json.loads((model_dir / "card.json").read_text())
            classifier = TechniqueClassifier.load(model_dir)
        except (OSError, ValueError, KeyError) as err:
            raise ModelError(f"{model_dir}: cannot load the model ({err})") from None
        return cls(model_dir, session, heads, pieces, card, classifier)

    def encode(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        (hidden,) = self.session.run(
            ["hidden"], {"input_ids": input_ids, "attention_mask": attention_mask}
        )
        return hidden

    def states(self, text: str, progress=None) -> predict.ArticleStates:
        """Encoder states of ``text``; ``progress(done, total)`` hears of each window call."""
        return predict.encode_article(
            self.encode, self.pieces, self.heads, text, self.plan, progress=progress
        )

    def detect(self, text: str, progress=None) -> list[tuple[int, int, str, float]]:
        """``(start, end, technique, calibrated score)`` for every span found in ``text``."""
        return self.spans(self.states(text, progress))

    def spans(
        self,
        states: predict.ArticleStates,
        sentence_cut: SentenceCut | None | EllipsisType = ...,
        nesting: Nesting | None | EllipsisType = ...,
    ) -> list[tuple[int, int, str, float]]:
        """The spans of encoded ``states``: decoded, cut at sentence starts, phrases nested.

        ``sentence_cut`` and ``nesting`` default (``...``) to the card's; the
        benches pass others (None: that step is skipped) to compare decodings on
        the same states (bench/nested_decode.py).
        """
        sentence_cut = self.sentence_cut if sentence_cut is ... else sentence_cut
        nesting = self.nesting if nesting is ... else nesting
        found = predict.candidates(states, self.heads, self.decoding, self.classifier)
        if sentence_cut is not None:
            found = cut_article(states, self.heads, self.classifier, found, sentence_cut)
        if nesting is not None:
            found = nest_article(
                states,
                self.heads,
                self.classifier,
                found,
                self.calibration,
                self.decoding.threshold,
                nesting,
            )
        return predict.scored_spans(
            found, self.calibration, NAMES, self.phrase_calibration, self.span_rescore, states
        )

    def classify(self, text: str, spans: list[tuple[int, int]]) -> list[tuple[str, float]]:
        """Technique and its probability for each given span (repeated spans: top-k)."""
        probs = predict.technique_probs(self.states(text), self.heads, spans, self.classifier)
        chosen = predict.assign_template(probs, spans)
        return [(NAMES[c], round(float(p[c]), 4)) for c, p in zip(chosen, probs, strict=True)]
