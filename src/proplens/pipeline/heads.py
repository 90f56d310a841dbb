"""The two small heads in numpy, so that inference needs no torch.

Weights live in ``heads.npz`` (loaded with ``allow_pickle=False``) next to the
ONNX encoder; ``Detector`` in ``network`` computes the same functions in torch.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

HEAD_KEYS = ("si_w", "si_b", "tc_hidden_w", "tc_hidden_b", "tc_out_w", "tc_out_b")


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def gelu_tanh(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x**3)))


class Heads:
    """BIO tagging head and technique head, as plain matrices."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        missing = [k for k in HEAD_KEYS if k not in weights]
        if missing:
            raise ValueError(f"heads file lacks {', '.join(missing)}")
        self.w = {k: np.asarray(weights[k], dtype=np.float32) for k in HEAD_KEYS}

    @classmethod
    def load(cls, path: Path) -> Heads:
        with np.load(path, allow_pickle=False) as data:
            return cls({k: data[k] for k in data.files})

    def save(self, path: Path) -> None:
        np.savez(path, **self.w)

    def bio_probs(self, states: np.ndarray) -> np.ndarray:
        """``(..., hidden)`` -> ``(..., 3)`` probabilities of O, B, I."""
        return softmax(states @ self.w["si_w"].T + self.w["si_b"])

    def technique_probs(self, features: np.ndarray) -> np.ndarray:
        """``(spans, 2*hidden + extras)`` -> ``(spans, techniques)`` probabilities."""
        hidden = gelu_tanh(features @ self.w["tc_hidden_w"].T + self.w["tc_hidden_b"])
        return softmax(hidden @ self.w["tc_out_w"].T + self.w["tc_out_b"])


def heads_from_torch(detector) -> Heads:
    """Copy the heads out of a trained ``network.Detector``."""

    def arr(t):
        return t.detach().float().cpu().numpy()

    return Heads(
        {
            "si_w": arr(detector.si_head.weight),
            "si_b": arr(detector.si_head.bias),
            "tc_hidden_w": arr(detector.tc_hidden.weight),
            "tc_hidden_b": arr(detector.tc_hidden.bias),
            "tc_out_w": arr(detector.tc_out.weight),
            "tc_out_b": arr(detector.tc_out.bias),
        }
    )
