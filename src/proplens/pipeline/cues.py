"""Article-level cues for the technique classifier: what a span's encoder states cannot say.

The encoder sees one window; whether a phrase recurs across the article (the
mark of Repetition), whether it sits in the title, ends in a question or an
exclamation, or stands in quotes are facts about the whole text. The top
SemEval-2020 systems fed such cues to their classifiers; these are ours, each
scaled to about [0, 1]. Training and inference call the same function.
"""

from __future__ import annotations

import re

import numpy as np

from proplens.pipeline.decode import FUNCTION_WORDS
from proplens.pipeline.features import ArticleText

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_QUOTES = "\"“”'‘’«»"
CUE_NAMES = (
    "log_chars",
    "log_words",
    "one_word",
    "phrase_repeats",
    "phrase_earlier",
    "content_words_elsewhere",
    "content_word_max_count",
    "position",
    "in_title",
    "ends_question",
    "ends_exclamation",
    "opens_quote",
    "has_quote",
    "capitalised_share",
    "all_caps_word",
    "has_digit",
    "sentence_question",
    "sentence_exclamation",
    "sentence_share",
    "at_sentence_start",
)


class ArticleCues:
    """An article prepared once (word counts, sentence bounds) for the cues of all its spans."""

    def __init__(self, text: str) -> None:
        self.text = ArticleText(text)
        words = [w.lower() for w in _WORD.findall(text)]
        self.counts: dict[str, int] = {}
        for word in words:
            self.counts[word] = self.counts.get(word, 0) + 1
        first_line = text.lstrip("\ufeff").split("\n", 1)[0]
        self.title_end = len(text) - len(text.lstrip("\ufeff")) + len(first_line)
        self.sentence_ends = np.array([m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)])

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The bounds of the sentence(s) around ``[start, end)``."""
        i = int(np.searchsorted(self.sentence_ends, start, side="right"))
        s_start = int(self.sentence_ends[i - 1]) if i > 0 else 0
        j = int(np.searchsorted(self.sentence_ends, end, side="left"))
        s_end = int(self.sentence_ends[min(j, len(self.sentence_ends) - 1)])
        return s_start, max(s_end, end)

    def cues(self, start: int, end: int) -> np.ndarray:
        text = self.text.text
        fragment = text[start:end]
        words = _WORD.findall(fragment)
        content = [w.lower() for w in words if w.lower() not in FUNCTION_WORDS]
        inside: dict[str, int] = {}
        for w in content:
            inside[w] = inside.get(w, 0) + 1
        elsewhere = [self.counts.get(w, 0) > inside[w] for w in content]
        s_start, s_end = self.sentence(start, end)
        sentence = text[s_start:s_end].strip()
        before = text[start - 1] if start > 0 else ""
        tail = fragment.rstrip()
        capitalised = sum(w[0].isupper() for w in words[1:])  # shares: as np.mean, to the bit
        return np.array(
            [
                np.log1p(len(fragment)) / 6.0,
                np.log1p(len(words)) / 4.0,
                float(len(words) == 1),
                np.log1p(self.text.occurrences(start, end) - 1) / 2.0,
                float(self.text.earlier(start, end)),
                sum(elsewhere) / len(content) if content else 0.0,
                np.log1p(max((self.counts.get(w, 0) for w in content), default=0)) / 3.0,
                start / max(1, len(text)),
                float(start < self.title_end),
                float(tail.endswith("?")),
                float(tail.endswith("!")),
                float(before != "" and before in _QUOTES),
                float(any(q in fragment for q in _QUOTES)),
                capitalised / (len(words) - 1) if len(words) > 1 else 0.0,
                float(any(len(w) > 1 and w.isupper() for w in words)),
                float(any(c.isdigit() for c in fragment)),
                float(sentence.rstrip(_QUOTES + ")").endswith("?")),
                float(sentence.rstrip(_QUOTES + ")").endswith("!")),
                min(1.0, len(fragment) / max(1, len(sentence))),
                float(text[s_start:start].strip(" \t\r\n" + _QUOTES) == ""),
            ],
            dtype=np.float32,
        )


_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")


def span_cues(cues: ArticleCues, spans: list[tuple[int, int]]) -> np.ndarray:
    """``(len(spans), len(CUE_NAMES))`` cues of the given spans."""
    if not spans:
        return np.zeros((0, len(CUE_NAMES)), dtype=np.float32)
    return np.stack([cues.cues(s, e) for s, e in spans])
