"""Measuring the source finder against PolNeAR (brat standoff attributions by trained annotators).

PolNeAR (Newell, Margolin and Ruths, LREC 2018) marks in each article every
attribution as a Cue (the words that attribute: "said", "according to",
"believes"), its Source and its Content. The measures are those of issue 25,
computed per article and summed, so that a bootstrap over articles
(:func:`proplens.intervals.bootstrap`) gives their intervals:

* **found**: a predicted attribution is found when its verb (cue) overlaps a
  gold Cue by at least one character; predictions and gold attributions are
  paired one to one, largest overlap first. Precision = found / predicted,
  recall = found / gold.
* **source overlap**: over found pairs whose gold attribution has a Source
  (PolNeAR's "Attribution-no-source" has none), the share whose predicted
  source overlaps it.
* **content token F1**: over found pairs whose gold attribution has a
  Content, the mean token F1 between the predicted content and the gold
  Content, tokens being the word characters runs (``\\w+``) identified by
  their position, so that the same word elsewhere does not count.

Several annotators: some articles carry one ``.ann`` file per annotator. Each
file is scored on its own and the article's row is the mean of its files'
rows, so every article weighs the same in the sums and in the bootstrap, and
no annotator is preferred (docs/sources.md says why).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from proplens.sources.results import Attribution, Sources

POLNEAR_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "polnear"
"""Where the corpus lies next to the repository (``../shared/data/polnear``)."""

Spans = tuple[tuple[int, int], ...]
_WORD = re.compile(r"\w+")
_ROLE = re.compile(r"^([A-Za-z]+?)\d*$")
COLUMNS = ("found", "predicted", "gold", "source_hit", "source_n", "content_f1", "content_n")
"""The per-article row that :func:`article_row` returns and the measures sum."""


@dataclass(frozen=True)
class GoldAttribution:
    """One PolNeAR attribution: cue, source and content, each possibly discontinuous or absent."""

    cue: Spans
    source: Spans
    content: Spans


def read_ann(text: str, where: str = "<ann>") -> list[GoldAttribution]:
    """The attributions of one brat ``.ann`` file (its ``E`` lines, with their ``T`` spans).

    A line that is neither a span nor an event (notes, continuation lines of a
    span's text) is ignored; an event naming a span that does not exist is an error.
    """
    spans: dict[str, Spans] = {}
    events: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and fields[0][:1] == "T" and fields[0][1:].isdigit():
            label, _, offsets = fields[1].partition(" ")
            spans[fields[0]] = tuple(_offsets(offsets, where, fields[0]))
        elif len(fields) >= 2 and fields[0][:1] == "E" and fields[0][1:].isdigit():
            roles = []
            for part in fields[1].split():
                role, _, ref = part.partition(":")
                match = _ROLE.match(role)
                roles.append((match.group(1) if match else role, ref))
            events.append(roles)
    found = []
    for roles in events:
        parts: dict[str, list[tuple[int, int]]] = {"Cue": [], "Source": [], "Content": []}
        trigger: Spans = ()
        for role, ref in roles:
            if ref not in spans:
                raise ValueError(f"{where}: event names {ref}, which is no span")
            if role in parts:
                parts[role].extend(spans[ref])
            elif role.startswith("Attribution"):
                trigger = spans[ref]
        cue = tuple(sorted(parts["Cue"])) or trigger
        found.append(
            GoldAttribution(cue, tuple(sorted(parts["Source"])), tuple(sorted(parts["Content"])))
        )
    return found


def _offsets(field: str, where: str, name: str) -> list[tuple[int, int]]:
    out = []
    for piece in field.split(";"):
        bounds = piece.split()
        if len(bounds) != 2 or not all(b.isdigit() for b in bounds):
            raise ValueError(f"{where}: span {name} has offsets {field!r}, not 'START END[;...]'")
        out.append((int(bounds[0]), int(bounds[1])))
    return out


# -- the corpus ---------------------------------------------------------------------------


def article_names(root: Path, split: str) -> list[str]:
    """Names of the split's articles (their text files' stems), sorted."""
    folder = root / split / "text"
    if not folder.is_dir():
        raise FileNotFoundError(f"no PolNeAR split {split!r} at {folder}")
    return sorted(path.stem for path in folder.glob("*.txt"))


def load_article(root: Path, split: str, name: str) -> tuple[str, list[list[GoldAttribution]]]:
    """An article's text (exactly as stored: offsets count its characters) and, for each
    annotator who marked it, their attributions."""
    base = root / split
    with open(base / "text" / f"{name}.txt", encoding="utf-8", newline="") as handle:
        text = handle.read()
    annotations = []
    for path in sorted((base / "attributions").glob(f"{name}_*.ann")):
        if path.stem.rsplit("_", 1)[0] == name:
            annotations.append(read_ann(path.read_text(encoding="utf-8"), str(path)))
    return text, annotations


# -- scoring ------------------------------------------------------------------------------


def article_row(
    annotations: Sequence[list[GoldAttribution]], found: Sources, text: str
) -> np.ndarray:
    """The article's :data:`COLUMNS`: the mean over its annotators of :func:`score`."""
    if not annotations:
        raise ValueError("an article without any annotation cannot be scored")
    words = Words(text)
    return np.mean([score(gold, found, words) for gold in annotations], axis=0)


