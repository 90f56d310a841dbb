"""Claims: sentences that assert something checkable, tied to their attribution or to none.

A sentence's check-worthiness is a logistic score over cues that a
fact-checker looks for (numbers, dates, names, past events, comparisons,
causes) against those of opinion or speculation (questions, modal verbs,
very short sentences). Cues are read in what the sentence asserts: for "X
said Y", in Y. A sentence scoring at least :data:`CLAIM_THRESHOLD` is a claim.

A claim belongs to the attribution that reports its main clause ("Y, X
said"; "X said Y"), or whose content holds it (a two-sentence quote), or,
for a quoted sentence with no verb of its own, to the attribution of the
quote just before it. Otherwise it is unattributed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from proplens.sources import lexicon
from proplens.sources.attributions import Found
from proplens.sources.quotes import Quotes
from proplens.sources.results import Claim

CLAIM_THRESHOLD = 0.5
_MODALS = frozenset("will would could should may might can must shall 'll".split())
_FIRST_PERSON = frozenset("i we me us my our".split())
_OBLIGATION = ("should", "must", "has to", "have to", "deserve", "deserves", "ought")
_UNCERTAIN = ("unclear", "not clear", "whether", "not known")
_DIRECTIVES = frozenset("urge urged urges urging appeal appealed appeals".split())
_WEIGHTS = {
    "bias": 0.6,  # a declarative sentence usually states something
    "number": 1.2,
    "date": 0.6,
    "name": 0.4,
    "past_event": 0.5,
    "comparison": 0.3,
    "causal": 0.2,
    "modal": -1.0,
    "first_person": -0.3,
    "opinion": -1.5,
    "uncertain": -1.5,
    "directive": -1.5,
    "question": -4.0,
    "short": -1.5,
}


@dataclass(frozen=True)
class Sentence:
    """A parsed sentence with absolute offsets (``tokens`` are spaCy tokens of its chunk)."""

    start: int
    end: int
    tokens: Sequence[Any]
    base: int


def find_claims(
    sentences: Sequence[Sentence], found: Sequence[Found], quotes: Quotes
) -> tuple[Claim, ...]:
    """The claims among ``sentences``; attribution indices point into ``found``."""
    claims = []
    for sentence in sentences:
        owner = _owner(sentence, found, quotes)
        asserted = _asserted_tokens(sentence, found[owner] if owner is not None else None)
        score = check_worthiness(asserted, sentence)
        if score >= CLAIM_THRESHOLD:
            claims.append(
                Claim(
                    sentence.start,
                    sentence.end,
                    owner,
                    round(score, 3),
                    quantities(sentence.tokens, sentence.base),
                )
            )
    return tuple(claims)


def _owner(sentence: Sentence, found: Sequence[Found], quotes: Quotes) -> int | None:
    """Index of the attribution covering the sentence's main assertion, or None."""
    inside = [i for i, f in enumerate(found) if sentence.start <= f.anchor < sentence.end]
    governing = [i for i in inside if found[i].governs]
    if governing:
        return governing[0]
    root = _root_offset(sentence)
    for i, f in enumerate(found):
        a = f.attribution
        if i not in inside and a.content_start <= root < a.content_end:
            return i
    quote = quotes.containing(sentence.start + 1) or quotes.containing(root)
    if quote is not None and not inside:
        earlier = [
            i for i, f in enumerate(found) if f.attribution.quote and f.anchor < sentence.start
        ]
        if earlier:
            return max(earlier, key=lambda i: found[i].anchor)
    return None


def _root_offset(sentence: Sentence) -> int:
    for token in sentence.tokens:
        if token.dep_ == "ROOT":
            return sentence.base + token.idx
    return sentence.start


def _asserted_tokens(sentence: Sentence, owner: Found | None) -> list[Any]:
    if owner is None or not sentence.start <= owner.anchor < sentence.end:
        return list(sentence.tokens)
    a = owner.attribution
    inside = [
        t for t in sentence.tokens if a.content_start <= sentence.base + t.idx < a.content_end
    ]
    return inside or list(sentence.tokens)


