"""The summary a reader takes in at a glance: counts, techniques per side, plain sentences."""

from __future__ import annotations

from collections import Counter
from typing import Any

from proplens.compare.result import FLAG_TYPES, Comparison
from proplens.techniques import BY_NAME

_CUE_WORDS = {
    "denial": ("denial", "denials"),
    "response": ("no-comment line", "no-comment lines"),
    "counter": ("counter-claim", "counter-claims"),
    "caveat": ("caveat", "caveats"),
}
_SPECULATION_WORDS = {
    "likelihood": "likelihood",
    "unknowable": "question left open",
    "insinuation": "insinuation",
    "question": "rhetorical question",
    "modal": "possibility",
    "hearsay": "hearsay",
}
_HEDGE_WORDS = {
    "hedge": ("hedge", "hedges"),
    "certainty": ("certainty marker", "certainty markers"),
}


def summarize(comparison: Comparison) -> dict[str, Any]:
    items = comparison.items
    kinds = Counter(item.kind for item in items)
    flags = Counter(flag.type for flag in comparison.flags)
    return {
        "identical": comparison.identical,
        "sentences": {"a": len(comparison.a_sentences), "b": len(comparison.b_sentences)},
        "alignment": {
            **{k: kinds.get(k, 0) for k in ("same", "reworded", "moved", "added", "dropped")},
            "split": sum(1 for item in items if item.shape == "split"),
            "merged": sum(1 for item in items if item.shape == "merged"),
        },
        "flags": {name: flags.get(name, 0) for name in FLAG_TYPES},
        "techniques": {
            "a": _techniques(comparison.a.spans),
            "b": _techniques(comparison.b.spans),
        },
        "skipped": comparison.skipped,
        "text": plain_words(comparison, kinds),
    }


def _techniques(spans) -> dict[str, int]:
    counts = Counter(span.technique for span in spans if span.technique)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def plain_words(comparison: Comparison, kinds: Counter) -> list[str]:
    """A few sentences in plain words, most telling first."""
    if comparison.identical:
        return ["A and B are identical: every sentence is the same, nothing was changed."]
    lines = [_alignment_sentence(comparison, kinds)]
    findings = _findings_sentence(comparison)
    lines.append(
        findings
        or "B changes no attribution, source, balance line, number or technique fragment "
        "that proplens checks."
    )
    lines.append(_techniques_sentence(comparison))
    if comparison.skipped:
        lines.append(
            "Attribution, source, hedge and unsourced-claim checks did not run: "
            f"{comparison.skipped}."
        )
    return lines


def _alignment_sentence(comparison: Comparison, kinds: Counter) -> str:
    n_a = len(comparison.a_sentences)
    parts = []
    for kind, verb in (
        ("same", "keeps {} unchanged"),
        ("reworded", "rewords {}"),
        ("moved", "moves {}"),
        ("dropped", "drops {}"),
    ):
        count = sum(len(i.a_sentences) for i in comparison.items if i.kind == kind)
        if count:
            parts.append(verb.format(count))
    added = sum(len(i.b_sentences) for i in comparison.items if i.kind == "added")
    head = f"Of A's {n_a} sentence{'s' * (n_a != 1)}, B " + _join(parts) if parts else "B"
    if added:
        head += f", and adds {added} of its own" if parts else f" adds {added} sentences"
    return head + "."


