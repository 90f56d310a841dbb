"""How alike two sentences are, by their words: the measure the alignment runs on.

Words are lower-cased and cut to a short stem (the first five letters), so
"create"/"creating" or "merge"/"merger" count as the same word; a short list of
function words is left out, so two unrelated sentences of one article do not
look alike because both say "the ... said ... on Monday". The score is
rapidfuzz's normalised Indel similarity of the two word sequences (1.0: the
same words in the same order), which keeps word order without punishing an
inserted clause more than its length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz.distance import Indel

_WORD = re.compile(r"\w+")
_STEM = 5
STOPWORDS = frozenset(
    """a an the and or but of to in on at for from by with as into over after before
    is are was were be been being has have had do does did will would shall should can
    could may might must it its this that these those there their they them he she his
    her him we our you your i me my who whom which what when where while than then so
    not no also about up out if said says say told according""".split()
)


def words(text: str) -> list[str]:
    """Content words of ``text``, lower-cased and stemmed, in order."""
    return [w[:_STEM] for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Normalised Indel similarity of two word sequences, in [0, 1]."""
    if not a and not b:
        return 1.0
    return Indel.normalized_similarity(a, b)


def containment(part: Sequence[str], whole: Sequence[str]) -> float:
    """Share of ``part``'s words that also occur in ``whole`` (a split piece in its source)."""
    if not part:
        return 0.0
    pool = set(whole)
    return sum(1 for w in part if w in pool) / len(part)