def check_worthiness(tokens: Sequence[Any], sentence: Sentence) -> float:
    """Logistic score in [0, 1] of how checkable the asserted words are."""
    cues = _cues(tokens, sentence)
    z = _WEIGHTS["bias"] + sum(_WEIGHTS[name] for name, present in cues.items() if present)
    return 1.0 / (1.0 + math.exp(-z))


def _cues(tokens: Sequence[Any], sentence: Sentence) -> dict[str, bool]:
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    lowers = {t.lower_ for t in words}
    phrase = " ".join(t.lower_ for t in words)
    first = sentence.tokens[0] if sentence.tokens else None
    last = sentence.tokens[-1].text if sentence.tokens else ""
    return {
        "number": any(_is_number(t) for t in words)
        or bool(lowers & (lexicon.CURRENCY_SIGNS | lexicon.FRACTIONS)),
        "date": bool(lowers & lexicon.MONTHS_AND_DAYS) or any(_is_year(t) for t in words),
        "name": any(t.tag_ in ("NNP", "NNPS") and t is not first for t in words),
        "past_event": any(
            t.tag_ in ("VBD", "VBN") and t.lower_ not in lexicon.REPORTING_VERBS for t in words
        ),
        "comparison": any(t.tag_ in ("JJR", "JJS", "RBR", "RBS") for t in words)
        or bool(lowers & lexicon.COMPARISON_WORDS),
        "causal": bool(lowers & lexicon.CAUSAL_WORDS),
        "modal": any(t.tag_ == "MD" and t.lower_ in _MODALS for t in words),
        "first_person": bool(lowers & _FIRST_PERSON),
        "opinion": any(f" {cue} " in f" {phrase} " for cue in _OBLIGATION)
        or _starts_with_certainty(words),
        "uncertain": any(f" {cue} " in f" {phrase} " for cue in _UNCERTAIN),
        "directive": bool(lowers & _DIRECTIVES) or _imperative(sentence),
        "question": last.endswith("?"),
        "short": len(words) < 5,
    }


def _imperative(sentence: Sentence) -> bool:
    """ "Don't be the last one…", "Sign the petition": a base-form root with no subject."""
    for token in sentence.tokens:
        if token.dep_ == "ROOT":
            subject = any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in token.children)
            modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in token.children)
            return token.tag_ == "VB" and not subject and not modal
    return False


def _starts_with_certainty(words: Sequence[Any]) -> bool:
    opening = " ".join(t.lower_ for t in words[:4])
    return any(opening.startswith(marker) for marker in lexicon.CERTAINTY_MARKERS)


def _is_number(token: Any) -> bool:
    return token.tag_ == "CD" and token.lower_ != "one"


def _is_year(token: Any) -> bool:
    return len(token.text) == 4 and token.text.isdigit() and 1800 <= int(token.text) <= 2100


def quantities(tokens: Sequence[Any], base: int) -> tuple[tuple[int, int], ...]:
    """(start, end) of each number with its sign, scale and unit ("14 million euros")."""
    spans: list[tuple[int, int]] = []
    index = 0
    tokens = list(tokens)
    while index < len(tokens):
        token = tokens[index]
        if not (token.tag_ == "CD" or token.text in lexicon.CURRENCY_SIGNS):
            index += 1
            continue
        first = last = index
        while last + 1 < len(tokens):
            if _continues(tokens[last + 1]):
                last += 1
            elif _joins_range(tokens, last + 1):
                last += 2  # "5-2", "10–12"
            else:
                break
        if any(tokens[i].tag_ == "CD" for i in range(first, last + 1)):
            start = base + tokens[first].idx
            spans.append((start, base + tokens[last].idx + len(tokens[last])))
        index = last + 1
    return tuple(spans)


def _joins_range(tokens: list[Any], index: int) -> bool:
    dash = tokens[index]
    return (
        dash.text in ("-", "–")
        and index + 1 < len(tokens)
        and tokens[index + 1].tag_ == "CD"
        and not tokens[index - 1].whitespace_
        and not dash.whitespace_
    )


def _continues(token: Any) -> bool:
    lower = token.lower_
    return (
        token.tag_ == "CD"
        or lower in lexicon.QUANTITY_WORDS
        or lower in lexicon.UNITS
        or token.text in lexicon.CURRENCY_SIGNS
    )
