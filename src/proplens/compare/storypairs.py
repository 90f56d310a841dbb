"""Story pairs: two versions of one invented story with the expected alignment and flags.

Each pair is one hand-editable TOML file (see ``bench/compare-pairs/README.md``)::

    title = "Border troops"
    topic = "conflict"          # free text
    kind = "slanted"            # "slanted" (B reframes A) or "innocent" (an honest edit)
    a = '''...'''               # the reference text
    b = '''...'''               # the version under suspicion
    # b_file = "../../../../shared/examples/x.txt"  # or: B read where it lies (see below)
    alignment = '''
    A1 = B1                     # same text
    A2 ~ B2                     # reworded
    A3 > B5                     # moved (same text or reworded)
    A4 ~ B3 B4                  # one sentence split in two (A5 A6 ~ B7: merged)
    A7 -                        # dropped
    - B6                        # added
    '''
    flags = '''
    balance_dropped A7
    attribution_changed A2 B2
    '''

A side may be given as ``a_file`` / ``b_file`` instead: a text file read where it
lies, relative to the pair file's folder. It is for texts the repository may not
hold (the example article under ``../shared/examples/``, outside the repo): where
the file is absent, :func:`load_pairs` skips the pair when asked to (``skipped``)
and says so, and refuses it otherwise.

Sentence numbers count from 1 in the order of :func:`split_sentences`;
``python bench/compare_eval.py --show FILE`` prints them. The loader checks that
every sentence of each side appears in exactly one alignment line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from proplens.compare.result import FLAG_TYPES
from proplens.compare.sentences import split_sentences
from proplens.errors import FormatError

KINDS = {"=": "same", "~": "reworded", ">": "moved"}
_REF = re.compile(r"^([AB])(\d+)$")


@dataclass(frozen=True)
class Item:
    """One expected alignment line: sentence indices (0-based) on each side and a kind."""

    kind: str
    a: tuple[int, ...]
    b: tuple[int, ...]


@dataclass(frozen=True)
class ExpectedFlag:
    type: str
    a: tuple[int, ...]
    b: tuple[int, ...]


@dataclass(frozen=True)
class StoryPair:
    name: str
    split: str  # the folder: "dev" or "held"
    title: str
    topic: str
    kind: str
    a: str
    b: str
    alignment: tuple[Item, ...]
    flags: tuple[ExpectedFlag, ...]


class MissingText(FormatError):
    """A pair's ``a_file`` / ``b_file`` is not where it should lie (text kept outside the repo)."""


def load_pairs(folder: str | Path, skipped: list[str] | None = None) -> list[StoryPair]:
    """Every ``*.toml`` pair under ``folder`` (its sub-folders name the split), by path.

    A pair whose side is a file outside the repository that is absent here
    raises :class:`MissingText`, unless ``skipped`` is given: then the reason is
    appended to it and the pair left out, for the caller to print.
    """
    folder = Path(folder)
    paths = sorted(folder.rglob("*.toml"))
    if not paths:
        raise FormatError(f"{folder}: no story pairs (*.toml) found")
    pairs = []
    for path in paths:
        try:
            pairs.append(load_pair(path, split=path.parent.name))
        except MissingText as err:
            if skipped is None:
                raise
            skipped.append(str(err))
    return pairs


def load_pair(path: str | Path, split: str = "") -> StoryPair:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise FormatError(f"{path}: not valid TOML ({err})") from None
    except UnicodeDecodeError:
        raise FormatError(f"{path}: not UTF-8 text") from None
    except OSError as err:
        raise FormatError(f"{path}: cannot be read ({err.strerror})") from None
    where = str(path)
    for side in ("a", "b"):
        _read_side(data, side, path)
    for key in ("title", "topic", "kind", "a", "b", "alignment"):
        if not isinstance(data.get(key), str):
            raise FormatError(f"{where}: missing string {key!r}")
    if data["kind"] not in ("slanted", "innocent"):
        raise FormatError(f"{where}: kind must be 'slanted' or 'innocent', not {data['kind']!r}")
    n_a, n_b = len(split_sentences(data["a"])), len(split_sentences(data["b"]))
    items = tuple(_items(data["alignment"], where, n_a, n_b))
    _check_cover(items, where, n_a, n_b)
    flags = tuple(_flags(data.get("flags", ""), where, n_a, n_b))
    return StoryPair(
        path.stem,
        split,
        data["title"],
        data["topic"],
        data["kind"],
        data["a"],
        data["b"],
        items,
        flags,
    )


