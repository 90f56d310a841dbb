"""The flags on aligned items: what B changed that a careful reader would want to see.

Each check looks at one item (with the whole comparison as context) and returns
:class:`~proplens.compare.result.Flag` objects whose evidence is offsets into A
and/or B. Checks that need attributions, claims and hedges
(:mod:`proplens.sources`) run only when those were found for both sides.

- ``balance_dropped``: a denial, response, counter-claim or caveat of A
  (:mod:`.balance`) with no balancing phrase of the same kind at its place in B
  (nor in a sentence B added);
- ``number_changed``: a quantity of A replaced by a different one (:mod:`.numbers`);
- ``loaded_terms_added`` / ``_removed``: a loaded-language or name-calling span of
  the detector on words that only one side has (changed or added words), with
  no span of the same technique on the same words on the other side;
- ``technique_added`` / ``_removed``: the same for every other technique (doubt,
  appeal to fear, flag-waving...); each span is told once, on the item holding
  its first character, even when it runs over two sentences;
- ``attribution_changed``: the same statement with a verb of another stance, a
  quote turned into a paraphrase, or no source left;
- ``source_vaguer``: the same statement's source made less specific (named ->
  role -> vague or anonymous);
- ``source_added``: a source in B vouching (neutral or endorsing verb) for a
  statement that A gave no source for, or added to A's source;
- ``allegation_as_fact``: an allegation marker of A ("accused ... of",
  "alleged", "claimed") with none left in B's counterpart, nor a distancing
  verb or a hedge that would keep the doubt;
- ``speculation_added``: a B sentence that raises a possibility, a likelihood,
  an open question or an insinuation (:mod:`.speculation`) in the writer's voice
  (or a vague source's) where its counterpart in A did not;
- ``hedge_dropped`` / ``hedge_added``: a hedge or certainty marker on one side
  of a reworded statement only (one told as speculation is not told again);
- ``unsourced_claim_added``: a claim of an added B sentence with no attribution
  whose words A does not have (lines about the article itself, such as a
  correction note, are not claims of the story).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Indel

from proplens.article import Article, Span
from proplens.compare import allegations, balance, numbers, speculation
from proplens.compare.modals import modal_hedges
from proplens.compare.result import Flag, Item
from proplens.compare.sentences import Sentence
from proplens.compare.similarity import containment, words

CLAIM_MIN_CHECK_WORTHY = 0.55
"""Least check-worthiness of an added unattributed claim that is flagged (sources gives 0.5
to a sentence with nothing checkable in it; chosen on the dev pairs)."""
SUPPORTED = 0.5
"""Share of a claim's words found in one A sentence above which A supports it."""
PARTNER_CONTENT = 0.3
"""Least share of an A attribution's content words in a B attribution's content to pair them."""

_EDITORIAL = re.compile(
    r"^(?:correction|clarification|editor'?s note|update)\b"
    r"|\b(?:this|the) (?:article|story|report|piece)\b[^.]*\b(?:was|has been|is being)\s+"
    r"(?:corrected|updated|amended|changed)\b"
    r"|\ban earlier version of this\b"
    r"|^(?:additional )?reporting by\b|^(?:written|edited) by\b",
    re.IGNORECASE,
)
"""Lines about the article itself (corrections, updates, credits): not claims of the story."""

_SOURCE_RANK = {"named": 3, "role": 2, "anonymous": 1, "vague": 1}
LOADED_TECHNIQUES = frozenset({"Loaded_Language", "Name_Calling,Labeling"})
"""Detector techniques that are loaded words (``loaded_terms_*``); the rest are
``technique_*``."""
_VOUCHING = frozenset({"neutral", "endorsing"})
_COORDINATION = re.compile(r"\b(?:and|as well as|along with)\b", re.IGNORECASE)


