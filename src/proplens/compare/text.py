"""A comparison for the terminal (``proplens compare``, the default format).

The summary first, then one block per aligned item, in B's reading order:
``=`` same, ``~`` reworded, ``>`` moved, ``-`` dropped (only in A), ``+`` added
(only in B). A reworded item shows its word changes inline, ``[-A's words-]``
``{+B's words+}``; each flag follows on a line starting with ``!``.
"""

from __future__ import annotations

from proplens.compare.result import Comparison, Flag, Item

_MARK = {"same": "=", "reworded": "~", "moved": ">", "dropped": "-", "added": "+"}


def render_text(comparison: Comparison) -> str:
    lines = [
        f"A: {comparison.a.title}",
        f"B: {comparison.b.title}",
        "",
        *comparison.summary["text"],
    ]
    counts = {k: n for k, n in comparison.summary["flags"].items() if n}
    if counts:
        lines.append("Flags: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    lines.append("")
    for item in comparison.items:
        lines += _item_lines(item, comparison)
    return "\n".join(lines) + "\n"


def _item_lines(item: Item, comparison: Comparison) -> list[str]:
    a, b = comparison.a.text, comparison.b.text
    where = " ".join(
        [*(f"A{i + 1}" for i in item.a_sentences), *(f"B{j + 1}" for j in item.b_sentences)]
    )
    head = f"{_MARK[item.kind]} {where}  {item.kind}"
    if item.shape != "one":
        head += f", {item.shape}"
    if item.kind in ("reworded", "moved"):
        head += f" (similarity {item.similarity:.2f})"
    if item.kind == "dropped":
        body = a[item.a[0] : item.a[1]]
    elif item.kind == "added" or not item.changes:
        body = b[item.b[0] : item.b[1]]
    else:
        body = inline_changes(item, a, b)
    lines = [head, *("    " + line for line in body.splitlines())]
    lines += ["    ! " + describe_flag(flag, a, b) for flag in item.flags]
    return [*lines, ""]


def inline_changes(item: Item, a: str, b: str) -> str:
    """A's text with B's changes marked: ``[-removed-]``, ``{+inserted+}``."""
    out, pos = [], item.a[0]
    for change in item.changes:
        out.append(a[pos : change.a_start])
        if change.a_end > change.a_start:
            out.append(f"[-{a[change.a_start : change.a_end]}-]")
        if change.b_end > change.b_start:
            out.append(f"{{+{b[change.b_start : change.b_end]}+}}")
            if change.a_end == change.a_start and a[change.a_start : change.a_start + 1].isalnum():
                out.append(" ")  # an insertion before a word keeps the words apart
        pos = max(pos, change.a_end)
    out.append(a[pos : item.a[1]])
    return "".join(out)


def describe_flag(flag: Flag, a: str, b: str) -> str:
    """One line: the flag, what kind, and the evidence on each side."""
    detail = _detail(flag)
    left = f"A “{a[flag.a[0] : flag.a[1]]}”" if flag.a else "nothing in A"
    right = f"B “{b[flag.b[0] : flag.b[1]]}”" if flag.b else "nothing in B"
    return f"{flag.type}{detail}: {left} → {right}"


def _detail(flag: Flag) -> str:
    d = flag.detail
    if flag.type == "balance_dropped":
        return f" ({d.get('cue')})"
    if flag.type.startswith(("loaded_terms", "technique_")):
        return f" ({d.get('technique')})"
    if flag.type == "source_vaguer":
        return f" ({d.get('a_source_kind')} source → {d.get('b_source_kind')})"
    if flag.type == "source_added":
        return f" ({d.get('b_source_kind')} source, {d.get('b_stance')})"
    if flag.type == "speculation_added":
        return f" ({d.get('kind')})"
    if flag.type.startswith("hedge"):
        return f" ({d.get('kind')})"
    if flag.type == "attribution_changed":
        parts = []
        if "stance" in d.get("changes", []):
            parts.append(f"{d.get('a_stance')} → {d.get('b_stance')}")
        if "quote" in d.get("changes", []):
            parts.append("quote → paraphrase")
        if "removed" in d.get("changes", []):
            parts.append("source removed")
        return f" ({'; '.join(parts)})"
    return ""
