"""The cue tagger: an encoder fine-tuned on PolNeAR's cues, a logit for each word of an article.

Why it exists: rounds 1-4 of issue 25 (docs/sources.md) found that the cue
model's scores, not the finder's decoding, limit recall: most missed cues are
rare phrasings ("delivered a blunt message to") that hand features over a
parse cannot learn from one or two examples. A MiniLM fine-tuned end to end
on the training split's cues reads them in context. Its logit for a word is
added to the hand-feature model's logit (:class:`proplens.sources.cues.CueModel`);
the sum decides, at the threshold the cue model carries.

The folder (``cue_tagger/`` beside this module) holds ``encoder.int8.onnx`` (the
fine-tuned all-MiniLM-L6-v2, quantized as the detector's encoder is),
``head.json`` (the linear head and the window plan it was scored with),
``tokenizer.json`` and ``manifest.json`` (the SHA-256 of each). Every file is
checked before use, as the detector's are (:func:`proplens.pipeline.runtime.verify`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from proplens.errors import ModelError
from proplens.pipeline.windowing import WordPieces

TAGGER_DIR = Path(__file__).resolve().parent / "cue_tagger"
HEAD_FORMAT = "proplens-cue-tagger/1"
ENCODER_FILE = "encoder.int8.onnx"
PER_CALL = 8  # windows per encoder call
NO_PIECE = -30.0  # the logit of a word no word piece overlaps (a lone space, say)


def scoring_windows(length: int, width: int, stride: int) -> list[tuple[int, int]]:
    """``(start, stop)`` windows of ``width`` pieces every ``stride``; the last ends at ``length``.

    >>> scoring_windows(10, 4, 2)
    [(0, 4), (2, 6), (4, 8), (6, 10)]
    >>> scoring_windows(9, 4, 4)
    [(0, 4), (4, 8), (5, 9)]
    >>> scoring_windows(3, 4, 2)
    [(0, 3)]
    """
    if length <= width:
        return [(0, length)]
    out = []
    start = 0
    while start + width < length:
        out.append((start, start + width))
        start += stride
    out.append((length - width, length))
    return out


def word_logits(offsets: np.ndarray, logits: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """The max logit of the pieces overlapping each ``(start, end)`` word span.

    >>> offsets = np.array([[0, 3], [3, 6], [7, 9]])
    >>> word_logits(offsets, np.array([1.0, 3.0, -2.0]), np.array([[0, 6], [7, 9], [9, 12]]))
    array([  3.,  -2., -30.], dtype=float32)
    """
    lo = np.searchsorted(offsets[:, 1], spans[:, 0], side="right")
    hi = np.maximum(np.searchsorted(offsets[:, 0], spans[:, 1], side="left"), lo)
    out = np.full(len(spans), NO_PIECE, np.float32)
    for i, (a, b) in enumerate(zip(lo, hi, strict=True)):
        if b > a:
            out[i] = logits[a:b].max()
    return out


@dataclass
class CueTagger:
    """The fine-tuned encoder's session, its head and the window plan it was chosen with."""

    session: object
    pieces: WordPieces
    weights: np.ndarray  # (hidden,)
    bias: float
    window: int  # word pieces per window, without [CLS]/[SEP]
    stride: int  # pieces between window starts; overlaps are averaged

    @classmethod
    def load(cls, folder: Path = TAGGER_DIR) -> CueTagger:
        from proplens.pipeline.runtime import session_options, verify

        if not folder.is_dir():
            raise ModelError(f"{folder}: no cue tagger folder")
        verify(folder)
        try:
            head = json.loads((folder / "head.json").read_text(encoding="utf-8"))
            if head.get("format") != HEAD_FORMAT:
                raise ValueError(f"format is {head.get('format')!r}, not {HEAD_FORMAT!r}")
            weights = np.asarray(head["weights"], dtype=np.float32)
            bias, window, stride = float(head["bias"]), int(head["window"]), int(head["stride"])
            if weights.ndim != 1 or not 8 <= window <= 510 or not 1 <= stride <= window:
                raise ValueError("weights must be one vector, 8 <= window <= 510, 1 <= stride")
            import onnxruntime as ort

            session = ort.InferenceSession(
                str(folder / ENCODER_FILE), session_options(ort), providers=["CPUExecutionProvider"]
            )
            pieces = WordPieces(folder / "tokenizer.json")
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ModelError(f"{folder}: cannot load the cue tagger ({err})") from None
        if pieces.cls_id is None or pieces.sep_id is None:
            raise ModelError(f"{folder}: the tagger's tokenizer has no [CLS]/[SEP]")
        return cls(session, pieces, weights, bias, window, stride)

    def piece_logits(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """``(offsets, logits)`` of ``text``'s pieces (logits averaged where windows overlap)."""
        tokens = self.pieces.tokenize(text)
        n = len(tokens.ids)
        total = np.zeros(n, np.float32)
        seen = np.zeros(n, np.float32)
        spans = scoring_windows(n, self.window, self.stride) if n else []
        for first in range(0, len(spans), PER_CALL):
            group = spans[first : first + PER_CALL]
            width = max(stop - start for start, stop in group) + 2
            ids = np.full((len(group), width), self.pieces.pad_id, np.int64)
            mask = np.zeros((len(group), width), np.int64)
            for row, (start, stop) in enumerate(group):
                ids[row, 0] = self.pieces.cls_id
                ids[row, 1 : stop - start + 1] = tokens.ids[start:stop]
                ids[row, stop - start + 1] = self.pieces.sep_id
                mask[row, : stop - start + 2] = 1
            (hidden,) = self.session.run(["hidden"], {"input_ids": ids, "attention_mask": mask})
            logit = hidden @ self.weights + self.bias
            for row, (start, stop) in enumerate(group):
                total[start:stop] += logit[row, 1 : stop - start + 1]
                seen[start:stop] += 1
        return tokens.offsets, total / np.maximum(seen, 1)

    def logits(self, text: str, spans: np.ndarray) -> np.ndarray:
        """The tagger's logit for each ``(start, end)`` character span of ``text`` (a word)."""
        offsets, logits = self.piece_logits(text)
        if len(offsets) == 0:
            return np.full(len(spans), NO_PIECE, np.float32)
        return word_logits(offsets, logits, np.asarray(spans, dtype=np.int64).reshape(-1, 2))


@lru_cache(maxsize=2)
def load_tagger(folder: Path = TAGGER_DIR) -> CueTagger | None:
    """The shipped tagger, loaded once; None when this install has none."""
    if not (folder / "manifest.json").exists():
        return None
    return CueTagger.load(folder)
