"""The sources evaluation set: hand-annotated articles in an inline markup (eval/sources/).

An annotated article is the article text with tags around the annotated
words; removing the tags gives the text exactly. Tags (``N`` numbers an
attribution within its article):

=====================  ==========================================================
``<sN KIND>…</sN>``    source of attribution N; KIND is named, role, vague, anonymous
``<vN STANCE>…</vN>``  its reporting verb; STANCE is neutral, endorsing, distancing
``<cN>…</cN>``         its content (indirect speech)
``<qN>…</qN>``         its content when it is a direct quote
``<kN>…</k>``          a claim covered by attribution N
``<k>…</k>``           an unattributed claim
``<h>…</h>``           a hedge
``<x>…</x>``           a certainty marker
=====================  ==========================================================

Tags of different kinds may cross (a quote's content can run over two claims);
each attribution needs exactly one source, one verb and one content. The
guideline for what to tag is in docs/sources.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from proplens.errors import FormatError
from proplens.sources.results import (
    SOURCE_KINDS,
    STANCES,
    Attribution,
    Claim,
    Hedge,
    SourceRef,
    Sources,
    VerbRef,
)

EVAL_DIR = Path(__file__).resolve().parents[3] / "eval" / "sources"
"""Where the set lives in a source checkout (it is not installed with the package)."""

_TAG = re.compile(r"<(/?)([svcqkhx])(\d*)(?: ([a-z]+))?>")


@dataclass(frozen=True)
class GoldArticle:
    """One annotated article: its plain text and the gold annotations."""

    name: str
    text: str
    gold: Sources


@dataclass
class _Open:
    letter: str
    number: str
    label: str | None
    start: int


def parse_markup(marked: str, where: str = "<markup>") -> tuple[str, Sources]:
    """The plain text and the gold :class:`Sources` of one annotated article."""
    plain: list[str] = []
    length = 0
    cursor = 0
    open_tags: list[_Open] = []
    closed: list[tuple[_Open, int]] = []
    for match in _TAG.finditer(marked):
        piece = marked[cursor : match.start()]
        plain.append(piece)
        length += len(piece)
        cursor = match.end()
        closing, letter, number, label = match.groups()
        line = marked.count("\n", 0, match.start()) + 1
        if not closing:
            open_tags.append(_Open(letter, number, label, length))
            continue
        tag = _pop(open_tags, letter, number, f"{where}:{line}")
        if length <= tag.start:
            raise FormatError(f"{where}:{line}: empty <{letter}{number}> tag")
        closed.append((tag, length))
    plain.append(marked[cursor:])
    if open_tags:
        tag = open_tags[-1]
        raise FormatError(f"{where}: <{tag.letter}{tag.number}> is never closed")
    text = "".join(plain)
    if "<" in text or ">" in text:
        bad = text[max(0, text.find("<")) :][:30]
        raise FormatError(f"{where}: malformed tag near {bad!r}")
    return text, _build(closed, where)


def _pop(open_tags: list[_Open], letter: str, number: str, where: str) -> _Open:
    # Claims close with a bare </k>; every other tag closes with its own number.
    for index in range(len(open_tags) - 1, -1, -1):
        tag = open_tags[index]
        if tag.letter == letter and (letter == "k" or tag.number == number):
            return open_tags.pop(index)
    raise FormatError(f"{where}: </{letter}{number}> closes no open tag")


def _build(closed: list[tuple[_Open, int]], where: str) -> Sources:
    parts: dict[str, dict[str, tuple[_Open, int]]] = {}
    claims: list[tuple[int, int, str]] = []
    hedges: list[Hedge] = []
    for tag, end in closed:
        if tag.letter == "k":
            claims.append((tag.start, end, tag.number))
        elif tag.letter in "hx":
            hedges.append(Hedge(tag.start, end, "hedge" if tag.letter == "h" else "certainty"))
        else:
            if not tag.number:
                raise FormatError(f"{where}: <{tag.letter}> needs an attribution number")
            slot = "c" if tag.letter in "cq" else tag.letter
            if slot in parts.setdefault(tag.number, {}):
                raise FormatError(f"{where}: attribution {tag.number} has two <{slot}> tags")
            parts[tag.number][slot] = (tag, end)
    attributions, index_of = _attributions(parts, where)
    gold_claims = []
    for start, end, number in sorted(claims):
        if number and number not in index_of:
            raise FormatError(f"{where}: claim refers to unknown attribution {number}")
        gold_claims.append(Claim(start, end, index_of[number] if number else None, 1.0))
    _check_no_overlap(gold_claims, where)
    return Sources(tuple(attributions), tuple(gold_claims), tuple(sorted(hedges, key=_position)))


def _attributions(
    parts: dict[str, dict[str, tuple[_Open, int]]], where: str
) -> tuple[list[Attribution], dict[str, int]]:
    built: list[tuple[str, Attribution]] = []
    for number, slots in parts.items():
        missing = [name for name in ("s", "v", "c") if name not in slots]
        if missing:
            raise FormatError(f"{where}: attribution {number} lacks <{missing[0]}{number}>")
        (source, source_end), (verb, verb_end), (content, content_end) = (
            slots["s"],
            slots["v"],
            slots["c"],
        )
        if source.label not in SOURCE_KINDS:
            raise FormatError(f"{where}: <s{number}> kind {source.label!r} not in {SOURCE_KINDS}")
        if verb.label not in STANCES:
            raise FormatError(f"{where}: <v{number}> stance {verb.label!r} not in {STANCES}")
        edges = (source.start, source_end, verb.start, verb_end, content.start, content_end)
        attribution = Attribution(
            start=min(edges),
            end=max(edges),
            source=SourceRef(source.start, source_end, source.label),
            verb=VerbRef(verb.start, verb_end, verb.label),
            content_start=content.start,
            content_end=content_end,
            quote=content.letter == "q",
        )
        built.append((number, attribution))
    built.sort(key=lambda item: _position(item[1].source))
    return [a for _, a in built], {number: i for i, (number, _) in enumerate(built)}


def _check_no_overlap(claims: list[Claim], where: str) -> None:
    for before, after in zip(claims, claims[1:], strict=False):
        if after.start < before.end:
            raise FormatError(f"{where}: claims at {before.start} and {after.start} overlap")


def _position(item) -> tuple[int, int]:
    return (item.start, item.end)


def load_split(split: str, root: Path = EVAL_DIR) -> list[GoldArticle]:
    """Every annotated article of ``root/split`` (``dev`` or ``test``), in file-name order."""
    folder = root / split
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise FormatError(f"{folder}: no annotated .txt articles found")
    articles = []
    for path in paths:
        marked = path.read_text(encoding="utf-8")
        text, gold = parse_markup(marked, str(path))
        articles.append(GoldArticle(path.stem, text, gold))
    return articles
