"""The 14 SemEval-2020 Task 11 propaganda techniques, and how other taxonomies map onto them.

Each :class:`Technique` carries its exact corpus name (the string in the label
files), a readable name, a definition and an example written for proplens, and
a display colour. The 14 colours stay apart for every reader: any two differ by
at least 10 (CIEDE2000) in normal vision and under simulated protanopia,
deuteranopia and tritanopia, and dark text (#111) on each keeps a WCAG contrast
of at least 4.5 (tests/test_techniques.py checks both; bench/palette.py chose
them). ``PTC_18`` and ``SEMEVAL_2023`` list the names of the finer
taxonomies; :func:`map_to_14` turns any of them into a corpus name, or ``None``
where the 14-technique scheme has no equivalent.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Technique:
    name: str
    label: str
    definition: str
    example: str
    color: str


TECHNIQUES: tuple[Technique, ...] = (
    Technique(
        "Loaded_Language",
        "Loaded language",
        "Words chosen for their emotional charge rather than their meaning, to make the reader "
        "feel something about a subject before thinking about it.",
        "The council's reckless, disastrous plan will gut our schools.",
        "#ffa800",
    ),
    Technique(
        "Name_Calling,Labeling",
        "Name calling, labeling",
        "Attaching a label to a person or group that the audience already fears, hates or "
        "admires, so that the label does the arguing.",
        "The so-called experts at the ministry have spoken again.",
        "#00ffc0",
    ),
    Technique(
        "Repetition",
        "Repetition",
        "Saying the same word, phrase or claim again and again so that familiarity stands in "
        "for evidence.",
        "They lied about the budget. They lied about the roads. They lied to you.",
        "#78a878",
    ),
    Technique(
        "Doubt",
        "Doubt",
        "Questioning the credibility of a person, group or claim without offering evidence "
        "against it.",
        "Can we really trust a mayor who won't show us her emails?",
        "#c0a8ff",
    ),
    Technique(
        "Exaggeration,Minimisation",
        "Exaggeration, minimisation",
        "Making something look far bigger, better or worse than it is, or brushing off "
        "something serious as trivial.",
        "This is the greatest betrayal in the history of our town.",
        "#009048",
    ),
    Technique(
        "Appeal_to_fear-prejudice",
        "Appeal to fear or prejudice",
        "Building support for an idea by making people afraid of the alternative, or by "
        "playing on prejudices they already hold.",
        "If this bill passes, no family in the valley will be safe at night.",
        "#f03030",
    ),
    Technique(
        "Flag-Waving",
        "Flag-waving",
        "Justifying an idea by appeal to patriotism or to the interests of a group, as if "
        "belonging to it settled the question.",
        "Every true islander knows the harbour deal is right for us.",
        "#0078ff",
    ),
    Technique(
        "Causal_Oversimplification",
        "Causal oversimplification",
        "Giving one cause for an outcome that has many, or blaming a single person or group "
        "for a complex problem.",
        "Prices went up the day the new governor took office, so she caused the inflation.",
        "#78d878",
    ),
    Technique(
        "Appeal_to_Authority",
        "Appeal to authority",
        "Claiming something is true because an authority or expert says so, without other "
        "support, or citing someone who is not an authority on the matter.",
        "A famous actor says the vaccine is unsafe, so it must be.",
        "#c0a8a8",
    ),
    Technique(
        "Slogans",
        "Slogans",
        "A brief, striking phrase that packs a judgement into a few words and invites "
        "repeating rather than thinking.",
        "Clean streets, safe streets!",
        "#c078a8",
    ),
    Technique(
        "Black-and-White_Fallacy",
        "Black-and-white fallacy",
        "Presenting two options as the only ones possible when others exist, or one option as "
        "the only choice.",
        "Either you back the new stadium or you want this city to die.",
        "#907878",
    ),
    Technique(
        "Whataboutism,Straw_Men,Red_Herring",
        "Whataboutism, straw man, red herring",
        "Dodging an argument: answering a charge with a counter-charge, attacking a distorted "
        "version of the opponent's view, or changing the subject.",
        "Why talk about our deficit when the last government left a bigger one?",
        "#c0d8f0",
    ),
    Technique(
        "Thought-terminating_Cliches",
        "Thought-terminating cliché",
        "A short, generic phrase that ends discussion and discourages critical thought about "
        "the matter at hand.",
        "It is what it is. Rules are rules.",
        "#ffff60",
    ),
    Technique(
        "Bandwagon,Reductio_ad_hitlerum",
        "Bandwagon, reductio ad Hitlerum",
        "Urging people to join in because everyone else does, or rejecting an idea because a "
        "hated group is said to support it.",
        "Everyone in town has already signed the petition; don't be left behind.",
        "#d830c0",
    ),
)

BY_NAME: dict[str, Technique] = {t.name: t for t in TECHNIQUES}
NAMES: tuple[str, ...] = tuple(t.name for t in TECHNIQUES)
"""Corpus names in a fixed order; a model's class index is the position in this tuple."""