@dataclass
class Context:
    """Both analysed sides and, when found, their sources (see :mod:`.sources_adapter`)."""

    a: Article
    b: Article
    items: list[Item]
    a_sentences: list[Sentence]
    a_sources: Any = None
    b_sources: Any = None
    b_sentences: list[Sentence] = field(default_factory=list)

    @property
    def has_sources(self) -> bool:
        return self.a_sources is not None and self.b_sources is not None


def flag_item(item: Item, ctx: Context) -> list[Flag]:
    found = balance_dropped(item, ctx) + number_changed(item, ctx) + techniques(item, ctx)
    found += allegation_as_fact(item, ctx) + speculation_added(item, ctx)
    if ctx.has_sources:
        alleged = [f.a for f in found if f.type == "allegation_as_fact"]
        found += attribution_changed(item, ctx, alleged) + hedges_changed(item, ctx, found)
        found += source_added(item, ctx) + unsourced_claim_added(item, ctx, found)
    return found


# -- balance -----------------------------------------------------------------------------


def balance_dropped(item: Item, ctx: Context) -> list[Flag]:
    if item.a is None:
        return []
    kept = {cue.kind for cue in _cues(ctx.b.text, item.b)}
    if item.kind == "dropped":  # rewritten elsewhere in B, out of alignment?
        for other in ctx.items:
            if other.kind == "added":
                kept |= {cue.kind for cue in _cues(ctx.b.text, other.b)}
    flags = []
    for cue in _cues(ctx.a.text, item.a):
        if cue.kind not in kept:
            flags.append(Flag("balance_dropped", (cue.start, cue.end), item.b, {"cue": cue.kind}))
    return flags


def _cues(text: str, where) -> list[balance.Cue]:
    return [] if where is None else balance.cues(text, *where)


# -- numbers -----------------------------------------------------------------------------


def number_changed(item: Item, ctx: Context) -> list[Flag]:
    if item.a is None or item.b is None or item.kind == "same":
        return []
    pairs = numbers.changed(
        numbers.quantities(ctx.a.text, *item.a), numbers.quantities(ctx.b.text, *item.b)
    )
    return [Flag("number_changed", (qa.start, qa.end), (qb.start, qb.end)) for qa, qb in pairs]


# -- loaded terms ------------------------------------------------------------------------


def techniques(item: Item, ctx: Context) -> list[Flag]:
    """Detector spans on one side only: loaded words as ``loaded_terms_*``, the rest as
    ``technique_*``."""
    if item.kind == "same":
        return []
    flags = []
    for side, change in (("b", "added"), ("a", "removed")):
        for span in _one_sided(item, ctx, side):
            family = "loaded_terms" if span.technique in LOADED_TECHNIQUES else "technique"
            where = (span.start, span.end)
            flags.append(
                Flag(
                    f"{family}_{change}",
                    where if side == "a" else None,
                    where if side == "b" else None,
                    {"technique": span.technique},
                )
            )
    return flags


def _one_sided(item: Item, ctx: Context, side: str) -> list[Span]:
    """Spans of ``side`` held by the item on words the other side lacks, without a twin there."""
    own, other = (ctx.b, ctx.a) if side == "b" else (ctx.a, ctx.b)
    here, there = (item.b, item.a) if side == "b" else (item.a, item.b)
    if here is None:
        return []
    ranges = [x.b if side == "b" else x.a for x in ctx.items]
    spans = _held(own.spans, here, [r for r in ranges if r is not None])
    if there is None:
        return spans
    changed = [
        (c.b_start, c.b_end) if side == "b" else (c.a_start, c.a_end)
        for c in item.changes
        if (c.op != "delete" if side == "b" else c.op != "insert")
    ]
    twins = _inside(other.spans, there)
    out = []
    for span in spans:
        if not any(_overlaps_word(own.text, span, lo, hi) for lo, hi in changed):
            continue
        text = own.span_text(span).lower()
        if any(t.technique == span.technique and other.span_text(t).lower() == text for t in twins):
            continue
        out.append(span)
    return out


