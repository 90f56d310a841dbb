"""Training progress off a terminal: plain lines that say which epoch of which stage."""

from __future__ import annotations

from proplens.training.progress import TrainLog


def plain_log(quiet: bool = False) -> TrainLog:
    log = TrainLog(quiet=quiet)
    log.tty = False  # as under CI or nohup, whatever the test runner's stderr is
    return log


def test_plain_lines_name_the_stage_and_skip_most_steps(capsys):
    log = plain_log()
    log.step(1, 49, 97, 0.5, "consistency")
    log.step(1, 50, 97, 0.5, "consistency")
    log.step(2, 97, 97, 0.25)
    log.epoch({"stage": "consistency", "epoch": 1, "loss": 0.9, "divergence": 0.11, "seconds": 3.0})
    log.epoch({"epoch": 2, "loss": 0.8, "tc_loss": 0.4, "seconds": 2.0})
    assert capsys.readouterr().err.splitlines() == [
        "consistency epoch 1 step 50/97 loss 0.5000",
        "epoch 2 step 97/97 loss 0.2500",
        "consistency epoch 1: loss 0.9000  divergence 0.1100  [3.0s]",
        "epoch 2: loss 0.8000  technique loss 0.4000  [2.0s]",
    ]


def test_quiet_prints_nothing(capsys):
    log = plain_log(quiet=True)
    log.step(1, 50, 50, 0.5)
    log.epoch({"epoch": 1, "loss": 0.8, "tc_loss": 0.4, "seconds": 2.0})
    assert capsys.readouterr().err == ""
