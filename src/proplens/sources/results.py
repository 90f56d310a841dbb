"""What the source finder returns: attributions, claims and hedges as offsets into one text.

Every ``start``/``end`` is a Python ``str`` index into the exact article text
(``[start, end)``), as for propaganda spans; the words themselves are derived
from the offsets (:func:`proplens.sources.sources_to_dict` adds them).
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE_KINDS = ("named", "role", "vague", "anonymous")
"""``named``: a named person or organisation; ``role``: one unnamed person or body
identified by role ("a senior official", "the ministry"); ``vague``: plural or
generic sources ("critics", "reports", "it is said"); ``anonymous``: sources
whose identity is withheld ("a source", "people familiar with the talks")."""

STANCES = ("neutral", "endorsing", "distancing")
"""How the reporting verb frames the content: ``neutral`` (said, told, according
to), ``endorsing`` (confirmed, revealed, admitted: presented as true),
``distancing`` (claimed, alleged, insisted: presented as doubtful)."""

HEDGE_KINDS = ("hedge", "certainty")

CUE_KINDS = ("speech", "thought")
"""What the cue reports: ``speech`` (said, told, according to, in a statement, a
spokesman's claim: words someone said or wrote) or ``thought`` (believes, wants,
fears, plans, hopes, expects: a belief, wish or intention the writer ascribes to
someone, which the writer asserts on his own word unless a quote backs it)."""


@dataclass(frozen=True)
class SourceRef:
    """Who says it: the source phrase and its kind (one of :data:`SOURCE_KINDS`).

    For a pronoun ("he said"), ``referent`` is the ``(start, end)`` of the source it
    refers to, named earlier in the text; the kind is that source's kind.
    """

    start: int
    end: int
    kind: str
    referent: tuple[int, int] | None = None


@dataclass(frozen=True)
class VerbRef:
    """How it is reported: the cue (a verb, "according to", "in a statement"), its stance
    and its kind (one of :data:`CUE_KINDS`)."""

    start: int
    end: int
    stance: str
    kind: str = "speech"


@dataclass(frozen=True)
class Attribution:
    """One reported statement: source, verb and the content attributed to the source.

    ``start``/``end`` cover source, verb and content together; ``quote`` says
    whether the content is a direct quote (inside quotation marks).
    """

    start: int
    end: int
    source: SourceRef | None
    """``None`` when the text names no source ("Nabisco is expected to cut 277 jobs",
    "the plan seemed doomed"): PolNeAR's attributions without a source."""
    verb: VerbRef
    content_start: int
    content_end: int
    quote: bool
    content_more: tuple[tuple[int, int], ...] = ()
    """Further parts of the content after the cue, as ``(start, end)``: the second half of
    a quote the cue splits (``"A," he said. "B."``: content A, ``content_more`` B)."""


@dataclass(frozen=True)
class Claim:
    """A sentence that asserts something checkable.

    ``attribution`` is the index (into :attr:`Sources.attributions`) of the
    attribution that covers it, or ``None`` when the text gives no source;
    ``check_worthy`` is a score in [0, 1]; ``quantities`` are the ``(start,
    end)`` offsets of the numbers and amounts inside it.
    """

    start: int
    end: int
    attribution: int | None
    check_worthy: float
    quantities: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Hedge:
    """A hedge ("apparently", "could not be verified") or a certainty marker ("clearly")."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Sources:
    """Everything found in one text, each tuple sorted by position."""

    attributions: tuple[Attribution, ...] = ()
    claims: tuple[Claim, ...] = ()
    hedges: tuple[Hedge, ...] = ()

    def unattributed(self) -> tuple[Claim, ...]:
        """The claims that stand on no source in the text."""
        return tuple(claim for claim in self.claims if claim.attribution is None)
