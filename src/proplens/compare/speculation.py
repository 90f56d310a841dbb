"""Speculation and insinuation in a sentence: possibilities the writer raises, not facts.

A slanted retelling seldom invents a fact outright; it raises a possibility
and leaves it hanging: "Whether they were sent for other goals cannot be
known", "it is likely that...", "Iran may well be...", "the militias could be
preparing...", "one wonders why...", "Was the fire really an accident?". Each
says nothing checkable and still plants the thought. :mod:`proplens.compare.flags`
raises ``speculation_added`` when a sentence of B holds such a marker and its
counterpart in A holds none of the same kind.

Two strengths, because a modal on its own says little (see :mod:`.modals`):

- *strong* markers speculate wherever they stand: likelihood judgements ("it
  is likely that", "in all likelihood", "may well"), the unknowable left open
  ("cannot be ruled out", "cannot be known", "it remains to be seen"),
  insinuating phrases ("one wonders", "raises questions", "no coincidence") and
  rhetorical questions;
- *weak* markers ("may", "might", "could", "probably", "reportedly",
  "allegedly", "is said to") count only in a sentence B added: added to a
  sentence A already had, they hedge A's statement (``hedge_added``); in a
  new sentence they make a new statement out of a possibility or a rumour.

Like :mod:`.allegations` and :mod:`.balance`, a short list of news wording, not
learned from data. Markers inside quotation marks are a source's words, not the
writer's, and are not returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STRONG: dict[str, tuple[str, ...]] = {
    "likelihood": (
        r"\bit\s+(?:is|was|seems|seemed|appears|looks|remains)\s+(?:\w+\s+){0,2}?"
        r"(?:likely|unlikely|possible|probable|conceivable|plausible|not\s+impossible"
        r"|not\s+inconceivable)\b(?!\s+to\b)",
        r"\b(?:in\s+all|by\s+all)\s+likelihood\b",
        r"\b(?:most|very|highly|quite)\s+(?:likely|probably)\b",
        r"\balmost\s+certainly\b",
        r"\bchances\s+are\b",
        r"\bthere\s+(?:is|are)\s+(?:every|a\s+(?:good|real|strong)|good|strong)\s+"
        r"(?:reason\s+to\s+(?:believe|suspect|think)|chance|possibility|likelihood)\b",
        r"\b(?:may|might|could)\s+(?:very\s+)?well\b",
        r"\b(?:may|might|could)\s+(?:well\s+|even\s+|also\s+)?(?:be|have\s+been)\s+"
        r"(?:behind|responsible|involved|linked|connected|hiding|covering|the\s+work\s+of"
        r"|part\s+of\s+a)\b",
    ),
    "unknowable": (
        r"\b(?:cannot|can\s*not|can't|could\s+not|couldn't)\s+be\s+(?:\w+\s+)?"
        r"(?:ruled\s+out|excluded|dismissed|known|ascertained)\b",
        r"\bit\s+remains\s+to\s+be\s+seen\b",
        r"\b(?:we|you|one)\s+(?:may|might|will|can)\s+never\s+know\b",
        r"\b(?:no\s+one|nobody)\s+(?:knows|can\s+say|can\s+tell)\b",
    ),
    "insinuation": (
        r"\bone\s+(?:has\s+to\s+|must\s+|can\s+only\s+|might\s+|may\s+|cannot\s+help\s+but\s+)?"
        r"(?:wonders?|ask|asks|guess|imagine)\b",
        r"\bmakes?\s+(?:one|you|us)\s+wonder\b",
        r"\b(?:raises?|raising|raised)\s+(?:\w+\s+){0,2}questions\b",
        r"\bbegs?\s+the\s+question\b",
        r"\bquestions\s+(?:remain|linger)\b",
        r"\b(?:no|hardly\s+a|not\s+a|more\s+than\s+a)\s+coincidence\b|\bcoincidentally\b",
        r"\bmore\s+(?:to\s+(?:it|this|that|the\s+\w+)\s+)?than\s+meets\s+the\s+eye\b",
        r"\bwhat\s+(?:else\s+)?(?:\w+\s+){1,4}hiding\b",
        r"\bsuspiciously\b",
        r"\b(?:had|has|have|with)\s+(?:both\s+)?(?:the\s+)?means\s+and\s+(?:the\s+)?motive\b",
        r"\bit\s+is\s+(?:hard|difficult)\s+not\s+to\s+(?:wonder|suspect|think|conclude)\b",
    ),
}
_WEAK: dict[str, tuple[str, ...]] = {
    "modal": (r"\b(?:may|might|could)\b(?!\s+not\b)",),  # lower case: "May" is the month
    "likelihood": (r"\b(?:probably|perhaps|possibly|presumably)\b",),
    "hearsay": (
        r"\b(?:reportedly|allegedly|supposedly|rumou?red)\b",
        r"\b(?:is|are|was|were)\s+(?:said|rumou?red)\s+to\b",
    ),
}
_QUOTE = re.compile(r"\"[^\"]*\"|“[^”]*”")
_QUESTION = re.compile(r"\?[\"'”’)\]]*\s*$")

_COMPILED = {
    strength: [
        (kind, re.compile(p, re.IGNORECASE if strength == "strong" else 0))
        for kind, patterns in table.items()
        for p in patterns
    ]
    for strength, table in (("strong", _STRONG), ("weak", _WEAK))
}


@dataclass(frozen=True)
class Marker:
    """A speculation marker ``text[start:end]``: its kind and whether it is strong."""

    kind: str  # "likelihood" | "unknowable" | "insinuation" | "question" | "modal" | "hearsay"
    start: int
    end: int
    strong: bool


def markers(text: str, start: int, end: int) -> list[Marker]:
    """Speculation markers of the sentence ``text[start:end]`` (offsets into ``text``), in
    order, outside quotation marks; a sentence ending in "?" outside quotes is a
    rhetorical question (its marker: the whole sentence)."""
    quoted = [(m.start(), m.end()) for m in _QUOTE.finditer(text, start, end)]

    def outside(lo: int, hi: int) -> bool:
        return not any(q_lo <= lo and hi <= q_hi for q_lo, q_hi in quoted)

    found = []
    for strength, patterns in _COMPILED.items():
        for kind, pattern in patterns:
            for m in pattern.finditer(text, start, end):
                if outside(m.start(), m.end()):
                    found.append(Marker(kind, m.start(), m.end(), strength == "strong"))
    question = _QUESTION.search(text, start, end)
    if question and outside(question.start(), question.start() + 1):
        found.append(Marker("question", start, end, True))
    found.sort(key=lambda m: (m.start, -m.end))
    kept: list[Marker] = []
    for marker in found:  # overlapping matches of one phrase count once, the longer first
        if not kept or marker.start >= kept[-1].end or kept[-1].kind == "question":
            kept.append(marker)
    return kept
