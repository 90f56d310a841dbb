"""Score the source finder on the hand-annotated evaluation set (eval/sources/).

    python bench/sources_eval.py --split dev          # the half the rules were written on
    python bench/sources_eval.py --split test         # the held-out half, scored at the end
    python bench/sources_eval.py --split dev --errors # also list every miss and mismatch

Prints the measures defined in docs/sources.md (and in
proplens.sources.scoring) as a table, or as JSON with --json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from proplens.sources import load
from proplens.sources.evalset import EVAL_DIR, load_split
from proplens.sources.scoring import evaluate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--root", type=Path, default=EVAL_DIR, help="folder holding dev/ and test/")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--errors", action="store_true", help="list misses and mismatches")
    args = parser.parse_args()
    splits = ("dev", "test") if args.split == "all" else (args.split,)
    articles = [article for split in splits for article in load_split(split, args.root)]
    finder = load()
    predicted = finder.find_many(article.text for article in articles)
    tally = evaluate(
        (article.gold, found, article.text, article.name)
        for article, found in zip(articles, predicted, strict=True)
    )
    report = tally.report()
    if args.json:
        print(json.dumps({"split": args.split, **report}, indent=2))
    else:
        print(format_report(args.split, report))
    if args.errors:
        print("\n".join(tally.errors), file=sys.stderr)
    return 0


def format_report(split: str, r: dict) -> str:
    a, c, u = r["attributions"], r["claims"], r["unattributed_claims"]
    lines = [
        f"split {split}: {r['articles']} articles, {a['gold']} gold attributions, "
        f"{c['gold']} gold claims",
        "",
        "measure                        precision  recall     F1  (matched/predicted/gold)",
        _row("attribution detection", a),
        _row("claim detection", c),
        _row("unattributed claims", u),
    ]
    for stance, prf in r["stance"].items():
        lines.append(_row(f"verb stance: {stance}", prf))
    for kind in ("hedge", "certainty"):
        lines.append(_row(f"{kind} markers", r[kind]))
    lines += [
        "",
        f"source kind accuracy        {r['source_kind_accuracy']:.3f}  (over matched attributions)",
        f"verb stance accuracy        {r['stance_accuracy']:.3f}",
        f"quote flag accuracy         {r['quote_accuracy']:.3f}",
        f"claim attribution accuracy  {r['claim_attribution_accuracy']:.3f}  (over matched claims)",
        "source kinds (gold->found): "
        + ", ".join(f"{k} {n}" for k, n in r["source_kind_confusion"].items()),
    ]
    return "\n".join(lines)


def _row(name: str, prf: dict) -> str:
    return (
        f"{name:<30} {prf['precision']:>9.3f} {prf['recall']:>7.3f} {prf['f1']:>6.3f}"
        f"  ({prf['matched']}/{prf['predicted']}/{prf['gold']})"
    )


if __name__ == "__main__":
    sys.exit(main())