def _read_side(data: dict, side: str, path: Path) -> None:
    """Put the text of ``{side}_file`` (relative to the pair's folder) in ``data[side]``."""
    name = data.get(f"{side}_file")
    if name is None:
        return
    if side in data:
        raise FormatError(f"{path}: give {side!r} or {side + '_file'!r}, not both")
    if not isinstance(name, str):
        raise FormatError(f"{path}: {side + '_file'!r} must be a path (a string)")
    file = (path.parent / name).resolve()
    if not file.is_file():
        raise MissingText(f"{path.stem}: skipped, its side {side.upper()} ({file}) is not here")
    try:
        data[side] = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FormatError(f"{path}: {file} is not UTF-8 text") from None
    except OSError as err:  # a folder by that name, no permission to read it
        raise FormatError(f"{path}: {file} cannot be read ({err.strerror})") from None


def _lines(block: str):
    for number, raw in enumerate(block.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if line:
            yield number, line


def _items(block: str, where: str, n_a: int, n_b: int):
    for number, line in _lines(block):
        here = f"{where}: alignment line {number} ({line!r})"
        words = line.split()
        if words[0] == "-":
            yield Item("added", (), _refs(words[1:], "B", here, n_b))
            continue
        if words[-1] == "-":
            yield Item("dropped", _refs(words[:-1], "A", here, n_a), ())
            continue
        ops = [w for w in words if w in KINDS]
        if len(ops) != 1:
            raise FormatError(f"{here}: expected one of = ~ > - between the two sides")
        cut = words.index(ops[0])
        a = _refs(words[:cut], "A", here, n_a)
        b = _refs(words[cut + 1 :], "B", here, n_b)
        if not a or not b:
            raise FormatError(f"{here}: both sides need a sentence")
        if len(a) > 1 and len(b) > 1:
            raise FormatError(f"{here}: one side must be a single sentence")
        yield Item(KINDS[ops[0]], a, b)


def _refs(words: list[str], side: str, where: str, count: int) -> tuple[int, ...]:
    out = []
    for word in words:
        match = _REF.match(word)
        if not match or match.group(1) != side:
            raise FormatError(f"{where}: {word!r} is not a sentence of side {side} (like {side}3)")
        index = int(match.group(2)) - 1
        if not 0 <= index < count:
            raise FormatError(f"{where}: {word} does not exist (side {side} has {count})")
        out.append(index)
    return tuple(out)


def _check_cover(items: tuple[Item, ...], where: str, n_a: int, n_b: int) -> None:
    for side, count in (("a", n_a), ("b", n_b)):
        seen = [i for item in items for i in getattr(item, side)]
        missing = sorted(set(range(count)) - set(seen))
        twice = sorted({i for i in seen if seen.count(i) > 1})
        if missing or twice:
            label = side.upper()
            raise FormatError(
                f"{where}: alignment must name each {label} sentence once; "
                f"missing {[f'{label}{i + 1}' for i in missing]}, "
                f"repeated {[f'{label}{i + 1}' for i in twice]}"
            )


def _flags(block: str, where: str, n_a: int, n_b: int):
    if not isinstance(block, str):
        raise FormatError(f"{where}: 'flags' must be a string")
    for number, line in _lines(block):
        here = f"{where}: flags line {number} ({line!r})"
        kind, *refs = line.split()
        if kind not in FLAG_TYPES:
            raise FormatError(f"{here}: unknown flag {kind!r}")
        a = _refs([r for r in refs if r.startswith("A")], "A", here, n_a)
        b = _refs([r for r in refs if not r.startswith("A")], "B", here, n_b)
        if not a and not b:
            raise FormatError(f"{here}: name the sentence(s) the flag is on")
        yield ExpectedFlag(kind, a, b)
