"""Claims: sentences that assert something checkable, tied to their attribution or to none.

A sentence's check-worthiness is a logistic score over cues that a
fact-checker looks for (numbers, dates, names, past events, comparisons,
causes) against those of opinion or speculation (questions, imperatives,
modal verbs, obligations, evaluations, generalisations, very short
sentences). Cues are read in what the sentence asserts: for "X said Y", in Y.
A sentence scoring at least :data:`CLAIM_THRESHOLD` is a claim.

The shape of the main predicate matters: a copula ("is", "remains") states a
property, not an event. With a judging word in its subject or complement
("The decision is short-sighted") it is an evaluation; with a generic subject
("Nobody is safe", "Rural communities are always the first…") a
generalisation. Neither is checkable unless a number, a date or a past event
comes with it, which the other cues weigh.

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
_OBLIGATION = (
    "should",
    "must",
    "has to",
    "have to",
    "deserve",
    "deserves",
    "ought",
    "owe it",
)
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
    "evaluation": -1.5,
    "generic": -1.5,
    "uncertain": -1.5,
    "directive": -1.5,
    "imperative": -4.0,  # an order asserts nothing, like a question
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
        amounts = quantities(sentence.tokens, sentence.base)  # once: the owner reads them too
        owner = _owner(sentence, found, quotes, amounts)
        asserted = _asserted_tokens(sentence, found[owner] if owner is not None else None)
        score = check_worthiness(asserted, sentence)
        if score >= CLAIM_THRESHOLD:
            claims.append(Claim(sentence.start, sentence.end, owner, round(score, 3), amounts))
    return tuple(claims)


def _owner(
    sentence: Sentence,
    found: Sequence[Found],
    quotes: Quotes,
    amounts: tuple[tuple[int, int], ...],
) -> int | None:
    """Index of the attribution covering the sentence's main assertion, or None.

    An attribution of wish, fear or intent ("Iran wants …", "officials fear …") owns no
    claim unless its content is a quote (``Found.owns_claims``): the writer who tells us
    what someone wants asserts it on his own word. A sentence whose main clause is the
    writer's but most of whose words, or all of whose numbers, are an attribution's
    content ("There is more to it, as X pointed out, accusing Iran of sending 30,000
    soldiers") belongs to that attribution.
    """
    found_by: list[Found | None] = [f if f.owns_claims else None for f in found]
    inside = [
        i
        for i, f in enumerate(found_by)
        if f is not None and sentence.start <= f.anchor < sentence.end
    ]
    governing = [i for i in inside if found[i].governs]
    if governing:
        return governing[0]
    for i in inside:
        a = found[i].attribution
        shared = min(a.content_end, sentence.end) - max(a.content_start, sentence.start)
        holds_amounts = amounts and all(
            a.content_start <= s and e <= a.content_end for s, e in amounts
        )
        if shared * 2 >= sentence.end - sentence.start or holds_amounts:
            return i
    root = _root_offset(sentence)
    for i, f in enumerate(found_by):
        if f is None:
            continue
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
    lowered = [t.lower_ for t in words]  # each attribute read once: a lookup in spaCy's strings
    tagged = list(zip(words, lowered, [t.tag_ for t in words], strict=True))
    lowers = set(lowered)
    padded = f" {' '.join(lowered)} "
    first = sentence.tokens[0] if sentence.tokens else None
    last = sentence.tokens[-1].text if sentence.tokens else ""
    predicate = _main_predicate(tokens)
    return {
        "number": any(tag == "CD" and low != "one" for _, low, tag in tagged)
        or not lowers.isdisjoint(_AMOUNT_WORDS),
        "date": not lowers.isdisjoint(_DATE_WORDS) or any(_is_year(t) for t in words),
        "name": any(tag in ("NNP", "NNPS") and t is not first for t, _, tag in tagged),
        "past_event": any(_past_event(t) for t, _, tag in tagged if tag in ("VBD", "VBN")),
        "comparison": any(_compares(t) for t, _, tag in tagged if tag in _COMPARATIVES)
        or bool(lowers & lexicon.COMPARISON_WORDS),
        "causal": bool(lowers & lexicon.CAUSAL_WORDS),
        "modal": any(tag == "MD" and low in _MODALS for _, low, tag in tagged),
        "first_person": bool(lowers & _FIRST_PERSON),
        "opinion": any(f" {cue} " in padded for cue in _OBLIGATION)
        or _starts_with_certainty(words),
        "evaluation": _evaluation(predicate),
        "generic": _generic(predicate),
        "uncertain": any(f" {cue} " in padded for cue in _UNCERTAIN),
        "directive": bool(lowers & _DIRECTIVES),
        "imperative": _imperative(sentence),
        "question": last.endswith("?"),
        "short": len(words) < 5,
    }


_AMOUNT_WORDS = lexicon.CURRENCY_SIGNS | lexicon.FRACTIONS | lexicon.ROUND_NUMBERS
_DATE_WORDS = lexicon.MONTHS_AND_DAYS | lexicon.TIME_UNITS
_COMPARATIVES = ("JJR", "JJS", "RBR", "RBS")


def _compares(token: Any) -> bool:
    """A comparative or superlative, but not "any more" / "no more" (no longer)."""
    if token.tag_ not in _COMPARATIVES:
        return False
    before = token.nbor(-1).lower_ if token.i > 0 else ""
    return not (token.lower_ == "more" and before in ("any", "no"))


def _past_event(token: Any) -> bool:
    """An event verb: a past tense ("fell") or a participle ("has risen", "was killed",
    "will be lost"), not a copula, an auxiliary or a participle used as an adjective.

    A participle after a finite present auxiliary ("is closed", "get used to") names a
    state, not an event. (Chosen on the dev half: counting participles after a modal,
    "would be checked", keeps two reported claims that excluding them loses.)
    """
    lower = token.lower_
    if token.tag_ not in ("VBD", "VBN") or lower in lexicon.REPORTING_VERBS:
        return False
    if token.dep_ in ("aux", "auxpass", "amod", "compound") or lower in lexicon.COPULAS:
        return False
    if token.tag_ == "VBD":
        return True
    auxiliaries = {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}
    return not auxiliaries & lexicon.PRESENT_AUXILIARIES


def _main_predicate(tokens: Sequence[Any]) -> Any | None:
    """The head of the asserted words: the token whose head lies outside them (or the root)."""
    inside = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    verbs = [t for t in heads if t.tag_.startswith(("VB", "MD"))]
    return (verbs or heads or [None])[0]


def _copula_parts(predicate: Any | None) -> tuple[list[Any], list[Any]] | None:
    """(subject heads, complement heads) when ``predicate`` is a copula with a complement."""
    if predicate is None or predicate.lower_ not in lexicon.COPULAS:
        return None
    children = list(predicate.children)
    complements = [c for c in children if c.dep_ in ("attr", "acomp")]
    complements += [g for c in complements for g in c.children if g.dep_ == "conj"]
    subjects = [c for c in children if c.dep_ in ("nsubj", "nsubjpass")]
    return (subjects, complements) if complements else None


def _evaluation(predicate: Any | None) -> bool:
    """ "The decision is short-sighted", "Such barbaric acts are an insult": a judgement."""
    parts = _copula_parts(predicate)
    if parts is None:
        return False
    subjects, complements = parts
    tokens = [t for c in complements for t in c.subtree]
    tokens += [t for s in subjects for t in (s, *s.children) if t.i == s.i or t.dep_ == "amod"]
    return any(word in lexicon.EVALUATIVE for word in _judged_words(tokens))


def _judged_words(tokens: Sequence[Any]) -> set[str]:
    """Lower-cased adjectives and nouns, hyphenated words joined ("short-sighted")."""
    ordered = sorted(set(tokens), key=lambda t: t.i)
    words: set[str] = set()
    for token in ordered:
        if token.tag_.startswith(("JJ", "NN")) and token.tag_ not in ("JJR", "JJS"):
            words.add(token.lower_)
    text = " ".join(t.text_with_ws.strip() if t.tag_ == "HYPH" else t.text for t in ordered)
    words.update(w for w in text.lower().replace(" - ", "-").split() if "-" in w)
    return words


def _generic(predicate: Any | None) -> bool:
    """ "Nobody is safe", "No child is safe", "Rural communities are always the first…"."""
    parts = _copula_parts(predicate)
    if parts is None or predicate.tag_ == "VBD":
        return False
    for subject in parts[0]:
        determiners = {c.lower_ for c in subject.children if c.dep_ in ("det", "predet")}
        if subject.lower_ in lexicon.GENERIC_SUBJECTS or determiners & lexicon.GENERIC_DETERMINERS:
            return True
        bare_plural = subject.tag_ == "NNS" and not any(
            c.dep_ in ("det", "poss", "nummod") for c in subject.children
        )
        adverbs = {c.lower_ for c in predicate.children if c.dep_ == "advmod"}
        if bare_plural and adverbs & lexicon.HABITUAL_ADVERBS:
            return True
    return False


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