def _findings_sentence(comparison: Comparison) -> str:
    flags = comparison.flags
    groups: dict[str, list[str]] = {
        "drops": [],
        "turns": [],
        "makes": [],
        "changes": [],
        "adds": [],
        "removes": [],
    }
    cues = Counter(f.detail.get("cue") for f in flags if f.type == "balance_dropped")
    for cue, (one, many) in _CUE_WORDS.items():
        if cues[cue]:
            groups["drops"].append(_count(cues[cue], one, many))
    _attribution_phrases(flags, groups)
    for kind, (one, many) in _HEDGE_WORDS.items():
        dropped = sum(
            1 for f in flags if f.type == "hedge_dropped" and f.detail.get("kind") == kind
        )
        added = sum(1 for f in flags if f.type == "hedge_added" and f.detail.get("kind") == kind)
        if dropped:
            groups["drops"].append(_count(dropped, one, many))
        if added:
            groups["adds"].append(_count(added, one, many))
    numbers = [f for f in flags if f.type == "number_changed"]
    if numbers:
        shown = ", ".join(
            f"{_text(comparison.a.text, f.a)} → {_text(comparison.b.text, f.b)}"
            for f in numbers[:3]
        )
        groups["changes"].append(f"{_count(len(numbers), 'number', 'numbers')} ({shown})")
    unsourced = sum(1 for f in flags if f.type == "unsourced_claim_added")
    if unsourced:
        groups["adds"].append(_count(unsourced, "unattributed claim", "unattributed claims"))
    alleged = sum(1 for f in flags if f.type == "allegation_as_fact")
    if alleged:
        groups["turns"].append(
            f"{_count(alleged, 'allegation', 'allegations')} into "
            f"{'a statement' if alleged == 1 else 'statements'} of fact"
        )
    speculative = Counter(f.detail.get("kind") for f in flags if f.type == "speculation_added")
    if speculative:
        kinds = ", ".join(f"{_SPECULATION_WORDS.get(k, k)} {n}" for k, n in speculative.items())
        groups["adds"].append(
            f"{_count(sum(speculative.values()), 'speculation', 'speculations')} ({kinds})"
        )
    added_sources = sum(1 for f in flags if f.type == "source_added")
    if added_sources:
        groups["adds"].append(
            _count(added_sources, "source that vouches", "sources that vouch")
            + " for what A gave no or another source for"
        )
    for change, verb in (("added", "adds"), ("removed", "removes")):
        loaded = sum(1 for f in flags if f.type == f"loaded_terms_{change}")
        if loaded:
            groups[verb].append(_count(loaded, "loaded term", "loaded terms"))
        other = [f.detail.get("technique") for f in flags if f.type == f"technique_{change}"]
        if other:
            groups[verb].append(
                f"{_count(len(other), 'other technique fragment', 'other technique fragments')}"
                f" ({_technique_counts(Counter(other))})"
            )
    clauses = [f"{verb} {_join(parts)}" for verb, parts in groups.items() if parts]
    return f"B {_join(clauses)}." if clauses else ""


def _attribution_phrases(flags, groups) -> None:
    changed = [f for f in flags if f.type == "attribution_changed"]
    endorse = sum(
        1
        for f in changed
        if f.detail.get("b_stance") == "endorsing" and f.detail.get("a_stance") != "endorsing"
    )
    distance = sum(
        1
        for f in changed
        if f.detail.get("b_stance") == "distancing" and f.detail.get("a_stance") != "distancing"
    )
    other_stance = (
        sum(1 for f in changed if "stance" in f.detail.get("changes", [])) - endorse - distance
    )
    vaguer_flags = [f for f in flags if f.type == "source_vaguer"]
    vaguer = len(vaguer_flags)
    quotes = sum(1 for f in changed if "quote" in f.detail.get("changes", []))
    removed = sum(1 for f in changed if "removed" in f.detail.get("changes", []))
    if endorse:
        groups["turns"].append(
            f"{_count(endorse, 'attribution', 'attributions')} into "
            f"{'an endorsement' if endorse == 1 else 'endorsements'} "
            f"({_verbs(changed, 'endorsing')})"
        )
    if distance:
        groups["turns"].append(
            f"{_count(distance, 'attribution', 'attributions')} into distancing "
            f"({_verbs(changed, 'distancing')})"
        )
    if other_stance:
        groups["changes"].append(_count(other_stance, "reporting verb", "reporting verbs"))
    if vaguer:
        moves = sorted(
            {
                f"{f.detail.get('a_source_kind')} → {f.detail.get('b_source_kind')}"
                for f in vaguer_flags
            }
        )
        groups["makes"].append(f"{_count(vaguer, 'source', 'sources')} vaguer ({', '.join(moves)})")
    if quotes:
        groups["turns"].append(f"{_count(quotes, 'direct quote', 'direct quotes')} into paraphrase")
    if removed:
        groups["drops"].append(
            _count(removed, "source of a statement it keeps", "sources of statements it keeps")
        )


def _verbs(flags, stance: str) -> str:
    """The verb changes into ``stance``, e.g. "said → confirmed, told → revealed"."""
    seen = []
    for f in flags:
        if f.detail.get("b_stance") == stance and "b_verb" in f.detail:
            change = f"{f.detail['a_verb']} → {f.detail['b_verb']}"
            if change not in seen:
                seen.append(change)
    return ", ".join(seen[:3])


def _techniques_sentence(comparison: Comparison) -> str:
    def describe(spans) -> str:
        counts = _techniques(spans)
        if not counts:
            return "none"
        return f"{len(spans)} ({_technique_counts(counts)})"

    return (
        f"Technique fragments found by the detector: A {describe(comparison.a.spans)}; "
        f"B {describe(comparison.b.spans)}."
    )


def _technique_counts(counts: dict[str, int]) -> str:
    """Every technique with its count, most frequent first: "doubt 2, flag-waving 1"."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], _label(kv[0])))
    return ", ".join(f"{_label(t)} {n}" for t, n in ordered)


def _label(technique: str | None) -> str:
    if technique in BY_NAME:
        return BY_NAME[technique].label.lower()
    return str(technique)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _text(text: str, where) -> str:
    return "“" + text[where[0] : where[1]] + "”" if where else "nothing"
