"""The balancing lines of a news report: denials, responses, counter-claims and caveats.

A fair report gives the other side and says what it could not check:
"X denied the claim", "Y did not respond to a request for comment", "each side
blamed the other", "the figures could not be independently verified". A
rewrite that drops them turns an allegation into a story with one side. This
lexicon finds such lines; :mod:`proplens.compare.flags` flags the ones that
have no counterpart in B. It is a list of phrases, written for news English
from the usual wording of wire reports, not learned from data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OBJECT = r"(?:the |these |those |that |this |such |all |any )?(?:\w+ )?"
_CLAIMS = (
    r"(?:claims?|allegations?|accusations?|charges?|reports?|assertions?|suggestions?"
    r"|account|version|figures?|findings?|wrongdoing|involvement|responsibility)"
)

PATTERNS: dict[str, tuple[str, ...]] = {
    "denial": (
        r"\b(?:denied|denies|deny|denying|denial of)\b",
        r"\b(?:rejected|rejects|reject|dismissed|dismisses|refuted|refutes|disputed|disputes"
        r"|contested|contests)\s+" + _OBJECT + _CLAIMS,
        r"\b(?:has|had|have|played|bore|bears)\s+no\s+(?:\w+\s+)?(?:involvement|role|part"
        r"|responsibility)\b",
        r"\b(?:done|did|do)\s+nothing\s+wrong\b",
        r"\bpleaded\s+not\s+guilty\b",
        r"\bdid\s+not\s+recogni[sz]e\b",
        r"\b(?:false|baseless|untrue|unfounded|groundless|fabricated)\b(?=[^.]*\b(?:said|says"
        r"|called|calling)\b)",
        r"\bcalled\s+(?:the|these|those)\s+" + _CLAIMS + r"\s+(?:false|baseless|untrue"
        r"|unfounded|lies|nonsense)\b",
    ),
    "response": (
        r"\bdid\s+not\s+(?:immediately\s+)?(?:respond|reply|answer|return)\b",
        r"\b(?:was|is|were|are|has\s+been|have\s+been)\s+(?:fully\s+)?co-?operating\s+"
        r"(?:fully\s+)?with\b",
        r"\b(?:would|will|to)\s+(?:fully\s+)?co-?operate\s+(?:fully\s+)?with\s+(?:the\s+)?"
        r"(?:\w+\s+)?(?:investigation|investigators|inquiry|authorities|police|prosecutors"
        r"|regulators|probe)\b",
        r"\b(?:is|was|were|are)\s+(?:\w+\s+)?reviewing\s+the\s+(?:charges?|complaint|lawsuit"
        r"|indictment|allegations?|claims?)\b",
        r"\b(?:has|have|had)\s+not\s+(?:yet\s+)?(?:responded|replied|commented)\b",
        r"\b(?:declined|refused)\s+to\s+comment\b",
        r"\bcould\s+not\s+(?:immediately\s+)?be\s+reached\b",
        r"\bno\s+(?:immediate\s+)?(?:comment|response|reply)\s+from\b",
        r"\bwas\s+not\s+available\s+for\s+comment\b",
    ),
    "counter": (
        r"\b(?:blamed|accused|accuse|blame)\s+each\s+other\b",
        r"\b(?:blamed|accused)\s+(?:the\s+)?other\b",
        r"\beach\s+side\s+(?:blamed|accused)\b",
        r"\b(?:countered|retorted)\b",
        r"\bsaid\s+in\s+(?:a\s+)?response\b",
        r"\bgave\s+a\s+different\s+account\b",
    ),
    "caveat": (
        r"\b(?:could|can|cannot|can't|could\s+not)\s+(?:not\s+)?(?:be\s+)?independently"
        r"\s+(?:be\s+)?(?:verified|confirmed|checked)\b",
        r"\b(?:could|can)\s+not\s+independently\s+(?:verify|confirm|check)\b",
        r"\b(?:has|have|had)\s+not\s+(?:yet\s+)?been\s+(?:peer[\s-]reviewed|verified"
        r"|confirmed|independently|determined|established)\b",
        r"\b(?:is|was|remains?|remained)\s+(?:still\s+)?(?:unknown|not\s+(?:yet\s+)?known)\b",
        r"\b(?:remained|remain|remains)\s+(?:within\s+)?normal\b"
        r"|\blevels\s+(?:were|was|are|is)\s+(?:within\s+)?normal\b",
        r"\b(?:had|has|have|did)\s+not\s+(?:yet\s+)?(?:detected|detect|found|find)\s+"
        r"(?:any\s+)?(?:\w+\s+)?(?:at\s+levels|above|contamina|traces?|radiation)",
        r"\bnot\s+(?:yet\s+)?(?:been\s+)?peer[\s-]reviewed\b",
        r"\b(?:does|do|did)\s+not\s+(?:prove|show|establish|mean)\b",
        r"\bdid\s+not\s+say\s+(?:who|whether|how|why|what)\b",
        r"\bdid\s+not\s+say\s+(?:that\s+)?(?!(?:who|whether|how|why|what)\b)(?:\w+\s+){1,3}"
        r"(?:was|were|had\s+been)\s+"
        r"(?:behind|responsible)\b",
        r"\b(?:did|has|have|had)\s+not\s+(?:yet\s+)?claim(?:ed)?\s+responsibility\b"
        r"|\bno\s+(?:one|group)\s+(?:has\s+|had\s+)?claimed\s+responsibility\b",
        r"\b(?:without|did\s+not\s+(?:provide|give|offer))\s+(?:providing\s+|giving\s+)?"
        r"(?:any\s+)?evidence\b",
        r"\b(?:offered|provided|gave)\s+no\s+evidence\b",
        r"\b(?:warned|cautioned)\s+that\s+(?:the\s+)?(?:study|findings|results|data|figures"
        r"|sample|research|evidence)\b",
        r"\b(?:but|though|although)\s+(?:\w+\s+){0,4}(?:warned|cautioned|noted|stressed)\b",
        r"\brisk\s+to\s+(?:the\s+)?(?:wider|general)?\s*public\b",
        r"\bremains?\s+low\b|\bremained\s+low\b",
        r"\b(?:it\s+(?:is|was)\s+)?(?:not|un)clear\s+(?:whether|who|how|if)\b",
        r"\bno\s+(?:\w+\s+)?(?:evidence|indication|sign)\s+(?:of|that)\b",
        r"\b(?:is|was|are|were|remains?|remained)\s+(?:still\s+)?(?:under\s+investigation"
        r"|being\s+investigated)\b",
        # reassurances: the harm was limited
        r"\b(?:no\s+one|nobody)\s+(?:\w+\s+){0,2}(?:was|were|had\s+been|has\s+been)\s+"
        r"(?:\w+\s+)?(?:injured|hurt|harmed)\b",
        r"\b(?:were|was|are|is|been)\s+(?:all\s+)?accounted\s+for\b",
        r"\b(?:well\s+|far\s+)?below\s+(?:\w+\s+)?(?:regulatory|safety|legal|safe|permitted"
        r"|official)\s+(?:limits?|levels?|thresholds?)\b",
        r"\b(?:consistent|in\s+line)\s+with\s+(?:\w+\s+)?safety\s+standards\b",
        r"\bnegligible\s+(?:\w+\s+)?(?:impact|effect|risk)\b",
        r"\bthere\s+(?:was|were|had\s+been|has\s+been|is)\s+no\s+(?:\w+\s+)?(?:pollution"
        r"|injuries|casualties|leak)\b",
    ),
}

_COMPILED = {
    kind: [re.compile(p, re.IGNORECASE) for p in patterns] for kind, patterns in PATTERNS.items()
}


@dataclass(frozen=True)
class Cue:
    """A balancing phrase ``text[start:end]`` of one kind."""

    kind: str  # "denial" | "response" | "counter" | "caveat"
    start: int
    end: int


def cues(text: str, start: int = 0, end: int | None = None) -> list[Cue]:
    """Balancing phrases in ``text[start:end]`` (offsets into ``text``), in order."""
    end = len(text) if end is None else end
    found = []
    for kind, patterns in _COMPILED.items():
        for pattern in patterns:
            found += [Cue(kind, m.start(), m.end()) for m in pattern.finditer(text, start, end)]
    found.sort(key=lambda c: (c.start, -c.end))
    kept: list[Cue] = []
    for cue in found:  # overlapping matches of one phrase count once
        if not kept or cue.start >= kept[-1].end:
            kept.append(cue)
    return kept
