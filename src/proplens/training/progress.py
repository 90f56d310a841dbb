"""Training progress: a rich progress bar on a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys


class TrainLog:
    """Receives step and epoch events from ``train.fit``."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self._bar = None
        self._task = None

    def info(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)

    def step(self, epoch: int, number: int, total: int, loss: float, stage: str = "") -> None:
        """Progress within an epoch; ``stage`` names epochs after the main ones ("consistency")."""
        if self.quiet:
            return
        name = f"{stage} epoch {epoch}".strip()
        if self.tty:
            self._rich_step(name, number, total, loss)
        elif number == total or number % 50 == 0:
            print(f"{name} step {number}/{total} loss {loss:.4f}", file=sys.stderr, flush=True)

    def _rich_step(self, name: str, number: int, total: int, loss: float) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        if self._bar is None:
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeRemainingColumn(),
                TextColumn("loss {task.fields[loss]:.4f}"),
            )
            self._bar.start()
        if number == 1 or self._task is None:
            self._task = self._bar.add_task(name, total=total, loss=loss)
        self._bar.update(self._task, completed=number, loss=loss)

    def epoch(self, row: dict) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        if row.get("stage") == "consistency":
            detail = f"divergence {row['divergence']:.4f}"
            name = f"consistency epoch {row['epoch']}"
        else:
            detail = f"technique loss {row['tc_loss']:.4f}"
            name = f"epoch {row['epoch']}"
        self.info(f"{name}: loss {row['loss']:.4f}  {detail}  [{row['seconds']}s]")
