"""Sentence alignment of two versions: which sentence of A became which of B.

Method (chosen on the dev story pairs, see docs/compare.md):

1. every pair of sentences gets a lexical similarity (:mod:`.similarity`);
2. the two headlines (a first line holding one sentence, on each side) are linked
   to each other first when they share at least ``TITLE_THRESHOLD``: a headline
   often repeats its lead's words, and must not take the other side's lead away
   from its own lead;
3. the other pairs are linked one to one, most similar first, down to ``threshold``;
4. sentences left over between the same two links (the same place in both
   texts) are linked at a lower bar, ``GAP_THRESHOLD``, and the two first
   sentences at ``TITLE_THRESHOLD`` (a headline not on a line of its own);
5. a sentence next to a linked one joins the link when most of its words come
   from the other side of that link (a split, or a merge);
6. links that break the order of the rest (off the longest run of links in
   order on both sides) are ``moved``: a reordered paragraph moves, the rest of
   the article does not;
7. what is left is ``dropped`` (only in A) or ``added`` (only in B).

Similarity never looks at position, so reordering paragraphs cannot break the
links themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from proplens.compare.sentences import Sentence
from proplens.compare.similarity import containment, similarity, words

THRESHOLD = 0.4
"""Least similarity of two sentences that are the same statement reworded."""
GAP_THRESHOLD = 0.3
"""Least similarity of two left-over sentences between the same two links (same place):
the floor below which two body sentences are never aligned, one is dropped and the other
added. On the dev story pairs every true alignment scores at least 0.32 and 13 false pairs
score between 0.25 and 0.30 (``python bench/compare_similarity.py``); at 0.25 a wire
denial was aligned with an unrelated "he further revealed" sentence (issue 25)."""
TITLE_THRESHOLD = 0.1
"""Least similarity of the two headlines to link them: a headline is rewritten more freely."""
PART_CONTAINMENT = 0.6
"""Least share of a split or merged piece's words that come from its partner."""


@dataclass(frozen=True)
class Link:
    """One aligned item: sentence indices on each side (empty for added/dropped)."""

    kind: str  # "same" | "reworded" | "moved" | "added" | "dropped"
    a: tuple[int, ...]
    b: tuple[int, ...]
    similarity: float


def align(a: list[Sentence], b: list[Sentence], threshold: float = THRESHOLD) -> list[Link]:
    """The alignment of ``a`` and ``b``, in reading order of B (dropped items where they were)."""
    wa, wb = [words(s.text) for s in a], [words(s.text) for s in b]
    headlines = _headlines(a, b, wa, wb)
    pairs = _match(a, b, wa, wb, threshold, dict(headlines))
    _fill_gaps(pairs, a, b, wa, wb)
    joined = _gap_splits(pairs, a, b, wa, wb)
    joined.update(_quotations(pairs, joined, a, b))
    groups = _grow(pairs, wa, wb, fixed=set(headlines.items()), joined=joined)
    in_order = _longest_in_order(groups)
    links = []
    for index, (ia, ib) in enumerate(groups):
        score = similarity(_join(wa, ia), _join(wb, ib))
        links.append(Link(_kind(a, b, ia, ib, index in in_order), ia, ib, round(score, 4)))
    linked_a = {i for ia, _ in groups for i in ia}
    linked_b = {j for _, ib in groups for j in ib}
    links += [Link("dropped", (i,), (), 0.0) for i in range(len(a)) if i not in linked_a]
    links += [Link("added", (), (j,), 0.0) for j in range(len(b)) if j not in linked_b]
    return _reading_order(links)


def _headlines(a, b, wa, wb) -> dict[int, int]:
    """{0: 0} when both texts open with a headline line and the two share enough words."""
    if a and b and _headline(a) and _headline(b) and similarity(wa[0], wb[0]) >= TITLE_THRESHOLD:
        return {0: 0}
    return {}


def _headline(side: list[Sentence]) -> bool:
    """The first line holds one sentence (a headline), and something follows it."""
    return len(side) > 1 and side[0].paragraph == 0 and side[1].paragraph > 0


def _match(a, b, wa, wb, threshold, pairs: dict[int, int]) -> dict[int, int]:
    """One-to-one links, most similar pair first (ties: the closer relative position)."""
    candidates = []
    taken_b = set(pairs.values())
    for i, x in enumerate(wa):
        if i in pairs:
            continue
        for j, y in enumerate(wb):
            if j in taken_b:
                continue
            exact = " ".join(a[i].text.split()) == " ".join(b[j].text.split())
            score = 1.0 if exact else similarity(x, y)
            if score >= threshold:
                drift = abs(i / max(1, len(a)) - j / max(1, len(b)))
                candidates.append((-score, not exact, drift, i, j))
    return _greedy(candidates, pairs)


