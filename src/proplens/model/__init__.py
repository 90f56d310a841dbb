"""The detector's model (docs/model.md tells how it was trained and chosen).

Inference (numpy, tokenizers, onnxruntime only):

- ``windowing``: word pieces with character offsets; packed (whole paragraphs) or strided windows
- ``symmetry``: windows naming a side read mirrored too, so the side named cannot sway a verdict
- ``predict``: encoder states -> BIO probabilities, candidate spans, technique probabilities
- ``decode``: BIO probabilities -> character spans (hysteresis, content words, trimming)
- ``features``: what the technique head sees besides the states (length, repetition)
- ``heads``: the two small heads in numpy
- ``cues``, ``lexical``, ``classifier``: the stacked technique classifier (head + article
  cues + a word model)
- ``calibration``: raw confidences -> probability of being right
- ``runtime``: loads a model folder, verifies its checksums, runs it

Training, choosing and export (the ``[train]`` extra: torch, transformers, scikit-learn),
imported lazily:

- ``corpus`` (the data, folds and the confirmation split), ``config``, ``network``,
  ``batches`` (windows, collation, losses), ``train``
- ``crossval`` (out-of-fold predictions over whole articles), ``selection`` (decoding,
  classifier, calibration and threshold chosen on them), ``evaluation`` (one measurement
  on the confirmation split), ``export`` (int8 ONNX and the card), ``progress``
"""