PTC_18: tuple[str, ...] = (
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Exaggeration,Minimisation",
    "Doubt",
    "Appeal_to_fear-prejudice",
    "Flag-Waving",
    "Causal_Oversimplification",
    "Slogans",
    "Appeal_to_Authority",
    "Black-and-White_Fallacy",
    "Thought-terminating_Cliches",
    "Whataboutism",
    "Reductio_ad_hitlerum",
    "Red_Herring",
    "Bandwagon",
    "Obfuscation,Intentional_Vagueness,Confusion",
    "Straw_Men",
)
"""The 18 techniques the PTC annotators used, before SemEval-2020 merged rare ones."""

SEMEVAL_2023: tuple[str, ...] = (
    "Name_Calling-Labeling",
    "Guilt_by_Association",
    "Doubt",
    "Appeal_to_Hypocrisy",
    "Questioning_the_Reputation",
    "Flag_Waving",
    "Appeal_to_Authority",
    "Appeal_to_Popularity",
    "Appeal_to_Values",
    "Appeal_to_Fear-Prejudice",
    "Causal_Oversimplification",
    "False_Dilemma-No_Choice",
    "Consequential_Oversimplification",
    "Straw_Man",
    "Red_Herring",
    "Whataboutism",
    "Slogans",
    "Conversation_Killer",
    "Appeal_to_Time",
    "Loaded_Language",
    "Obfuscation-Vagueness-Confusion",
    "Exaggeration-Minimisation",
    "Repetition",
)
"""The 23 techniques of SemEval-2023 Task 3 (subtask 3)."""

_PTC_18_TO_14: dict[str, str | None] = {
    **{name: name for name in NAMES if name in PTC_18},
    "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
    "Straw_Men": "Whataboutism,Straw_Men,Red_Herring",
    "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
    "Bandwagon": "Bandwagon,Reductio_ad_hitlerum",
    "Reductio_ad_hitlerum": "Bandwagon,Reductio_ad_hitlerum",
    # SemEval-2020 dropped it: only 11 cases in the whole corpus.
    "Obfuscation,Intentional_Vagueness,Confusion": None,
}

_SEMEVAL_2023_TO_14: dict[str, str | None] = {
    "Name_Calling-Labeling": "Name_Calling,Labeling",
    # Reductio ad Hitlerum is guilt by association with a hated figure.
    "Guilt_by_Association": "Bandwagon,Reductio_ad_hitlerum",
    "Doubt": "Doubt",
    # "You did it too" answers a charge with a counter-charge, as whataboutism does.
    "Appeal_to_Hypocrisy": "Whataboutism,Straw_Men,Red_Herring",
    # The 2020 guidelines count attacks on someone's credibility as Doubt.
    "Questioning_the_Reputation": "Doubt",
    "Flag_Waving": "Flag-Waving",
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_Popularity": "Bandwagon,Reductio_ad_hitlerum",
    "Appeal_to_Values": None,
    "Appeal_to_Fear-Prejudice": "Appeal_to_fear-prejudice",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "False_Dilemma-No_Choice": "Black-and-White_Fallacy",
    # A slippery-slope chain has no counterpart among the 14.
    "Consequential_Oversimplification": None,
    "Straw_Man": "Whataboutism,Straw_Men,Red_Herring",
    "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
    "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
    "Slogans": "Slogans",
    "Conversation_Killer": "Thought-terminating_Cliches",
    "Appeal_to_Time": None,
    "Loaded_Language": "Loaded_Language",
    "Obfuscation-Vagueness-Confusion": None,
    "Exaggeration-Minimisation": "Exaggeration,Minimisation",
    "Repetition": "Repetition",
}


def map_to_14(name: str) -> str | None:
    """Map a technique name from PTC-18, SemEval-2023 or SemEval-2020 onto the 14.

    Returns ``None`` where the 14-technique scheme has no equivalent.

    >>> map_to_14("Straw_Men")
    'Whataboutism,Straw_Men,Red_Herring'
    >>> map_to_14("False_Dilemma-No_Choice")
    'Black-and-White_Fallacy'
    >>> map_to_14("Appeal_to_Values") is None
    True
    """
    if name in BY_NAME:
        return name
    if name in _PTC_18_TO_14:
        return _PTC_18_TO_14[name]
    if name in _SEMEVAL_2023_TO_14:
        return _SEMEVAL_2023_TO_14[name]
    raise KeyError(f"unknown technique name {name!r}")


def get(name: str) -> Technique:
    """The technique with corpus name ``name``; a clear KeyError otherwise."""
    try:
        return BY_NAME[name]
    except KeyError:
        known = ", ".join(NAMES)
        raise KeyError(f"unknown technique {name!r}; known: {known}") from None