def score(gold: Sequence[GoldAttribution], found: Sources, words: Words) -> np.ndarray:
    """One annotator's :data:`COLUMNS` for one article's predicted sources."""
    predicted = found.attributions
    pairs = pair_by_cue(gold, [((a.verb.start, a.verb.end),) for a in predicted])
    source_hit = source_n = content_n = 0
    content_f1 = 0.0
    for g, p in pairs:
        want, got = gold[g], predicted[p]
        if want.source:
            source_n += 1
            source_hit += (
                got.source is not None
                and _overlap(want.source, ((got.source.start, got.source.end),)) > 0
            )
        if want.content:
            content_n += 1
            content_f1 += words.f1(want.content, content_spans(got))
    return np.array(
        [len(pairs), len(predicted), len(gold), source_hit, source_n, content_f1, content_n],
        dtype=np.float64,
    )


def content_spans(attribution: Attribution) -> Spans:
    """Every part of a predicted attribution's content: ``content``, then ``content_more``."""
    return ((attribution.content_start, attribution.content_end), *attribution.content_more)


class Words:
    """The word tokens (``\\w+`` runs) of one text, for token F1 between spans of it.

    A token belongs to a span set when it overlaps it; tokens are told apart by
    position, so "said" in the content and "said" elsewhere are different tokens.
    """

    def __init__(self, text: str) -> None:
        self.bounds = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        self.starts = [start for start, _ in self.bounds]

    def tokens(self, spans: Spans) -> set[int]:
        out: set[int] = set()
        for start, end in spans:
            if end <= start:
                continue
            i = max(bisect_right(self.starts, start) - 1, 0)
            while i < len(self.bounds) and self.bounds[i][0] < end:
                if self.bounds[i][1] > start:
                    out.add(i)
                i += 1
        return out

    def f1(self, gold: Spans, predicted: Spans) -> float:
        """Token F1 between two span sets (0 when either has no word)."""
        want, got = self.tokens(gold), self.tokens(predicted)
        if not want or not got:
            return 0.0
        return 2 * len(want & got) / (len(want) + len(got))


def pair_by_cue(
    gold: Sequence[GoldAttribution], predicted: Sequence[Spans]
) -> list[tuple[int, int]]:
    """One-to-one (gold, predicted) pairs whose cues overlap, largest overlap first."""
    candidates = []
    for g, want in enumerate(gold):
        for p, got in enumerate(predicted):
            overlap = _overlap(want.cue, got)
            if overlap > 0:
                candidates.append((-overlap, g, p))
    taken_g, taken_p, pairs = set(), set(), []
    for _, g, p in sorted(candidates):
        if g not in taken_g and p not in taken_p:
            taken_g.add(g)
            taken_p.add(p)
            pairs.append((g, p))
    return pairs


def _overlap(a: Spans, b: Spans) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


# -- the measures -------------------------------------------------------------------------


def measures(totals: np.ndarray) -> dict[str, float]:
    """Precision, recall, F1, source overlap and content token F1 from summed rows."""
    found, predicted, gold, source_hit, source_n, content_f1, content_n = totals
    precision = found / predicted if predicted else 0.0
    recall = found / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": float(precision),
        "recall": float(recall),
        "f1": float(f1),
        "source_overlap": float(source_hit / source_n) if source_n else 0.0,
        "content_token_f1": float(content_f1 / content_n) if content_n else 0.0,
    }


def measure(name: str):
    """``totals -> one figure``, for :func:`proplens.intervals.bootstrap`."""
    return lambda totals: measures(totals)[name]


def stack(rows: Iterable[np.ndarray]) -> np.ndarray:
    return np.array(list(rows), dtype=np.float64).reshape(-1, len(COLUMNS))