def _held(spans: list[Span], where, ranges) -> list[Span]:
    """Spans that this item holds: those starting inside it, and those overlapping it whose
    first character lies in no item (between sentences). A span that runs over two
    sentences of two items is so told once, by the item where it starts."""
    start, end = where
    out = []
    for span in _inside(spans, where):
        if start <= span.start < end:
            out.append(span)
        elif not any(lo <= span.start < hi for lo, hi in ranges):
            out.append(span)
    return out


def _inside(spans: list[Span], where) -> list[Span]:
    start, end = where
    return [s for s in spans if s.start < end and s.end > start]


def _overlaps_word(text: str, span: Span, lo: int, hi: int) -> bool:
    start, end = max(span.start, lo), min(span.end, hi)
    return start < end and any(ch.isalnum() for ch in text[start:end])


# -- attributions (need proplens.sources) ---------------------------------------------------


def attribution_changed(item: Item, ctx: Context, alleged=()) -> list[Flag]:
    """``attribution_changed`` (stance, quote, source removed) and ``source_vaguer``.

    ``alleged``: A evidence of this item's ``allegation_as_fact`` flags; an
    attribution that flag already tells (a distancing verb made neutral, or
    removed) is not told again.
    """
    if item.a is None or item.b is None or item.kind == "same":
        return []
    a_attr = _within(ctx.a_sources.attributions, item.a)
    b_attr = _within(ctx.b_sources.attributions, item.b)
    partners = _pair_attributions(a_attr, ctx.a.text, b_attr, ctx.b.text)
    a_stances = {attr.verb.stance for attr in a_attr}
    headline = _headlines(item, ctx)
    flags = []
    for attr in a_attr:
        partner = partners.get(attr)
        told = any(attr.start < e and s < attr.end for s, e in alleged)
        if partner is None:
            if not b_attr and not told and _statement_kept(attr, ctx, item):
                flags.append(_attribution_flag(attr, None, ["removed"], item))
            continue
        if not headline and _rank(partner) < _rank(attr):
            flags.append(
                Flag(
                    "source_vaguer",
                    (attr.source.start, attr.source.end),
                    (partner.source.start, partner.source.end),
                    {"a_source_kind": attr.source.kind, "b_source_kind": partner.source.kind},
                )
            )
        changes = _attribution_changes(attr, partner, a_stances)
        if told:
            changes = [c for c in changes if c != "stance"]
        if changes:
            flag = _attribution_flag(attr, partner, changes, item)
            flag.detail["a_verb"] = ctx.a.text[attr.verb.start : attr.verb.end]
            flag.detail["b_verb"] = ctx.b.text[partner.verb.start : partner.verb.end]
            flags.append(flag)
    return flags


def source_added(item: Item, ctx: Context) -> list[Flag]:
    """B attributions that vouch for A's statement with a source A did not give it.

    A B attribution with a neutral or endorsing verb whose content A's sentence
    holds counts when A gave that content no source (and does not name B's
    source in that sentence), or when B's source adds another one to A's
    ("human rights groups" -> "human rights groups and US commanders"). A source
    put in place of A's is not told: without knowing who each phrase refers to,
    "the head of the IAEA" -> "the UN's nuclear chief" (one man) cannot be told
    from a different person; a source made less specific is ``source_vaguer``.
    """
    if item.a is None or item.b is None or item.kind == "same" or _headlines(item, ctx):
        return []
    a_attr = _within(ctx.a_sources.attributions, item.a)
    b_attr = _within(ctx.b_sources.attributions, item.b)
    partners = {b: a for a, b in _pair_attributions(a_attr, ctx.a.text, b_attr, ctx.b.text).items()}
    a_words = words(ctx.a.text[item.a[0] : item.a[1]])
    flags = []
    for attr in b_attr:
        if attr.verb.stance not in _VOUCHING:
            continue
        source_text = ctx.b.text[attr.source.start : attr.source.end]
        respelled = _respelled(source_text, ctx.a.text[item.a[0] : item.a[1]])
        source = {respelled.get(w, w) for w in words(source_text)}
        source -= _PRONOUN_STEMS | _QUANTIFIER_STEMS
        if not source:
            continue  # a pronoun: who it is, the sentence before says
        partner = partners.get(attr)
        if partner is None:
            content = words(ctx.b.text[attr.content_start : attr.content_end])
            if containment(content, a_words) < SUPPORTED:
                continue
            if any(set(words(_source_text(x, ctx.a.text))) & source for x in a_attr):
                continue
            before = None
        else:
            if _rank(attr) < _rank(partner):
                continue
            a_source = set(words(_source_text(partner, ctx.a.text))) - _QUANTIFIER_STEMS
            if not source - a_source:
                continue
            if not (source & a_source and _COORDINATION.search(source_text)):
                continue  # the same source named otherwise, or one we cannot tell apart
            before = (partner.source.start, partner.source.end)
        if all(_known(word, a_words) for word in source):
            continue  # A's sentence names or describes this source already
        flags.append(
            Flag(
                "source_added",
                before,
                (attr.source.start, attr.source.end),
                {"b_source_kind": attr.source.kind, "b_stance": attr.verb.stance},
            )
        )
    return flags


