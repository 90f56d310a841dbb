"""bench/polnear_cue_misses.py (issue 25, round 7): why a marked cue gives no attribution."""

from __future__ import annotations

import pytest

from proplens.sources.quotes import Quotes
from tests.bench_scripts import load_bench


@pytest.fixture(scope="module")
def bench():
    return load_bench("polnear_cue_misses")


def _cue(finder, text: str, words: str):
    doc = finder.nlp(text)
    wanted = words.split()
    for token in doc:
        if [t.text for t in doc[token.i : token.i + len(wanted)]] == wanted:
            return list(doc[token.i : token.i + len(wanted)]), Quotes(text)
    raise AssertionError(f"{words!r} not in {text!r}")


@pytest.mark.parametrize(
    ("text", "cue", "reason"),
    [
        ("Officials did not confirm the report.", "confirm", "negated or evidence verb"),
        ("I believe that the plan will work.", "believe", "source I, we or you"),
        ("Expect the issues to roar back in the election.", "Expect", "no subject"),
        ("The minister argued that taxes must rise.", "argued", "found here"),
    ],
)
def test_each_reason_a_marked_cue_is_dropped(bench, finder, text, cue, reason):
    run, quotes = _cue(finder, text, cue)
    assert bench.why_dropped(run, quotes, 0).startswith(reason)


def test_a_marked_run_joins_the_adjacent_marked_words_of_its_sentence(bench, finder):
    doc = finder.nlp("The senator said in a statement that talks would resume. Then it rained.")
    marked = {"said", "in", "statement", "rained"}
    run = bench.marked_run(doc[3], lambda t: 1.0 if t.text in marked else 0.0, 0.5)
    assert [t.text for t in run] == ["said", "in"]  # "a" is never scored: the run stops there