def _greedy(candidates, pairs: dict[int, int]) -> dict[int, int]:
    candidates.sort()
    taken_b = set(pairs.values())
    for _, _, _, i, j in candidates:
        if i not in pairs and j not in taken_b:
            pairs[i] = j
            taken_b.add(j)
    return pairs


def _fill_gaps(pairs: dict[int, int], a, b, wa, wb) -> None:
    """Link left-over sentences that sit between the same two in-order links, one to one
    (down to ``GAP_THRESHOLD``, a headline to ``TITLE_THRESHOLD``)."""
    candidates = []
    for free_a, free_b in _gaps(pairs, len(a), len(b)):
        for i in free_a:
            for j in free_b:
                score = similarity(wa[i], wb[j])
                title = i == j == 0 and _is_title(a[0], b[0])
                if score >= (TITLE_THRESHOLD if title else GAP_THRESHOLD):
                    candidates.append((-score, True, 0.0, i, j))
    _greedy(candidates, pairs)


def _gap_splits(pairs: dict[int, int], a, b, wa, wb) -> dict[tuple[int, int], tuple[str, int]]:
    """Link a sentence still free after :func:`_fill_gaps` with two adjacent free sentences
    of the other side, read together, when they reach ``THRESHOLD`` and beat each alone.

    That is a split (or merge) rewritten so freely that neither piece alone
    reaches the floor, and so never found by :func:`_grow` (which needs one
    piece linked first). The links go into ``pairs``; returns them as
    ``{(i, j): ("b" or "a", the other piece)}`` for :func:`_grow`.
    """
    joined: dict[tuple[int, int], tuple[str, int]] = {}
    for free_a, free_b in _gaps(pairs, len(a), len(b)):
        two = []
        for i in free_a:
            for j in free_b:
                if j + 1 in free_b and b[j].paragraph == b[j + 1].paragraph:
                    two.append((_two(wa[i], wb[j], wb[j + 1]), i, j, "b", j + 1))
        for j in free_b:
            for i in free_a:
                if i + 1 in free_a and a[i].paragraph == a[i + 1].paragraph:
                    two.append((_two(wb[j], wa[i], wa[i + 1]), i, j, "a", i + 1))
        used_a: set[int] = set()
        used_b: set[int] = set()
        for score, i, j, side, other in sorted(two, reverse=True):
            if score < THRESHOLD:
                break
            mine_a = {i, other} if side == "a" else {i}
            mine_b = {j, other} if side == "b" else {j}
            if mine_a & used_a or mine_b & used_b:
                continue
            pairs[i] = j
            joined[(i, j)] = (side, other)
            used_a |= mine_a
            used_b |= mine_b
    return joined


def _quotations(pairs: dict[int, int], joined, a, b) -> dict[tuple[int, int], tuple[str, int]]:
    """Links whose sentence is half of one quotation cut in two by the splitter.

    ``"We warned everyone. This was only the beginning," an adviser wrote.`` is
    one statement in two sentences; when one half is linked and the other is
    free, the other joins the link (a split or a merge), whatever its words.
    """
    linked_b = set(pairs.values()) | {o for side, o in joined.values() if side == "b"}
    linked_a = set(pairs) | {o for side, o in joined.values() if side == "a"}
    found = {}
    for i, j in sorted(pairs.items()):
        if (i, j) in joined:
            continue
        for side, own, sentences, linked in (("b", j, b, linked_b), ("a", i, a, linked_a)):
            other = _quote_half(own, sentences, linked)
            if other is not None:
                found[(i, j)] = (side, other)
                linked.add(other)
                break
    return found


def _quote_half(k: int, sentences, linked: set[int]) -> int | None:
    """The free sentence next to ``k`` that holds the rest of a quotation ``k`` opens or
    closes, if any."""
    if k + 1 < len(sentences) and k + 1 not in linked and _opens(sentences[k].text):
        if sentences[k + 1].paragraph == sentences[k].paragraph:
            return k + 1
    if k > 0 and k - 1 not in linked and _opens(sentences[k - 1].text):
        if sentences[k - 1].paragraph == sentences[k].paragraph:
            return k - 1
    return None


def _opens(text: str) -> bool:
    """A quotation opens in ``text`` and does not close there."""
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def _gaps(pairs: dict[int, int], n_a: int, n_b: int) -> list[tuple[list[int], list[int]]]:
    """Free sentences of each side between two successive in-order links."""
    anchors = sorted((i, pairs[i]) for i in _in_order_pairs(pairs))
    bounds = [(-1, -1), *anchors, (n_a, n_b)]
    taken = set(pairs.values())
    return [
        (
            [i for i in range(lo_a + 1, hi_a) if i not in pairs],
            [j for j in range(lo_b + 1, hi_b) if j not in taken],
        )
        for (lo_a, lo_b), (hi_a, hi_b) in zip(bounds, bounds[1:], strict=False)
    ]