_QUANTIFIER_STEMS = frozenset(
    words("several some many various certain numerous multiple few all other most two three")
)
"""Words that count a source, not name it: "several human rights groups" adds no source
to "human rights groups"."""
_NAME = re.compile(r"\b[A-Z][\w'’-]{5,}")
NAME_SPELLING = 0.85
"""Least normalised Indel similarity of two capitalised words (six letters or more) that
are one name spelled two ways ("Shakhawan"/"Shahkhawan", a transliteration)."""


def _respelled(source_text: str, a_text: str) -> dict[str, str]:
    """Stems of the names in ``source_text`` that ``a_text`` spells otherwise, each with
    A's stem for it.

    Names from other alphabets are transliterated in more than one way; the same
    man is not a source added because one version writes an extra letter.
    """
    a_names = [m.group().lower() for m in _NAME.finditer(a_text)]
    respelled = {}
    for match in _NAME.finditer(source_text):
        name = match.group().lower()
        if name in a_names or not words(name):
            continue
        alike = [n for n in a_names if Indel.normalized_similarity(name, n) >= NAME_SPELLING]
        if alike and words(alike[0]):
            respelled[words(name)[0]] = words(alike[0])[0]
    return respelled


def _known(word: str, pool) -> bool:
    """``word`` or a longer or shorter form of it ("head"/"heads") is in ``pool``
    (a one- or two-letter piece, such as the "s" of "parliament's", always is)."""
    if len(word) < 3:
        return True
    return any(
        w.startswith(word) or word.startswith(w) for w in pool if min(len(w), len(word)) >= 3
    )


def _rank(attr) -> int:
    return _SOURCE_RANK.get(attr.source.kind, 0)


def _headlines(item: Item, ctx: Context) -> bool:
    """The item links the two headlines: their sources are not compared by kind.

    Headlines are written in title style ("Opposition MP says ..."), which the
    parser reads as names, and name their source in short ("council says"),
    leaving the lead to say who; a headline's source is its lead's.
    """
    first = ctx.a_sentences[0] if ctx.a_sentences else None
    return (
        item.a_sentences == (0,)
        and item.b_sentences == (0,)
        and first is not None
        and first.paragraph == 0
        and len(ctx.a_sentences) > 1
        and ctx.a_sentences[1].paragraph > 0
    )


def _source_text(attr, text: str) -> str:
    return text[attr.source.start : attr.source.end]


_PRONOUN_STEMS = frozenset(words("he she it they him her them his its their one i we you us"))


