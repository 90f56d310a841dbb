"""OpenBLAS's idle threads sleep at once instead of spinning (set before numpy loads it).

After each matrix product numpy's OpenBLAS keeps its worker threads spinning
for a while (``2**28`` cycles by default), waiting for the next product. In
proplens the next heavy work is the encoder, whose onnxruntime threads then
share the cores with those spinning threads: on the 2-core development
machine, taking turns over 120 news articles, the pipeline ran 1.13 times as
fast with ``OPENBLAS_THREAD_TIMEOUT=4`` (``2**4`` cycles: sleep almost at
once), and the technique head's product of 64 spans took 12.8 ms instead of
31.6 ms under load (docs/model.md, "Speed"). The threads and the way a
product is split among them are unchanged, so every number is the same to
the last bit (``bench/same_output.py``); ``OPENBLAS_NUM_THREADS=1`` would
also stop the spinning but rounds differently.

OpenBLAS reads the variable once, when numpy first loads it, so this module
is imported first by ``proplens/__init__.py``; a process that imported numpy
before proplens keeps its setting, and a value already in the environment is
left as it is (set ``OPENBLAS_THREAD_TIMEOUT`` to keep OpenBLAS's default,
e.g. 28). Subprocesses (batch workers) inherit it.
"""

from __future__ import annotations

import os

TIMEOUT = "OPENBLAS_THREAD_TIMEOUT"
os.environ.setdefault(TIMEOUT, "4")
