"""Modal hedges ("may", "might", "appeared to"), which matter most when they vanish.

:mod:`proplens.sources` lists fixed hedging expressions ("reportedly",
"could not be verified"); it leaves out modal verbs, which in one article say
little ("may" is also a month, "could" is everywhere). Between two versions of
one sentence they say a lot: "the vaccine may reduce" becoming "the vaccine
reduces" turns a possibility into a fact, and "is expected to take 30 years" becoming
"will take 30 years" a forecast into a certainty. The hedge flags therefore add these
to the hedges sources finds, and only compare them across aligned sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MODALS = re.compile(
    r"\b(?:may|might|could(?!\s+not)|appears?\s+to|appeared\s+to|seems?\s+to|seemed\s+to"
    r"|is\s+thought\s+to|are\s+thought\s+to|was\s+thought\s+to|is\s+believed\s+to"
    r"|were\s+believed\s+to|was\s+believed\s+to|tend(?:s|ed)?\s+to"
    r"|(?:is|are|was|were)\s+(?:widely\s+)?expected\s+to)\b"
)  # lower case only: "May" at the start of a sentence is more often the month


@dataclass(frozen=True)
class ModalHedge:
    start: int
    end: int
    kind: str = "hedge"


def modal_hedges(text: str, start: int, end: int) -> list[ModalHedge]:
    """Modal hedges in ``text[start:end]``, offsets into ``text``."""
    return [ModalHedge(m.start(), m.end()) for m in _MODALS.finditer(text, start, end)]
