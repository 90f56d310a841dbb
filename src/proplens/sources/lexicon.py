"""Word lists behind the rules: reporting verbs and their stance, source heads, hedges.

They follow the annotation guideline in docs/sources.md (written before any
rule): a verb's stance is how it frames the reported content, not what the
content says. Lists hold lowercase word forms, so no lemmatizer is needed.
"""

from __future__ import annotations


def _forms(table: str) -> dict[str, str]:
    """``"say says said saying"`` lines -> {form: first form (the lemma)}."""
    out: dict[str, str] = {}
    for line in table.strip().splitlines():
        words = line.split()
        for word in words:
            out[word] = words[0]
    return out


_NEUTRAL = _forms(
    """
    describe describes described describing
    depict depicts depicted depicting
    characterize characterizes characterized characterizing
    say says said saying
    tell tells told telling
    state states stated stating
    add adds added adding
    announce announces announced announcing
    report reports reported reporting
    write writes wrote written writing
    explain explains explained explaining
    comment comments commented commenting
    respond responds responded responding
    reply replies replied replying
    mention mentions mentioned mentioning
    argue argues argued arguing
    suggest suggests suggested suggesting
    indicate indicates indicated indicating
    estimate estimates estimated estimating
    predict predicts predicted predicting
    forecast forecasts forecasted forecasting
    warn warns warned warning
    caution cautions cautioned cautioning
    deny denies denied denying
    believe believes believed believing
    think thinks thought thinking
    expect expects expected expecting
    doubt doubts doubted doubting
    want wants wanted
    hope hopes hoped
    fear fears feared
    plan plans planned
    intend intends intended
    wish wishes wished
    testify testifies testified testifying
    declare declares declared declaring
    stress stresses stressed stressing
    emphasise emphasises emphasised emphasising
    emphasize emphasizes emphasized emphasizing
    recall recalls recalled recalling
    remark remarks remarked remarking
    complain complains complained complaining
    conclude concludes concluded concluding
    calculate calculates calculated calculating
    find finds found finding
    tweet tweets tweeted tweeting
    """
)
_ENDORSING = _forms(
    """
    confirm confirms confirmed confirming
    reveal reveals revealed revealing
    show shows showed shown showing
    prove proves proved proven proving
    admit admits admitted admitting
    acknowledge acknowledges acknowledged acknowledging
    concede concedes conceded conceding
    demonstrate demonstrates demonstrated demonstrating
    establish establishes established establishing
    disclose discloses disclosed disclosing
    note notes noted noting
    recognise recognises recognised recognising
    recognize recognizes recognized recognizing
    verify verifies verified verifying
    discover discovers discovered discovering
    expose exposes exposed exposing
    """
)
_DISTANCING = _forms(
    """
    paint paints painted painting
    portray portrays portrayed portraying
    brand brands branded branding
    label labels labelled labeled labelling labeling
    accuse accuses accused accusing
    claim claims claimed claiming
    allege alleges alleged alleging
    insist insists insisted insisting
    maintain maintains maintained maintaining
    contend contends contended contending
    purport purports purported purporting
    assert asserts asserted asserting
    profess professes professed professing
    boast boasts boasted boasting
    """
)

REPORTING_VERBS: dict[str, tuple[str, str]] = {
    **{form: (lemma, "neutral") for form, lemma in _NEUTRAL.items()},
    **{form: (lemma, "endorsing") for form, lemma in _ENDORSING.items()},
    **{form: (lemma, "distancing") for form, lemma in _DISTANCING.items()},
}
"""Word form -> (lemma, stance)."""

THOUGHT_LEMMAS = frozenset(
    """
    believe think expect doubt want wish hope fear worry plan intend aim seek mean
    feel know suspect assume consider regard see view imagine suppose reckon trust
    prefer like love hate oppose support favor favour agree disagree decide understand
    realize realise recognize recognise remember forget wonder guess dream desire
    try
    belief view hope fear plan wish intention goal aim desire expectation concern
    """.split()
)
"""Cues of thought, intent or belief (verbs and nouns, lemma forms): their attributions
are of kind ``thought``. Matched on the cue's head word through :data:`THOUGHT_FORMS`."""
THOUGHT_FORMS = {
    **{w: w for w in THOUGHT_LEMMAS},
    **_forms(
        """
        believe believes believed believing
        think thinks thought thinking
        expect expects expected expecting
        doubt doubts doubted doubting
        want wants wanted wanting
        wish wishes wished wishing
        hope hopes hoped hoping
        fear fears feared fearing
        worry worries worried worrying
        plan plans planned planning
        intend intends intended intending
        aim aims aimed aiming
        seek seeks sought seeking
        feel feels felt feeling
        know knows knew known knowing
        suspect suspects suspected suspecting
        assume assumes assumed assuming
        consider considers considered considering
        regard regards regarded regarding
        see sees saw seen seeing
        view views viewed viewing
        imagine imagines imagined imagining
        suppose supposes supposed supposing
        reckon reckons reckoned reckoning
        prefer prefers preferred preferring
        oppose opposes opposed opposing
        support supports supported supporting
        favor favors favored favoring
        favour favours favoured favouring
        agree agrees agreed agreeing
        disagree disagrees disagreed disagreeing
        decide decides decided deciding
        understand understands understood understanding
        realize realizes realized realizing
        realise realises realised realising
        remember remembers remembered remembering
        wonder wonders wondered wondering
        desire desires desired desiring
        try tries tried trying
        belief beliefs
        hope hopes
        intention intentions
        goal goals
        expectation expectations
        concern concerns
        """
    ),
}
"""Word form -> lemma for :data:`THOUGHT_LEMMAS`."""

