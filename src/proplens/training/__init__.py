"""What only builds the model: training, choosing and export (never loaded by ``analyze``).

Needs the ``[train]`` extra (torch, transformers, scikit-learn), imported lazily;
what runs on a user's machine is :mod:`proplens.pipeline`.

- ``corpus`` (the data, folds and the confirmation split), ``config``, ``network``,
  ``batches`` (windows, collation, losses), ``consistency``, ``train``, ``progress``
- ``crossval`` (out-of-fold predictions over whole articles), ``selection`` (decoding,
  classifier, calibration and threshold chosen on them), ``evaluation`` (one measurement
  on the confirmation split), ``quantize`` and ``fusion`` (the int8, fused encoder),
  ``export`` (the model folder and its card), ``choices`` (those choices kept apart from
  the encoder, for a checkpoint trained later), ``artifacts`` (small results kept in git)
"""
