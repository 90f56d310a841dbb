"""SourceFinder: text in, :class:`~proplens.sources.results.Sources` out.

Each line is parsed as a document of its own: PTC articles put one paragraph
per line and titles carry no full stop, so a line break always ends a
sentence, and memory stays flat however long the article. A line over
:data:`CHUNK_CHARS` characters is cut at a space.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from proplens.article import Article
from proplens.sources import lexicon
from proplens.sources.attributions import Found, cue_head, find_in_sentence, from_cue
from proplens.sources.claims import Sentence, find_claims
from proplens.sources.cues import CueModel, load_model
from proplens.sources.hedges import find_hedges
from proplens.sources.pipeline import load_pipeline, model_info
from proplens.sources.quotes import Quotes
from proplens.sources.results import Attribution, SourceRef, Sources

CHUNK_CHARS = 20_000
_LINE = re.compile(r"[^\n]*\S[^\n]*")
BATCH_SIZE = 16
"""Articles parsed together by :meth:`SourceFinder.find_many`."""
PIPE_BATCH = 32
"""Lines per minibatch inside each spaCy component: 32 costs 5% more CPU than 64 and
about 40 MB less peak memory, 16 about 12% more CPU."""


class SourceFinder:
    """Finds attributions, claims and hedges; load once with :func:`proplens.sources.load`.

    ``cues``: the cue model (default: the shipped one; ``False``: the rules alone).

    Calls are serialised by a lock: a spaCy pipeline is not meant to be run
    from several threads at once.
    """

    def __init__(self, nlp: Any, cues: Any = None) -> None:
        self.nlp = nlp
        self.cues: CueModel | None = load_model() if cues is None else cues or None
        self.model = model_info(nlp)
        self._lock = threading.Lock()

    @classmethod
    def load(cls) -> SourceFinder:
        return cls(load_pipeline())

    def find(self, text: str, progress: Callable[..., None] | None = None) -> Sources:
        """Sources of one text (offsets are ``str`` indices into it).

        ``progress(pause=False)``, if given, is called after each parsed line
        and once between the parse and the finding. It may raise to stop the
        work (the server's job queue does, for departed clients and past its
        time limit) but must not wait for other work: the pipeline's lock is
        held, and a job waiting for it could be the one it waits for.
        """
        if progress is None:
            return next(self.find_many([text]))
        return self._batch([text], progress)[0]

    def find_many(self, texts: Iterable[str]) -> Iterator[Sources]:
        """Sources of each text, in order; parses in batches (``nlp.pipe``)."""
        pending: list[str] = []
        for text in texts:
            pending.append(text)
            if len(pending) >= BATCH_SIZE:
                yield from self._batch(pending)
                pending = []
        if pending:
            yield from self._batch(pending)

    def annotate(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Copies of ``articles`` carrying their :class:`Sources` (``article.sources``)."""
        pending: list[Article] = []
        for article in articles:
            pending.append(article)
            if len(pending) >= BATCH_SIZE:
                yield from self._annotate(pending)
                pending = []
        yield from self._annotate(pending)

    def _annotate(self, articles: list[Article]) -> list[Article]:
        found = self._batch([article.text for article in articles]) if articles else []
        return [replace(a, sources=s) for a, s in zip(articles, found, strict=True)]

    def _batch(
        self, texts: list[str], progress: Callable[..., None] | None = None
    ) -> list[Sources]:
        """Parse the lines of ``texts`` in one stream; each text's sources as soon as it is done."""
        jobs = [
            (chunk, number, base)
            for number, text in enumerate(texts)
            for chunk, base in chunks(text)
        ]
        found: list[Sources] = []
        parsed: list[tuple[Any, int]] = []
        with self._lock:
            docs = self._run(self.nlp.make_doc(chunk) for chunk, _, _ in jobs)
            for (_, number, base), doc in zip(jobs, docs, strict=True):
                if progress is not None:
                    progress(pause=False)
                while len(found) < number:  # every line of the texts before is parsed
                    found.append(_sources(texts[len(found)], parsed, self.cues))
                    parsed = []
                parsed.append((doc, base))
            while len(found) < len(texts):
                if progress is not None:
                    progress(pause=False)
                found.append(_sources(texts[len(found)], parsed, self.cues))
                parsed = []
        return found

    def _run(self, docs: Iterable[Any]) -> Iterator[Any]:
        for _, component in self.nlp.pipeline:
            docs = component.pipe(docs, batch_size=PIPE_BATCH)
        yield from docs


