"""Which words attribute: a logistic model over parse features, learned on PolNeAR's train split.

The rules in :mod:`~proplens.sources.attributions` know a list of reporting
verbs; journalists use thousands of cues ("declined to comment", "in a
statement", "is expected to", "a spokesman's claim", "fears"), and PolNeAR
marks 7,000 different cue strings in 840 articles. This model scores every
word of a sentence for "is part of an attribution cue" from what the parse
says about it (its form, tag, dependency, its head and children, its
neighbours, whether it stands inside a quote). Adjacent cue words form one
cue; :func:`~proplens.sources.attributions.from_cue` then finds its source
and content with the same dependency rules as for reporting verbs.

The weights are plain JSON (feature string -> weight) with a SHA-256 of the
file recorded beside it (``cue_model.json.sha256``), as for the detector's
manifest: no pickle, readable, and checked on load. The shipped weights are
fitted on PolNeAR's train split without its held fifth and add the cue
tagger's logit (:mod:`proplens.sources.tagger`); ``bench/polnear_tagger.py
--write-cue-model`` writes them (docs/sources.md, round 5).
"""

from __future__ import annotations

import hashlib
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from proplens.errors import ProplensError

Token = Any
MODEL_PATH = Path(__file__).with_name("cue_model.json")
"""The shipped weights; its SHA-256 is in the sibling file ``cue_model.json.sha256``."""


def features(token: Token, in_quote: bool) -> list[str]:
    """The feature strings of one token (the same at training and at prediction)."""
    doc = token.doc
    w, tag, dep = token.lower_, token.tag_, token.dep_
    head = token.head
    prev = doc[token.i - 1].lower_ if token.i > 0 else "<s>"
    nxt = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else "</s>"
    out = [
        "b",
        f"w={w}",
        f"t={tag}",
        f"d={dep}",
        f"wt={w}|{tag}",
        f"wd={w}|{dep}",
        f"s3={w[-3:]}",
        f"hw={head.lower_}",
        f"ht={head.tag_}",
        f"dh={dep}|{head.tag_}",
        f"wh={w}|{head.lower_}",
        f"p={prev}",
        f"n={nxt}",
        f"pw={prev}|{w}",
        f"wn={w}|{nxt}",
        f"q={in_quote}",
        f"qt={in_quote}|{tag[:2]}",
    ]
    if head.i != token.i:
        out.append(f"hd={head.dep_}")
        out.append(f"hdw={head.lower_}|{dep}|{head.dep_}")
    frame = ",".join(sorted({c.dep_ for c in token.children if c.dep_ in _FRAME}))
    out.append(f"fr={w}|{frame}")
    out.append(f"tf={tag}|{frame}")
    out.append(f"tfd={tag}|{dep}|{frame}")
    for child in token.children:
        out.append(f"cd={child.dep_}")
        out.append(f"wcd={w}|{child.dep_}")
        if child.dep_ in ("prep", "prt", "agent", "mark", "aux", "auxpass", "neg", "poss"):
            out.append(f"cw={child.dep_}|{child.lower_}")
        if child.dep_ in ("nsubj", "nsubjpass"):
            out.append(f"st={child.tag_}")
    return out


_FRAME = frozenset("nsubj nsubjpass ccomp xcomp dobj advcl prep agent dative attr acomp".split())
"""Dependents that together say how a word is used ("said" with a subject and a clause)."""


class CueModel:
    """Logistic weights over :func:`features`; :meth:`probability` of being a cue word.

    ``tagger``: the weights were fitted to be added to the cue tagger's logit
    (:mod:`proplens.sources.tagger`); :meth:`for_article` then gives the model
    that adds it, and the threshold is the sum's.
    """

    def __init__(self, weights: dict[str, float], threshold: float, tagger: bool = False) -> None:
        self.weights = weights
        self.threshold = threshold
        self.tagger = tagger

    def logit(self, token: Token, in_quote: bool) -> float:
        get = self.weights.get
        return sum(get(f, 0.0) for f in features(token, in_quote))

    def probability(self, token: Token, in_quote: bool) -> float:
        return _sigmoid(self.logit(token, in_quote))

    def for_article(self, text: str, docs: list[tuple[Any, int]]) -> CueModel | TaggedCues:
        """The model to score the words of ``text`` (parsed as ``(doc, offset)`` lines) with."""
        if not self.tagger:
            return self
        from proplens.sources.tagger import load_tagger

        tagger = load_tagger()
        if tagger is None:
            raise ProplensError(
                "the cue model needs the cue tagger (proplens/sources/cue_tagger/), which this "
                "install lacks: reinstall proplens"
            )
        return TaggedCues(self, tagger.logits, text, docs)

    def to_dict(self) -> dict[str, Any]:
        data = {"format": "proplens-cue-model/1", "threshold": self.threshold,
                "weights": self.weights}  # fmt: skip
        return {**data, "tagger": True} if self.tagger else data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CueModel:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return cls(weights, float(data["threshold"]), bool(data.get("tagger", False)))


class TaggedCues:
    """The cue model for one article: the hand features' logit plus the tagger's, per word.

    ``tagger_logits(text, spans)`` gives one logit per ``(start, end)`` span; it
    runs once, over the whole article, so a word is read in its context.
    """

    def __init__(self, model: CueModel, tagger_logits, text: str, docs: list[tuple[Any, int]]):
        self.model = model
        self.threshold = model.threshold
        self._row: dict[tuple[int, int], int] = {}
        spans: list[tuple[int, int]] = []
        for doc, base in docs:
            for token in doc:
                self._row[(id(doc), token.i)] = len(spans)
                spans.append((base + token.idx, base + token.idx + len(token)))
        self._logits = tagger_logits(text, np.asarray(spans, dtype=np.int64).reshape(-1, 2))

    def probability(self, token: Token, in_quote: bool) -> float:
        extra = float(self._logits[self._row[(id(token.doc), token.i)]])
        return _sigmoid(self.model.logit(token, in_quote) + extra)


def _sigmoid(score: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))


def save_model(model: CueModel, path: Path = MODEL_PATH) -> str:
    """Write the weights and their checksum file; returns the SHA-256."""
    data = json.dumps(model.to_dict(), sort_keys=True, separators=(",", ":")).encode()
    path.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    checksum_path(path).write_text(digest + "\n", encoding="utf-8")
    return digest


def checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> CueModel | None:
    """The model at ``path`` checked against its checksum file; None when none is shipped."""
    if not path.exists():
        return None
    data = path.read_bytes()
    expected = checksum_path(path).read_text(encoding="utf-8").strip()
    if hashlib.sha256(data).hexdigest() != expected:
        raise ProplensError(f"{path} does not match its checksum: reinstall proplens")
    return CueModel.from_dict(json.loads(data))