NOMINAL_CUES: dict[str, tuple[str, str]] = {
    **{w: ("report", "neutral") for w in "report reports".split()},
    **{w: ("statement", "neutral") for w in "statement statements".split()},
    **{w: ("warning", "neutral") for w in "warning warnings".split()},
    **{w: ("rumour", "distancing") for w in "rumour rumours rumor rumors".split()},
    **{w: ("claim", "distancing") for w in "claim claims".split()},
    **{w: ("allegation", "distancing") for w in "allegation allegations".split()},
    **{w: ("accusation", "distancing") for w in "accusation accusations".split()},
    **{w: ("assertion", "distancing") for w in "assertion assertions".split()},
    **{w: ("denial", "neutral") for w in "denial denials".split()},
    **{w: ("admission", "endorsing") for w in "admission admissions".split()},
}
"""Nouns that report (form -> (lemma, stance)): "a spokesman's claim that …", "certain
reports concerning …"."""
ABOUT_WORDS = frozenset("about concerning regarding on of over that".split())
"""Words that introduce what a reporting noun is about."""

AS_VERBS = frozenset("paint portray depict cast brand label describe characterize".split())
"""Verbs that report by casting someone or something as something ("painted him as the
protector"): their content is the object with its "as" phrase."""
ACCUSING_FORMS = frozenset("accusing blaming charging alleging claiming".split())
"""Participles that carry what a source said ("…, accusing Iran of …")."""

INNER_STATE_FORMS = frozenset(
    form
    for form, lemma in THOUGHT_FORMS.items()
    if lemma in "want wish hope fear worry plan intend aim seek try desire dream prefer".split()
)
"""Thought cues of wish, fear or intent: "Iran wants …" tells the writer's own claim about
Iran, so its sentence stays unattributed (unless the content is a quote). Belief and
forecast cues ("believes", "expects", "doubt") report an opinion the source holds and own
their claims, as speech does."""
SOURCE_NOUNS = frozenset("reports rumours rumors".split())
"""Plural reporting nouns that are a vague source of their own ("Certain reports
concerning …"), with no owner named."""

PHRASAL_VERBS: dict[tuple[str, str], str] = {("point", "out"): "endorsing"}
"""(lemma, particle) -> stance, for verbs that report only with their particle."""
PHRASAL_FORMS = _forms("point points pointed pointing")

OBJECT_CONTENT_LEMMAS = frozenset(
    "deny confirm expect estimate forecast predict find show reveal admit acknowledge "
    "disclose prove announce note want hope fear plan intend wish".split()
)
"""Verbs whose content can be a noun phrase ("denied it", "tests found an impurity")."""
EVIDENCE_LEMMAS = frozenset("find show reveal prove discover establish demonstrate".split())
"""Verbs that report only with evidence for a subject: "tests found an impurity" reports,
"they found the house" does not; with a noun phrase for content they need a subject that
is no pronoun, and an object that is no pronoun."""

PERSONAL_PRONOUNS = frozenset("i we you me us".split())
"""Subjects that are the writer or the reader, not a reported source."""

REFERRING_PRONOUNS = frozenset("he she it they him her them his its their one".split())

ANONYMOUS_HEADS = frozenset("source sources insider insiders".split())
ANONYMITY_CUES = (
    "anonymity",
    "not to be named",
    "not to be identified",
    "not want to be named",
    "not want to be identified",
    "not be named",
    "not be identified",
    "not authorised to speak",
    "not authorized to speak",
    "speaking privately",
    "spoke privately",
    "familiar with",
    "with knowledge of",
    "briefed on",
    "close to",
)
"""Phrases inside or right after a source that mark its identity as withheld."""

VAGUE_HEADS = frozenset(
    "reports critics experts observers analysts many some others several most both all "
    "people media rumours rumors studies".split()
)
"""Heads that are vague even when the tagger takes them for names ("Critics") or
they are no nouns at all ("Many", "Both")."""