def chunks(text: str) -> Iterator[tuple[str, int]]:
    """(piece, offset) for each non-blank line; a line over CHUNK_CHARS is cut at spaces."""
    for match in _LINE.finditer(text):
        start, line = match.start(), match.group()
        while len(line) > CHUNK_CHARS:
            cut = line.rfind(" ", 0, CHUNK_CHARS) + 1 or CHUNK_CHARS
            yield line[:cut], start
            start, line = start + cut, line[cut:]
        yield line, start


_SHIPPED = object()


def _sources(text: str, docs: list[tuple[Any, int]], cues: Any = _SHIPPED) -> Sources:
    """Sources of ``text`` from its parsed lines; ``cues`` is the cue model (None: rules only)."""
    model: CueModel | None = load_model() if cues is _SHIPPED else cues
    if model is not None and hasattr(model, "for_article"):
        model = model.for_article(text, docs)  # the tagger reads the whole article once
    quotes = Quotes(text)
    found: list[Found] = []
    sentences: list[Sentence] = []
    for doc, base in docs:
        for sent in doc.sents:
            words = [t for t in sent if not t.is_space]
            if not words:
                continue
            start, end = base + words[0].idx, base + words[-1].idx + len(words[-1])
            sentences.append(Sentence(start, end, words, base))
            by_rules = list(find_in_sentence(sent, base, quotes))
            found.extend(by_rules)
            if model is not None:
                found.extend(_learned(sent, base, quotes, model, by_rules))
    found = sorted(_resolve_pronouns(found, text), key=lambda f: (f.attribution.start, f.anchor))
    found = _continued_quotes([_split_around_cue(f, text) for f in found], quotes, text)
    claims = find_claims(sentences, found, quotes)
    return Sources(tuple(f.attribution for f in found), claims, find_hedges(text))


def _learned(
    sent: Any, base: int, quotes: Quotes, model: CueModel, known: list[Found]
) -> Iterator[Found]:
    """Attributions around the cues the model finds where no rule found one.

    Adjacent words the model marks form one cue ("said in a statement"); a cue
    overlapping a verb the rules took is left to the rules.
    """
    taken = [(f.attribution.verb.start, f.attribution.verb.end) for f in known]
    anchors = {f.anchor for f in known}
    cue: list[Any] = []
    for token in [*sent, None]:
        marked = (
            token is not None
            and token.tag_ not in _NEVER_CUES
            and not token.is_space
            and model.probability(token, quotes.containing(base + token.idx) is not None)
            >= model.threshold
        )
        if marked:
            cue.append(token)
            continue
        if cue:
            start, end = base + cue[0].idx, base + cue[-1].idx + len(cue[-1])
            if not any(s < end and start < e for s, e in taken) and not _extends(
                cue, base, anchors
            ):
                item = from_cue(cue, base, quotes)
                if item is not None:
                    taken.append((start, end))
                    yield item
            cue = []


_NEVER_CUES = frozenset(
    "DT PDT CC PRP PRP$ POS CD EX WDT WP WP$ WRB RP SYM $ LS UH ADD AFX XX "
    ", . `` '' -LRB- -RRB- HYPH NFP _SP".split()
)
"""Tags whose words are not scored, for speed: they rarely head a cue, and inside one
("in *a* statement", "pointed *out*") the cue's other words still make it."""


def _extends(cue: list[Any], base: int, anchors: set[int]) -> bool:
    """Whether the cue only adds to a verb the rules took ("said *in a statement*")."""
    head = cue_head(cue)
    for _ in range(2):
        if head.dep_ not in ("prep", "pobj", "npadvmod", "advmod", "dobj", "xcomp"):
            return False
        head = head.head
        if base + head.idx in anchors:
            return True
    return False


def _resolve_pronouns(found: list[Found], text: str) -> list[Found]:
    """A pronoun source ("she said") refers to the last source named before it.

    "they" and "them" take the last source of any kind; "he", "she" and "it" the
    last named or role source (one person or body). The pronoun keeps its span
    and takes its referent's kind and offsets (``SourceRef.referent``); with no
    source before it, it is taken as named, as before.
    """
    resolved = []
    last_kind = "named"
    last_any: SourceRef | None = None
    last_one: SourceRef | None = None
    for item in sorted(found, key=lambda f: f.anchor):
        source = item.attribution.source
        if source is None:  # no source named: nothing to resolve, nothing to refer back to
            resolved.append(item)
            continue
        word = text[source.start : source.end].lower()
        if item.kind is not None and word not in lexicon.REFERRING_PRONOUNS:
            last_kind = item.kind
            last_any = source
            if item.kind in ("named", "role"):
                last_one = source
            resolved.append(item)
            continue
        referent = last_any if word in _PLURAL_PRONOUNS else last_one
        kind = item.kind or (referent.kind if referent is not None else last_kind)
        span = (referent.start, referent.end) if referent is not None else None
        attribution = _with_source(
            item.attribution, SourceRef(source.start, source.end, kind, span)
        )
        resolved.append(replace(item, attribution=attribution, kind=kind))
    return resolved


