"""Research and output formats: SemEval-2020 Task 11 label files, JSON/JSONL, terminal text."""

from proplens.formats.jsonio import (
    SCHEMA_VERSION,
    article_from_dict,
    article_to_dict,
    dumps,
    iter_jsonl,
    loads,
    read_jsonl,
    write_jsonl,
)
from proplens.formats.semeval import (
    LabelRow,
    format_labels,
    group_spans,
    label_files,
    load_corpus,
    parse_labels,
    read_label_dir,
    read_label_file,
    read_labels,
    rows_from_articles,
    write_label_dir,
    write_label_file,
)
from proplens.formats.text import render_text, summary_line

__all__ = [
    "SCHEMA_VERSION",
    "LabelRow",
    "article_from_dict",
    "article_to_dict",
    "dumps",
    "format_labels",
    "group_spans",
    "iter_jsonl",
    "label_files",
    "load_corpus",
    "loads",
    "parse_labels",
    "read_jsonl",
    "read_label_dir",
    "read_label_file",
    "read_labels",
    "render_text",
    "rows_from_articles",
    "summary_line",
    "write_jsonl",
    "write_label_dir",
    "write_label_file",
]