def _two(one, first, second) -> float:
    """Similarity of ``one`` to two adjacent sentences read together; 0 unless it beats
    each of them alone."""
    together = similarity(one, first + second)
    if together <= max(similarity(one, first), similarity(one, second)):
        return 0.0
    return together


def _in_order_pairs(pairs: dict[int, int]) -> set[int]:
    """A indices of the largest set of one-to-one links in the same order on both sides."""
    groups = [((i,), (j,)) for i, j in sorted(pairs.items())]
    return {groups[g][0][0] for g in _longest_in_order(groups)}


def _is_title(a: Sentence, b: Sentence) -> bool:
    return a.paragraph == 0 and b.paragraph == 0 and a.index == 0 and b.index == 0


def _grow(
    pairs: dict[int, int], wa, wb, fixed: set[tuple[int, int]], joined=None
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Extend one-to-one links into splits (1 A : 2 B) and merges (2 A : 1 B).

    Links in ``fixed`` (the headlines) stay one to one: a headline is not split into
    the lead that repeats it. ``joined`` holds the splits and merges already found
    in the gaps (:func:`_fill_gaps`).
    """
    joined = joined or {}
    free_a = set(range(len(wa))) - set(pairs)
    free_b = set(range(len(wb))) - set(pairs.values())
    for side, other in joined.values():
        (free_a if side == "a" else free_b).discard(other)
    groups = []
    for i, j in sorted(pairs.items()):
        if (i, j) in joined:
            side, other = joined[(i, j)]
            if side == "b":
                groups.append(((i,), tuple(sorted((j, other)))))
            else:
                groups.append((tuple(sorted((i, other))), (j,)))
            continue
        if (i, j) in fixed:
            groups.append(((i,), (j,)))
            continue
        extra_b = _neighbour(j, free_b, wb, wa[i], wb[j])
        if extra_b is not None:
            free_b.discard(extra_b)
            groups.append(((i,), tuple(sorted((j, extra_b)))))
            continue
        extra_a = _neighbour(i, free_a, wa, wb[j], wa[i])
        if extra_a is not None:
            free_a.discard(extra_a)
            groups.append((tuple(sorted((i, extra_a))), (j,)))
            continue
        groups.append(((i,), (j,)))
    return groups


def _neighbour(k: int, free: set[int], side, partner, own) -> int | None:
    """A free sentence next to ``k`` whose words mostly come from ``partner``, if any."""
    alone = similarity(partner, own)
    best = None
    for n in (k + 1, k - 1):
        if n not in free:
            continue
        piece = side[n]
        if len(piece) < 3 or containment(piece, partner) < PART_CONTAINMENT:
            continue
        joined = own + piece if n > k else piece + own
        gain = similarity(partner, joined) - alone
        if gain > 0 and (best is None or gain > best[0]):
            best = (gain, n)
    return None if best is None else best[1]


def _longest_in_order(groups) -> set[int]:
    """Indices of the largest set of groups (by sentences) in the same order on both sides."""
    order = sorted(range(len(groups)), key=lambda g: groups[g][0][0])
    best: list[tuple[int, int]] = []  # per position: (weight, previous position)
    for pos, g in enumerate(order):
        weight = len(groups[g][0]) + len(groups[g][1])
        entry = (weight, -1)
        for prev in range(pos):
            if groups[order[prev]][1][0] < groups[g][1][0] and best[prev][0] + weight > entry[0]:
                entry = (best[prev][0] + weight, prev)
        best.append(entry)
    chosen: set[int] = set()
    pos = max(range(len(best)), key=lambda p: best[p][0], default=-1)
    while pos >= 0:
        chosen.add(order[pos])
        pos = best[pos][1]
    return chosen


def _kind(a, b, ia, ib, in_order: bool) -> str:
    if not in_order:
        return "moved"
    text_a = " ".join(" ".join(a[i].text for i in ia).split())
    text_b = " ".join(" ".join(b[j].text for j in ib).split())
    return "same" if text_a == text_b else "reworded"


def _join(side, indices) -> list[str]:
    return [w for i in indices for w in side[i]]


def _reading_order(links: list[Link]) -> list[Link]:
    """B's order; a dropped sentence comes right after the item holding A's previous sentence."""
    place_of_a: dict[int, float] = {}
    for link in links:
        if link.b and link.kind != "moved":
            for i in link.a:
                place_of_a[i] = link.b[0]

    def key(link: Link) -> tuple[float, float]:
        if link.b:
            return (link.b[0], 0.0)
        i = link.a[0]
        before = [place_of_a[k] for k in place_of_a if k < i]
        return (max(before) if before else -1.0, 1.0 + i / 10_000)

    return sorted(links, key=key)