_PLURAL_PRONOUNS = frozenset("they them their".split())


def _with_source(attribution: Attribution, source: SourceRef) -> Attribution:
    return replace(attribution, source=source)


_OPENING = r"(?:[\"“«]|''|``)"
_AFTER_CUE = re.compile(r"[ \t,.;:—–-]*" + _OPENING)
"""Between a cue and the rest of the quote it splits: punctuation, then the opening mark."""
_NEXT_SENTENCE = re.compile(r"[^\n\"“”«»]{0,200}?[.!?][ \t]+" + _OPENING)
"""Between a cue and a quote that opens the next sentence of the same paragraph
(``"A," he said of them, mocking the idea. "B."``): the rest of the cue's sentence."""
_PARAGRAPH_BREAK = re.compile(r"[ \t,.;:!?\"”»'—–-]*\n\s*" + _OPENING)
"""Between a quote that ends a paragraph and the next paragraph's opening mark."""


def _continued_quotes(found: list[Found], quotes: Quotes, text: str) -> list[Found]:
    """A quote goes on past its cue as journalism writes it, and is one content:

    - a quote the cue splits (``"A," he said. "B."``, or ``"A," he said of them,
      mocking the idea. "B."``): A is the content, B ``content_more``, as PolNeAR's
      annotators mark it;
    - paragraphs after a quoted content that are a quote with no cue of their own
      (``He said: "A."`` then a paragraph ``"B. C."``): the same speaker goes on,
      so B and C join ``content_more``.

    A continuing quote must hold no cue (``"B," she added``: B is hers) and no other
    attribution's content; the attribution's ``end`` then covers it.
    """
    anchors = sorted(f.anchor for f in found)
    starts = [s for s, _ in quotes.spans]
    contents = [(f.attribution.content_start, f.attribution.content_end) for f in found]

    def free(start: int, end: int) -> bool:
        """No cue between ``start`` and ``end``, and no other attribution's content."""
        return bisect.bisect_left(anchors, start) == bisect.bisect_left(anchors, end) and not any(
            s < end and start < e for s, e in contents
        )

    def quote_at(position: int) -> tuple[int, int] | None:
        index = bisect.bisect_left(starts, position)
        return quotes.spans[index] if index < len(starts) and starts[index] == position else None

    out = []
    for item in found:
        a = item.attribution
        if not a.quote:
            out.append(item)
            continue
        more = list(a.content_more)
        if not more and a.content_end <= a.verb.start:  # "A," he said. "B."
            after = _AFTER_CUE.match(text, a.end) or _NEXT_SENTENCE.match(text, a.end)
            split = quote_at(after.end()) if after else None
            if split is not None and free(*split):
                more.append(split)
        last = max([a.end, a.content_end, *(e for _, e in more)])  # after the cue, if it ends last
        while (brk := _PARAGRAPH_BREAK.match(text, last)) is not None and (
            opening := quote_at(brk.end())
        ) is not None:
            line_end = text.find("\n", opening[0])
            line_end = len(text) if line_end < 0 else line_end
            if not free(opening[0], line_end):
                break
            index = bisect.bisect_left(starts, opening[0])
            while index < len(starts) and quotes.spans[index][1] <= line_end:
                more.append(quotes.spans[index])
                index += 1
            last = more[-1][1]
        if len(more) == len(a.content_more):
            out.append(item)
            continue
        grown = replace(a, end=max(a.end, more[-1][1]), content_more=tuple(more))
        out.append(replace(item, attribution=grown))
    return out


def _split_around_cue(item: Found, text: str) -> Found:
    """A content that holds its own source and cue ("The plan, Smith said, would cost …")
    is the part before them, and the part after them as ``content_more``."""
    a = item.attribution
    first = min(a.source.start, a.verb.start) if a.source else a.verb.start
    last = max(a.source.end, a.verb.end) if a.source else a.verb.end
    if a.content_more or not a.content_start < first < last < a.content_end:
        return item
    head_end = first
    while head_end > a.content_start and text[head_end - 1] in _SPLIT_PUNCT:
        head_end -= 1
    tail_start = last
    while tail_start < a.content_end and text[tail_start] in _SPLIT_PUNCT:
        tail_start += 1
    if head_end <= a.content_start or tail_start >= a.content_end:
        return item
    parts = replace(a, content_end=head_end, content_more=((tail_start, a.content_end),))
    return replace(item, attribution=parts)


_SPLIT_PUNCT = " \t,;:—–-"