COLLECTIVE_ROLES = frozenset(
    "police government army military navy ministry council company board court "
    "management administration cabinet parliament committee".split()
)
"""Collective bodies that speak as one ("Police said"): role, although often plural."""

HEDGES = (
    "could not be independently verified",
    "could not be independently confirmed",
    "could not be verified",
    "could not be confirmed",
    "cannot be independently verified",
    "cannot be verified",
    "cannot be ascertained",
    "could not be ascertained",
    "it is unclear",
    "it remains unclear",
    "it was unclear",
    "it is not known",
    "it is not clear",
    "unconfirmed",
    "apparently",
    "reportedly",
    "allegedly",
    "purportedly",
    "supposedly",
    "seemingly",
    "possibly",
    "perhaps",
    "probably",
    "likely",
)
CERTAINTY_MARKERS = (
    "there is no doubt",
    "there can be no doubt",
    "without a doubt",
    "without doubt",
    "beyond doubt",
    "no doubt",
    "it is clear that",
    "everyone knows",
    "in fact",
    "of course",
    "clearly",
    "undeniably",
    "undoubtedly",
    "obviously",
    "certainly",
    "definitely",
    "indisputably",
    "unquestionably",
    "surely",
)

MONTHS_AND_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight "
    "spring summer autumn winter".split()
)
TIME_UNITS = frozenset("tomorrow week month year decade weekend".split())
"""A time named by its unit ("next month", "by the end of the year"): a date, for a claim."""
ROUND_NUMBERS = frozenset("dozens hundreds thousands millions billions".split())
"""Amounts in words ("thousands of jobs"): a number, for a claim."""
FRACTIONS = frozenset("half third thirds quarter quarters fifth tenth twice double".split())
QUANTITY_WORDS = frozenset(
    "percent per cent % million billion trillion thousand hundred dozen dozens".split()
)
UNITS = frozenset(
    "euros euro dollars dollar pounds pound yen kilometres kilometers km metres meters "
    "miles tonnes tons hours minutes days years votes points".split()
)
CURRENCY_SIGNS = frozenset("$ € £ ¥".split())
CAUSAL_WORDS = frozenset(
    "because caused cause causes led due blamed blame result resulted after since "
    "following therefore".split()
)
COMPARISON_WORDS = frozenset("than record largest highest lowest most least first".split())

COPULAS = frozenset(
    "be is are am was were been being 's 're 'm remain remains remained remaining "
    "seem seems seemed become becomes became".split()
)
"""Verbs that link a subject to a property ("X is Y"): their sentence states a property,
not an event."""
PRESENT_AUXILIARIES = frozenset("is are am 's 're 'm get gets getting".split())
"""Finite present auxiliaries: a participle after one ("is closed", "get used to") names a
present state; after a past, perfect or modal auxiliary ("was closed", "has closed",
"will be closed") it names an event."""

EVALUATIVE = frozenset(
    """
    good bad great terrible awful dreadful excellent wonderful
    wrong fair unfair just unjust acceptable unacceptable intolerable
    inexcusable unforgivable shameful shameless disgraceful scandalous outrageous appalling
    shocking deplorable despicable disgusting vile evil wicked immoral cruel callous
    heartless brutal barbaric savage cowardly brave heroic noble admirable proud ashamed
    reckless irresponsible foolish stupid ridiculous absurd pathetic incompetent
    short-sighted misguided naive cynical hypocritical dishonest arrogant greedy brazen
    corrupt criminal sinister treacherous heartbreaking tragic disastrous sensible wise
    reasonable unreasonable generous selfish
    scandal scandals disgrace disgraces shame outrage outrages insult insults betrayal
    betrayals travesty farce joke mockery hypocrisy greed cowardice folly blackmail
    atrocity atrocities aggression tyranny
    criminals cowards thugs traitors liars hypocrites crooks bullies villains heroes
    """.split()
)
"""Words that judge rather than describe (moral and quality judgements, the judging
nouns and the labels for people). A sentence whose main predicate is a copula with
one of them in its subject or complement ("The decision is short-sighted", "Such acts
are an insult") states an evaluation, which the guideline does not count as a claim.
Comparatives and superlatives ("worse", "the best since 2010") are left out: they
compare, and a comparison is checkable. Matched on adjectives and nouns only, hyphenated
words whole."""

GENERIC_SUBJECTS = frozenset("nobody everyone everybody anyone anybody everything nothing".split())
GENERIC_DETERMINERS = frozenset("no every all any each".split())
"""A subject made of these ("Nobody", "no child", "every family") speaks of a whole class."""
HABITUAL_ADVERBS = frozenset("always never".split())
"""With a bare plural subject ("Rural communities are always the first…"): a generalisation."""
