"""Corpus statistics gathered in one pass over the rows of a batch table.

Everything kept is bounded by the number of outlets, days and techniques, except
the flagged-phrase counters, which are pruned to their most frequent entries
when they grow large (so phrase counts are exact for ordinary corpora and
approximate for huge ones).
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from proplens.batch.rows import SOURCE_COLUMNS

ROW_COLUMNS = ("id", "title", "source", "date", "n_chars", "n_spans", "density", "spans")
SOURCE_COUNTS = tuple(c for c in SOURCE_COLUMNS if c != "share_unattributed")
"""The summable sources columns (null in tables written without ``--sources``)."""
UNKNOWN_SOURCE = "(no source)"
_PHRASE_LIMIT = 100_000


@dataclass
class Group:
    """Articles of one outlet or one period: count, summed density, technique counts.

    ``sourced`` counts the articles whose sources were found (``batch
    --sources``) and ``sources`` sums their :data:`SOURCE_COUNTS`.
    """

    articles: int = 0
    density_sum: float = 0.0
    techniques: Counter = field(default_factory=Counter)
    sourced: int = 0
    sources: Counter = field(default_factory=Counter)

    @property
    def mean_density(self) -> float:
        return self.density_sum / self.articles if self.articles else 0.0

    def per_sourced_article(self, column: str) -> float:
        return self.sources[column] / self.sourced if self.sourced else 0.0

    @property
    def share_unattributed(self) -> float:
        """Unattributed claims / claims, over all its articles' claims."""
        claims = self.sources["n_claims"]
        return self.sources["n_claims_unattributed"] / claims if claims else 0.0

    def add(self, row: dict, techniques: Counter) -> None:
        self.articles += 1
        self.density_sum += row["density"]
        self.techniques.update(techniques)
        if row.get("n_claims") is not None:
            self.sourced += 1
            self.sources.update({column: row[column] or 0 for column in SOURCE_COUNTS})


@dataclass(frozen=True)
class TopArticle:
    id: str
    title: str
    source: str | None
    date: str | None
    density: float
    n_spans: int
    main_technique: str | None


@dataclass
class CorpusStats:
    articles: int = 0
    chars: int = 0
    overall: Group = field(default_factory=Group)
    by_source: dict[str, Group] = field(default_factory=dict)
    by_day: dict[date, Group] = field(default_factory=dict)
    by_source_day: dict[tuple[str, date], Group] = field(default_factory=dict)
    with_source: int = 0
    with_date: int = 0
    bad_dates: int = 0
    phrases: dict[str, Counter] = field(default_factory=dict)
    top_size: int = 20
    _top: list = field(default_factory=list)

    def add(self, row: dict) -> None:
        techniques = Counter(s["technique"] for s in row["spans"] if s["technique"])
        self.articles += 1
        self.chars += row["n_chars"]
        self.overall.add(row, techniques)
        source = row["source"]
        self.with_source += bool(source)
        self.by_source.setdefault(source or UNKNOWN_SOURCE, Group()).add(row, techniques)
        self._add_date(row, techniques)
        self._add_phrases(row["spans"])
        self._add_top(row, techniques)

    def top(self) -> list[TopArticle]:
        """The densest articles, densest first (ties: more spans, then input order)."""
        return [entry[-1] for entry in sorted(self._top, reverse=True)]

    def period_unit(self) -> str:
        """``"day"`` for corpora spanning up to 60 days, else ``"week"``."""
        if not self.by_day or max(self.by_day) - min(self.by_day) <= timedelta(days=60):
            return "day"
        return "week"

    def by_period(self) -> dict[date, Group]:
        """All dated articles per period (see :meth:`period_unit`), in date order."""
        return _per_period(self.by_day, self.period_unit())

    def by_source_period(self, source: str) -> dict[date, Group]:
        """The dated articles of one outlet per period, in date order."""
        days = {day: g for (name, day), g in self.by_source_day.items() if name == source}
        return _per_period(days, self.period_unit())

    def top_phrases(self, technique: str, n: int) -> list[tuple[str, int]]:
        return self.phrases.get(technique, Counter()).most_common(n)

    def _add_date(self, row: dict, techniques: Counter) -> None:
        if not row["date"]:
            return
        day = parse_day(row["date"])
        if day is None:
            self.bad_dates += 1
            return
        self.with_date += 1
        self.by_day.setdefault(day, Group()).add(row, techniques)
        source = row["source"] or UNKNOWN_SOURCE
        self.by_source_day.setdefault((source, day), Group()).add(row, techniques)

    def _add_phrases(self, spans: Iterable[dict]) -> None:
        for span in spans:
            if not span["technique"]:
                continue
            counter = self.phrases.setdefault(span["technique"], Counter())
            counter[normalise_phrase(span["text"])] += 1
            if len(counter) > _PHRASE_LIMIT:
                self.phrases[span["technique"]] = Counter(
                    dict(counter.most_common(_PHRASE_LIMIT // 2))
                )

    def _add_top(self, row: dict, techniques: Counter) -> None:
        main = techniques.most_common(1)[0][0] if techniques else None
        entry = TopArticle(
            row["id"], row["title"], row["source"], row["date"],
            row["density"], row["n_spans"], main,
        )  # fmt: skip
        key = (row["density"], row["n_spans"], -self.articles, entry)
        if len(self._top) < self.top_size:
            heapq.heappush(self._top, key)
        elif key[:3] > self._top[0][:3]:
            heapq.heapreplace(self._top, key)


def _per_period(days: dict[date, Group], unit: str) -> dict[date, Group]:
    if unit == "day":
        return dict(sorted(days.items()))
    weeks: dict[date, Group] = {}
    for day, group in days.items():
        week = weeks.setdefault(day - timedelta(days=day.weekday()), Group())
        week.articles += group.articles
        week.density_sum += group.density_sum
        week.techniques.update(group.techniques)
    return dict(sorted(weeks.items()))


def gather(rows: Iterable[dict], top_size: int = 20) -> CorpusStats:
    stats = CorpusStats(top_size=top_size)
    for row in rows:
        stats.add(row)
    return stats


def parse_day(value: str) -> date | None:
    """The calendar day of an ISO date or date-time string (``2021-03-04T10:00Z``), else None."""
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def normalise_phrase(text: str) -> str:
    """Lower case, single spaces, no surrounding punctuation: counts ignore such variation."""
    text = re.sub(r"\s+", " ", text.lower()).strip()
    return text.strip(" \"'“”‘’.,;:!?()[]«»-–—") or text
