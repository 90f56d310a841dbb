"""Neutrality: how often the techniques found in a sentence change when only names change.

    python bench/neutrality.py [--corpus confirmation|news ...] [--model DIR] [--limit N]
                               [--threshold T ...] [--windows-per-call N] [--naming NAMING]
                               [--sides FILE] [--controls FILE] [--json] [--card]

Each article is analysed as it is, with the sides it names swapped
(Iran<->America, Democrats<->Republicans, Trump<->Obama...; the ``sides`` of
src/proplens/counterfactual/pairs.json) and with neutral words swapped
(Monday<->Tuesday, said<->stated, city<->town...; its ``controls``). For every
sentence of the original, carried onto each copy by character offsets, the
*set* of techniques of the spans overlapping it is compared. Printed per corpus:
the share of sentences whose set changes among the sentences naming a side
(side swap), among those containing a control word and among the others
(control swap), with 95% bootstrap intervals over articles, and how many of
those sentences carry a technique in the original.

Corpora: ``confirmation`` (the 56 confirmation articles of ../shared/data/ptc-train,
``proplens.training.corpus.confirmation_ids``: never trained on) and ``news`` (the
400 articles of ../shared/data/news-unlabeled). ``--windows-per-call N`` is a
probe: it sends N windows to each onnxruntime call instead of the model's own
setting (with a dynamically quantized encoder, activations are scaled per call,
so windows sent together influence each other; per-token int8 gives the same
results for any N). ``--sides FILE`` swaps the side pairs of another
list instead: ``bench/held-out-sides.json`` holds pairs the model never saw
swapped in training (its counterfactual copies use pairs.json's sides), to see
whether the invariance carries over to names it was not trained on, and
``bench/crossed-sides.json`` pairs listed sides otherwise than the list does
(Iran<->Russia, Trump<->Clinton...); ``--naming mirror|ranked`` is a probe that
reads the sides named that way (``pipeline.symmetry``) instead of the model's own;
``--controls FILE`` likewise swaps other neutral pairs: ``bench/held-out-controls.json``
holds pairs the control-word training copies never use. Not a test:
it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

import proplens
from proplens.article import Article, article_id
from proplens.counterfactual import control_pairs, side_pairs
from proplens.counterfactual.neutrality import bootstrap_share, measure_article
from proplens.counterfactual.pairs import SwapTable, group_pairs
from proplens.training.corpus import confirmation_ids

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SWAPS = {"side": side_pairs, "control": control_pairs}
LABELS = {
    ("side", True): "side swap, sentences naming a side",
    ("side", False): "side swap, other sentences",
    ("control", True): "control swap, sentences with a control word",
    ("control", False): "control swap, other sentences",
}


def load_corpus(name: str, ptc: Path, news: Path, limit: int | None) -> list[Article]:
    if name == "confirmation":
        paths = sorted((ptc / "articles").glob("*.txt"))
        keep = confirmation_ids([article_id(p) for p in paths])
        paths = [p for p in paths if article_id(p) in keep]
    else:
        paths = sorted(news.glob("*.txt"))
    if not paths:
        where = ptc / "articles" if name == "confirmation" else news
        sys.exit(f"no articles for corpus {name!r} in {where}")
    return [Article.from_file(p) for p in paths[:limit]]


def encode_windows_per_call(analyzer, windows: int) -> None:
    """The probe: ``windows`` windows per encoder call, for this loaded model only."""
    analyzer.model.plan = replace(analyzer.model.plan, per_call=windows)


def read_with_naming(analyzer, naming: str) -> None:
    """The probe: symmetric reading with ``naming``, for this loaded model only."""
    analyzer.model.plan = replace(analyzer.model.plan, symmetric=True, naming=naming)


def swap_table(path: Path | None, kind: str) -> SwapTable:
    """The ``kind`` ("sides" or "controls") pairs to swap: pairs.json's, or those of ``path``."""
    if path is None:
        return side_pairs() if kind == "sides" else control_pairs()
    try:
        lists = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        sys.exit(f"{path}: cannot read the {kind} pairs ({err})")
    if kind not in lists:
        sys.exit(f"{path}: no {kind!r} lists in it")
    pairs = [pair for groups in lists[kind].values() for pair in group_pairs(groups)]
    try:
        return SwapTable(pairs, lists.get("keep", ()))
    except ValueError as err:
        sys.exit(f"{path}: {err}")


def run_corpus(
    analyzer, articles: list[Article], thresholds: list[float], tables: dict[str, SwapTable]
) -> dict:
    """Per swap, threshold and touched/other: (changed, total, flagged) counts per article."""
    counts = {
        (swap, cut, touched): np.zeros((len(articles), 3), dtype=np.int64)
        for swap in tables
        for cut in thresholds
        for touched in (True, False)
    }
    started = time.perf_counter()
    for i, article in enumerate(articles):
        for swap, by_cut in measure_article(analyzer, article, tables, thresholds).items():
            for cut, outcomes in by_cut.items():
                for outcome in outcomes:
                    row = (int(outcome.changed), 1, int(outcome.flagged))
                    counts[swap, cut, outcome.touched][i] += row
        if (i + 1) % 25 == 0 or i + 1 == len(articles):
            rate = (i + 1) / (time.perf_counter() - started)
            print(f"  {i + 1}/{len(articles)} articles, {rate:.1f}/s", file=sys.stderr)
    return counts


