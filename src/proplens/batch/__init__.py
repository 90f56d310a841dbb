"""Corpus-scale analysis: many articles in, one Parquet or JSONL table out.

:func:`proplens.batch.runner.run_batch` reads the inputs in order, sends chunks
of articles to an engine (local processes or a Dask cluster), and commits each
analysed chunk as a complete part file, so an interrupted run resumes where it
stopped and gives the same output as an uninterrupted one.
"""

from proplens.batch.runner import BatchConfig, BatchStats, run_batch

__all__ = ["BatchConfig", "BatchStats", "run_batch"]
