"""A small deterministic stand-in for the model, importable by worker processes.

``make`` marks fixed keywords with fixed techniques and scores. Environment
variables let a test watch the workers from outside: ``PROPLENS_FAKE_DELAY``
(seconds to sleep per article), ``PROPLENS_FAKE_CALLS`` (file that gets one line
per analysed article id), ``PROPLENS_FAKE_LOADS`` (one line per model load) and
``PROPLENS_FAKE_THREADS`` (at each load, the ``PROPLENS_THREADS`` the model would get).
"""

from __future__ import annotations

import os
import re
import time

from proplens.article import Article, Span
from proplens.errors import ModelError

KEYWORDS = {
    "disastrous": ("Loaded_Language", 0.9),
    "so-called experts": ("Name_Calling,Labeling", 0.8),
    "experts": ("Appeal_to_Authority", 0.4),
    "always": ("Exaggeration,Minimisation", 0.6),
    "everyone knows": ("Bandwagon,Reductio_ad_hitlerum", 0.7),
    "traitors": ("Name_Calling,Labeling", 0.95),
}


class KeywordAnalyzer:
    def __init__(self, threshold: float | None) -> None:
        self.threshold = 0.5 if threshold is None else threshold

    def analyze(self, article: Article, threshold: float | None = None) -> Article:
        if "EXPLODE" in article.text:
            raise RuntimeError("the fake model trips on this article")
        _note("PROPLENS_FAKE_CALLS", article.id)
        delay = float(os.environ.get("PROPLENS_FAKE_DELAY", "0"))
        if delay:
            time.sleep(delay)
        cut = self.threshold if threshold is None else threshold
        spans = []
        for keyword, (technique, score) in KEYWORDS.items():
            if score < cut:
                continue
            for match in re.finditer(re.escape(keyword), article.text, re.IGNORECASE):
                spans.append(Span(match.start(), match.end(), technique, score))
        return article.with_spans(spans)


def make(model_dir, threshold):
    _note("PROPLENS_FAKE_LOADS", str(os.getpid()))
    _note("PROPLENS_FAKE_THREADS", os.environ.get("PROPLENS_THREADS", "unset"))
    return KeywordAnalyzer(threshold)


def broken(model_dir, threshold):
    raise ModelError("the fake model directory is empty")


def _note(variable: str, line: str) -> None:
    path = os.environ.get(variable)
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