def summarise(name: str, articles: list[Article], counts: dict, cut: float, rounds: int) -> dict:
    result = {"corpus": name, "articles": len(articles), "threshold": cut}
    for swap in SWAPS:
        result[swap] = {}
        for touched in (True, False):
            per_article = counts[swap, cut, touched]
            share = bootstrap_share(per_article[:, 0], per_article[:, 1], rounds=rounds).as_dict()
            flagged, total = per_article[:, 2].sum(), per_article[:, 1].sum()
            share["with_technique"] = round(float(flagged / total), 4) if total else None
            result[swap]["touched" if touched else "other"] = share
        result[swap]["articles_touched"] = int((counts[swap, cut, True][:, 1] > 0).sum())
    result["sentences"] = (
        result["side"]["touched"]["sentences"] + result["side"]["other"]["sentences"]
    )
    return result


def print_table(report: dict) -> None:
    default = report["runtime_windows_per_call"]
    setting = report["windows_per_call"] or f"runtime default ({default})"
    print(f"model {report['model']}, windows per encoder call: {setting}")
    for result in report["results"]:
        print(
            f"\n{result['corpus']}: {result['articles']} articles, {result['sentences']} sentences,"
            f" threshold {result['threshold']}"
        )
        for swap in SWAPS:
            for touched in (True, False):
                share = result[swap]["touched" if touched else "other"]
                print(f"  {LABELS[swap, touched]:<45} {_format(share)}")
    print(f"\n{report['analyses']} analyses in {report['seconds']} s", file=sys.stderr)


def _format(share: dict) -> str:
    if share["share"] is None:
        return "no sentences"
    low, high = share["ci95"]
    return (
        f"{share['share']:6.1%}  [{low:.1%}, {high:.1%}]  "
        f"{share['changed']:>5} of {share['sentences']:>5}  "
        f"({share['with_technique']:.0%} with a technique)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", choices=["confirmation", "news"])
    parser.add_argument("--ptc", type=Path, default=SHARED / "ptc-train")
    parser.add_argument("--news", type=Path, default=SHARED / "news-unlabeled")
    parser.add_argument("--model", default=None, help="model folder (default: the shipped one)")
    parser.add_argument("--limit", type=int, default=None, help="first N articles per corpus")
    parser.add_argument(
        "--threshold", type=float, action="append", help="score cut (default: the model's)"
    )
    parser.add_argument(
        "--windows-per-call", type=int, default=None, help="probe: windows per encoder call"
    )
    parser.add_argument(
        "--naming", choices=["mirror", "ranked"], help="probe: read the sides named this way"
    )
    parser.add_argument("--sides", type=Path, help="side pairs to swap (default: pairs.json's)")
    parser.add_argument(
        "--controls", type=Path, help="neutral pairs to swap (default: pairs.json's)"
    )
    parser.add_argument("--rounds", type=int, default=2000, help="bootstrap resamples")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--card",
        action="store_true",
        help="also record the figures in the model's card (neutrality; neutrality_held_out"
        " with the held-out lists, neutrality_crossed_sides with crossed-sides.json)",
    )
    args = parser.parse_args()

    analyzer = proplens.load(args.model)
    if args.windows_per_call is not None:
        encode_windows_per_call(analyzer, args.windows_per_call)
    if args.naming is not None:
        read_with_naming(analyzer, args.naming)
    thresholds = args.threshold or [analyzer.threshold]
    tables = {
        "side": swap_table(args.sides, "sides"),
        "control": swap_table(args.controls, "controls"),
    }
    card = analyzer.card
    report = {
        "model": f"{card.get('name', '?')} {card.get('version', card.get('created', ''))}".strip(),
        "windows_per_call": args.windows_per_call,
        "runtime_windows_per_call": analyzer.model.plan.per_call,
        "naming": analyzer.model.plan.naming if analyzer.model.plan.symmetric else None,
        "sides": str(args.sides) if args.sides else "pairs.json",
        "controls": str(args.controls) if args.controls else "pairs.json",
        "pairs": {swap: len(table) for swap, table in tables.items()},
        "bootstrap_rounds": args.rounds,
        "command": " ".join(["python", *sys.argv]),
        "results": [],
    }
    started, analyses = time.perf_counter(), 0
    for name in args.corpus or ["confirmation", "news"]:
        articles = load_corpus(name, args.ptc, args.news, args.limit)
        print(f"{name}: {len(articles)} articles", file=sys.stderr)
        counts = run_corpus(analyzer, articles, thresholds, tables)
        analyses += len(articles) + sum(
            int(counts[swap, thresholds[0], True][:, 1].astype(bool).sum()) for swap in SWAPS
        )
        report["results"] += [
            summarise(name, articles, counts, cut, args.rounds) for cut in thresholds
        ]
    report["analyses"] = analyses
    report["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    if args.card:
        from proplens.training.export import record

        record(analyzer.model.model_dir, card_key(args.sides, args.controls), report)


def card_key(sides: Path | None, controls: Path | None) -> str:
    """Where the card keeps the figures: one key per kind of list, so none overwrites another.

    >>> card_key(None, None), card_key(Path("bench/held-out-sides.json"), None)
    ('neutrality', 'neutrality_held_out')
    >>> card_key(Path("bench/crossed-sides.json"), None)
    'neutrality_crossed_sides'
    """
    names = [path.stem for path in (sides, controls) if path is not None]
    if not names:
        return "neutrality"
    if all(name.startswith("held-out") for name in names):
        return "neutrality_held_out"
    return "neutrality_" + "_".join(name.replace("-", "_") for name in names)


if __name__ == "__main__":
    main()