def allegation_as_fact(item: Item, ctx: Context) -> list[Flag]:
    """A's allegation markers whose statement B keeps with no marker, distancing verb or hedge.

    Markers inside one of A's balancing phrases ("rejected the accusations") are the
    other side's answer, not the allegation, and are left to ``balance_dropped``.
    """
    if item.a is None or item.b is None or item.kind == "same":
        return []
    a_markers = allegations.markers(ctx.a.text, *item.a)
    balancing = _cues(ctx.a.text, item.a)
    a_markers = [
        m for m in a_markers if not any(c.start <= m.start and m.end <= c.end for c in balancing)
    ]
    if not a_markers or allegations.markers(ctx.b.text, *item.b):
        return []
    if modal_hedges(ctx.b.text, *item.b):
        return []
    if ctx.has_sources:
        b_attr = _within(ctx.b_sources.attributions, item.b)
        if any(attr.verb.stance == "distancing" for attr in b_attr):
            return []
        if any(h.kind == "hedge" for h in _within(ctx.b_sources.hedges, item.b)):
            return []
    return [Flag("allegation_as_fact", (m.start, m.end), item.b) for m in a_markers[:1]]


def _within(found, where) -> list:
    start, end = where
    return [x for x in found if x.start < end and x.end > start]


def _pair_attributions(a_attr, a_text: str, b_attr, b_text: str) -> dict:
    """Each A attribution with the B attribution reporting the same content, one to one.

    Content words decide (at least ``PARTNER_CONTENT`` of A's content in B's, or of
    B's in A's when B cut the statement short: "filtered ... and diluted to well below
    regulatory limits" -> "filtered and diluted"); the same reporting verb or source
    breaks ties, so "noted" pairs with "noted".
    """
    scored = []
    for a in a_attr:
        content = words(a_text[a.content_start : a.content_end])
        for b in b_attr:
            b_content = words(b_text[b.content_start : b.content_end])
            overlap = containment(content, b_content)
            if len(b_content) >= STATEMENT_MIN_WORDS:  # B cut A's statement short
                overlap = max(overlap, containment(b_content, content))
            if overlap < PARTNER_CONTENT:
                continue
            same_verb = (
                a_text[a.verb.start : a.verb.end].lower()
                == b_text[b.verb.start : b.verb.end].lower()
            )
            same_source = (
                a_text[a.source.start : a.source.end].lower()
                == b_text[b.source.start : b.source.end].lower()
            )
            scored.append((overlap + 0.5 * same_verb + 0.25 * same_source, id(a), id(b), a, b))
    scored.sort(key=lambda entry: entry[:3], reverse=True)
    pairs: dict = {}
    used: set[int] = set()
    for _, _, b_id, a, b in scored:
        if a not in pairs and b_id not in used:
            pairs[a] = b
            used.add(b_id)
    return pairs


STATEMENT_MIN_WORDS = 3
"""Fewest content words of an attribution's content that stand for its statement; fewer
is the stub a parenthetical source leaves ("Some of them, he said, were fighting...")."""


def _statement_kept(attr, ctx: Context, item: Item) -> bool:
    """B's counterpart keeps the statement A attributed (half its content words or more).

    The parser cuts the content of a parenthetical attribution ("Some of them, he
    said, were fighting alongside...") to the words before the source; then the
    statement is the rest of A's sentence around the source and verb.
    """
    content = words(ctx.a.text[attr.content_start : attr.content_end])
    if len(content) < STATEMENT_MIN_WORDS:
        start, end = item.a
        lo, hi = min(attr.source.start, attr.verb.start), max(attr.source.end, attr.verb.end)
        if start <= lo and hi <= end:
            content = words(ctx.a.text[start:lo] + " " + ctx.a.text[hi:end])
    return containment(content, words(ctx.b.text[item.b[0] : item.b[1]])) >= SUPPORTED


def _attribution_changes(a, b, a_stances: set[str]) -> list[str]:
    """What changed from ``a`` to its partner ``b``.

    A stance counts as changed only when A's sentence used no verb of B's stance
    at all: a sentence with "said ... and noted" whose B keeps only "noted" has
    not been reframed, even if the pairing of the two verbs is uncertain.
    """
    changes = []
    if a.verb.stance != b.verb.stance and b.verb.stance not in a_stances:
        changes.append("stance")
    if a.quote and not b.quote:
        changes.append("quote")
    return changes


