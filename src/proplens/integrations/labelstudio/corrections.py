"""Label Studio's JSON export -> a PTC-layout folder that ``proplens train`` and ``evaluate`` read.

Which annotation counts: per task, cancelled ("skipped") annotations are ignored;
of the rest, a ground-truth annotation wins, then the most recently updated
(``updated_at``, else ``created_at``, then the higher annotation id). A task
without such an annotation is left out: nobody has checked it. Labels of the
PTC-18 and SemEval-2023 schemes are mapped onto the 14; a label with no
equivalent is dropped and counted; an unknown label stops the import, naming
the task. Offsets arrive in UTF-16 code units and are converted to Python
indices; a region whose ``text`` differs from the article at its offsets is
refused rather than shifted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from proplens.article import Article, Span, article_id
from proplens.errors import FormatError, InputError
from proplens.formats.semeval import LabelRow, format_labels, write_label_dir
from proplens.integrations.utf16 import UnitOffsets
from proplens.techniques import map_to_14

SPLIT_NAME = "corrections"
"""Split label files are ``corrections-tc.labels`` and ``corrections-si.labels``."""
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


@dataclass
class ImportSummary:
    """What an import kept and what it left out, for the one-line report."""

    articles: int = 0
    spans: int = 0
    unannotated: list[Any] = field(default_factory=list)
    """Task ids without a finished (non-cancelled) annotation."""
    cancelled: int = 0
    dropped: Counter = field(default_factory=Counter)
    """Labels without an equivalent among the 14, and how many regions had them."""
    other_results: int = 0
    """Results that are not text regions (choices, relations, ...): they hold no span."""

    def describe(self, output: Path) -> str:
        parts = [f"imported {self.articles} article(s) with {self.spans} span(s) into {output}"]
        if self.unannotated:
            ids = ", ".join(str(i) for i in self.unannotated[:10])
            more = " ..." if len(self.unannotated) > 10 else ""
            parts.append(
                f"skipped {len(self.unannotated)} task(s) with no finished annotation "
                f"(task ids {ids}{more})"
            )
        if self.cancelled:
            parts.append(f"ignored {self.cancelled} cancelled annotation(s)")
        if self.dropped:
            labels = ", ".join(f"{k} {v}" for k, v in sorted(self.dropped.items()))
            parts.append(f"dropped regions whose label has no equivalent among the 14 ({labels})")
        if self.other_results:
            parts.append(f"ignored {self.other_results} result(s) that are not text regions")
        return "; ".join(parts)


def import_export(export_path: str | Path, output: str | Path) -> ImportSummary:
    """Read a Label Studio JSON export and write the PTC-layout folder ``output``."""
    tasks = read_export(Path(export_path))
    articles, summary = corrected_articles(tasks)
    if not articles:
        raise InputError(f"{export_path}: no task has a finished annotation: nothing to import")
    write_corpus(Path(output), articles)
    return summary


def read_export(path: Path) -> list[dict[str, Any]]:
    """The tasks of a full JSON export (not JSON-MIN, which has no annotation records)."""
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise FormatError(f"{path}: not a Label Studio JSON export ({err})") from None
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise FormatError(f"{path}: expected a JSON array of tasks (Label Studio's JSON export)")
    if tasks and all("annotations" not in t for t in tasks):
        raise FormatError(
            f"{path}: the tasks have no 'annotations' key; export as 'JSON', not 'JSON-MIN'"
        )
    return tasks


def corrected_articles(tasks: list[dict[str, Any]]) -> tuple[list[Article], ImportSummary]:
    """One article per task with a finished annotation, its regions as gold spans."""
    summary = ImportSummary()
    articles: list[Article] = []
    seen: dict[str, Any] = {}
    for task in tasks:
        task_id = task.get("id", "?")
        annotation = chosen_annotation(task, summary)
        if annotation is None:
            summary.unannotated.append(task_id)
            continue
        article = _task_article(task, task_id)
        if article.id in seen:
            raise FormatError(
                f"tasks {seen[article.id]} and {task_id} both hold article {article.id!r}"
            )
        seen[article.id] = task_id
        spans = _annotation_spans(article.text, annotation, f"task {task_id}", summary)
        articles.append(article.with_spans(spans))
        summary.spans += len(spans)
    summary.articles = len(articles)
    return articles, summary


def chosen_annotation(task: dict[str, Any], summary: ImportSummary) -> dict[str, Any] | None:
    """Ground truth first, then the most recently updated; cancelled ones never."""
    annotations = task.get("annotations") or []
    kept = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    summary.cancelled += len(annotations) - len(kept)
    if not kept:
        return None
    return max(kept, key=_precedence)


def _precedence(annotation: dict[str, Any]) -> tuple:
    when = annotation.get("updated_at") or annotation.get("created_at") or ""
    try:
        stamp = datetime.fromisoformat(str(when)).timestamp()
    except ValueError:
        stamp = float("-inf")
    number = annotation.get("id")
    return (bool(annotation.get("ground_truth")), stamp, number if isinstance(number, int) else -1)


def _task_article(task: dict[str, Any], task_id: Any) -> Article:
    data = task.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise FormatError(f"task {task_id}: no data.text (the article text) in the task")
    raw_id = data.get("id")
    key = str(raw_id) if raw_id is not None and raw_id != "" else f"ls{task_id}"
    if not _SAFE_ID.match(key) or article_id(Path(_article_file(key))) != key:
        raise FormatError(
            f"task {task_id}: article id {key!r} cannot name a file (letters, digits, '.', "
            "'_', '-' only, not starting 'article' followed by digits)"
        )
    meta = {k: data[k] for k in ("title", "source", "url", "date") if isinstance(data.get(k), str)}
    try:
        return Article.from_text(data["text"], id=key, **meta)
    except InputError as err:
        raise FormatError(f"task {task_id}: {err}") from None


def _annotation_spans(
    text: str, annotation: dict[str, Any], where: str, summary: ImportSummary
) -> list[Span]:
    where = f"{where}, annotation {annotation.get('id', '?')}"
    units = UnitOffsets(text)
    spans: set[Span] = set()
    for result in annotation.get("result") or []:
        if not isinstance(result, dict) or result.get("type") != "labels":
            summary.other_results += 1
            continue
        start, end = _offsets(text, units, result, where)
        for label in result["value"].get("labels") or []:
            technique = _technique(label, where)
            if technique is None:
                summary.dropped[label] += 1
            else:
                spans.add(Span(start, end, technique))
    return sorted(spans, key=lambda s: (s.start, s.end, s.technique))


def _offsets(text: str, units: UnitOffsets, result: dict[str, Any], where: str) -> tuple[int, int]:
    value = result.get("value")
    region = f"{where}, region {result.get('id', '?')}"
    if not isinstance(value, dict):
        raise FormatError(f"{region}: no value")
    start, end = value.get("start"), value.get("end")
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        raise FormatError(
            f"{region}: start/end are not character offsets ({start!r}, {end!r}); "
            "label with a Text object, not HyperText"
        )
    try:
        first, last = units.to_index(start), units.to_index(end)
    except ValueError as err:
        raise FormatError(f"{region}: {err}") from None
    if first >= last:
        raise FormatError(f"{region}: empty region [{start}, {end})")
    quoted = value.get("text")
    if isinstance(quoted, str) and quoted != text[first:last]:
        raise FormatError(
            f"{region}: its text {quoted!r} differs from the article at [{start}, {end}) "
            f"({text[first:last]!r})"
        )
    return first, last


def _technique(label: Any, where: str) -> str | None:
    try:
        return map_to_14(str(label))
    except KeyError:
        raise FormatError(
            f"{where}: unknown label {label!r}: expected one of the 14 SemEval-2020 techniques "
            "(proplens techniques) or a PTC-18 or SemEval-2023 name"
        ) from None


# -- writing ------------------------------------------------------------------------------


def write_corpus(output: Path, articles: list[Article]) -> None:
    """``articles/``, ``labels-tc/``, ``labels-si/`` and the two split files, all or nothing."""
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise InputError(f"{output}: exists and is not an empty folder; choose a new --output")
    if not output.parent.is_dir():
        raise InputError(f"{output.parent}: no such folder for --output")
    staging = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}."))
    try:
        _write_layout(staging, articles)
        if output.exists():
            output.rmdir()
        os.replace(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_layout(folder: Path, articles: list[Article]) -> None:
    (folder / "articles").mkdir()
    for article in articles:
        path = folder / "articles" / _article_file(article.id)
        with open(path, "w", encoding="utf-8", newline="") as stream:
            stream.write(article.text)
    ordered = sorted(articles, key=lambda a: f"article{a.id}.task")  # label file name order
    ids = [a.id for a in ordered]
    tc = [LabelRow(a.id, s.start, s.end, s.technique) for a in ordered for s in a.spans]
    si = [
        LabelRow(a.id, start, end)
        for a in ordered
        for start, end in sorted({(s.start, s.end) for s in a.spans})
    ]
    for task, rows in (("tc", tc), ("si", si)):
        write_label_dir(folder / f"labels-{task}", rows, task, article_ids=ids)
        (folder / f"{SPLIT_NAME}-{task}.labels").write_bytes(
            format_labels(rows, task).encode("utf-8")
        )


def _article_file(key: str) -> str:
    """``article<ID>.txt`` for numeric ids, as in the corpus; ``<ID>.txt`` otherwise."""
    return f"article{key}.txt" if key.isdigit() else f"{key}.txt"
