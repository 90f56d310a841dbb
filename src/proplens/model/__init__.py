"""The detector's model.

Inference (numpy, tokenizers, onnxruntime only):

- ``windowing``: word pieces with character offsets, overlapping encoder windows
- ``predict``: encoder states -> BIO probabilities, candidate spans, technique probabilities
- ``decode``: BIO probabilities -> character spans
- ``features``: what the technique head sees besides the states (length, repetition)
- ``heads``: the two small heads in numpy
- ``calibration``: raw confidences -> probability of being right
- ``runtime``: loads a model folder, verifies its checksums, runs it

Training and export (the ``[train]`` extra: torch, transformers), imported lazily:

- ``corpus`` (the data and the fixed validation split), ``config``, ``network``,
  ``batches`` (windows, collation, losses), ``train``, ``validation`` (metrics and
  choices made on the validation split), ``export`` (int8 ONNX), ``progress``
"""
