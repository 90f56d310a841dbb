"""Gold cues the cue model marks but the finder drops, by reason (train-internal fifth only).

    python bench/polnear_cue_misses.py                # counts, and 12 examples per reason
    python bench/polnear_cue_misses.py --examples 30

Of the first annotator's gold cues that no predicted attribution overlaps, on
the train-internal fifth that the cue experiments hold out (168 articles,
``polnear_tagger.split_names``), each is put in one group: the best probability
the shipped cue model (hand features plus the tagger) gives one of its words
(under 0.2, 0.2-0.5, 0.5 to the threshold: the tagger's recall), or, when a
word is marked, the reason the marked run gives no attribution
(:func:`why_dropped`: the decoding's part). Round 7 in docs/sources.md chose
its changes from this count. It reads train only; never point it at dev.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

from polnear_eval import parsed_docs
from polnear_parse import DEFAULT_CACHE
from polnear_tagger import split_names

from proplens.sources import attributions, lexicon
from proplens.sources.cues import load_model
from proplens.sources.finder import _NEVER_CUES, SourceFinder, _sources
from proplens.sources.polnear import POLNEAR_DIR, pair_by_cue
from proplens.sources.quotes import Quotes


def why_dropped(cue: list, quotes: Quotes, base: int) -> str:
    """Why a run of marked words gives no attribution, in the order ``from_cue`` decides.

    ``cue``: adjacent tokens of one parsed line; ``base``: the line's offset in
    the article, as the finder passes them.
    """
    members = {t.i for t in cue}
    head = attributions.cue_head(cue)
    known = head.lower_ in lexicon.REPORTING_VERBS or head.lower_ in lexicon.PHRASAL_FORMS
    lemma = lexicon.REPORTING_VERBS.get(head.lower_, (head.lower_,))[0]
    if attributions._negated(head) or (known and lemma in lexicon.EVIDENCE_LEMMAS):
        return "negated or evidence verb"
    subject, _ = attributions._cue_subject(head, members)
    if subject is None:
        passive = head.tag_.startswith("VB") and any(c.dep_ == "nsubjpass" for c in head.children)
        return "no subject: passive with no content" if passive else "no subject"
    if subject.lower_ in lexicon.PERSONAL_PRONOUNS:
        return "source I, we or you (the writer's own)"
    content = attributions._cue_content(head, cue, members, subject, quotes, base, strict=known)
    if content is None:
        return "no content" + (" (a known reporting verb: clause, object or quote only)" * known)
    return "found here, lost later (overlap, extension of a rule verb)"


def marked_run(token, probability, threshold: float) -> list:
    """The adjacent scored words at or over ``threshold`` around ``token``, joined as
    the finder joins them."""

    def marked(t) -> bool:
        return t.tag_ not in _NEVER_CUES and not t.is_space and probability(t) >= threshold

    sent, doc = token.sent, token.doc
    first = last = token.i
    while first - 1 >= sent.start and marked(doc[first - 1]):
        first -= 1
    while last + 1 < sent.end and marked(doc[last + 1]):
        last += 1
    return [doc[i] for i in range(first, last + 1)]


def _group(words: list, scorer, quotes: Quotes, threshold: float) -> str:
    """The group of one missed gold cue, from its ``(token, line offset)`` words."""

    def probability(token, base: int) -> float:
        return scorer.probability(token, quotes.containing(base + token.idx) is not None)

    best, i = max((probability(t, b), i) for i, (t, b) in enumerate(words))
    token, base = words[i]
    if best < threshold:
        return "not marked: " + ("under 0.2" if best < 0.2 else "0.2-0.5" if best < 0.5 else "0.5+")
    run = marked_run(token, lambda t: probability(t, base), threshold)
    return "marked: " + why_dropped(run, quotes, base)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=POLNEAR_DIR)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--examples", type=int, default=12, help="examples shown per group")
    args = parser.parse_args()
    if not (args.root / "train").is_dir():
        sys.exit(f"{args.root}: no PolNeAR train split there (give --root)")
    finder = SourceFinder.load()
    model = load_model()
    held, _ = split_names(args.root)
    groups: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    for _name, text, marked, docs in parsed_docs(args.root, "train", args.cache, finder, held):
        scorer = model.for_article(text, docs)
        quotes = Quotes(text)
        found = _sources(text, docs, model)
        predicted = [((a.verb.start, a.verb.end),) for a in found.attributions]
        paired = {g for g, _ in pair_by_cue(marked[0], predicted)}
        groups["found"] += len(paired)
        for g, want in enumerate(marked[0]):
            if g in paired:
                continue
            words = [
                (t, base)
                for doc, base in docs
                for t in doc
                if any(base + t.idx < e and s < base + t.idx + len(t) for s, e in want.cue)
            ]
            if not words:
                group = "no word of the parse"
            else:
                group = _group(words, scorer, quotes, model.threshold)
            groups[group] += 1
            if len(examples[group]) < args.examples:
                start, end = want.cue[0][0], want.cue[-1][1]
                cue = " ".join(text[s:e] for s, e in want.cue)
                context = text[max(0, start - 70) : end + 50].replace("\n", " ")
                examples[group].append(f"[{cue}] {context}")
    missed = sum(n for k, n in groups.items() if k != "found")
    print(f"train-internal fifth: {len(held)} articles, {groups['found']} gold cues found, "
          f"{missed} missed (first annotator)")  # fmt: skip
    for group, n in groups.most_common():
        if group != "found":
            print(f"  {n:5d}  {group}")
    for group, lines in sorted(examples.items()):
        print(f"\n== {group}")
        for line in lines:
            print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
