"""Plain-text rendering of an analysis for a terminal.

The article text comes first with every detected fragment between ``⟦`` and
``⟧`` and its number as a superscript after the closing bracket
(``⟦so-called experts⟧¹``). Where fragments overlap, the opening bracket
carries the number as well (``⟦²``) so that each pair can be told apart. A
numbered list (technique, score, fragment) and a one-line count per technique
follow.
"""

from __future__ import annotations

from collections import Counter

from proplens.article import Article, Span, enclosing
from proplens.techniques import BY_NAME, NAMES

OPEN, CLOSE = "⟦", "⟧"
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def render_text(article: Article) -> str:
    """The article with fragments marked, the numbered fragment list and a summary line."""
    spans = _ordered(article.spans)
    parts = [_marked_text(article.text, spans).rstrip("\r\n"), ""]
    if spans:
        parts += ["Fragments:", *_fragment_lines(article, spans), ""]
    parts.append(summary_line(spans))
    return "\n".join(parts) + "\n"


def summary_line(spans: list[Span]) -> str:
    """``3 fragments: Loaded language 2, Doubt 1`` (most frequent first), or a no-find line."""
    if not spans:
        return "No propaganda techniques found."
    counts = Counter(span.technique for span in spans)
    order = sorted(counts, key=lambda name: (-counts[name], _rank(name)))
    noun = "fragment" if len(spans) == 1 else "fragments"
    details = ", ".join(f"{_label(name)} {counts[name]}" for name in order)
    return f"{len(spans)} {noun}: {details}"


def superscript(number: int) -> str:
    return str(number).translate(_SUPERSCRIPT)


def _ordered(spans: list[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (s.start, -s.end, _rank(s.technique)))


def _marked_text(text: str, spans: list[Span]) -> str:
    """Insert brackets; at one position closings come before openings, inner before outer."""
    inserts: dict[int, list[tuple[tuple[int, ...], str]]] = {}
    for number, span in enumerate(spans, start=1):
        overlaps = any(other is not span and span.overlap(other) > 0 for other in spans)
        opening = OPEN + (superscript(number) if overlaps else "")
        # Sort keys: closings (0) first, the latest-opened closing first; then
        # openings (1), the longest first so that it encloses the shorter ones.
        inserts.setdefault(span.start, []).append(((1, -span.end, number), opening))
        inserts.setdefault(span.end, []).append(
            ((0, -span.start, -number), CLOSE + superscript(number))
        )
    pieces, previous = [], 0
    for position in sorted(inserts):
        pieces.append(text[previous:position])
        pieces.extend(mark for _, mark in sorted(inserts[position]))
        previous = position
    pieces.append(text[previous:])
    return "".join(pieces)


def _fragment_lines(article: Article, spans: list[Span]) -> list[str]:
    width = max(len(_label(span.technique)) for span in spans)
    lines = []
    for number, (span, holder) in enumerate(zip(spans, enclosing(spans), strict=True), start=1):
        score = "  gold" if span.score is None else f"{span.score:6.2f}"
        fragment = " ".join(article.span_text(span).split())
        inside = "" if holder is None else f"  inside {holder + 1}"
        lines.append(
            f"{number:>4}. {_label(span.technique):<{width}} {score}  “{fragment}”{inside}"
        )
    return lines


def _label(name: str | None) -> str:
    if name is None:
        return "Propaganda"
    technique = BY_NAME.get(name)
    return technique.label if technique else name


def _rank(name: str | None) -> int:
    return NAMES.index(name) if name in NAMES else len(NAMES)
