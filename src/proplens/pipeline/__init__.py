"""What runs on a user's machine: the detector's runtime (numpy, tokenizers, onnxruntime only).

How the model was trained and chosen: docs/model.md; the code that builds it is
:mod:`proplens.training`.

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
- ``shipped/``: the model itself (checksummed files and its card)
"""