def _attribution_flag(a, b, changes: list[str], item: Item) -> Flag:
    detail: dict[str, Any] = {
        "changes": changes,
        "a_source_kind": a.source.kind,
        "a_stance": a.verb.stance,
        "a_quote": a.quote,
    }
    if b is not None:
        detail.update(b_source_kind=b.source.kind, b_stance=b.verb.stance, b_quote=b.quote)
    return Flag(
        "attribution_changed",
        _source_and_verb(a),
        None if b is None else _source_and_verb(b),
        detail,
    )


def _source_and_verb(attr) -> tuple[int, int]:
    """The source and its verb as one stretch when they are close, else the verb alone."""
    start = min(attr.source.start, attr.verb.start)
    end = max(attr.source.end, attr.verb.end)
    if end - start <= 80:
        return start, end
    return attr.verb.start, attr.verb.end


# -- speculation -------------------------------------------------------------------------------

_REPORTED = re.compile(
    r"\b(?:said|says|say|told|tells|according\s+to|added|stated|wrote|estimated|predicted"
    r"|forecast|expects?|expected)\b",
    re.IGNORECASE,
)
"""Without the parser: a reporting verb in the sentence makes its speculation a source's."""
_SPECIFIC_SOURCES = frozenset({"named", "role"})


def speculation_added(item: Item, ctx: Context) -> list[Flag]:
    """B sentences that speculate or insinuate where A's counterpart did not, once per sentence.

    In a reworded or moved sentence only strong markers count (a lone "may"
    added there hedges A's statement: ``hedge_added``); in an added sentence
    weak ones too. A marker of a kind A's counterpart also has is not new.
    Speculation reported from a named or role source ("the governor said it was
    likely...") is the source's, not the writer's; from a vague one ("experts
    warn that hospitals could...") it is told. Without the parser, any reporting
    verb in the sentence makes it reported.
    """
    if item.b is None or item.kind == "same":
        return []
    a_kinds = set()
    if item.a is not None:
        a_kinds = {m.kind for m in speculation.markers(ctx.a.text, *item.a)}
    flags = []
    for index in item.b_sentences:
        sentence = ctx.b_sentences[index]
        for marker in speculation.markers(ctx.b.text, sentence.start, sentence.end):
            if item.a is not None and not marker.strong:
                continue
            if marker.kind in a_kinds or _reported(marker, sentence, ctx):
                continue
            flags.append(
                Flag("speculation_added", item.a, (marker.start, marker.end), {"kind": marker.kind})
            )
            break
    return flags


_NOBODY = re.compile(r"(?:no[\s-]?one|nobody|none)", re.IGNORECASE)
"""A "source" that is nobody: "no one can say what it will do" is the writer's doubt."""


def _reported(marker: speculation.Marker, sentence: Sentence, ctx: Context) -> bool:
    if ctx.has_sources:
        return any(
            attr.source.kind in _SPECIFIC_SOURCES
            and not _NOBODY.fullmatch(_source_text(attr, ctx.b.text).strip())
            for attr in _within(ctx.b_sources.attributions, (marker.start, marker.end))
        )
    return bool(_REPORTED.search(sentence.text))


# -- hedges (need proplens.sources) ------------------------------------------------------------


