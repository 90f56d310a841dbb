"""A synthetic news corpus and a keyword "model", for benchmarks and the docs picture.

The text is our own (no corpus data). ``make_analyzer`` is an analyzer factory
(``synthetic:make_analyzer``) whose cost per article is small and steady, so
the memory benchmark measures the batch machinery rather than a model.
"""

from __future__ import annotations

import json
import random
import re
from datetime import date, timedelta
from pathlib import Path

from proplens.article import Article, Span

OUTLETS = ("Harbour Gazette", "Valley Post", "The Islander", "Northern Ledger", "Coastal Times")
SUBJECTS = (
    "the council",
    "the ministry",
    "the harbour board",
    "the mayor",
    "the opposition",
    "the ferry company",
    "the school board",
    "the regional office",
)
NEUTRAL = (
    "{s} met on Tuesday to discuss next year's budget.",
    "A spokesperson for {s} said the figures would be published next week.",
    "The report lists forty projects and their expected costs.",
    "Residents asked {s} about the timetable for the new bridge.",
    "The meeting lasted three hours and ended without a vote.",
    "Local traders said the summer season had been average.",
)
LOADED = (
    ("Critics called the plan by {s} a disastrous betrayal.", "disastrous betrayal",
     "Loaded_Language"),
    ("The so-called experts of {s} defended the numbers again.", "so-called experts",
     "Name_Calling,Labeling"),
    ("Everyone knows {s} cannot be trusted.", "Everyone knows", "Bandwagon,Reductio_ad_hitlerum"),
    ("If nothing changes, no family in the valley will be safe.", "no family in the valley will "
     "be safe", "Appeal_to_fear-prejudice"),
    ("Either we back the plan or the town will die.", "Either we back the plan or the town will "
     "die", "Black-and-White_Fallacy"),
    ("This is the greatest scandal in the history of the island.", "the greatest scandal in the "
     "history of the island", "Exaggeration,Minimisation"),
    ("Every true islander stands with the fishermen.", "Every true islander",
     "Flag-Waving"),
    ("Can we really believe anything {s} says?", "Can we really believe anything",
     "Doubt"),
)  # fmt: skip
KEYWORDS = [(phrase, technique) for _, phrase, technique in LOADED]


def article(i: int, rng: random.Random, start: date = date(2024, 1, 1)) -> dict:
    """Article ``i``: 8-20 sentences, more loaded ones for some outlets than others."""
    outlet = OUTLETS[i % len(OUTLETS)]
    bias = 0.05 + 0.08 * (i % len(OUTLETS))
    sentences = []
    for _ in range(rng.randint(8, 20)):
        subject = rng.choice(SUBJECTS)
        if rng.random() < bias:
            sentences.append(rng.choice(LOADED)[0].format(s=subject))
        else:
            sentences.append(rng.choice(NEUTRAL).format(s=subject))
    sentences = [s[0].upper() + s[1:] for s in sentences]
    text = " ".join(sentences)
    return {
        "id": f"syn{i:06d}",
        "title": f"{outlet}: {sentences[0][:60]}",
        "text": text,
        "source": outlet,
        "date": (start + timedelta(days=rng.randint(0, 119))).isoformat(),
    }


def write_corpus(path: Path, n: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(json.dumps(article(i, rng)) + "\n")
    return path


class KeywordAnalyzer:
    threshold = 0.5

    def __init__(self) -> None:
        self.patterns = [(re.compile(re.escape(p), re.IGNORECASE), t) for p, t in KEYWORDS]

    def analyze(self, article: Article, threshold: float | None = None) -> Article:
        spans = [
            Span(m.start(), m.end(), technique, 0.5 + 0.05 * (m.start() % 10))
            for pattern, technique in self.patterns
            for m in pattern.finditer(article.text)
        ]
        return article.with_spans(spans)


def make_analyzer(model_dir=None, threshold=None) -> KeywordAnalyzer:
    return KeywordAnalyzer()
