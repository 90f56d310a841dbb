"""Side-symmetric reading: an article and its side-swapped copies are read as one and the same text.

Training on side-swapped copies of articles (``augment="sides"``) barely moved
how often a sentence's techniques change when Iran and America trade places
(about 22% of the sentences naming a side, against 23% for 0.1.0; docs/model.md).
So the detector does not read an article that names a side of
``counterfactual.side_pairs`` as it comes, but a canonical text, and carries
the encoder states back onto the article's own word pieces by offsets. Two
ways to pick it (``WindowPlan.naming``):

- ``"mirror"`` (:func:`canonical`): of the article and its mirror image
  (Iran<->America, Democrats<->Republicans, ... all swapped at once, an
  involution), the one that sorts first. An article and its mirror get the very
  same encoder pass. Only the listed pairings are covered: an article with
  Iran and Russia trading places is read differently.
- ``"ranked"`` (:func:`ranked`): every listed side is renamed by the order in
  which the article first names it within its category, the first country
  named becoming Iran, the second America, the third Russia, and so on through
  ``pairs.json``, each form by its role (demonym for demonym, capital for
  capital). Any renaming of listed sides within a category that keeps an
  article coherent (Trump<->Biden, Iran<->Russia, a rotation of three) gives
  the same canonical text, so the same spans and techniques.

Either way the verdict on "X's corrupt regime" cannot depend on which listed X
it is, reading costs no extra encoder pass, and swapping words that are not
sides (a date, "said" for "stated") never changes the choice. Names the list
does not hold are read as written; the neutrality bench measures those too
(``bench/held-out-sides.json``).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from proplens.counterfactual import Swapped, SwapTable, side_pairs, swap
from proplens.counterfactual.pairs import side_entities
from proplens.pipeline.windowing import NAMINGS, Tokens


def canonical_reading(text: str, naming: str) -> Swapped | None:
    """The text to read instead of ``text`` under ``naming``; ``None``: ``text`` itself."""
    if naming == "mirror":
        return canonical(text, side_pairs())
    if naming == "ranked":
        return ranked(text)
    raise ValueError(f"unknown naming {naming!r} (one of {', '.join(NAMINGS)})")


def canonical(text: str, table: SwapTable) -> Swapped | None:
    """The mirror of ``text`` when it sorts before ``text``; ``None``: read ``text`` itself.

    ``canonical(a)`` and ``canonical(swap(a))`` name the same text, since the
    swap is its own inverse.
    """
    mirror = swap(text, table)
    if not mirror.changed or text <= mirror.text:
        return None
    return mirror


def ranked(text: str) -> Swapped | None:
    """``text`` with its listed sides renamed by order of first mention in each category.

    >>> ranked("Putin met Trump in Russia.").text
    'Trump met Obama in Iran.'
    >>> ranked("Biden met Putin in Ukraine.").text
    'Trump met Obama in Iran.'

    ``None`` when nothing changes (the article names no side, or names them
    in the list's own order).
    """
    table = side_pairs()
    entities = side_entities()
    where = _entity_of_form()
    named: dict[str, list[int]] = {}  # category -> entities in order of first mention
    for match in table.pattern.finditer(text):
        listed = table.listed.get(match.group("form"))
        if listed is None:  # a phrase to keep
            continue
        category, entity = where[listed]
        if entity not in named.setdefault(category, []):
            named[category].append(entity)
    mapping = {}
    for category, order in named.items():
        for rank, entity in enumerate(order):
            target = entities[category][rank]
            for role, form in enumerate(entities[category][entity]):
                new = _form_for(target, role)
                if form is not None and new != form:
                    mapping[form] = new
    if not mapping:
        return None
    renamed = swap(text, table.renamed(mapping))
    return renamed if renamed.changed else None


def _form_for(entity: tuple[str | None, ...], role: int) -> str:
    """The entity's form for ``role``, or its first form when it has none for it."""
    if role < len(entity) and entity[role] is not None:
        return entity[role]
    return next(form for form in entity if form is not None)


@cache
def _entity_of_form() -> dict[str, tuple[str, int]]:
    """Listed form -> (its category, its entity's index in ``side_entities()[category]``)."""
    return {
        form: (category, index)
        for category, entities in side_entities().items()
        for index, forms in enumerate(entities)
        for form in forms
        if form is not None
    }


def aligned(tokens: Tokens, mirror: Tokens, offsets) -> tuple[np.ndarray, np.ndarray]:
    """For each token of the article, the mirror's tokens over the same characters.

    ``(first, stop)``: token i reads the mirror's tokens ``first[i]:stop[i]``.
    A token outside a swapped word has exactly one (the same piece); a piece of
    a swapped name maps to all pieces of the name that replaced it.
    """
    starts = mirror.offsets[:, 0]
    a = offsets.forward_many(tokens.offsets[:, 0], "left")
    b = offsets.forward_many(tokens.offsets[:, 1], "right")
    first = np.searchsorted(starts, a, side="left")
    stop = np.maximum(np.searchsorted(starts, b, side="left"), first + 1)
    return np.minimum(first, len(mirror) - 1), np.minimum(stop, len(mirror))


def states_back(tokens: Tokens, mirror: Tokens, offsets, mirror_states: np.ndarray) -> np.ndarray:
    """The mirror's token states carried onto the article's tokens (a name's pieces: mean)."""
    first, stop = aligned(tokens, mirror, offsets)
    result = mirror_states[first].astype(np.float32)
    for i in np.flatnonzero(stop - first > 1):
        result[i] = mirror_states[first[i] : stop[i]].mean(0)
    return result
