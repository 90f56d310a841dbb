"""Which proplens and which shipped model: one place each, for --version, /healthz and the page.

The release number lives here and nowhere else (pyproject.toml reads it as a dynamic
version, so the installed metadata agrees). The model's version is the one its card
carries (``card.json`` ``version``, stamped by ``proplens export``), read without
loading the model, so ``--version`` stays instant.
"""

from __future__ import annotations

import json
from pathlib import Path

__version__ = "0.2.0"

SHIPPED_CARD = Path(__file__).resolve().parent / "pipeline" / "shipped" / "card.json"


def model_version(card: dict) -> str:
    """``name version`` of a model card, e.g. ``proplens-minilm 2026.12.07``."""
    return " ".join(str(card[key]) for key in ("name", "version") if card.get(key)) or "unknown"


def shipped_model_version() -> str:
    """The shipped model's ``name version``; "unknown" for a damaged install (never raises)."""
    try:
        card = json.loads(SHIPPED_CARD.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "unknown"
    return model_version(card) if isinstance(card, dict) else "unknown"


def version_text() -> str:
    """What ``proplens --version`` prints."""
    return f"proplens {__version__} (model {shipped_model_version()})"