def hedges_changed(item: Item, ctx: Context, so_far: list[Flag]) -> list[Flag]:
    if item.a is None or item.b is None or item.kind == "same":
        return []
    a_hedges = _hedges(ctx.a_sources.hedges, ctx.a.text, item.a)
    b_hedges = _hedges(ctx.b_sources.hedges, ctx.b.text, item.b)
    balance_evidence = [f.a for f in so_far if f.type == "balance_dropped" and f.a]
    speculation_evidence = [f.b for f in so_far if f.type == "speculation_added" and f.b]
    unmatched_b = list(b_hedges)
    flags = []
    for hedge in a_hedges:
        twin = _twin_hedge(hedge, ctx.a.text, unmatched_b, ctx.b.text)
        if twin is not None:
            unmatched_b.remove(twin)
            continue
        if any(hedge.start < e and hedge.end > s for s, e in balance_evidence):
            continue  # already told as a dropped caveat
        flags.append(Flag("hedge_dropped", (hedge.start, hedge.end), item.b, {"kind": hedge.kind}))
    for hedge in unmatched_b:
        if any(hedge.start < e and hedge.end > s for s, e in speculation_evidence):
            continue  # already told as added speculation
        flags.append(Flag("hedge_added", item.a, (hedge.start, hedge.end), {"kind": hedge.kind}))
    return flags


def _hedges(found, text: str, where) -> list:
    """Sources' hedges in ``where`` plus the modal hedges it does not already cover."""
    listed = _within(found, where)
    modals = [
        m
        for m in modal_hedges(text, *where)
        if not any(h.start < m.end and m.start < h.end for h in listed)
    ]
    return sorted([*listed, *modals], key=lambda h: h.start)


def _twin_hedge(hedge, a_text: str, candidates, b_text: str):
    same_kind = [c for c in candidates if c.kind == hedge.kind]
    text = a_text[hedge.start : hedge.end].lower()
    for cand in same_kind:
        if b_text[cand.start : cand.end].lower() == text:
            return cand
    return same_kind[0] if same_kind else None


# -- unsourced claims (need proplens.sources) ------------------------------------------------


_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")
"""A quotation, within one paragraph (it may run over two sentences)."""


def _quoted(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def _mostly_quoted(text: str, claim, quoted) -> bool:
    """At least half the letters and digits of the claim lie inside quotation marks."""
    chars = [k for k in range(claim.start, claim.end) if text[k].isalnum()]
    inside = sum(1 for k in chars if any(lo < k < hi for lo, hi in quoted))
    return bool(chars) and inside * 2 >= len(chars)


def unsourced_claim_added(item: Item, ctx: Context, so_far: list[Flag] = ()) -> list[Flag]:
    """Claims of an added sentence with no source that A does not support.

    A question asserts nothing, and a sentence told as speculation
    (``speculation_added``: "It is likely that regulators knew...") raises a
    possibility rather than stating it: neither is told again as a claim. Words
    in quotation marks are a source's, not the writer's, even where the parser
    found no attribution for them (the first half of a quotation cut in two by
    the sentence splitter, a quoted question whose verb is "asked").
    """
    if item.kind != "added":
        return []
    a_sentences = [words(sentence.text) for sentence in ctx.a_sentences]
    speculative = [f.b for f in so_far if f.type == "speculation_added" and f.b]
    not_claims = [
        (s.start, s.end)
        for s in (ctx.b_sentences[j] for j in item.b_sentences)
        if s.text.rstrip("\"'”’)] ").endswith("?")
        or any(s.start <= lo and hi <= s.end for lo, hi in speculative)
    ]
    quoted = _quoted(ctx.b.text)
    flags = []
    for claim in _within(ctx.b_sources.claims, item.b):
        if claim.attribution is not None or claim.check_worthy < CLAIM_MIN_CHECK_WORTHY:
            continue
        if any(lo <= claim.start < hi for lo, hi in not_claims):
            continue
        if _mostly_quoted(ctx.b.text, claim, quoted):
            continue  # a source's words (a quotation the parser left unattributed)
        if _EDITORIAL.search(ctx.b.text[claim.start : claim.end]):
            continue
        claim_words = words(ctx.b.text[claim.start : claim.end])
        if any(containment(claim_words, sentence) >= SUPPORTED for sentence in a_sentences):
            continue
        flags.append(
            Flag(
                "unsourced_claim_added",
                None,
                (claim.start, claim.end),
                {"check_worthy": round(float(claim.check_worthy), 3)},
            )
        )
    return flags
