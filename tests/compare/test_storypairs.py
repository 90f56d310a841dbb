"""The story pairs load, cover every sentence, and bad pair files are refused clearly."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from proplens.compare.sentences import split_sentences
from proplens.compare.storypairs import MissingText, load_pair, load_pairs
from proplens.errors import FormatError

PAIRS = Path(__file__).resolve().parents[2] / "bench" / "compare-pairs"


def test_every_story_pair_loads_and_covers_both_texts():
    skipped: list[str] = []
    pairs = load_pairs(PAIRS, skipped=skipped)  # the example pair needs ../shared/examples/
    assert len(pairs) + len(skipped) >= 40
    splits = Counter(p.split for p in pairs)
    assert splits.keys() == {"dev", "held"} and abs(splits["dev"] - splits["held"]) <= 1
    assert {p.kind for p in pairs} == {"slanted", "innocent"}
    assert len({p.topic for p in pairs}) >= 5
    for pair in pairs:
        for side, text in (("a", pair.a), ("b", pair.b)):
            named = sorted(i for item in pair.alignment for i in getattr(item, side))
            assert named == list(range(len(split_sentences(text)))), pair.name
        if pair.kind == "innocent":
            banned = {"balance_dropped", "attribution_changed"}
            assert not [f for f in pair.flags if f.type in banned], pair.name


def test_pair_file_format(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        "title = 't'\ntopic = 'x'\nkind = 'slanted'\n"
        "a = '''T\n\nOne. Two.\n'''\nb = '''T\n\nOne. Three. Two!\n'''\n"
        "alignment = '''\nA1 = B1\nA2 ~ B2 B3  # split\nA3 > B4\n'''\n"
        "flags = '''\nnumber_changed A2 B2\n'''\n",
        encoding="utf-8",
    )
    pair = load_pair(path, split="dev")
    assert [(i.kind, i.a, i.b) for i in pair.alignment] == [
        ("same", (0,), (0,)),
        ("reworded", (1,), (1, 2)),
        ("moved", (2,), (3,)),
    ]
    assert [(f.type, f.a, f.b) for f in pair.flags] == [("number_changed", (1,), (1,))]


@pytest.mark.parametrize(
    ("alignment", "flags", "message"),
    [
        ("A1 = B1\n", "", "missing ['A2']"),
        ("A1 = B1\nA2 = B1\n", "", "repeated ['B1']"),
        ("A1 = B1\nA2 = B7\n", "", "B7 does not exist"),
        ("A1 = B1\nA2 B1\n", "", "expected one of"),
        ("A1 = B1\nA2 = B2\n", "made_up A1\n", "unknown flag 'made_up'"),
        ("A1 = B1\nA2 = B2\n", "number_changed\n", "name the sentence"),
    ],
)
def test_bad_pair_files_name_the_problem(tmp_path, alignment, flags, message):
    path = tmp_path / "bad.toml"
    path.write_text(
        "title = 't'\ntopic = 'x'\nkind = 'innocent'\na = '''T\n\nOne.\n'''\n"
        f"b = '''T\n\nTwo.\n'''\nalignment = '''\n{alignment}'''\nflags = '''\n{flags}'''\n",
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match="bad.toml") as err:
        load_pair(path)
    assert message in str(err.value)


def test_scores_carry_intervals_over_story_pairs(tmp_path):
    from proplens.compare import Comparer
    from proplens.compare.evaluation import Score, score_pair
    from tests.compare.conftest import KeywordAnalyzer

    path = tmp_path / "p.toml"
    path.write_text(
        "title = 't'\ntopic = 'x'\nkind = 'slanted'\n"
        "a = '''T\n\nThe bank will cut 600 jobs.\n'''\n"
        "b = '''T\n\nThe bank will cut 1,600 jobs.\n'''\n"
        "alignment = '''\nA1 = B1\nA2 ~ B2\n'''\n"
        "flags = '''\nnumber_changed A2 B2\n'''\n",
        encoding="utf-8",
    )
    pair = load_pair(path, split="dev")
    score = Score()
    comparer = Comparer(KeywordAnalyzer())
    for _ in range(3):
        score_pair(pair, comparer.compare(pair.a, pair.b), score)
    precision = score.interval("number_changed", "precision")
    assert precision.value == 1.0 and 0.4 < precision.low < 0.5  # 3 of 3: Wilson, not a point
    assert score.interval("alignment", "accuracy").value == 1.0
    assert score.interval("hedge_added", "precision") is None  # nothing predicted


def test_a_side_read_where_it_lies_and_skipped_when_absent(tmp_path):
    """``b_file``: a text kept outside the repository (the example article)."""
    (tmp_path / "dev").mkdir()
    (tmp_path / "outside.txt").write_text("T\n\nOne. Three.\n", encoding="utf-8")
    body = (
        "title = 't'\ntopic = 'x'\nkind = 'slanted'\na = '''T\n\nOne.\n'''\n"
        "alignment = '''\nA1 = B1\nA2 = B2\n- B3\n'''\n"
    )
    (tmp_path / "dev" / "here.toml").write_text(body + 'b_file = "../outside.txt"\n')
    (tmp_path / "dev" / "gone.toml").write_text(body + 'b_file = "../missing.txt"\n')
    with pytest.raises(MissingText, match="gone: skipped, its side B"):
        load_pairs(tmp_path)
    skipped: list[str] = []
    pairs = load_pairs(tmp_path, skipped=skipped)
    assert [p.name for p in pairs] == ["here"] and pairs[0].b == "T\n\nOne. Three.\n"
    assert len(skipped) == 1 and "missing.txt" in skipped[0]
    (tmp_path / "dev" / "both.toml").write_text(body + "b = 'x'\nb_file = '../outside.txt'\n")
    with pytest.raises(FormatError, match="not both"):
        load_pair(tmp_path / "dev" / "both.toml")


def test_a_pair_or_side_file_that_cannot_be_read_is_a_format_error(tmp_path, monkeypatch):
    """A permission error (stood in: tests may run as root) or bad bytes: one line, no traceback."""
    (tmp_path / "dev").mkdir()
    (tmp_path / "locked.txt").write_text("T\n\nOne.\n", encoding="utf-8")
    body = "title = 't'\ntopic = 'x'\nkind = 'slanted'\na = 'T'\nalignment = ''\n"
    (tmp_path / "dev" / "p.toml").write_text(body + 'b_file = "../locked.txt"\n')

    read_text = Path.read_text

    def refused(self, *args, **kwargs):
        if self.name in ("locked.txt", "locked.toml"):
            raise PermissionError(13, "Permission denied", str(self))
        return read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", refused)
    with pytest.raises(FormatError, match="locked.txt cannot be read \\(Permission denied\\)"):
        load_pair(tmp_path / "dev" / "p.toml")
    (tmp_path / "dev" / "locked.toml").write_bytes(b"")
    with pytest.raises(FormatError, match="locked.toml: cannot be read"):
        load_pair(tmp_path / "dev" / "locked.toml")
    (tmp_path / "dev" / "latin.toml").write_bytes(b"title = '\xe9'\n")
    with pytest.raises(FormatError, match="latin.toml: not UTF-8"):
        load_pair(tmp_path / "dev" / "latin.toml")
