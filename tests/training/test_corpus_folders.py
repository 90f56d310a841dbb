"""Training on several PTC folders: confirmation from the first, corrections replace originals."""

from __future__ import annotations

from pathlib import Path

from proplens.cli import build_parser
from proplens.training.corpus import confirmation_ids, load_training_data


def ptc_folder(root: Path, articles: dict[str, tuple[str, list[tuple[int, int, str]]]]) -> Path:
    (root / "articles").mkdir(parents=True)
    lines = []
    for key, (text, spans) in sorted(articles.items()):
        (root / "articles" / f"article{key}.txt").write_text(text, encoding="utf-8")
        lines += [f"{key}\t{technique}\t{start}\t{end}\n" for start, end, technique in spans]
    (root / "train-tc.labels").write_text("".join(lines), encoding="utf-8")
    return root


def test_confirmation_comes_from_the_first_folder_and_later_articles_replace_earlier(tmp_path):
    corpus = ptc_folder(
        tmp_path / "corpus",
        {str(100 + i): (f"Title {i}\n\nThe so-called experts spoke.\n", []) for i in range(12)},
    )
    corrected = "Title 3\n\nThe so-called experts spoke.\n"
    corrections = ptc_folder(
        tmp_path / "corrections",
        {
            "103": (corrected, [(17, 34, "Name_Calling,Labeling")]),
            "900": ("New one\n\nNever again!\n", [(9, 21, "Slogans")]),
        },
    )
    alone_train, alone_confirm = load_training_data([corpus])
    train, confirm = load_training_data([corpus, corrections])
    confirm_ids = {e.id for e in confirm}
    assert confirm_ids == {e.id for e in alone_confirm}
    assert confirm_ids == confirmation_ids([e.id for e in alone_train + alone_confirm])
    both = train + confirm
    by_id = {e.id: e for e in both}
    assert len(both) == 13 and "900" not in confirm_ids
    assert not confirm_ids & {e.id for e in train}
    assert by_id["103"].spans == [(17, 34, "Name_Calling,Labeling")]  # the correction won
    assert by_id["900"].spans == [(9, 21, "Slogans")]


def test_train_accepts_several_data_folders():
    parser = build_parser()
    args = parser.parse_args(["train", "--data", "a", "b", "--data", "c", "--output", "o"])
    assert args.data == ["a", "b", "c"]
