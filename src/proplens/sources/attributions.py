"""Attributions from the dependency parse: who says what, with which verb.

Two shapes are recognised in each sentence:

* a reporting verb from :mod:`~proplens.sources.lexicon` with a subject (or a
  passive agent, or impersonal "it is said") and a content: its clausal
  complement ("said *that …*"), the clause it comments on ("*…*, officials
  said"), an adjacent direct quote, or for some verbs a noun phrase ("denied
  *it*");
* "according to X", whose content is the rest of the sentence.

Verbs inside a direct quote, negated verbs and first- or second-person
subjects are skipped: they are the quoted speaker's words, non-reports, or
the writer's own voice. Character offsets are absolute (``base`` is where the
parsed chunk starts in the article text).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from proplens.sources import lexicon
from proplens.sources.quotes import Quotes
from proplens.sources.results import Attribution, SourceRef, VerbRef

Token = Any  # spacy.tokens.Token: spaCy is imported only when sources are asked for
Span = Any

_EDGE_PUNCT = " \t\n,.;:—–-"
_QUOTE_MARKS = '"“”«»'
_CLAUSE_LINKS = ("parataxis", "ccomp", "advcl", "conj")


@dataclass(frozen=True)
class Found:
    """An attribution and what the claim rules need to know about it.

    ``owns_claims`` is False for a cue of wish, fear or intent ("Iran wants …") whose
    content is no quote: the claim is the writer's own.

    ``kind`` is None for a pronoun source ("she said"): the caller resolves it
    to the kind of the source before it. ``anchor`` is the character offset of
    the verb (or of "according"), ``governs`` whether it reports the main
    clause of its sentence.
    """

    attribution: Attribution
    kind: str | None
    anchor: int
    governs: bool
    owns_claims: bool = True


def find_in_sentence(sent: Span, base: int, quotes: Quotes) -> Iterator[Found]:
    """Every attribution whose verb lies in ``sent``."""
    for token in sent:
        found = None
        if token.lower_ == "according" and _next_lower(token) == "to":
            found = _according_to(token, sent, base, quotes)
        elif token.tag_.startswith("VB"):
            found = _reporting_verb(token, sent, base, quotes)
        elif token.tag_ in ("NN", "NNS") and token.lower_ in lexicon.NOMINAL_CUES:
            found = _nominal_cue(token, base, quotes)
        elif token.text == ":" and token.i < 5:
            found = _headline_colon(token, base, quotes)
        if found is not None:
            yield found


# -- "Name: what they said" --------------------------------------------------------------

_HEADLINE_SOURCES = {
    "report": "vague",
    "reports": "vague",
    "poll": "vague",
    "study": "vague",
    "survey": "vague",
    "sources": "anonymous",
}
"""Single words a headline attributes with a colon ("Report: …") that name nobody."""


def _headline_colon(colon: Token, base: int, quotes: Quotes) -> Found | None:
    """A line that opens with a name and a colon gives the rest of the line to that name.

    Headlines and lists of reactions write it so ("Trey Gowdy: Benghazi Investigation
    Helped Reveal Clinton Email Scandal", "Carly Fiorina: 'Bill Clinton's fair
    game.'"); PolNeAR marks the colon as the cue. The words before the colon must
    all be proper nouns, and none an all-capital word over three letters (a
    dateline, "WASHINGTON:"), or be one of :data:`_HEADLINE_SOURCES`; at least
    three words must follow.
    """
    doc = colon.doc
    before = [t for t in doc[: colon.i] if not t.is_space]
    after = [t for t in doc[colon.i + 1 :] if not t.is_space]
    if not before or quotes.containing(base + colon.idx) is not None:
        return None
    if sum(t.is_alpha for t in after) < 3 or any(t.text == ":" for t in before):
        return None
    if len(before) == 1 and before[0].lower_ in _HEADLINE_SOURCES:
        kind = _HEADLINE_SOURCES[before[0].lower_]
    elif all(
        t.tag_ in ("NNP", "NNPS") and t.text[0].isupper() and not (t.is_upper and len(t) > 3)
        for t in before
    ):
        kind = "named"
    else:
        return None
    start, end = _trim(doc.text, after[0].idx, after[-1].idx + len(after[-1]))
    if end <= start:
        return None
    near = quotes.covering(base + start, base + end)
    content = (near[0], near[1], True) if near else (base + start, base + end, False)
    return _found(
        (base + before[0].idx, base + before[-1].idx + len(before[-1]), kind),
        (base + colon.idx, base + colon.idx + 1, "neutral", "speech"),
        content,
        anchor=base + colon.idx,
        governs=True,
    )


# -- "X said Y" -----------------------------------------------------------------------


def _reporting_verb(token: Token, sent: Span, base: int, quotes: Quotes) -> Found | None:
    verb = _verb(token)
    if verb is None:
        return None
    verb_start, verb_end, stance, lemma = verb
    if quotes.containing(base + token.idx) is not None:
        return None
    if token.dep_ in ("amod", "compound", "nmod", "acl") or _negated(token):
        return None
    subject, impersonal = _subject(token)
    if subject is None or subject.lower_ in lexicon.PERSONAL_PRONOUNS:
        return None
    content = _content(token, subject, lemma, quotes, base)
    if content is None:
        return None
    content_start, content_end, quote = content
    source_start, source_end = _source_span(subject, impersonal)
    kind = "vague" if impersonal else _kind(subject, token)
    return _found(
        (base + source_start, base + source_end, kind),
        (base + verb_start, base + verb_end, stance, _cue_kind(token)),
        (content_start, content_end, quote),
        anchor=base + token.idx,
        governs=_governs(token, sent),
        owns_claims=token.lower_ not in lexicon.INNER_STATE_FORMS,
    )


def _verb(token: Token) -> tuple[int, int, str, str] | None:
    """(start, end, stance, lemma) of a reporting verb, particle included; else None."""
    form = token.lower_
    if form in lexicon.PHRASAL_FORMS:
        lemma = lexicon.PHRASAL_FORMS[form]
        for child in token.rights:
            stance = lexicon.PHRASAL_VERBS.get((lemma, child.lower_))
            if child.dep_ == "prt" and stance:
                return token.idx, child.idx + len(child), stance, lemma
        return None
    if form not in lexicon.REPORTING_VERBS:
        return None
    lemma, stance = lexicon.REPORTING_VERBS[form]
    return token.idx, token.idx + len(token), stance, lemma


def _negated(token: Token) -> bool:
    return any(child.dep_ == "neg" for child in token.children)


def _subject(token: Token) -> tuple[Token | None, bool]:
    """The source's head token and whether it is impersonal ("it is said")."""
    for child in token.children:
        if child.dep_ == "nsubj":
            return _antecedent_if_relative(child, token), False
    for child in token.children:
        if child.dep_ == "agent":
            objects = [grand for grand in child.children if grand.dep_ == "pobj"]
            return (objects[0], False) if objects else (None, False)
    for child in token.children:
        if child.dep_ in ("nsubjpass", "expl") and child.lower_ == "it":
            return child, True
    if token.dep_ == "conj" and token.head.tag_.startswith("VB"):
        # "X called the cuts short-sighted and said …": the coordinated verb shares X.
        return _subject(token.head)
    return None, False


def _antecedent_if_relative(subject: Token, verb: Token) -> Token:
    # "critics, who claim that …": the source is the noun the clause hangs on.
    if subject.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
        return verb.head
    return subject


def _content(
    token: Token, subject: Token, lemma: str, quotes: Quotes, base: int
) -> tuple[int, int, bool] | None:
    """Absolute (start, end, is_quote) of what the source is reported to say."""
    span = _clausal_content(token, subject)
    if span is None:
        span = _commented_clause(token)
    if span is None:
        near = quotes.adjacent(base + _clause_start(token, subject), base + _clause_end(token))
        if near is not None:
            return near[0], near[1], True
    if span is None and lemma in lexicon.AS_VERBS:
        span = _as_content(token)
    if span is None and lemma in lexicon.OBJECT_CONTENT_LEMMAS:
        span = _object_content(token, subject, lemma)
    if span is None:
        span = _participle_content(token)
    if span is None:
        return None
    start, end = _trim(token.doc.text, *span)
    if end <= start:
        return None
    covering = quotes.covering(base + start, base + end)
    if covering is not None:
        return covering[0], covering[1], True
    return base + start, base + end, False


def _clausal_content(token: Token, subject: Token) -> tuple[int, int] | None:
    # A clause has a verb: "found the house empty" is a small clause, no report.
    clauses = [
        child
        for child in token.children
        if child.dep_ in ("ccomp", "csubj")
        and child is not subject
        and child.tag_[:2] in ("VB", "MD")
    ]
    if not clauses:
        return None
    return _char_span(
        min(c.left_edge.i for c in clauses), max(c.right_edge.i for c in clauses), token.doc
    )


def _commented_clause(token: Token) -> tuple[int, int] | None:
    """ "Y, X said": the verb hangs off the clause it reports, which comes first; or
    "Y1, X said, Y2": set off by commas inside it (the whole clause; the finder takes the
    source and cue out of it, :func:`proplens.sources.finder._split_around_cue`)."""
    head = token.head
    if token.dep_ not in _CLAUSE_LINKS or head is token:
        return None
    if head.i > token.i:
        return _parenthetical(token)
    if any(child.dep_ == "mark" for child in token.children):
        return None  # "…, although they noted X": a clause of its own, not a comment
    if not head.tag_.startswith("VB") and head.dep_ != "ROOT":
        return None
    end = token.left_edge.i - 1
    if end < head.left_edge.i or not token.doc[end].is_punct:
        return None  # "X said it was recalling …" is no comment on "X said"
    return _char_span(head.left_edge.i, end, token.doc)


def _parenthetical(token: Token) -> tuple[int, int] | None:
    """ "The plan, Smith said, would cost …": the clause around a comma-bounded report."""
    doc, head = token.doc, token.head
    before, after = token.left_edge.i, token.right_edge.i
    if doc[before].text != ",":  # the commas may hang on the verb or on the clause
        before -= 1
    if doc[after].text != ",":
        after += 1
    if token.dep_ != "parataxis" or any(c.dep_ == "mark" for c in token.children):
        return None
    if before <= head.left_edge.i or after >= head.right_edge.i:
        return None
    if doc[before].text != "," or doc[after].text != ",":
        return None
    return _char_span(head.left_edge.i, head.right_edge.i, doc)


def _as_content(token: Token) -> tuple[int, int] | None:
    """ "painted him as the protector": the object and what it is cast as."""
    objects = [c for c in token.children if c.dep_ == "dobj"]
    roles = [
        c
        for c in token.children
        if c.dep_ in ("prep", "advcl", "oprd", "xcomp", "acomp", "advmod")
        and c.left_edge.lower_ == "as"
        and c.i > token.i
    ]
    if not objects or not roles:
        return None
    return _char_span(objects[0].left_edge.i, max(r.right_edge.i for r in roles), token.doc)


def _participle_content(token: Token) -> tuple[int, int] | None:
    """ "have pointed out recently, accusing Iran of …": a participle clause that says what."""
    for child in token.rights:
        if (
            child.dep_ in ("advcl", "xcomp")
            and child.tag_ == "VBG"
            and (child.lower_ in lexicon.REPORTING_VERBS or child.lower_ in lexicon.ACCUSING_FORMS)
        ):
            return _char_span(child.i, child.right_edge.i, token.doc)
    return None


def _object_content(token: Token, subject: Token, lemma: str) -> tuple[int, int] | None:
    """A noun phrase object ("denied it"), with its infinitive ("expect X to fall")."""
    objects = [c for c in token.children if c.dep_ in ("dobj", "xcomp")]
    needed = ("dobj", "xcomp") if lemma in lexicon.THOUGHT_LEMMAS else ("dobj",)
    if not any(c.dep_ in needed for c in objects):
        return None
    if lemma in lexicon.EVIDENCE_LEMMAS and (
        subject.tag_ in ("PRP", "PRP$") or any(c.tag_ == "PRP" for c in objects)
    ):
        return None
    return _char_span(
        min(c.left_edge.i for c in objects), max(c.right_edge.i for c in objects), token.doc
    )


def _clause_start(token: Token, subject: Token) -> int:
    return min(token.idx, subject.left_edge.idx)


def _clause_end(token: Token) -> int:
    last = token
    for child in token.rights:
        if child.dep_ in ("punct",):
            break
        last = child.right_edge
    return last.idx + len(last)


# -- "a spokesman's claim that Y", "certain reports concerning Y" -----------------------


def _nominal_cue(token: Token, base: int, quotes: Quotes) -> Found | None:
    """A noun that reports: its owner is the source ("the ministry's statement"), or, with no
    owner, a plural noun is a vague source of its own ("Certain reports concerning …")."""
    if quotes.containing(base + token.idx) is not None:
        return None
    if token.dep_ in ("nsubj", "nsubjpass") and token.head.lower_ in lexicon.REPORTING_VERBS:
        return None  # "Reports suggest …": the verb's attribution
    content = _noun_complement(token)
    if content is None:
        return None
    owners = [c for c in token.children if c.dep_ == "poss" and c.tag_ not in ("PRP$", "WP$")]
    if owners:
        source_start, source_end = _source_span(owners[0], impersonal=False)
        kind = _kind(owners[0], token)
    elif token.lower_ in lexicon.SOURCE_NOUNS:
        first = token.left_edge
        source_start, source_end = first.idx, token.idx + len(token)
        kind = "vague"
    else:
        return None
    start, end = _trim(token.doc.text, *content)
    if end <= start:
        return None
    covering = quotes.covering(base + start, base + end)
    lemma, stance = lexicon.NOMINAL_CUES[token.lower_]
    return _found(
        (base + source_start, base + source_end, kind),
        (base + token.idx, base + token.idx + len(token), stance, "speech"),
        (*covering, True) if covering else (base + start, base + end, False),
        anchor=base + token.idx,
        governs=False,
    )


def _noun_complement(token: Token) -> tuple[int, int] | None:
    """What a reporting noun reports: its "that" clause, or its "about/concerning/of" phrase."""
    for child in token.rights:
        if child.dep_ in ("acl", "ccomp", "relcl") and any(
            g.dep_ == "mark" and g.lower_ == "that" for g in child.children
        ):
            return _char_span(child.left_edge.i, child.right_edge.i, token.doc)
        if child.dep_ in ("acl", "ccomp") and child.tag_.startswith("VB") and child.i > token.i:
            if any(g.dep_ in ("nsubj", "nsubjpass") for g in child.children):
                return _char_span(child.left_edge.i, child.right_edge.i, token.doc)
        if child.dep_ in ("prep", "acl") and child.lower_ in lexicon.ABOUT_WORDS:
            objects = [g for g in child.children if g.dep_ in ("pobj", "dobj", "pcomp")]
            if objects:
                return _char_span(objects[0].left_edge.i, objects[0].right_edge.i, token.doc)
    return None


# -- "according to X, Y" ---------------------------------------------------------------


def _according_to(token: Token, sent: Span, base: int, quotes: Quotes) -> Found | None:
    to = token.doc[token.i + 1]
    objects = [child for child in to.children if child.dep_ == "pobj"]
    if not objects:
        return None
    source = objects[0]
    phrase_start, phrase_end = token.idx, source.right_edge.idx + len(source.right_edge)
    text = token.doc.text
    before = _trim(text, sent.start_char, phrase_start)
    after = _trim(text, phrase_end, sent.end_char)
    content = max((before, after), key=lambda span: span[1] - span[0])
    if content[1] <= content[0]:
        return None
    source_start, source_end = _source_span(source, impersonal=False)
    head = token.head
    governs = head == sent.root or token.dep_ == "ROOT" or head.head == sent.root
    start, end = base + content[0], base + content[1]
    covering = quotes.covering(start, end)
    return _found(
        (base + source_start, base + source_end, _kind(source, token)),
        (base + token.idx, base + to.idx + len(to), "neutral", "speech"),
        (*covering, True) if covering else (start, end, False),
        anchor=base + token.idx,
        governs=governs,
    )


# -- the source ---------------------------------------------------------------------------


def _source_span(head: Token, impersonal: bool) -> tuple[int, int]:
    """The whole noun phrase: appositions ("Head of the committee, Ann Lee,") and
    coordination ("rights groups and some commanders") kept; relative and other
    clauses, and a possessive 's, left out."""
    if impersonal:
        return head.idx, head.idx + len(head)
    last = head
    for child in head.rights:
        if child.dep_ in ("relcl", "acl", "advcl", "case"):
            break
        if child.is_punct or child.dep_ == "cc":
            continue
        last = _phrase_end(child)
    first = head.left_edge
    return first.idx, last.idx + len(last)


def _phrase_end(token: Token) -> Token:
    """The last word of ``token``'s phrase, before any relative clause or trailing punctuation."""
    last = token
    for child in token.rights:
        if child.dep_ in ("relcl", "acl", "advcl"):
            break
        if not child.is_punct:
            last = _phrase_end(child)
    return last


def _kind(head: Token, verb: Token) -> str | None:
    """named, role, vague or anonymous; None for a pronoun (resolved by the caller)."""
    lower = head.lower_
    context = _source_context(head, verb).lower()
    if lower in lexicon.ANONYMOUS_HEADS or any(cue in context for cue in lexicon.ANONYMITY_CUES):
        return "anonymous"
    if head.tag_ in ("PRP", "PRP$") or _refers_back(head):
        return _kind_of_main_subject(head, verb)
    if lower in lexicon.VAGUE_HEADS:
        return "vague"
    if _named(head):
        return "named"
    if lower in lexicon.COLLECTIVE_ROLES:
        return "role"
    if head.tag_ in ("NNS", "NNPS"):
        return "vague"
    return "role"


def _kind_of_main_subject(pronoun: Token, verb: Token) -> str | None:
    """ "Observers described …, although they noted …": the pronoun is the main clause's subject.

    None (the caller takes the kind of the source before) when the verb is no subordinate
    or coordinated clause, or the main clause's subject is itself a pronoun or comes after.
    """
    if verb.dep_ not in ("advcl", "conj") or verb.head.i > verb.i:
        return None
    for child in verb.head.children:
        if child.dep_ == "nsubj" and child.i < pronoun.i and child.tag_.startswith("NN"):
            return _kind(child, verb.head)
    return None


def _source_context(head: Token, verb: Token) -> str:
    """The source's whole phrase and anything between it and the verb ("…, speaking privately,")."""
    doc = head.doc
    start = head.left_edge.i
    end = max(head.right_edge.i, verb.i - 1) if verb.i > head.i else head.right_edge.i
    return doc[start : end + 1].text


def _refers_back(head: Token) -> bool:
    """ "One of them", "the latter": a pronoun in disguise."""
    if head.lower_ in ("latter", "former"):
        return True
    return head.lower_ == "one" and any(
        child.dep_ == "prep" and any(grand.tag_ == "PRP" for grand in child.children)
        for child in head.children
    )


def _named(head: Token) -> bool:
    if _proper(head):
        return True
    for child in head.children:
        if child.dep_ == "compound" and _proper(child):
            return True
        if child.dep_ == "appos" and (
            _proper(child) or any(g.dep_ == "compound" and _proper(g) for g in child.children)
        ):
            return True
    return False


def _proper(token: Token) -> bool:
    """A name: tagged as one, or a capitalised noun inside a sentence ("…," Ilves said)."""
    lower = token.lower_
    capitalised_noun = token.tag_.startswith("NN") and token.is_title and not token.is_sent_start
    return (
        (token.tag_ in ("NNP", "NNPS") or capitalised_noun)
        and lower not in lexicon.VAGUE_HEADS
        and lower not in lexicon.COLLECTIVE_ROLES
        and lower not in lexicon.ANONYMOUS_HEADS
    )


# -- helpers ------------------------------------------------------------------------------


def _governs(token: Token, sent: Span) -> bool:
    """Whether the verb reports its sentence's main clause (it is the root, or comments on it)."""
    root = sent.root
    if token == root:
        return True
    if any(child.dep_ == "mark" for child in token.children):
        return False  # a subordinate clause ("although they noted …") reports only itself
    if token.head == root and token.dep_ in _CLAUSE_LINKS:
        return True
    return token.dep_ == "conj" and token.head == root


def _found(
    source: tuple[int, int, str | None] | None,
    verb: tuple[int, int, str, str],
    content: tuple[int, int, bool],
    anchor: int,
    governs: bool,
    owns_claims: bool = True,
) -> Found:
    edges = (*(source[:2] if source else ()), verb[0], verb[1], content[0], content[1])
    attribution = Attribution(
        start=min(edges),
        end=max(edges),
        source=SourceRef(source[0], source[1], source[2] or "named") if source else None,
        verb=VerbRef(*verb),
        content_start=content[0],
        content_end=content[1],
        quote=content[2],
    )
    kind = source[2] if source else "vague"
    return Found(attribution, kind, anchor, governs, owns_claims or content[2])


def _cue_kind(head: Token) -> str:
    """``thought`` for a cue of belief, wish or intent ("believes", "wants", "fears")."""
    return "thought" if head.lower_ in lexicon.THOUGHT_FORMS else "speech"


def _char_span(first: int, last: int, doc: Any) -> tuple[int, int]:
    return doc[first].idx, doc[last].idx + len(doc[last])


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Without edge punctuation, a leading "that", or an unpaired quotation mark at an edge."""
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    marks = sum(text[start:end].count(mark) for mark in _QUOTE_MARKS)
    if marks == 1 and start < end and text[start] in _QUOTE_MARKS:
        start += 1
    elif marks == 1 and start < end and text[end - 1] in _QUOTE_MARKS:
        end -= 1
    if text[start:end].lower().startswith("that "):
        start += 5
    return start, end


def _next_lower(token: Token) -> str:
    doc = token.doc
    return doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""


# -- a cue found by the learned model (proplens.sources.cues) ------------------------------

_NOT_CONTENT = frozenset(
    "punct aux auxpass neg cc nsubj nsubjpass expl det poss advmod npadvmod mark "
    "prt agent case predet nummod quantmod intj dep".split()
)


def from_cue(cue: list[Token], base: int, quotes: Quotes) -> Found | None:
    """An attribution around adjacent words the cue model marked ("declined to comment",
    "in a statement", "fears"): its source and content by the same dependency rules as
    for reporting verbs, else None (no source in the sentence, or nothing attributed)."""
    members = {t.i for t in cue}
    head = cue_head(cue)
    # A verb the rules know and left: the model may overrule them only with a clause, an
    # object or a quote for content, never for a verb of evidence ("they found the house
    # empty") or a negated one ("did not confirm").
    known = head.lower_ in lexicon.REPORTING_VERBS or head.lower_ in lexicon.PHRASAL_FORMS
    lemma = lexicon.REPORTING_VERBS.get(head.lower_, (head.lower_,))[0]
    if _negated(head) or (known and lemma in lexicon.EVIDENCE_LEMMAS):
        return None
    if head.lower_ == "according" and _next_lower(head) == "to":
        return _according_to(head, head.sent, base, quotes)
    subject, impersonal = _cue_subject(head, members)
    if subject is None:
        return _sourceless(head, cue, members, quotes, base)
    if subject is None or subject.lower_ in lexicon.PERSONAL_PRONOUNS:
        return None
    content = _cue_content(head, cue, members, subject, quotes, base, strict=known)
    if content is None:
        return None
    lemma, stance = lexicon.REPORTING_VERBS.get(head.lower_, (head.lower_, "neutral"))
    last = cue[-1]
    source_start, source_end = _source_span(subject, impersonal)
    return _found(
        (base + source_start, base + source_end, "vague" if impersonal else _kind(subject, head)),
        (base + cue[0].idx, base + last.idx + len(last), stance, _cue_kind(head)),
        content,
        anchor=base + head.idx,
        governs=_governs(head, head.sent),
        owns_claims=head.lower_ not in lexicon.INNER_STATE_FORMS,
    )


def _sourceless(
    head: Token, cue: list[Token], members: set[int], quotes: Quotes, base: int
) -> Found | None:
    """A learned cue whose verb names no source ("Nabisco *is expected* to cut 277 jobs",
    "the plan *seemed* doomed", PolNeAR's Attribution-no-source): an attribution with
    ``source`` None when the verb has a clause or complement for content. It owns no claim:
    with nobody named, the claim stays the writer's own (unattributed)."""
    if not head.tag_.startswith("VB") or not any(c.dep_ == "nsubjpass" for c in head.children):
        return None  # a passive ("is expected to", "was seen as"), not a participle or gerund
    span = _clausal_content(head, head) or _complement(head, cue, members)
    if span is None:
        return None
    start, end = _trim(head.doc.text, *span)
    if end <= start:
        return None
    near = quotes.covering(base + start, base + end)
    content = (near[0], near[1], True) if near else (base + start, base + end, False)
    last = cue[-1]
    lemma, stance = lexicon.REPORTING_VERBS.get(head.lower_, (head.lower_, "neutral"))
    found = _found(
        None,
        (base + cue[0].idx, base + last.idx + len(last), stance, _cue_kind(head)),
        content,
        anchor=base + head.idx,
        governs=False,
        owns_claims=False,
    )
    return replace(found, owns_claims=False)


def cue_head(cue: list[Token]) -> Token:
    """The word of a cue that the others hang on (its head lies outside the cue, or it is
    the root): "supported" in "has supported", "in" in "in a statement"."""
    members = {t.i for t in cue}
    for token in cue:
        if token.head.i not in members or token.head.i == token.i:
            return token
    return cue[0]


_CLIMB_DEPS = frozenset("xcomp prep pobj pcomp dobj acomp advcl conj attr".split())
"""A cue hanging on another word by one of these takes that word's subject: "*in a
statement*", "hinted at Trump by *mentioning* the wall" (``pcomp``: a gerund after a
preposition)."""


def _cue_subject(head: Token, members: set[int]) -> tuple[Token | None, bool]:
    """The source of a cue: the subject of its verb (or of the verb it hangs on, for "in a
    statement"), the owner of a noun ("the spokesman's claim"), or the agent "by" names."""
    for child in head.children:
        if child.dep_ == "poss" and child.i not in members:
            return child, False
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "of", "from") and child.i not in members:
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects and head.tag_.startswith("NN"):
                return objects[0], False
    token = head
    for _ in range(3):
        subject, impersonal = _subject(token)
        if subject is not None and subject.i not in members:
            return subject, impersonal
        if token.dep_ in _CLIMB_DEPS:
            token = token.head
        else:
            break
    return None, False


def _cue_content(
    head: Token,
    cue: list[Token],
    members: set[int],
    subject: Token,
    quotes: Quotes,
    base: int,
    strict: bool = False,
) -> tuple[int, int, bool] | None:
    """What a learned cue attributes, nearest reading first: a clause ("said *that …*"),
    then the cue's own complement ("attacked *the Koch brothers* from the floor",
    "pressured *them to stop*", "talking about *the crisis*"), then what a reporting verb
    takes (the clause it comments on, an adjacent quote), then the cue's other dependents,
    then the longer side of the sentence. ``strict``: a clause, an object or a quote only."""
    doc = head.doc
    span = _clausal_content(head, subject) if head.tag_[:2] in ("VB", "JJ") else None
    if span is None:
        span = _complement(head, cue, members)
    if span is None and head.tag_.startswith("VB"):
        lemma = lexicon.REPORTING_VERBS.get(head.lower_, (head.lower_,))[0]
        found = _content(head, subject, lemma, quotes, base)
        if found is not None:
            return found
    if span is None and strict:
        return None
    if span is None:
        parts = [
            child
            for t in cue
            for child in t.children
            if child.i not in members
            and child.i != subject.i
            and child.dep_ not in _NOT_CONTENT
            and not (child.dep_ == "prep" and child.i < head.i)
        ]
        if parts:
            span = _char_span(
                min(c.left_edge.i for c in parts), max(c.right_edge.i for c in parts), doc
            )
    if span is None:
        span = _rest_of_sentence(head.sent, cue, subject)
    if span is None:
        return None
    start, end = _trim(doc.text, *span)
    if end <= start:
        return None
    near = quotes.covering(base + start, base + end)
    if near is not None:
        return near[0], near[1], True
    return base + start, base + end, False


def _complement(head: Token, cue: list[Token], members: set[int]) -> tuple[int, int] | None:
    """The object of the cue, with an infinitive or an "as/for/of" phrase after it ("urged
    *them to stop*", "cited *it as proof*"), else its infinitive, else the object of its
    first "about/on/of/over/concerning/regarding" after it ("talking about *X*"), not of
    any preposition ("wrote to *the council*" says nothing)."""
    after = [c for t in cue for c in t.children if c.i not in members and c.i > cue[-1].i]
    objects = [c for c in after if c.dep_ in ("dobj", "dative")]
    if objects:
        extra = [
            c
            for c in after
            if c.dep_ in ("xcomp", "oprd")
            or (c.dep_ in ("prep", "advcl") and c.lower_ in ("as", "for", "of"))
        ]
        last = max(c.right_edge.i for c in objects + extra)
        return _char_span(objects[0].left_edge.i, last, head.doc)
    clauses = [c for c in after if c.dep_ == "xcomp"]
    if clauses:
        return _char_span(clauses[0].left_edge.i, clauses[0].right_edge.i, head.doc)
    for child in after:
        if child.dep_ == "prep" and child.lower_ in lexicon.ABOUT_WORDS:
            objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if objects:
                return _char_span(objects[0].left_edge.i, objects[0].right_edge.i, head.doc)
    return None


def _rest_of_sentence(sent: Span, cue: list[Token], subject: Token) -> tuple[int, int] | None:
    """The longer side of the sentence once source and cue are taken out."""
    taken_first = min(cue[0].i, subject.left_edge.i)
    taken_last = max(cue[-1].i, subject.right_edge.i)
    before = (sent.start, taken_first - 1)
    after = (taken_last + 1, sent.end - 1)
    first, last = max((before, after), key=lambda span: span[1] - span[0])
    if last < first:
        return None
    return _char_span(first, last, sent.doc)
