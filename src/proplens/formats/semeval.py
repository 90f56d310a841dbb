"""SemEval-2020 Task 11 label files, read and written byte for byte.

Three line layouts, all tab-separated, one row per line, each line ending in
``\\n`` (an article without labels has an empty file):

* SI (span identification): ``ID<TAB>START<TAB>END``
* TC (technique classification): ``ID<TAB>TECHNIQUE<TAB>START<TAB>END``
* TC template: a TC file whose technique column is ``?``

A split keeps its rows either in one file (``train-si.labels``,
``train-tc.labels``) or in one file per article (``labels-si/article<ID>.task-si.labels``,
``labels-tc/article<ID>.task-flc-tc.labels``); the split file is the
per-article files concatenated in file-name order. Readers keep file order so
that writing the rows back reproduces the original bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from proplens.article import (
    DEFAULT_MAX_BYTES,
    Article,
    Span,
    article_id,
    decode_text,
    read_text_file,
)
from proplens.errors import FormatError, InputError
from proplens.techniques import BY_NAME, map_to_14

Task = Literal["si", "tc", "template"]

LABEL_MAX_BYTES = 256 * 1024 * 1024
"""Largest label file read (256 MB): split files are large, but never this large."""

TEMPLATE_TECHNIQUE = "?"
PER_ARTICLE_SUFFIX: dict[str, str] = {"si": ".task-si.labels", "tc": ".task-flc-tc.labels"}
_COLUMNS: dict[str, int] = {"si": 3, "tc": 4, "template": 4}
_OFFSET = re.compile(r"^\s*\d+\s*$")
_FILE_ID = re.compile(r"^article(.+?)\.task-")


@dataclass(frozen=True)
class LabelRow:
    """One line of a label file; ``technique`` is ``None`` for SI and template rows.

    ``where`` (``path:line``) only serves error messages; it takes no part in equality.
    """

    article_id: str
    start: int
    end: int
    technique: str | None = None
    where: str = field(default="", compare=False, repr=False)

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.technique)


# -- parsing ------------------------------------------------------------------------


def parse_labels(text: str, task: Task, source: str = "<labels>") -> list[LabelRow]:
    """Parse the content of a label file; ``source`` names it in error messages.

    Blank lines carry no data and are skipped; a ``\\r`` before ``\\n`` and a leading
    byte-order mark (left by some Windows editors) are tolerated.

    >>> parse_labels("7\\tDoubt\\t3\\t9\\n", "tc")
    [LabelRow(article_id='7', start=3, end=9, technique='Doubt')]
    """
    rows = []
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        line = line.removesuffix("\r")
        if line.strip():
            rows.append(_parse_line(line, task, f"{source}:{number}"))
    return rows


def _parse_line(line: str, task: Task, where: str) -> LabelRow:
    columns = line.split("\t")
    expected = _COLUMNS[task]
    if len(columns) != expected:
        raise FormatError(f"{where}: {_column_message(task, len(columns))}")
    article_id = columns[0].strip()
    if not article_id or any(c.isspace() for c in article_id):
        raise FormatError(f"{where}: bad article id {columns[0]!r}")
    start, end = (_offset(value, where) for value in columns[-2:])
    if start >= end:
        raise FormatError(f"{where}: start offset {start} is not before end offset {end}")
    technique = _technique(columns[1].strip(), task, where) if expected == 4 else None
    return LabelRow(article_id, start, end, technique, where)


def _column_message(task: Task, found: int) -> str:
    layouts = {
        "si": "ID<TAB>START<TAB>END",
        "tc": "ID<TAB>TECHNIQUE<TAB>START<TAB>END",
        "template": "ID<TAB>?<TAB>START<TAB>END",
    }
    message = f"expected {_COLUMNS[task]} tab-separated columns ({layouts[task]}), found {found}"
    if task == "si" and found == 4:
        message += " (this looks like a TC file: use --task tc)"
    elif task != "si" and found == 3:
        message += " (this looks like an SI file: use --task si)"
    return message


def _offset(value: str, where: str) -> int:
    if not _OFFSET.match(value):
        raise FormatError(f"{where}: offset {value!r} is not a non-negative integer")
    return int(value)


def _technique(name: str, task: Task, where: str) -> str | None:
    if task == "template":
        if name != TEMPLATE_TECHNIQUE:
            raise FormatError(f"{where}: a template row has '?' as technique, found {name!r}")
        return None
    if name == TEMPLATE_TECHNIQUE:
        raise FormatError(f"{where}: technique is '?' (a template row): fill in a technique")
    if name not in BY_NAME:
        raise FormatError(f"{where}: unknown technique {name!r}{_suggestion(name)}")
    return name


def _suggestion(name: str) -> str:
    try:
        mapped = map_to_14(name)
    except KeyError:
        return " (see 'proplens techniques' for the 14 names)"
    if mapped is None:
        return " (a technique outside the 14 of SemEval-2020 Task 11)"
    return f" (the SemEval-2020 name is {mapped!r})"


# -- formatting -------------------------------------------------------------------------


def format_labels(rows: Iterable[LabelRow], task: Task) -> str:
    """The text of a label file holding ``rows``: the exact inverse of :func:`parse_labels`.

    >>> format_labels([LabelRow("7", 3, 9)], "template")
    '7\\t?\\t3\\t9\\n'
    """
    return "".join(_format_row(row, task) for row in rows)


def _format_row(row: LabelRow, task: Task) -> str:
    if task == "si":
        return f"{row.article_id}\t{row.start}\t{row.end}\n"
    if task == "template":
        return f"{row.article_id}\t{TEMPLATE_TECHNIQUE}\t{row.start}\t{row.end}\n"
    if row.technique is None:
        raise ValueError(f"a TC row needs a technique: {row!r}")
    return f"{row.article_id}\t{row.technique}\t{row.start}\t{row.end}\n"


# -- files ----------------------------------------------------------------------------


def read_label_file(path: str | Path, task: Task) -> list[LabelRow]:
    """Rows of one label file (split-level or per-article), in file order."""
    path = Path(path)
    text = _read(path)
    rows = parse_labels(text, task, str(path))
    file_id = file_article_id(path)
    for row in rows:
        if file_id is not None and row.article_id != file_id:
            raise FormatError(
                f"{row.where}: row for article {row.article_id} in the file of article {file_id}"
            )
    return rows


def read_label_dir(directory: str | Path, task: Task) -> list[LabelRow]:
    """Rows of every per-article file in ``directory``, files in name order."""
    rows: list[LabelRow] = []
    for path in label_files(directory, task):
        rows.extend(read_label_file(path, task))
    return rows


def read_labels(path: str | Path, task: Task) -> list[LabelRow]:
    """Rows from a split-level label file or a directory of per-article label files."""
    path = Path(path)
    if path.is_dir():
        return read_label_dir(path, task)
    return read_label_file(path, task)


def label_files(directory: str | Path, task: Task) -> list[Path]:
    """Per-article label files of ``directory`` (``*.task-si.labels`` etc., else ``*.labels``)."""
    directory = Path(directory)
    suffix = PER_ARTICLE_SUFFIX.get(task, ".labels")
    found = sorted(directory.glob(f"*{suffix}")) or sorted(directory.glob("*.labels"))
    if not found:
        raise FormatError(f"{directory}: directory has no *{suffix} label files")
    return found


def write_label_file(path: str | Path, rows: Iterable[LabelRow], task: Task) -> None:
    """Write ``rows`` as one label file (``\\n`` line ends on every platform)."""
    Path(path).write_bytes(format_labels(rows, task).encode("utf-8"))


def write_label_dir(
    directory: str | Path,
    rows: Iterable[LabelRow],
    task: Task,
    article_ids: Iterable[str] = (),
) -> list[Path]:
    """Write one file per article, as in ``labels-si/``; ``article_ids`` without rows
    get an empty file, as the corpus does for articles without propaganda."""
    if task not in PER_ARTICLE_SUFFIX:
        raise ValueError(f"per-article files exist for 'si' and 'tc', not {task!r}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    grouped: dict[str, list[LabelRow]] = {key: [] for key in article_ids}
    for row in rows:
        grouped.setdefault(row.article_id, []).append(row)
    paths = []
    for key, article_rows in grouped.items():
        path = directory / f"article{key}{PER_ARTICLE_SUFFIX[task]}"
        write_label_file(path, article_rows, task)
        paths.append(path)
    return paths


def _read(path: Path) -> str:
    if not path.exists():
        raise FormatError(f"{path}: no such file or directory")
    if not path.is_file():
        raise FormatError(f"{path}: not a regular file")
    if path.stat().st_size > LABEL_MAX_BYTES:
        raise FormatError(f"{path}: over the limit of {LABEL_MAX_BYTES:,} bytes for a label file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise FormatError(f"{path}: cannot read ({err.strerror})") from None
    try:
        return decode_text(data, str(path), LABEL_MAX_BYTES)
    except InputError as err:
        raise FormatError(str(err)) from None


def file_article_id(path: Path) -> str | None:
    """``article123.task-si.labels`` -> ``"123"``; ``None`` for a split-level file name."""
    match = _FILE_ID.match(path.name)
    return match.group(1) if match else None


# -- articles and spans -------------------------------------------------------------


def group_spans(rows: Iterable[LabelRow]) -> dict[str, list[Span]]:
    """Spans per article id, articles in order of first appearance, spans in file order."""
    grouped: dict[str, list[Span]] = {}
    for row in rows:
        grouped.setdefault(row.article_id, []).append(row.span)
    return grouped


def rows_from_articles(articles: Iterable[Article]) -> list[LabelRow]:
    """Label rows for the spans of ``articles`` (e.g. to write predictions)."""
    return [
        LabelRow(article.id, span.start, span.end, span.technique)
        for article in articles
        for span in article.spans
    ]


def load_corpus(
    directory: str | Path, task: Task = "tc", max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Article]:
    """Articles of a PTC-layout directory with their gold spans attached.

    The layout is ``articles/article<ID>.txt`` plus labels for ``task`` ("tc":
    spans carry techniques; "si": technique ``None``), either as a directory
    ``labels-<task>/`` or as one split file ``*-<task>.labels``. Articles come in
    file-name order; an article without label rows gets no spans.
    """
    directory = Path(directory)
    articles = _corpus_articles(directory, max_bytes)
    rows = read_labels(_corpus_labels(directory, task), task)
    by_id = {article.id: article for article in articles}
    for row in rows:
        article = by_id.get(row.article_id)
        if article is None:
            raise FormatError(f"{row.where}: no article file for article {row.article_id}")
        if row.end > len(article.text):
            raise FormatError(
                f"{row.where}: span [{row.start}, {row.end}) ends beyond article "
                f"{row.article_id} ({len(article.text)} characters)"
            )
        article.spans.append(row.span)
    return articles


def _corpus_articles(directory: Path, max_bytes: int) -> list[Article]:
    folder = directory / "articles"
    if not folder.is_dir():
        raise FormatError(f"{directory}: no articles/ folder (expected the PTC layout)")
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise FormatError(f"{folder}: folder has no .txt articles")
    return [Article.from_text(read_text_file(p, max_bytes), id=article_id(p)) for p in paths]


def _corpus_labels(directory: Path, task: Task) -> Path:
    per_article = directory / f"labels-{task}"
    if per_article.is_dir():
        return per_article
    split_files = sorted(directory.glob(f"*-{task}.labels"))
    if len(split_files) == 1:
        return split_files[0]
    raise FormatError(
        f"{directory}: expected labels-{task}/ or one *-{task}.labels file, "
        f"found {len(split_files)} such files and no folder"
    )
