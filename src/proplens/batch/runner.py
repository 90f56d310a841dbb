"""One batch run: read records, analyse them in chunks, commit parts, merge at the end.

Records are cut into chunks of ``chunk_size`` consecutive input records (bad
ones included), numbered in input order. Chunks are committed strictly in that
order, so the committed parts of an interrupted run are always a prefix of the
input: a rerun of the same command checks that prefix against the inputs,
skips it without analysing it again, and carries on, ending with exactly the
output of a run that was never interrupted.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from proplens.batch.engines import in_order, make_engine
from proplens.batch.factory import DEFAULT_FACTORY, resolve_factory
from proplens.batch.inputs import count_records, read_records, resolve_inputs
from proplens.batch.output import output_format
from proplens.batch.parts import PartStore
from proplens.batch.progress import Progress, make_progress
from proplens.batch.records import BadRecord, Item, Record
from proplens.batch.worker import WorkerSpec
from proplens.errors import InputError
from proplens.thresholds import check_threshold

DEFAULT_CHUNK_SIZE = 32


@dataclass
class BatchConfig:
    inputs: list[str | Path]
    output: Path
    errors: Path | None = None
    """Errors file; by default the output path with ``.errors.jsonl`` appended."""
    workers: int = 1
    engine: str = "local"
    scheduler: str | None = None
    model_dir: str | None = None
    threshold: float | None = None
    factory: str = DEFAULT_FACTORY
    chunk_size: int = DEFAULT_CHUNK_SIZE
    sources: bool = False
    """Also find sources and claims (the sources columns; needs the sources extra)."""

    @property
    def errors_path(self) -> Path:
        return Path(self.errors) if self.errors else _errors_default(Path(self.output))


@dataclass
class BatchStats:
    records: int = 0
    rows: int = 0
    errors: int = 0
    resumed_records: int = 0
    analysed: int = 0
    """Articles analysed by this run (not counting those resumed from an earlier one)."""
    elapsed_s: float = 0.0
    output: Path | None = None
    errors_path: Path | None = None
    chunks: int = field(default=0, repr=False)


def run_batch(config: BatchConfig, progress: Progress | None = None) -> BatchStats:
    """Analyse every input record and write the output table and errors file."""
    started = time.monotonic()
    output = Path(config.output)
    fmt = output_format(output)
    _check(config)
    sources = resolve_inputs(config.inputs)
    resolve_factory(config.factory)
    store = PartStore(output, fmt, _signature(config))
    done = store.open()
    progress = progress or make_progress()
    stats = BatchStats(output=output, errors_path=config.errors_path)
    progress.start(count_records(sources))
    spec = WorkerSpec(config.factory, _model_dir(config), config.threshold, config.sources)
    try:
        with make_engine(config.engine, spec, config.workers, config.scheduler) as engine:
            chunks = _chunks(read_records(sources), config.chunk_size)
            tasks = _tasks(chunks, done, stats, progress, store.dir)
            for (index, records), results in in_order(engine, tasks):
                rows, errors = _combine(records, results)
                store.commit(index, rows, errors, [r.id for r in records])
                stats.rows += len(rows)
                stats.errors += len(errors)
                stats.analysed += len(results)
                progress.advance(len(records), len(results), len(errors))
    finally:
        progress.close()
    if any(index >= stats.chunks for index in done):
        raise InputError(_CHANGED.format(dir=store.dir))
    store.finish(stats.chunks, config.errors_path)
    stats.elapsed_s = time.monotonic() - started
    return stats


_CHANGED = (
    "the inputs changed since the interrupted run whose parts are in {dir}; rerun with the "
    "same inputs, or delete {dir} to start over"
)


def _tasks(
    chunks: Iterable[list[Record]],
    done: dict[int, dict],
    stats: BatchStats,
    progress: Progress,
    parts: Path,
) -> Iterator[tuple[tuple[int, list[Record]], list[Item]]]:
    """Chunks still to analyse, as ``((index, records), items)``; done ones are checked, skipped."""
    resumed = 0
    for index, records in enumerate(chunks):
        stats.chunks = index + 1
        stats.records += len(records)
        manifest = done.get(index)
        if manifest is not None:
            if manifest["ids"] != [r.id for r in records]:
                raise InputError(_CHANGED.format(dir=parts))
            stats.rows += manifest["rows"]
            stats.errors += manifest["errors"]
            resumed += len(records)
            continue
        if resumed:
            progress.resumed(resumed)
            stats.resumed_records, resumed = resumed, 0
        yield (index, records), [r for r in records if isinstance(r, Item)]
    if resumed:
        progress.resumed(resumed)
        stats.resumed_records = resumed


def _combine(records: list[Record], results: list) -> tuple[list[dict], list[BadRecord]]:
    """Rows and bad records of one chunk, in input order."""
    rows: list[dict] = []
    errors: list[BadRecord] = []
    answers = iter(results)
    for record in records:
        if isinstance(record, BadRecord):
            errors.append(record)
            continue
        kind, value = next(answers)
        if kind == "row":
            rows.append(value)
        else:
            errors.append(BadRecord(record.location, record.id, value))
    return rows, errors


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _check(config: BatchConfig) -> None:
    if config.chunk_size < 1:
        raise InputError(f"chunk size must be at least 1, got {config.chunk_size}")
    if config.threshold is not None:
        check_threshold(config.threshold, "--threshold")
    if config.model_dir is not None and not Path(config.model_dir).is_dir():
        raise InputError(f"{config.model_dir}: model directory not found")


def _model_dir(config: BatchConfig) -> str | None:
    return None if config.model_dir is None else str(Path(config.model_dir).resolve())


def _signature(config: BatchConfig) -> dict:
    """What determines the output: a rerun must match it to resume the parts."""
    return {
        "inputs": [str(Path(p).resolve()) for p in config.inputs],
        "chunk_size": config.chunk_size,
        "factory": config.factory,
        "model_dir": _model_dir(config),
        "threshold": config.threshold,
        **({"sources": True} if config.sources else {}),  # runs without it resume as before
    }


def _errors_default(output: Path) -> Path:
    return output.with_name(output.name + ".errors.jsonl")
