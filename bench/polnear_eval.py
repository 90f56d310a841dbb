"""Score `proplens sources` against PolNeAR (train or dev), 95% bootstrap intervals over articles.

    python bench/polnear_eval.py --split dev              # the figures to report
    python bench/polnear_eval.py --split train --misses 40 # diagnostics: gold cues not found, ...
    python bench/polnear_eval.py --split train --content-misses 40  # found, content cut wrong
    python bench/polnear_eval.py --split train --json
    python bench/polnear_eval.py --split dev --rows a.json  # then, with other files in place:
    python bench/polnear_eval.py --split dev --paired-with a.json  # F1 - a's, paired interval

Measures (proplens.sources.polnear, docs/sources.md): an attribution is found
when the predicted verb overlaps a gold Cue; precision, recall and F1 of that;
over found ones, the share whose source overlaps the gold Source, and the mean
content token F1. Articles with several annotators count once (the mean of
their annotators' rows). Parses are read from the cache that
bench/polnear_parse.py writes (the same parse the finder makes), or made here
when absent; the rules then run exactly as in `proplens sources`.
Choose on train; dev is for the final check.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np
from polnear_parse import DEFAULT_CACHE, cache_dir

from proplens.intervals import bootstrap
from proplens.sources.finder import SourceFinder, _sources, chunks
from proplens.sources.polnear import (
    POLNEAR_DIR,
    Words,
    article_names,
    article_row,
    content_spans,
    load_article,
    measure,
    measures,
    pair_by_cue,
    stack,
)

MEASURES = ("precision", "recall", "f1", "source_overlap", "content_token_f1")


def parsed_docs(root: Path, split: str, cache: Path, finder: SourceFinder, names=None):
    """(name, text, annotations, [(doc, base), ...]) per article: cached parse, else a new one."""
    from spacy.tokens import DocBin

    folder = cache_dir(cache, split, finder.nlp)
    for name in names or article_names(root, split):
        text, annotations = load_article(root, split, name)
        pieces = list(chunks(text))
        path = folder / f"{name}.spacy"
        if path.exists():
            docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(finder.nlp.vocab))
            if len(docs) != len(pieces) or any(
                d.text != p for d, (p, _) in zip(docs, pieces, strict=True)
            ):
                raise SystemExit(f"{path}: the cached parse is not of this text; delete it")
        else:
            docs = list(finder.nlp.pipe(p for p, _ in pieces))
        yield name, text, annotations, [(d, b) for d, (_, b) in zip(docs, pieces, strict=True)]


def parsed_articles(root: Path, split: str, cache: Path, finder: SourceFinder, rules_only=False):
    """(name, text, annotations, sources) per article, found as `proplens sources` finds them."""
    for name, text, marked, docs in parsed_docs(root, split, cache, finder):
        found = _sources(text, docs, None) if rules_only else _sources(text, docs)
        yield name, text, marked, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "dev"), default="dev")
    parser.add_argument("--root", type=Path, default=POLNEAR_DIR)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--rules-only", action="store_true", help="without the cue model (the rules alone)"
    )
    parser.add_argument(
        "--misses",
        type=int,
        default=0,
        metavar="N",
        help="print N random gold attributions not found and N predictions not in gold",
    )
    parser.add_argument(
        "--content-misses",
        type=int,
        default=0,
        metavar="N",
        help="print N random found attributions whose content token F1 is under 0.5",
    )
    parser.add_argument(
        "--rows", type=Path, metavar="FILE",
        help="also save each article's counts (JSON) for a later --paired-with",
    )  # fmt: skip
    parser.add_argument(
        "--paired-with", type=Path, metavar="FILE",
        help="print F1 minus that of the rows saved in FILE (the same split's articles), "
        "with a 95%% paired bootstrap interval over articles",
    )  # fmt: skip
    args = parser.parse_args()
    other = None
    if args.paired_with:
        try:
            other = json.loads(args.paired_with.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            print(f"--paired-with {args.paired_with}: cannot read it ({error})", file=sys.stderr)
            return 2
        if not isinstance(other, dict) or other.get("split") != args.split:
            print(f"--paired-with {args.paired_with}: not rows of PolNeAR {args.split} "
                  "(written by --rows)", file=sys.stderr)  # fmt: skip
            return 2
    if not (args.root / args.split).is_dir():
        print(f"no PolNeAR {args.split} split at {args.root}", file=sys.stderr)
        return 2
    finder = SourceFinder.load()
    rows, names, examples = [], [], {"missed": [], "extra": [], "content": []}
    for name, text, marked, found in parsed_articles(
        args.root, args.split, args.cache, finder, args.rules_only
    ):
        rows.append(article_row(marked, found, text))
        names.append(name)
        if args.misses:
            _collect(examples, name, text, marked[0], found)
        if args.content_misses:
            examples["content"].extend(_content_misses(name, text, marked[0], found))
    stats = stack(rows)
    totals = stats.sum(axis=0)
    report = {
        "split": args.split,
        "finder": "rules only" if args.rules_only else "rules and cue model",
        "articles": len(rows),
        "gold_attributions_per_article_mean": round(float(totals[2]) / len(rows), 2),
        "predicted": int(totals[1]),
        **{m: bootstrap(stats, measure(m)).to_dict() for m in MEASURES},
    }
    if args.rows:
        per_article = {n: r.tolist() for n, r in zip(names, rows, strict=True)}
        args.rows.write_text(json.dumps({"split": args.split, "rows": per_article}), "utf-8")
    if other is not None:
        if sorted(other["rows"]) != sorted(names):
            print(f"--paired-with {args.paired_with}: other articles than this run's",
                  file=sys.stderr)  # fmt: skip
            return 2
        theirs = stack(other["rows"][n] for n in names)
        low, high = paired_f1_interval(stats, theirs)
        report["f1_minus_paired"] = {
            "file": str(args.paired_with),
            "value": f1_of(stats) - f1_of(theirs),
            "low": low,
            "high": high,
        }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"PolNeAR {args.split}: {report['articles']} articles, "
            f"{totals[2]:.0f} gold attributions (annotators averaged), "
            f"{report['predicted']} predicted"
        )
        for m in MEASURES:
            r = report[m]
            print(f"  {m:<18} {r['value']:.3f} [{r['low']:.3f}, {r['high']:.3f}]")
        if other is not None:
            d = report["f1_minus_paired"]
            print(f"  F1 minus {args.paired_with.name}'s: {d['value']:+.4f} "
                  f"[{d['low']:+.4f}, {d['high']:+.4f}] (95% paired bootstrap over articles, "
                  "2,000 resamples)")  # fmt: skip
    shown = {"missed": args.misses, "extra": args.misses, "content": args.content_misses}
    for key, items in examples.items():
        if shown[key]:
            print(f"\n-- {key} ({len(items)}):")
            for line in random.Random(0).sample(items, min(shown[key], len(items))):
                print(line)
    return 0


def f1_of(rows: np.ndarray) -> float:
    return measures(rows.sum(axis=0))["f1"]


def paired_f1_interval(a: np.ndarray, b: np.ndarray, resamples: int = 2000, seed: int = 0):
    """95% percentile interval of F1(a) - F1(b), articles resampled together (paired)."""
    rng = np.random.default_rng(seed)
    diffs = []
    for _ in range(resamples):
        pick = rng.integers(0, len(a), len(a))
        diffs.append(f1_of(a[pick]) - f1_of(b[pick]))
    return float(np.percentile(diffs, 2.5)), float(np.percentile(diffs, 97.5))


def _collect(examples: dict, name: str, text: str, gold, found) -> None:
    """Gold cues no prediction overlaps, and predictions on no gold cue (first annotator)."""
    cues = [g.cue for g in gold]
    verbs = [(a.verb.start, a.verb.end) for a in found.attributions]
    for cue in cues:
        if not any(s < e2 and s2 < e for s, e in cue for s2, e2 in verbs):
            examples["missed"].append(_show(text, cue[0][0], cue[-1][1], name))
    for s, e in verbs:
        if not any(s < e2 and s2 < e for cue in cues for s2, e2 in cue):
            examples["extra"].append(_show(text, s, e, name))


def _content_misses(name: str, text: str, gold, found) -> list[str]:
    """Found attributions (first annotator) whose content token F1 is under 0.5, gold beside it."""
    words, predicted, out = Words(text), found.attributions, []
    for g, p in pair_by_cue(gold, [((a.verb.start, a.verb.end),) for a in predicted]):
        want, got = gold[g], predicted[p]
        if not want.content:
            continue
        spans = content_spans(got)
        f1 = words.f1(want.content, spans)
        if f1 < 0.5:
            cue = text[got.verb.start : got.verb.end]
            gold_text = " / ".join(text[s:e] for s, e in want.content)
            ours = " / ".join(text[s:e] for s, e in spans)
            out.append(
                f"{name[:30]}: cue [[{cue}]] F1 {f1:.2f}\n   gold: {_clip(gold_text)}\n"
                f"   ours: {_clip(ours)}"
            )
    return out


def _clip(text: str, width: int = 160) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width // 2] + " … " + text[-width // 2 :]


def _show(text: str, start: int, end: int, name: str) -> str:
    left = text[max(0, start - 90) : start].replace("\n", " ")
    right = text[end : end + 60].replace("\n", " ")
    return f"{name[:30]}: …{left}[[{text[start:end]}]]{right}…"


if __name__ == "__main__":
    sys.exit(main())
